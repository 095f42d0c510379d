/**
 * Chart builders for the game-theory commands: means with confidence intervals per category
 * (tournament rankings, deviation arms) and measures across a parameter sweep (the oscillation
 * study). Pure functions from tidy rows to Vega-Lite specs, like `specs.ts`; render them with
 * `renderSvg` / `writeChart` from `charts.ts`.
 */
import type { TopLevelSpec } from "vega-lite";
import { TollwayError } from "../errors.js";
import { escapeField, requireField, type ChartFrame, type Row } from "./specs.js";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Options of {@link intervalChart}. */
export interface IntervalChartOptions extends ChartFrame {
  /** One row per category. */
  rows: readonly Row[];
  /** Column naming the category, e.g. `strategy`. */
  category: string;
  /** Columns of the point estimate and of the interval's ends. */
  mean: string;
  low: string;
  high: string;
  /** Axis titles (defaults: the column names). */
  categoryTitle?: string;
  valueTitle?: string;
}

/**
 * Horizontal dot-and-whisker chart: one line per category with a dot at the mean and a rule
 * from the low to the high end of its interval, categories in the order of the rows (so a
 * ranking reads top to bottom), and a dashed rule at 0.
 *
 * @example
 * intervalChart({ rows: ranking, category: "strategy", mean: "mean", low: "ci95Low", high: "ci95High", title: "Revenue by strategy" });
 */
export function intervalChart(options: IntervalChartOptions): TopLevelSpec {
  const { rows, category, mean, low, high } = options;
  for (const [key, field] of [[category, "category"], [mean, "mean"], [low, "low"], [high, "high"]] as const) {
    requireField(rows, key, `intervalChart.${field}`);
  }
  const order = rows.map((r) => String(r[category]));
  const y = { field: escapeField(category), type: "nominal" as const, sort: order, title: options.categoryTitle ?? category };
  const valueTitle = options.valueTitle ?? mean;
  return {
    $schema: SCHEMA,
    title: options.title,
    width: options.width ?? 480,
    height: options.height ?? Math.max(60, 28 * rows.length),
    data: { values: rows.map((r) => ({ ...r })) },
    layer: [
      { mark: { type: "rule", strokeDash: [4, 4], color: "#888" }, encoding: { x: { datum: 0, type: "quantitative" } } },
      {
        mark: { type: "rule", strokeWidth: 2 },
        encoding: { y, x: { field: escapeField(low), type: "quantitative", title: valueTitle }, x2: { field: escapeField(high) } },
      },
      { mark: { type: "point", filled: true, size: 70 }, encoding: { y, x: { field: escapeField(mean), type: "quantitative", title: valueTitle } } },
    ],
  };
}

/** Options of {@link sweepChart}. */
export interface SweepChartOptions extends ChartFrame {
  /** One row per sweep point (or per run: the lines then join means over the rows of a point). */
  rows: readonly Row[];
  /** The swept parameter across, e.g. `s`. */
  x: string;
  xTitle?: string;
  /** A second swept parameter, one line per value (e.g. `interval`). */
  color?: string;
  colorTitle?: string;
  /** The measures, one panel each, side by side with their own vertical scales. */
  measures: readonly { field: string; title: string }[];
}

/**
 * Measures across a parameter sweep: one panel per measure, x the swept parameter, one line per
 * value of a second parameter. Rows are folded to (measure, value) so every panel shares the
 * encoding; several rows at the same point are averaged.
 *
 * @example
 * sweepChart({ rows: points, x: "s", color: "interval", title: "Smoothing against flapping",
 *   measures: [{ field: "switchesPerFlowMinute", title: "Path switches per flow-minute" }, { field: "priceVolatility", title: "Price volatility" }] });
 */
export function sweepChart(options: SweepChartOptions): TopLevelSpec {
  const { rows, x, color, measures } = options;
  requireField(rows, x, "sweepChart.x");
  if (color !== undefined) requireField(rows, color, "sweepChart.color");
  if (measures.length === 0) throw new TollwayError("needs at least one measure", { field: "sweepChart.measures" });
  measures.forEach((m, i) => requireField(rows, m.field, `sweepChart.measures.${i}`));
  const titles = Object.fromEntries(measures.map((m) => [m.field, m.title]));
  const values = rows.flatMap((r) => measures.map((m) => ({
    x: r[x], ...(color !== undefined ? { series: String(r[color]) } : {}), measure: titles[m.field], value: r[m.field],
  })));
  return {
    $schema: SCHEMA,
    title: options.title,
    data: { values },
    facet: { column: { field: "measure", type: "nominal", title: null, sort: measures.map((m) => m.title) } },
    spec: {
      width: options.width ?? 260,
      height: options.height ?? 220,
      mark: { type: "line", point: true },
      encoding: {
        x: { field: "x", type: "quantitative", title: options.xTitle ?? x },
        y: { field: "value", type: "quantitative", aggregate: "mean", title: null },
        ...(color !== undefined ? { color: { field: "series", type: "nominal", title: options.colorTitle ?? color, legend: { titleLimit: 320 } } } : {}),
      },
    },
    resolve: { scale: { y: "independent" } },
  };
}
