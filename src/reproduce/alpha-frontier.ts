/**
 * Beyond the paper: sweep α finely and find where dynamic pricing is mutually beneficial, i.e.
 * where ISPs earn more than under static pricing AND users pay a lower price per bandwidth
 * unit, on the same topology, traffic and seed as Table I.
 */
import { TollwayError } from "../errors.js";
import { PAPER_PRICING } from "../mechanisms/pricing/price.js";
import { writeOutputs, type OutputRun } from "../report/outputs.js";
import { scatterChart } from "../report/specs.js";
import { runStudy, type StudyRunOptions } from "../analysis/study-runs.js";
import { checkScenario } from "../scenario/build.js";
import { reproductionProvenance } from "./figures.js";
import { policyLoaded, policyPlan } from "./policy-plan.js";
import type { Policy, PolicyOutcome, ReproductionOptions } from "./table1.js";

/** One α of the sweep, compared with static pricing. */
export interface FrontierPoint {
  alpha: number;
  revenue: number;
  unitPrice: number;
  avgBandwidthMbps: number;
  /** Revenue and unit price relative to static, percent. */
  revenueVsStaticPct: number;
  priceVsStaticPct: number;
  /** More revenue and a lower unit price than static. */
  mutuallyBeneficial: boolean;
}

/** The sweep's outcome. */
export interface FrontierResult {
  static: PolicyOutcome;
  points: FrontierPoint[];
  /** Runs of consecutive swept α values that are mutually beneficial, as [first, last]. */
  beneficial: [number, number][];
  /** The dynamic runs behind `points`, in the same order. */
  outcomes: PolicyOutcome[];
}

/**
 * The α values from `from` to `to` in steps of `step` (both ends included when on the grid).
 *
 * @throws TollwayError (`--from`, `--to`, `--step`) on an empty or endless grid, or α outside
 *   [0, 10] (10 PU is the lowest static link price, and B = P_static − α must stay ≥ 0).
 * @example alphaGrid(0, 1, 0.5) // [0, 0.5, 1]
 */
export function alphaGrid(from: number, to: number, step: number): number[] {
  if (!(step > 0 && Number.isFinite(step))) throw new TollwayError(`must be a positive number (got ${step})`, { field: "--step" });
  if (!(from >= 0)) throw new TollwayError(`must be ≥ 0 (got ${from})`, { field: "--from" });
  if (!(to >= from)) throw new TollwayError(`must be ≥ --from (${from}) (got ${to})`, { field: "--to" });
  const [lowest] = PAPER_PRICING.staticRange;
  if (to > lowest) throw new TollwayError(`must be ≤ ${lowest}, the lowest static link price, so that B = P_static − alpha ≥ 0 (got ${to})`, { field: "--to" });
  const count = Math.floor((to - from) / step + 1e-9);
  if (count > 1000) throw new TollwayError(`gives ${count + 1} values of alpha; use a larger step`, { field: "--step" });
  return Array.from({ length: count + 1 }, (_, i) => Number((from + i * step).toFixed(10)));
}

/**
 * Options of {@link alphaFrontier}: a reproduction's, and where its runs go. `store`, `jobs`,
 * `signal` and `onProgress` (counting policies) are those of every study (study-runs.ts): the
 * policies are the points of one sweep. With `jobs` > 1 each policy runs in one worker thread
 * (`workers` defaults to 1); with 1 they run one after the other, each sharded across `workers`.
 */
export type FrontierOptions = Omit<ReproductionOptions, "onProgress"> & StudyRunOptions;

/** Runs static pricing and dynamic pricing at each α of `alphas`, and compares them. */
export async function alphaFrontier(alphas: readonly number[], options: FrontierOptions): Promise<FrontierResult> {
  const policies: Policy[] = [{ kind: "static" }, ...alphas.map((alpha): Policy => ({ kind: "dynamic", alpha }))];
  const { store, jobs = 1, signal, onProgress, beforeRun, backend, ...run } = options;
  const plan = await policyPlan("alpha-frontier", policies, { ...run, ...(jobs > 1 && run.workers === undefined ? { workers: 1 } : {}) });
  // Bad input (an unreadable topology) fails here, before the first policy has run for minutes; the policies share the topology.
  await checkScenario(policyLoaded(policies[0]!, run));
  await beforeRun?.();
  const runs = await runStudy(plan, { store, jobs, signal, onProgress, backend });
  const failed = runs.find((r) => r.status !== "ok");
  if (failed !== undefined) throw new TollwayError(`policy ${String(failed.point.values.policy)} failed: ${failed.error ?? "no error recorded"}`);
  const [base, ...dynamic] = runs.map((r) => r.policy!);
  return frontierOf(base!, dynamic);
}

/** Each dynamic outcome compared with static pricing `stat`, and the runs of α where both sides win. Pure. */
export function frontierOf(stat: PolicyOutcome, dynamic: readonly PolicyOutcome[]): FrontierResult {
  const points = dynamic.map((o): FrontierPoint => ({
    alpha: o.alpha!, revenue: o.revenue, unitPrice: o.unitPrice, avgBandwidthMbps: o.avgBandwidthMbps,
    revenueVsStaticPct: (100 * (o.revenue - stat.revenue)) / stat.revenue,
    priceVsStaticPct: (100 * (o.unitPrice - stat.unitPrice)) / stat.unitPrice,
    mutuallyBeneficial: o.revenue > stat.revenue && o.unitPrice < stat.unitPrice,
  }));
  const beneficial: [number, number][] = [];
  points.forEach((p, i) => {
    if (!p.mutuallyBeneficial) return;
    if (i > 0 && points[i - 1]!.mutuallyBeneficial) beneficial[beneficial.length - 1]![1] = p.alpha;
    else beneficial.push([p.alpha, p.alpha]);
  });
  return { static: stat, points, beneficial, outcomes: [...dynamic] };
}

/** The names {@link writeFrontierFigures} writes, for `prepareOutputDir`. */
export const FRONTIER_OUTPUT_NAMES = ["alpha-frontier.csv", "alpha-frontier.svg"] as const;

/**
 * Writes alpha-frontier.csv and alpha-frontier.svg (revenue against unit price, one labelled
 * dot per α and one for static pricing) under `target` (a folder opened with `prepareOutputDir`,
 * or a folder name), with the manifest last.
 *
 * @returns the paths written.
 */
export async function writeFrontierFigures(target: OutputRun | string, result: FrontierResult): Promise<string[]> {
  const rows = [
    { policy: "static", alpha: "", revenueMillions: result.static.revenue / 1e6, unitPrice: result.static.unitPrice, region: "static" },
    ...result.points.map((p) => ({
      policy: `alpha=${p.alpha}`, alpha: p.alpha, revenueMillions: p.revenue / 1e6, unitPrice: p.unitPrice,
      region: p.mutuallyBeneficial ? "better on both" : "not better on both",
    })),
  ];
  return writeOutputs(target, {
    ...reproductionProvenance("alpha-frontier", [result.static, ...result.outcomes]),
    csv: { "alpha-frontier": rows },
    charts: {
      "alpha-frontier": scatterChart({
        rows: rows.map((r) => ({ ...r, label: r.policy === "static" ? "static" : String(r.alpha) })),
        x: "unitPrice", y: "revenueMillions", label: "label", color: "region", colorTitle: "",
        title: "ISPs' revenue against users' unit price, by alpha", xTitle: "Price per bandwidth unit (PU per Mbit)", yTitle: "ISPs' revenue (million PU)",
      }),
    },
  });
}
