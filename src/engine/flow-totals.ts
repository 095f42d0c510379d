/**
 * What a shard adds up over its flows each round, so that the coordinator's reporters need not
 * visit every flow: the flows that ended (bandwidth, switches, packets) and the log-utility terms
 * of the flows that sent. Counts are whole numbers and the rest exact sums (ExactSum), so the
 * shards' totals merge to the same result in any order, for any number of workers.
 */
import type { FlowColumns } from "./flows.js";
import { ExactSum } from "./exact-sum.js";

/** The flows that ended in a round (or at the end of the run), added up. */
export interface EndedFlowTotals {
  /** Flows that ended. */
  flows: number;
  /** Of those, flows that lasted a positive time: the ones the bandwidth sums are over. */
  timed: number;
  /** Partials (ExactSum) of Σ deliveredBits / durationSec / 10^6 over the timed flows. */
  mbps: number[];
  /** Partials of Σ deliveredBits and Σ demandedBits over the timed flows. */
  deliveredBits: number[];
  demandedBits: number[];
  /** Σ packets sent and delivered over all ended flows (whole numbers). */
  sentPackets: number;
  deliveredPackets: number;
  /** `switches[n]`: ended flows that switched paths n times. */
  switches: number[];
}

/** Adds up ended flows into EndedFlowTotals. */
export class EndedFlowCounter {
  private flows = 0;
  private timed = 0;
  private readonly mbps = new ExactSum();
  private readonly delivered = new ExactSum();
  private readonly demanded = new ExactSum();
  private sent = 0;
  private deliveredPackets = 0;
  private readonly switches: number[] = [];

  /** Adds the flow in row `i`, which ended by `until` (its duration runs to its end or to `until`). */
  add(c: FlowColumns, i: number, until: number): void {
    this.flows++;
    const duration = Math.min(c.endTime[i]!, until) - c.startTime[i]!;
    if (duration > 0) {
      this.timed++;
      // Every term is ≥ 0, so one of +0 leaves the sum as it is: skipped (a flow that
      // delivered nothing is common, and each term of +0 cost a pass over the partials).
      const delivered = c.deliveredBits[i]!;
      if (delivered !== 0) {
        this.mbps.add(delivered / duration / 1e6);
        this.delivered.add(delivered);
      }
      const demanded = c.demandedBits[i]!;
      if (demanded !== 0) this.demanded.add(demanded);
    }
    this.sent += c.sentPackets[i]!;
    this.deliveredPackets += c.deliveredPackets[i]!;
    const n = c.pathSwitches[i]!;
    while (this.switches.length <= n) this.switches.push(0);
    this.switches[n]!++;
  }

  /** Adds another counter's totals (another shard's). */
  merge(t: EndedFlowTotals): void {
    this.flows += t.flows;
    this.timed += t.timed;
    this.mbps.merge(t.mbps);
    this.delivered.merge(t.deliveredBits);
    this.demanded.merge(t.demandedBits);
    this.sent += t.sentPackets;
    this.deliveredPackets += t.deliveredPackets;
    t.switches.forEach((count, n) => {
      while (this.switches.length <= n) this.switches.push(0);
      this.switches[n]! += count;
    });
  }

  /** The totals so far, as plain data. */
  totals(): EndedFlowTotals {
    return {
      flows: this.flows, timed: this.timed, mbps: [...this.mbps.partials], deliveredBits: [...this.delivered.partials],
      demandedBits: [...this.demanded.partials], sentPackets: this.sent, deliveredPackets: this.deliveredPackets, switches: [...this.switches],
    };
  }
}

/** No flow ended. */
export function noEndedFlows(): EndedFlowTotals {
  return new EndedFlowCounter().totals();
}
