/**
 * Where the paper's conclusion holds (issue 13, item 4): over a grid of load × α, whether
 * dynamic pricing beats static pricing on ISPs' revenue, on users' unit price, on both or on
 * neither, over several seeds. The paper shows one point (load 1, α = 4: both); the map shows
 * the region. Every (load, policy, seed) is a point of one sweep (`policyGridPlan`, `runStudy`):
 * static and every α on the same topology, traffic and seed at each load, stored, resumable and
 * run `jobs` at a time. With several seeds a cell is "both better" only when the margin
 * min(revenue gain, price cut) holds beyond its seed-to-seed spread (`verdictOf`), and "not
 * distinguishable" when it is within one standard deviation of zero.
 */
import type { TopLevelSpec } from "vega-lite";
import { runStudy, type StudyRunOptions } from "../analysis/study-runs.js";
import { TollwayError } from "../errors.js";
import { writeOutputs, type OutputRun } from "../report/outputs.js";
import { escapeField } from "../report/specs.js";
import { frontierOf, type FrontierPoint } from "./alpha-frontier.js";
import { reproductionProvenance } from "./figures.js";
import type { PolicyOutcome } from "./outcome.js";
import { policyGridPlan } from "./policy-plan.js";
import { summarize, verdictOf } from "./predictions.js";
import type { Policy, ReproductionOptions } from "./table1.js";

/** Which of the paper's two wins a dynamic policy has over static pricing; "not distinguishable": the "both" margin is within the seed-to-seed spread. */
export type Region = "both better" | "more revenue only" | "lower price only" | "neither" | "not distinguishable";

/** The regions in legend order. */
export const REGIONS: readonly Region[] = ["both better", "not distinguishable", "more revenue only", "lower price only", "neither"];

/**
 * The region of a point: revenue above static's and unit price below it (the paper's α = 4),
 * or one of the two, or neither.
 *
 * @example regionOf({ revenueVsStaticPct: 8.7, priceVsStaticPct: -2.9 }) // "both better"
 */
export function regionOf(point: Pick<FrontierPoint, "revenueVsStaticPct" | "priceVsStaticPct">): Exclude<Region, "not distinguishable"> {
  const revenue = point.revenueVsStaticPct > 0;
  const price = point.priceVsStaticPct < 0;
  return revenue && price ? "both better" : revenue ? "more revenue only" : price ? "lower price only" : "neither";
}

/**
 * The region of a cell over seeds, from each seed's revenue and price change against static
 * (percent). One seed: `regionOf`. Several: the "both" margin of seed s is
 * m_s = min(revenue change, −price change), positive exactly when that seed is better on both;
 * "both better" when `verdictOf(m)` holds (mean m > its sd), "not distinguishable" when |mean m|
 * ≤ sd, and otherwise (it fails) the region of the mean changes, or "not distinguishable" where
 * the means are better on both while the seeds are not (they disagree on which side loses).
 *
 * @example cellRegion([3, 5], [-2, -4]) // m = [2, 4]: mean 3 > sd 1.41, "both better"
 */
export function cellRegion(revenueVsStaticPct: readonly number[], priceVsStaticPct: readonly number[]): Region {
  const n = revenueVsStaticPct.length;
  if (n === 0 || priceVsStaticPct.length !== n) throw new Error("cellRegion needs one revenue and one price change per seed");
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const means = { revenueVsStaticPct: mean(revenueVsStaticPct), priceVsStaticPct: mean(priceVsStaticPct) };
  if (n === 1) return regionOf(means);
  const { verdict } = verdictOf(revenueVsStaticPct.map((r, i) => bothMargin(r, priceVsStaticPct[i]!)));
  if (verdict === "holds") return "both better";
  if (verdict === "not distinguishable") return verdict;
  const region = regionOf(means);
  return region === "both better" ? "not distinguishable" : region;
}

/** min(revenue change, −price change), percent: > 0 exactly when a policy is better than static on both. */
export function bothMargin(revenueVsStaticPct: number, priceVsStaticPct: number): number {
  return Math.min(revenueVsStaticPct, -priceVsStaticPct);
}

/** One cell of the map: means over the seeds, with 95% CI half-widths (null for one seed). */
export interface ClaimsMapCell {
  load: number;
  alpha: number;
  /** Seeds the cell was run on. */
  seeds: number;
  revenueVsStaticPct: number;
  revenueCi95: number | null;
  priceVsStaticPct: number;
  priceCi95: number | null;
  /** Mean over seeds of min(revenue change, −price change), percent; its sd and 95% CI. */
  bothMargin: number;
  bothMarginSd: number;
  bothMarginCi95: number | null;
  avgBandwidthMbps: number;
  staticLinksUnder50Pct: number;
  linksUnder50Pct: number;
  region: Region;
}

/** The map, and the loads at which some α is better on both. */
export interface ClaimsMap {
  seeds: number[];
  cells: ClaimsMapCell[];
  /** For each load, the α values in the "both better" region. */
  bothBetter: { load: number; alphas: number[] }[];
  /** The runs behind the cells (static first at each load and seed), for provenance. */
  outcomes: PolicyOutcome[];
}

/**
 * The cells of one load from each seed's static outcome and frontier points (`perSeed[s]`, the
 * α in the same order on every seed). Pure.
 */
export function cellsOf(load: number, perSeed: readonly { static: PolicyOutcome; points: readonly FrontierPoint[]; outcomes: readonly PolicyOutcome[] }[]): ClaimsMapCell[] {
  const first = perSeed[0];
  if (first === undefined) return [];
  return first.points.map((p, j) => {
    const at = perSeed.map((seed) => ({ point: seed.points[j]!, dynamic: seed.outcomes[j], stat: seed.static }));
    const revenue = summarize(at.map((a) => a.point.revenueVsStaticPct));
    const price = summarize(at.map((a) => a.point.priceVsStaticPct));
    const both = summarize(at.map((a) => bothMargin(a.point.revenueVsStaticPct, a.point.priceVsStaticPct)));
    const mean = (f: (a: (typeof at)[number]) => number) => summarize(at.map(f)).mean;
    return {
      load, alpha: p.alpha, seeds: at.length,
      revenueVsStaticPct: revenue.mean, revenueCi95: revenue.ci95, priceVsStaticPct: price.mean, priceCi95: price.ci95,
      bothMargin: both.mean, bothMarginSd: both.sd, bothMarginCi95: both.ci95,
      avgBandwidthMbps: mean((a) => a.point.avgBandwidthMbps),
      staticLinksUnder50Pct: mean((a) => a.stat.linksUnder50Pct),
      linksUnder50Pct: mean((a) => a.dynamic?.linksUnder50Pct ?? Number.NaN),
      region: cellRegion(at.map((a) => a.point.revenueVsStaticPct), at.map((a) => a.point.priceVsStaticPct)),
    };
  });
}

/** Options of {@link claimsMap}: a reproduction's, the seeds, and where its runs go (a study's: store, jobs, signal, onProgress). */
export type ClaimsMapOptions = Omit<ReproductionOptions, "onProgress"> & StudyRunOptions & {
  /** Seeds, each a full map (default: `seed` alone). */
  seeds?: readonly number[] | undefined;
};

/**
 * Runs static and every α at every load on every seed, as one sweep (load slowest, then the
 * policy, then the seed), and maps them.
 */
export async function claimsMap(loads: readonly number[], alphas: readonly number[], options: ClaimsMapOptions): Promise<ClaimsMap> {
  const { store, jobs = 1, signal, onProgress, backend, beforeRun, seeds: seedList, ...run } = options;
  const policies: Policy[] = [{ kind: "static" }, ...alphas.map((alpha): Policy => ({ kind: "dynamic", alpha }))];
  const seeds = seedList !== undefined ? [...seedList] : [run.seed];
  const plan = await policyGridPlan("claims-map", {
    policies, axes: [{ name: "load", levels: loads.map((load) => ({ value: load, options: { load } })) }], ...(seedList !== undefined ? { seeds } : {}),
  }, { ...run, ...(jobs > 1 && run.workers === undefined ? { workers: 1 } : {}) });
  await beforeRun?.();
  const runs = await runStudy(plan, { store, jobs, signal, onProgress, backend });
  const failed = runs.find((r) => r.status !== "ok");
  if (failed !== undefined) throw new TollwayError(`claims-map point ${JSON.stringify(failed.point.values)} failed: ${failed.error ?? "no error recorded"}`);
  // Point-major runs in the grid's order: index ((load · policies) + policy) · seeds + seed.
  const outcome = (l: number, p: number, s: number): PolicyOutcome => runs[(l * policies.length + p) * seeds.length + s]!.policy!;
  const cells: ClaimsMapCell[] = [];
  const outcomes: PolicyOutcome[] = [];
  loads.forEach((load, l) => {
    const perSeed = seeds.map((_, s) => frontierOf(outcome(l, 0, s), alphas.map((_a, j) => outcome(l, j + 1, s))));
    cells.push(...cellsOf(load, perSeed));
    for (const f of perSeed) outcomes.push(f.static, ...f.outcomes);
  });
  const bothBetter = loads.map((load) => ({ load, alphas: cells.filter((c) => c.load === load && c.region === "both better").map((c) => c.alpha) }));
  return { seeds, cells, bothBetter, outcomes };
}

/**
 * A cell's label: its revenue and price changes against static, rounded ("+9% / −3%"); over
 * several seeds the means with their 95% CIs, one change a line ("rev +9.1 ± 1.2%").
 */
export function cellLabel(c: Pick<ClaimsMapCell, "revenueVsStaticPct" | "priceVsStaticPct" | "revenueCi95" | "priceCi95">): string {
  const signed = (x: number, digits: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(digits)}`;
  if (c.revenueCi95 === null || c.priceCi95 === null) return `${signed(c.revenueVsStaticPct, 0)}% / ${signed(c.priceVsStaticPct, 0)}%`;
  return `rev ${signed(c.revenueVsStaticPct, 1)} ± ${c.revenueCi95.toFixed(1)}%\nprice ${signed(c.priceVsStaticPct, 1)} ± ${c.priceCi95.toFixed(1)}%`;
}

/**
 * The map as a Vega-Lite heat map: α across, load up, one rectangle per cell coloured by region,
 * labelled with the revenue and price changes against static (over seeds: mean ± 95% CI).
 */
export function claimsMapChart(cells: readonly ClaimsMapCell[]): TopLevelSpec {
  const seeds = Math.max(1, ...cells.map((c) => c.seeds));
  const rows = cells.map((c) => ({
    ...c, load: Number(c.load.toPrecision(4)),
    label: cellLabel(c),
  }));
  const position = {
    x: { field: "alpha", type: "ordinal" as const, title: "α (B = P_static − α)", axis: { labelAngle: 0 } },
    y: { field: "load", type: "ordinal" as const, title: "load (× the paper's 4.26 M flows/s)", sort: "descending" as const },
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: {
      text: "Where dynamic pricing beats static",
      subtitle: [
        `cell: revenue / unit price against static${seeds > 1 ? `, mean ± 95% CI over ${seeds} seeds; "both better" only beyond the seed-to-seed spread` : ""}`,
        "the paper reports load 1, α = 4: +8.7% / −2.9%",
      ],
    },
    width: (seeds > 1 ? 120 : 110) * Math.max(1, new Set(rows.map((r) => r.alpha)).size),
    height: (seeds > 1 ? 46 : 40) * Math.max(1, new Set(rows.map((r) => r.load)).size),
    data: { values: rows },
    encoding: position,
    layer: [
      {
        mark: { type: "rect", stroke: "white" },
        encoding: {
          color: {
            field: escapeField("region"), type: "nominal", title: "dynamic vs static",
            scale: { domain: [...REGIONS], range: ["#1a9850", "#bdbdbd", "#91bfdb", "#fee090", "#d73027"] },
          },
        },
      },
      { mark: { type: "text", fontSize: 9, lineBreak: "\n" }, encoding: { text: { field: "label", type: "nominal" } } },
    ],
  };
}

/** The names {@link writeClaimsMap} writes. */
export const CLAIMS_MAP_OUTPUT_NAMES = ["claims-map.csv", "claims-map.svg"] as const;

/** Writes claims-map.csv and claims-map.svg under `target`, with the manifest last. */
export async function writeClaimsMap(target: OutputRun | string, map: ClaimsMap): Promise<string[]> {
  const { provenance } = reproductionProvenance("claims-map", map.outcomes);
  return writeOutputs(target, { provenance, csv: { "claims-map": map.cells }, charts: { "claims-map": claimsMapChart(map.cells) } });
}
