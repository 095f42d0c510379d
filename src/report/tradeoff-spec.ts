/**
 * A trade-off chart: what each option costs (x) against what it gets (y), each a mean with its
 * interval on both axes, options grouped in series (one colour each) and each labelled; e.g. a
 * payment rule's spend against its throughput. Pure function from tidy rows to a Vega-Lite spec,
 * like `specs.ts`; render it with `renderSvg` / `writeChart` from `charts.ts`.
 */
import type { TopLevelSpec } from "vega-lite";
import { escapeField, requireField, seriesOrder, type ChartFrame, type Row } from "./specs.js";

/** One axis: the mean's column and the columns of its interval's ends. */
export interface TradeoffAxis {
  mean: string;
  low: string;
  high: string;
  title: string;
}

/** Options of {@link tradeoffChart}. */
export interface TradeoffChartOptions extends ChartFrame {
  /** One row per option. */
  rows: readonly Row[];
  x: TradeoffAxis;
  y: TradeoffAxis;
  /** Column naming the option's group: one colour per group, legend in numeric order for numbers. */
  series: string;
  seriesTitle?: string;
  /** Column of the text printed beside each point. */
  label: string;
  /** Colours of the series, in series order (default: Vega's palette). */
  colors?: readonly string[];
}

/**
 * Points at (x mean, y mean) with error bars along both axes (the intervals), coloured by series,
 * each labelled to its right; the series order is numeric when the values are numbers.
 *
 * @example
 * tradeoffChart({ rows, series: "rule", label: "name", title: "Throughput against spend",
 *   x: { mean: "spent", low: "spentLow", high: "spentHigh", title: "Spend" },
 *   y: { mean: "mbps", low: "mbpsLow", high: "mbpsHigh", title: "Throughput (Mbps)" } });
 */
export function tradeoffChart(options: TradeoffChartOptions): TopLevelSpec {
  const { rows, x, y, series, label } = options;
  for (const [key, field] of [
    [x.mean, "x.mean"], [x.low, "x.low"], [x.high, "x.high"], [y.mean, "y.mean"], [y.low, "y.low"], [y.high, "y.high"],
    [series, "series"], [label, "label"],
  ] as const) requireField(rows, key, `tradeoffChart.${field}`);
  const order = seriesOrder(rows.map((r) => r[series]));
  const values = rows.map((r) => ({ ...r, [series]: String(r[series]) }));
  const scale = options.colors ? { domain: order, range: [...options.colors] } : { domain: order };
  const color = { field: escapeField(series), type: "nominal" as const, sort: order, scale, title: options.seriesTitle ?? series, legend: { labelLimit: 320 } };
  const xMean = { field: escapeField(x.mean), type: "quantitative" as const, title: x.title, scale: { zero: false } };
  const yMean = { field: escapeField(y.mean), type: "quantitative" as const, title: y.title, scale: { zero: false } };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: options.title,
    width: options.width ?? 520,
    height: options.height ?? 360,
    data: { values },
    layer: [
      { mark: { type: "rule", opacity: 0.6 }, encoding: { x: { field: escapeField(x.low), type: "quantitative" }, x2: { field: escapeField(x.high) }, y: yMean, color } },
      { mark: { type: "rule", opacity: 0.6 }, encoding: { y: { field: escapeField(y.low), type: "quantitative" }, y2: { field: escapeField(y.high) }, x: xMean, color } },
      { mark: { type: "point", filled: true, size: 60, opacity: 1 }, encoding: { x: xMean, y: yMean, color } },
      { mark: { type: "text", align: "left", dx: 6, dy: -6, fontSize: 10 }, encoding: { x: xMean, y: yMean, text: { field: escapeField(label) }, color } },
    ],
  };
}
