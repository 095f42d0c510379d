/**
 * What one pricing policy's run measured: the shape the reproduction (table1.ts) produces and the
 * claims (claims.ts), figures and text read, in a file of its own so that they need not import
 * each other.
 */

/** What one policy's run measured. */
export interface PolicyOutcome {
  /** "static" or "alpha=<α>". */
  policy: string;
  /** Name and hash of the scenario the policy ran (`table1-static`, `table1-alpha=4`, ...), and its seed. */
  scenario: string;
  scenarioHash: string;
  seed: number;
  /** α, or null for static pricing. */
  alpha: number | null;
  /** Mean over flows of delivered bits / duration, Mbps (Table I, row 1). */
  avgBandwidthMbps: number;
  /** Paid per Mbit delivered, PU (Table I, row 2). */
  unitPrice: number;
  /** Eq. 2 revenue, PU (Table I, row 3). */
  revenue: number;
  /** Percent of directed links whose peak utilization stays ≤ 50% (section V). */
  linksUnder50Pct: number;
  /** Percent of users (flows) that never switched paths (Figure 6). */
  usersNeverSwitched: number;
  /** Eq. 1, users' total utility, PU. */
  userUtility: number;
  /** Delivered over demanded bits, percent. */
  deliveredPct: number;
  /** Mean announced link price, PU per Mbit. */
  meanLinkPrice: number;
  /** Flows generated. */
  flows: number;
  /** Peak utilization of every directed link (Figure 5). */
  peaks: Float64Array;
  /** `switchCounts[n]` users switched paths n times (Figure 6). */
  switchCounts: number[];
  /** ASes and directed links of the topology the run used. */
  nodes: number;
  directedLinks: number;
  /** Arrival rate the run used, flows per second. */
  ratePerSec: number;
  /** Wall-clock seconds the run took. */
  seconds: number;
}

