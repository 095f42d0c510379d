/** Made-up Table I outcomes for the claims and predictions tests: only the fields they read matter. */
import type { PolicyOutcome } from "../../src/reproduce/outcome.js";

/** One policy's outcome with the given bandwidth, unit price, revenue, links ≤ 50% and never-switch share. */
export function outcome(alpha: number | null, bw: number, price: number, revenue: number, under: number, never: number): PolicyOutcome {
  return {
    policy: alpha === null ? "static" : `alpha=${alpha}`, scenario: "table1", scenarioHash: "0", seed: 1, alpha, avgBandwidthMbps: bw, unitPrice: price, revenue,
    linksUnder50Pct: under, usersNeverSwitched: never, userUtility: 0, deliveredPct: 0, meanLinkPrice: 0, flows: 100,
    peaks: new Float64Array(10), switchCounts: [], nodes: 3, directedLinks: 10, ratePerSec: 1, seconds: 0,
  };
}

/** The paper's Table I (links and switching from sections IV-B and V). */
export const PAPER = [
  outcome(null, 8.2, 35, 470_272, 72, 100),
  outcome(2, 9.1, 40, 607_486, 52, 90),
  outcome(4, 9.1, 34, 511_232, 52, 90),
  outcome(6, 9.0, 28, 420_047, 52, 90),
];
