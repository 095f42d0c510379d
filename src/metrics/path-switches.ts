/**
 * How often users switched paths (pricing paper, Figure 6): the number of path switches of each
 * flow over its life, as a histogram, and the share of users that never switched (the paper:
 * about 90%).
 */
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

  /** @param agent count only the flows of this user agent. */
  constructor(agent?: number) {
    this.agent = agent;
  }

  onFlowEnd(record: FlowRecord): void {
    if (this.agent !== undefined && record.agent !== this.agent) return;
    const n = record.pathSwitches;
    while (this.counts.length <= n) this.counts.push(0);
    this.counts[n]!++;
    this.users++;
    this.total += n;
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
