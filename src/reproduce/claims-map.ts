/**
 * Where the paper's conclusion holds (issue 13, item 4): over a grid of load × α, whether
 * dynamic pricing beats static pricing on ISPs' revenue, on users' unit price, on both or on
 * neither. The paper shows one point (load 1, α = 4: both); the map shows the region. Each load
 * is one `alphaFrontier` (static and every α on the same topology, traffic and seed).
 */
import type { TopLevelSpec } from "vega-lite";
import { writeOutputs, type OutputRun } from "../report/outputs.js";
import { escapeField } from "../report/specs.js";
import { alphaFrontier, type FrontierPoint } from "./alpha-frontier.js";
import { reproductionProvenance } from "./figures.js";
import type { PolicyOutcome } from "./outcome.js";
import type { ReproductionOptions } from "./table1.js";

/** Which of the paper's two wins a dynamic policy has over static pricing. */
export type Region = "both better" | "more revenue only" | "lower price only" | "neither";

/** The regions in legend order. */
export const REGIONS: readonly Region[] = ["both better", "more revenue only", "lower price only", "neither"];

/**
 * The region of a point: revenue above static's and unit price below it (the paper's α = 4),
 * or one of the two, or neither.
 *
 * @example regionOf({ revenueVsStaticPct: 8.7, priceVsStaticPct: -2.9 }) // "both better"
 */
export function regionOf(point: Pick<FrontierPoint, "revenueVsStaticPct" | "priceVsStaticPct">): Region {
  const revenue = point.revenueVsStaticPct > 0;
  const price = point.priceVsStaticPct < 0;
  return revenue && price ? "both better" : revenue ? "more revenue only" : price ? "lower price only" : "neither";
}

/** One cell of the map. */
export interface ClaimsMapCell {
  load: number;
  alpha: number;
  revenueVsStaticPct: number;
  priceVsStaticPct: number;
  avgBandwidthMbps: number;
  staticLinksUnder50Pct: number;
  linksUnder50Pct: number;
  region: Region;
}

/** The map, and the loads at which some α is better on both. */
export interface ClaimsMap {
  cells: ClaimsMapCell[];
  /** For each load, the α values in the "both better" region. */
  bothBetter: { load: number; alphas: number[] }[];
  /** The runs behind the cells (static first at each load), for provenance. */
  outcomes: PolicyOutcome[];
}

/** The cells of one load's frontier. Pure. */
export function cellsOf(load: number, stat: PolicyOutcome, points: readonly FrontierPoint[], dynamic: readonly PolicyOutcome[]): ClaimsMapCell[] {
  return points.map((p, i) => ({
    load, alpha: p.alpha, revenueVsStaticPct: p.revenueVsStaticPct, priceVsStaticPct: p.priceVsStaticPct,
    avgBandwidthMbps: p.avgBandwidthMbps, staticLinksUnder50Pct: stat.linksUnder50Pct,
    linksUnder50Pct: dynamic[i]?.linksUnder50Pct ?? Number.NaN, region: regionOf(p),
  }));
}

/** Runs static and every α at every load, one load after the other. */
export async function claimsMap(
  loads: readonly number[], alphas: readonly number[],
  options: Omit<ReproductionOptions, "onProgress"> & { onProgress?: (done: number, total: number) => void },
): Promise<ClaimsMap> {
  const cells: ClaimsMapCell[] = [];
  const outcomes: PolicyOutcome[] = [];
  const { onProgress, ...run } = options;
  const total = loads.length * (alphas.length + 1);
  for (const [i, load] of loads.entries()) {
    const before = i * (alphas.length + 1);
    const frontier = await alphaFrontier(alphas, { ...run, load, ...(onProgress ? { onProgress: (done: number) => onProgress(before + done, total) } : {}) });
    cells.push(...cellsOf(load, frontier.static, frontier.points, frontier.outcomes));
    outcomes.push(frontier.static, ...frontier.outcomes);
  }
  const bothBetter = loads.map((load) => ({ load, alphas: cells.filter((c) => c.load === load && c.region === "both better").map((c) => c.alpha) }));
  return { cells, bothBetter, outcomes };
}

/**
 * The map as a Vega-Lite heat map: α across, load up, one rectangle per cell coloured by region,
 * labelled with the revenue and price changes against static.
 */
export function claimsMapChart(cells: readonly ClaimsMapCell[]): TopLevelSpec {
  const rows = cells.map((c) => ({
    ...c, load: Number(c.load.toPrecision(4)),
    label: `${c.revenueVsStaticPct >= 0 ? "+" : "−"}${Math.abs(c.revenueVsStaticPct).toFixed(0)}% / ${c.priceVsStaticPct >= 0 ? "+" : "−"}${Math.abs(c.priceVsStaticPct).toFixed(0)}%`,
  }));
  const position = {
    x: { field: "alpha", type: "ordinal" as const, title: "α (B = P_static − α)", axis: { labelAngle: 0 } },
    y: { field: "load", type: "ordinal" as const, title: "load (× the paper's 4.26 M flows/s)", sort: "descending" as const },
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: "Where dynamic pricing beats static", subtitle: "cell: revenue / unit price against static; the paper reports load 1, α = 4: +8.7% / −2.9%" },
    width: 110 * Math.max(1, new Set(rows.map((r) => r.alpha)).size),
    height: 40 * Math.max(1, new Set(rows.map((r) => r.load)).size),
    data: { values: rows },
    encoding: position,
    layer: [
      {
        mark: { type: "rect", stroke: "white" },
        encoding: {
          color: {
            field: escapeField("region"), type: "nominal", title: "dynamic vs static",
            scale: { domain: [...REGIONS], range: ["#1a9850", "#91bfdb", "#fee090", "#d73027"] },
          },
        },
      },
      { mark: { type: "text", fontSize: 9 }, encoding: { text: { field: "label", type: "nominal" } } },
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
