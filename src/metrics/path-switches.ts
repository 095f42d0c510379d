/**
 * How often users switched paths (pricing paper, Figure 6): the number of path switches of each
 * flow over its life, as a histogram, and the share of users that never switched (the paper:
 * about 90%).
 */
import type { EndedFlowTotals } from "../engine/flow-totals.js";
import type { FlowRecord, SimulationObserver } from "../engine/simulation.js";

/** The distribution of path switches per user. */
export interface PathSwitchResult {
  /** Users (flows) counted. */
  users: number;
  /** `counts[n]` users switched exactly n times. */
  counts: number[];
  /** Share of users with no switch. */
  neverSwitched: number;
  /** Mean switches per user. */
  meanSwitches: number;
}

/** Counts path switches per flow as flows end. */
export class PathSwitchReporter implements SimulationObserver {
  private readonly counts: number[] = [];
  private users = 0;
  private total = 0;
  private readonly agent: number | undefined;
  /** Set only with an agent to count: then each ended flow is read one by one; otherwise the shards' totals are. */
  readonly onFlowEnd?: (record: FlowRecord) => void;

  /** @param agent count only the flows of this user agent. */
  constructor(agent?: number) {
    this.agent = agent;
    if (agent !== undefined) this.onFlowEnd = (record) => {
      if (record.agent === this.agent) this.count(record.pathSwitches, 1);
    };
  }

  /** All flows: the shards' histogram of the flows that ended. */
  onFlowsEnded(totals: EndedFlowTotals): void {
    if (this.agent !== undefined) return;
    totals.switches.forEach((users, n) => this.count(n, users));
  }

  private count(n: number, users: number): void {
    if (users === 0) return;
    while (this.counts.length <= n) this.counts.push(0);
    this.counts[n]! += users;
    this.users += users;
    this.total += n * users;
  }

  result(): PathSwitchResult {
    return {
      users: this.users,
      counts: [...this.counts],
      neverSwitched: this.users > 0 ? (this.counts[0] ?? 0) / this.users : 0,
      meanSwitches: this.users > 0 ? this.total / this.users : 0,
    };
  }
}
