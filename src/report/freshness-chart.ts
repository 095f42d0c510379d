/**
 * The chart of the freshness study (`tollway freshness --out`, freshness.svg): for users with
 * beacons only and with beacons + in-path updates, each Table I measure's change from the oracle
 * arm (users who see the tariffs in force), in percent, with its paired 95% interval.
 */
import type { TopLevelSpec } from "vega-lite";
import type { FreshnessMeasure, FreshnessResult } from "../security/freshness-study.js";
import { intervalChart } from "./game-specs.js";

const MEASURE_LABEL: Partial<Record<FreshnessMeasure, string>> = {
  avgBandwidthMbps: "bandwidth",
  unitPrice: "unit price",
  revenue: "revenue",
  switchesPerUser: "path switches per user",
};

/** @example freshnessChart(await freshnessStudy({ reps: 2 })) */
export function freshnessChart(result: FreshnessResult): TopLevelSpec {
  const oracle = new Map(result.summary.filter((s) => s.arm === "oracle").map((s) => [s.measure, s.mean]));
  const rows = result.summary
    .filter((s) => s.arm !== "oracle" && MEASURE_LABEL[s.measure] !== undefined)
    .map((s) => {
      const base = oracle.get(s.measure) ?? 0;
      const pct = (x: number) => (base !== 0 ? (100 * x) / base : 0);
      return { cell: `${MEASURE_LABEL[s.measure]}: ${s.arm}`, mean: pct(s.diff), low: pct(s.diffCi95Low), high: pct(s.diffCi95High) };
    });
  const spec = intervalChart({
    rows, category: "cell", mean: "mean", low: "low", high: "high",
    title: `Stale prices: change from users who see the prices in force (α = ${result.alpha}, ${result.rounds} s, ${result.reps} seeds, paired 95% CI)`,
    categoryTitle: "", valueTitle: "Change from users who see the prices in force, %",
  });
  return { ...spec, config: { axisY: { labelLimit: 360 } } } as TopLevelSpec;
}
