/**
 * Average flow bandwidth (pricing paper, Table I, first row): each flow's delivered bits over its
 * duration, in Mbps, averaged over flows with equal weight. A flow still running when the run
 * ends counts with the part it has lived. Sums are exact (ExactSum), so the result does not
 * depend on the order flows end in or on how many shards added them up.
 */
import { ExactSum } from "../engine/exact-sum.js";
import type { EndedFlowTotals } from "../engine/flow-totals.js";
import type { FlowRecord, SimulationObserver } from "../engine/simulation.js";

/** Mean bandwidth flows obtained, and how much of their demand was delivered. */
export interface FlowBandwidthResult {
  /** Flows counted. */
  flows: number;
  /** Mean over flows of delivered bits / duration, Mbps. */
  meanMbps: number;
  /** Delivered bits over demanded bits, all flows together, in [0, 1]. */
  deliveredShare: number;
}

/** Collects per-flow bandwidth as flows end. */
export class FlowBandwidthReporter implements SimulationObserver {
  private flows = 0;
  private readonly sumMbps = new ExactSum();
  private readonly delivered = new ExactSum();
  private readonly demanded = new ExactSum();
  private readonly agent: number | undefined;
  /** Set only with an agent to count: then each ended flow is read one by one; otherwise the shards' totals are. */
  readonly onFlowEnd?: (record: FlowRecord) => void;

  /** @param agent count only the flows of this user agent (e.g. the generated traffic's). */
  constructor(agent?: number) {
    this.agent = agent;
    if (agent !== undefined) this.onFlowEnd = (record) => this.add(record);
  }

  /** All flows: the shards' exact totals of the flows that ended. */
  onFlowsEnded(totals: EndedFlowTotals): void {
    if (this.agent !== undefined) return;
    this.flows += totals.timed;
    this.sumMbps.merge(totals.mbps);
    this.delivered.merge(totals.deliveredBits);
    this.demanded.merge(totals.demandedBits);
  }

  private add(record: FlowRecord): void {
    if (record.agent !== this.agent) return;
    if (!(record.durationSec > 0)) return;
    this.flows++;
    this.sumMbps.add(record.deliveredBits / record.durationSec / 1e6);
    this.delivered.add(record.deliveredBits);
    this.demanded.add(record.demandedBits);
  }

  /** The averages so far (call after `Simulation.finish`, which ends the flows still running). */
  result(): FlowBandwidthResult {
    const demanded = this.demanded.value();
    return {
      flows: this.flows,
      meanMbps: this.flows > 0 ? this.sumMbps.value() / this.flows : 0,
      deliveredShare: demanded > 0 ? this.delivered.value() / demanded : 0,
    };
  }
}
