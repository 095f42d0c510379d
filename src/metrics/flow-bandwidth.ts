/**
 * Average flow bandwidth (pricing paper, Table I, first row): each flow's delivered bits over its
 * duration, in Mbps, averaged over flows with equal weight. A flow still running when the run
 * ends counts with the part it has lived.
 */
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
  private sumMbps = 0;
  private delivered = 0;
  private demanded = 0;
  private readonly agent: number | undefined;

  /** @param agent count only the flows of this user agent (e.g. the generated traffic's). */
  constructor(agent?: number) {
    this.agent = agent;
  }

  onFlowEnd(record: FlowRecord): void {
    if (this.agent !== undefined && record.agent !== this.agent) return;
    if (!(record.durationSec > 0)) return;
    this.flows++;
    this.sumMbps += record.deliveredBits / record.durationSec / 1e6;
    this.delivered += record.deliveredBits;
    this.demanded += record.demandedBits;
  }

  /** The averages so far (call after `Simulation.finish`, which ends the flows still running). */
  result(): FlowBandwidthResult {
    return {
      flows: this.flows,
      meanMbps: this.flows > 0 ? this.sumMbps / this.flows : 0,
      deliveredShare: this.demanded > 0 ? this.delivered / this.demanded : 0,
    };
  }
}
