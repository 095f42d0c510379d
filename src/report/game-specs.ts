/**
 * Chart builders for the game-theory commands: means with confidence intervals per category
 * (tournament rankings), paired runs per replication (deviation studies) and measures across a
 * parameter sweep (the oscillation study). Pure functions from tidy rows to Vega-Lite specs, like `specs.ts`; render them with
 * `renderSvg` / `writeChart` from `charts.ts`.
 */
import type { TopLevelSpec } from "vega-lite";
import { TollwayError } from "../errors.js";
import { escapeField, requireField, seriesOrder, type ChartFrame, type Row } from "./specs.js";

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
 * Horizontal error-bar chart: one line per category with a dot at the mean and an error bar
 * (with end ticks) from the low to the high end of its interval, categories in the order of the
 * rows (so a ranking reads top to bottom), and a dashed rule at 0.
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
        mark: { type: "errorbar", ticks: { size: 10 }, thickness: 2 },
        encoding: { y, x: { field: escapeField(low), type: "quantitative", title: valueTitle }, x2: { field: escapeField(high) } },
      },
      { mark: { type: "point", filled: true, size: 70 }, encoding: { y, x: { field: escapeField(mean), type: "quantitative", title: valueTitle } } },
    ],
  };
}

/** Options of {@link pairedBarChart}. */
export interface PairedBarChartOptions extends ChartFrame {
  /** One row per (unit, arm), e.g. per (replication, baseline or deviation). */
  rows: readonly Row[];
  /** Column of the unit the arms are paired within, e.g. `rep`. */
  unit: string;
  /** Column naming the arm, e.g. `arm`. */
  arm: string;
  /** Column of the value. */
  value: string;
  /** The arms in the order to draw them (default: order of first appearance). */
  arms?: readonly string[];
  unitTitle?: string;
  valueTitle?: string;
  armTitle?: string;
}

/**
 * Paired values as lollipops: for each unit (a replication) one stem from 0 with a dot at the
 * value per arm, side by side, so pairs are compared within their unit, a value of 0 still shows
 * (a dot on the axis), and no line joins independent units.
 *
 * @example
 * pairedBarChart({ rows: [{ rep: 0, arm: "baseline", revenue: 5 }, { rep: 0, arm: "deviation", revenue: 7 }],
 *   unit: "rep", arm: "arm", value: "revenue", title: "Revenue by replication" });
 */
export function pairedBarChart(options: PairedBarChartOptions): TopLevelSpec {
  const { rows, unit, arm, value } = options;
  for (const [key, field] of [[unit, "unit"], [arm, "arm"], [value, "value"]] as const) requireField(rows, key, `pairedBarChart.${field}`);
  const arms = [...(options.arms ?? new Set(rows.map((r) => String(r[arm]))))];
  return {
    $schema: SCHEMA,
    title: options.title,
    width: options.width ?? Math.max(240, 36 * new Set(rows.map((r) => String(r[unit]))).size),
    height: options.height ?? 280,
    data: { values: rows.map((r) => ({ ...r })) },
    encoding: {
      x: { field: escapeField(unit), type: "ordinal", title: options.unitTitle ?? unit, axis: { labelAngle: 0 } },
      xOffset: { field: escapeField(arm), type: "nominal", sort: arms },
      y: { field: escapeField(value), type: "quantitative", title: options.valueTitle ?? value },
      color: { field: escapeField(arm), type: "nominal", sort: arms, scale: { domain: arms }, title: options.armTitle ?? arm },
    },
    layer: [
      { mark: { type: "rule", strokeWidth: 3 }, encoding: { y2: { datum: 0 } } },
      { mark: { type: "point", filled: true, size: 80, opacity: 1 } },
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
  /**
   * The measures, one panel each, side by side with their own vertical scales; `low` and `high`
   * name the columns of an interval drawn as an error bar at each point.
   */
  measures: readonly { field: string; title: string; low?: string; high?: string }[];
}

/**
 * Measures across a parameter sweep: one panel per measure, x the swept parameter, one line per
 * value of a second parameter, legend in numeric order when the values are numbers (1, 2, 10,
 * not 1, 10, 2). Rows are folded to (measure, value) so every panel shares the encoding; several
 * rows at the same point are averaged. A measure with `low` and `high` gets error bars.
 *
 * @example
 * sweepChart({ rows: points, x: "s", color: "interval", title: "Smoothing against flapping",
 *   measures: [{ field: "switchesPerFlowMinute", title: "Path switches per flow-minute", low: "switchesCi95Low", high: "switchesCi95High" }] });
 */
export function sweepChart(options: SweepChartOptions): TopLevelSpec {
  const { rows, x, color, measures } = options;
  requireField(rows, x, "sweepChart.x");
  if (color !== undefined) requireField(rows, color, "sweepChart.color");
  if (measures.length === 0) throw new TollwayError("needs at least one measure", { field: "sweepChart.measures" });
  measures.forEach((m, i) => {
    requireField(rows, m.field, `sweepChart.measures.${i}`);
    if (m.low !== undefined) requireField(rows, m.low, `sweepChart.measures.${i}.low`);
    if (m.high !== undefined) requireField(rows, m.high, `sweepChart.measures.${i}.high`);
  });
  const titles = Object.fromEntries(measures.map((m) => [m.field, m.title]));
  const withBars = measures.some((m) => m.low !== undefined && m.high !== undefined);
  const values = rows.flatMap((r) => measures.map((m) => ({
    x: r[x], ...(color !== undefined ? { series: String(r[color]) } : {}), measure: titles[m.field], value: r[m.field],
    ...(withBars && m.low !== undefined && m.high !== undefined ? { low: r[m.low], high: r[m.high] } : {}),
  })));
  const series = color === undefined ? [] : seriesOrder(rows.map((r) => r[color]));
  const encoding = {
    x: { field: "x", type: "quantitative" as const, title: options.xTitle ?? x },
    ...(color !== undefined ? { color: { field: "series", type: "nominal" as const, title: options.colorTitle ?? color, sort: series, scale: { domain: series } } } : {}),
  };
  const line = { mark: { type: "line" as const, point: true }, encoding: { y: { field: "value", type: "quantitative" as const, aggregate: "mean" as const, title: null } } };
  const bars = {
    mark: { type: "errorbar" as const, ticks: true },
    encoding: { y: { field: "low", type: "quantitative" as const, title: null }, y2: { field: "high" } },
  };
  return {
    $schema: SCHEMA,
    title: options.title,
    data: { values },
    facet: { column: { field: "measure", type: "nominal", title: null, sort: measures.map((m) => m.title) } },
    spec: {
      width: options.width ?? 260,
      height: options.height ?? 220,
      encoding,
      layer: withBars ? [line, bars] : [line],
    },
    resolve: { scale: { y: "independent" } },
  };
}
