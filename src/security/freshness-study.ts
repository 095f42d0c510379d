/**
 * Freshness matters, measured (issue 15 item 6): Table I's dynamic-pricing run with users who
 * see the tariffs in force (`oracle`, the lab without security), users who learn offered paths
 * and prices only from verified beacons (`beacons`), and users whose current path is priced by
 * in-path updates while alternatives come from beacons (`beacons+in-path`). Each arm runs the
 * same replications (replication r has the same seed, so the same traffic, in every arm: common
 * random numbers) on the same network, measured by Table I's own reporters (runPolicy).
 *
 * Run length: beacon prices are minutes old (docs/security.md), longer than Table I's 10–60 s
 * runs, so the study runs `rounds` seconds (default 180) after the beacon warm-up (beacon-board.ts:
 * before the first round the ASes have beaconed until nothing new is learned, at most 300 s).
 */
import { securitySchema } from "../scenario/security-schema.js";
import { createHash } from "node:crypto";
import { expandPoints, runPoints } from "../analysis/points.js";
import { intervalFor, type IntervalMethod } from "../metrics/stats.js";
import { runPolicy, SCALES, type ReproductionScale } from "../reproduce/table1.js";
import type { ScenarioInput } from "../scenario/schema.js";

/** The arms, in the order they are reported. */
export const FRESHNESS_ARMS = ["oracle", "beacons", "beacons+in-path"] as const;
export type FreshnessArm = (typeof FRESHNESS_ARMS)[number];

/** The scenario `security` section of each arm. */
export const ARM_SECURITY: Record<FreshnessArm, ScenarioInput["security"]> = {
  oracle: undefined,
  beacons: { beacons: {} },
  "beacons+in-path": { beacons: {}, inPathUpdates: {} },
};

/** What is compared, per run: Table I's three rows and path flapping. */
export const FRESHNESS_MEASURES = ["avgBandwidthMbps", "unitPrice", "revenue", "switchesPerUser", "usersNeverSwitched", "deliveredPct"] as const;
export type FreshnessMeasure = (typeof FRESHNESS_MEASURES)[number];

export interface FreshnessOptions {
  reps?: number;
  baseSeed?: number;
  /** Simulated seconds per run (default 180). */
  rounds?: number;
  /** Table I scale (default test: 1/1000 of the paper's capacity and arrivals). */
  scale?: ReproductionScale;
  /** The dynamic-pricing α (default 4). */
  alpha?: number;
  /** ASes of the generated network (default: Table I's 550); smaller for quick checks. */
  nodes?: number;
  /** Worker threads per run (the results do not depend on it). */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

/** One run. */
export type FreshnessRunRow = { arm: FreshnessArm; rep: number; seed: number; seconds: number } & Record<FreshnessMeasure, number>;

/** One measure of one arm over the replications, and its paired difference from the oracle arm. */
export interface FreshnessSummaryRow {
  arm: FreshnessArm;
  measure: FreshnessMeasure;
  reps: number;
  mean: number;
  ci95Low: number;
  ci95High: number;
  /** Mean over replications of (this arm − oracle), with its 95% interval (0 for the oracle). */
  diff: number;
  diffCi95Low: number;
  diffCi95High: number;
  /** diff as a percentage of the oracle's mean. */
  diffPct: number;
  ciMethod: IntervalMethod;
}

export interface FreshnessResult {
  scenario: "freshness";
  scenarioHash: string;
  baseSeed: number;
  reps: number;
  rounds: number;
  alpha: number;
  nodes: number;
  scale: string;
  runs: FreshnessRunRow[];
  summary: FreshnessSummaryRow[];
}

/**
 * Runs the three arms over `reps` seeds and compares them.
 *
 * @example (await freshnessStudy({ reps: 2, rounds: 60 })).summary.filter((s) => s.measure === "unitPrice")
 */
export async function freshnessStudy(options: FreshnessOptions = {}): Promise<FreshnessResult> {
  const reps = options.reps ?? 3;
  const baseSeed = options.baseSeed ?? 1;
  const rounds = options.rounds ?? 180;
  const alpha = options.alpha ?? 4;
  const scale = { ...(options.scale ?? SCALES.test), rounds };
  const points = expandPoints(FRESHNESS_ARMS, reps, baseSeed);
  const runs = await runPoints(points, async ({ config: arm, rep, seed }) => {
    const security = ARM_SECURITY[arm];
    const outcome = await runPolicy({ kind: "dynamic", alpha }, {
      scale, seed, ...(options.workers !== undefined ? { workers: options.workers } : {}),
      // One network for every run (the structure), the replication's seed for traffic and prices.
      variant: { ...(security ? { security: securitySchema.parse(security) } : {}), generatedSeed: baseSeed, ...(options.nodes !== undefined ? { generatedNodes: options.nodes } : {}) },
    });
    const users = outcome.switchCounts.reduce((a, b) => a + b, 0);
    const switches = outcome.switchCounts.reduce((sum, users, n) => sum + n * users, 0);
    return {
      arm, rep, seed, seconds: outcome.seconds,
      avgBandwidthMbps: outcome.avgBandwidthMbps, unitPrice: outcome.unitPrice, revenue: outcome.revenue,
      switchesPerUser: users > 0 ? switches / users : 0, usersNeverSwitched: outcome.usersNeverSwitched, deliveredPct: outcome.deliveredPct,
    } satisfies FreshnessRunRow;
  }, { onProgress: options.onProgress });

  const summary: FreshnessSummaryRow[] = [];
  const of = (arm: FreshnessArm) => runs.filter((r) => r.arm === arm).sort((a, b) => a.rep - b.rep);
  const oracle = of("oracle");
  for (const arm of FRESHNESS_ARMS) {
    const rows = of(arm);
    for (const measure of FRESHNESS_MEASURES) {
      const values = rows.map((r) => r[measure]);
      const ci = intervalFor(values, "signed", { seed: baseSeed });
      const diffs = rows.map((r, i) => r[measure] - oracle[i]![measure]);
      const d = intervalFor(diffs, "signed", { seed: baseSeed });
      const base = intervalFor(oracle.map((r) => r[measure]), "signed", { seed: baseSeed }).estimate;
      summary.push({
        arm, measure, reps, mean: ci.estimate, ci95Low: ci.low, ci95High: ci.high,
        diff: d.estimate, diffCi95Low: arm === "oracle" ? 0 : d.low, diffCi95High: arm === "oracle" ? 0 : d.high,
        diffPct: base !== 0 ? (100 * d.estimate) / base : 0, ciMethod: ci.method,
      });
    }
  }
  const nodes = options.nodes ?? 550;
  const scenarioHash = createHash("sha256").update(JSON.stringify({ rounds, alpha, scale, nodes, arms: ARM_SECURITY })).digest("hex").slice(0, 16);
  return { scenario: "freshness", scenarioHash, baseSeed, reps, rounds, alpha, nodes, scale: scale.name, runs, summary };
}
