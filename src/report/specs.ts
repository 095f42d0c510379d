/**
 * Chart builders: pure functions from tidy rows (one object per observation) to Vega-Lite specs.
 * They do no I/O and load no renderer, so they can be tested field by field and reused in
 * notebooks; `charts.ts` turns a spec into SVG or PNG.
 *
 * Every builder copies the rows it is given (Vega tags the data objects it ingests, and the
 * caller's rows should stay untouched), escapes field names so that a key such as
 * `revenue.total` is read as one column rather than a nested path, and checks that the fields it
 * plots occur in the rows.
 */
import type { TopLevelSpec } from "vega-lite";
import { TollwayError } from "../errors.js";
import { ecdf } from "../metrics/stats.js";

/** One observation: column name → value. */
export type Row = Readonly<Record<string, unknown>>;

/** Options every chart shares. */
export interface ChartFrame {
  /** Title printed above the chart. */
  title: string;
  /** Width of the plotting area in pixels (default 480). */
  width?: number;
  /** Height of the plotting area in pixels (default 300). */
  height?: number;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions extends ChartFrame {
  /** The observations; one line point per row. */
  rows: readonly Row[];
  /** Column plotted across, e.g. `round`. */
  x: string;
  /** Column plotted up, e.g. `price`. */
  y: string;
  /** Column whose values split the rows into separate coloured lines, e.g. `isp`. */
  color?: string;
  /** Title of the horizontal axis. */
  xTitle: string;
  /** Title of the vertical axis. */
  yTitle: string;
  /** Title of the colour legend (default: the `color` column's name). */
  colorTitle?: string;
  /** How to read `x`: numbers (default), dates, or ordered categories. */
  xType?: "quantitative" | "temporal" | "ordinal";
  /** Whether the vertical axis must include zero (default true). */
  yZero?: boolean;
  /** Draw a dot at each observation as well as the line (default false). */
  points?: boolean;
}

/**
 * A line chart of `y` against `x`, one line per value of `color` when given; the legend lists
 * the values in numeric order when they are numbers, else in the order they first appear.
 *
 * @example
 * lineChart({
 *   rows: [{ round: 0, price: 5, isp: "A" }, { round: 1, price: 6, isp: "A" }],
 *   x: "round", y: "price", color: "isp",
 *   title: "Link price by round", xTitle: "Round", yTitle: "Price (pUSD per packet)",
 * });
 */
export function lineChart(options: LineChartOptions): TopLevelSpec {
  const where = "lineChart";
  const { rows, x, y, color } = options;
  requireField(rows, x, `${where}.x`);
  requireField(rows, y, `${where}.y`);
  if (color !== undefined) requireField(rows, color, `${where}.color`);
  return {
    ...frame(options),
    data: { values: copyRows(rows) },
    mark: { type: "line", point: options.points ?? false },
    encoding: {
      x: { field: escapeField(x), type: options.xType ?? "quantitative", title: options.xTitle },
      y: {
        field: escapeField(y),
        type: "quantitative",
        title: options.yTitle,
        scale: { zero: options.yZero ?? true },
      },
      ...(color !== undefined
        ? { color: { field: escapeField(color), type: "nominal" as const, title: options.colorTitle ?? color, sort: seriesOrder(rows.map((r) => r[color])) } }
        : {}),
    },
  };
}

/**
 * Distinct values as legend labels, in numeric order when every value is a number (1, 2, 10 —
 * not the text order 1, 10, 2), else in the order they first appear.
 *
 * @example seriesOrder([10, 2, 1, 2]) // ["1", "2", "10"]
 * @example seriesOrder(["static", "alpha=2"]) // ["static", "alpha=2"]
 */
export function seriesOrder(values: readonly unknown[]): string[] {
  const distinct = [...new Set(values.map((v) => String(v)))];
  const numeric = values.every((v) => typeof v === "number" || (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))));
  return numeric ? distinct.sort((a, b) => Number(a) - Number(b)) : distinct;
}

/** Options of {@link cdfChart}. */
export interface CdfChartOptions extends ChartFrame {
  /** Samples by series name, e.g. `{ "Bill-Pay": [...], "Dynamic pricing": [...] }`. */
  values: Readonly<Record<string, readonly number[]>>;
  /** Title of the horizontal axis (what the values measure). */
  xTitle: string;
  /** Title of the vertical axis (default "Cumulative share"). */
  yTitle?: string;
  /** Title of the colour legend (default "Series"). */
  seriesTitle?: string;
}

/**
 * Empirical CDFs drawn as step lines, one colour per series, in the order the series are given.
 * Each step line starts at height 0 at the smallest value and climbs to 1 at the largest.
 * A series with no values is left out.
 *
 * @example
 * cdfChart({
 *   values: { honest: [1, 2, 2, 3], cheating: [2, 4, 5] },
 *   title: "Utility across seeds", xTitle: "Utility (pUSD)",
 * });
 */
export function cdfChart(options: CdfChartOptions): TopLevelSpec {
  const names = Object.keys(options.values);
  const rows: { series: string; value: number; share: number; step: number }[] = [];
  for (const name of names) {
    const points = ecdf(options.values[name]!);
    if (points.length === 0) continue;
    // A leading point at height 0 draws the first jump; `step` keeps the order Vega must join.
    rows.push({ series: name, value: points[0]!.x, share: 0, step: 0 });
    points.forEach((point, i) => rows.push({ series: name, value: point.x, share: point.p, step: i + 1 }));
  }
  return {
    ...frame(options),
    data: { values: rows },
    mark: { type: "line", interpolate: "step-after" },
    encoding: {
      x: { field: "value", type: "quantitative", title: options.xTitle, scale: { zero: false } },
      y: {
        field: "share",
        type: "quantitative",
        title: options.yTitle ?? "Cumulative share",
        scale: { domain: [0, 1] },
      },
      color: {
        field: "series",
        type: "nominal",
        title: options.seriesTitle ?? "Series",
        scale: { domain: names.filter((name) => options.values[name]!.length > 0) },
      },
      order: { field: "step", type: "quantitative" },
    },
  };
}

/** Options of {@link histogramChart}. */
export interface HistogramChartOptions extends ChartFrame {
  /** The observations. */
  rows: readonly Row[];
  /** Column holding the integer category, e.g. `hops`. */
  x: string;
  /**
   * Column holding how many observations each row stands for; rows with the same category are
   * added up. Without it, each row counts once.
   */
  count?: string;
  /** Title of the horizontal axis (default: the `x` column's name). */
  xTitle?: string;
  /** Title of the vertical axis (default: the `count` column's name, or "Count"). */
  yTitle?: string;
  /**
   * Show every integer between the smallest and largest category, with a zero bar where nothing
   * fell (default true), so gaps are visible. At most 10,000 categories.
   */
  fillGaps?: boolean;
  /**
   * Scale of the counts (default "linear"). "symlog" (log(1 + count)) keeps a bar of 1 visible
   * beside a bar of 100,000 and draws 0 as no bar, for counts spread over orders of magnitude.
   */
  yScale?: "linear" | "symlog";
  /** Write each bar's count above it (default false), so small bars can be read exactly. */
  labels?: boolean;
}

/** The most categories {@link histogramChart} fills in between the smallest and largest. */
const MAX_FILLED_CATEGORIES = 10_000;

/**
 * A bar chart of counts over integer categories, e.g. how many packets took paths of 1, 2, 3 …
 * hops. The counting happens here, so the spec's data holds one row `{ category, count }` per
 * bar, in ascending order of category.
 *
 * @example
 * histogramChart({ rows: [{ hops: 2 }, { hops: 2 }, { hops: 4 }], x: "hops", title: "Path length" });
 * // bars: 2 → 2, 3 → 0, 4 → 1
 */
export function histogramChart(options: HistogramChartOptions): TopLevelSpec {
  const where = "histogramChart";
  const { rows, x, count } = options;
  requireField(rows, x, `${where}.x`);
  if (count !== undefined) requireField(rows, count, `${where}.count`);
  const totals = new Map<number, number>();
  rows.forEach((row, i) => {
    const category = row[x];
    if (typeof category !== "number" || !Number.isInteger(category)) {
      throw new TollwayError(`must be an integer (got ${describe(category)})`, { field: `${where}.rows[${i}].${x}` });
    }
    let weight = 1;
    if (count !== undefined) {
      const raw = row[count];
      const value = typeof raw === "bigint" ? Number(raw) : raw;
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new TollwayError(`must be a finite number (got ${describe(raw)})`, {
          field: `${where}.rows[${i}].${count}`,
        });
      }
      weight = value;
    }
    totals.set(category, (totals.get(category) ?? 0) + weight);
  });
  const categories = [...totals.keys()].sort((a, b) => a - b);
  if ((options.fillGaps ?? true) && categories.length > 0) {
    const low = categories[0]!;
    const high = categories[categories.length - 1]!;
    if (high - low + 1 > MAX_FILLED_CATEGORIES) {
      throw new TollwayError(
        `categories span ${low} to ${high}, more than ${MAX_FILLED_CATEGORIES} bars; pass fillGaps: false`,
        { field: `${where}.x` },
      );
    }
    categories.length = 0;
    for (let c = low; c <= high; c++) categories.push(c);
  }
  const bars = categories.map((category) => ({ category, count: totals.get(category) ?? 0 }));
  // Whole counts get whole-number ticks; weighted counts may be fractional.
  const wholeCounts = bars.every((bar) => Number.isInteger(bar.count));
  const symlog = options.yScale === "symlog";
  const encoding = {
    x: { field: "category", type: "ordinal" as const, sort: "ascending" as const, title: options.xTitle ?? x, axis: { labelAngle: 0 } },
    y: {
      field: "count",
      type: "quantitative" as const,
      title: options.yTitle ?? count ?? "Count",
      ...(symlog ? { scale: { type: "symlog" as const } } : {}),
      ...(symlog ? { axis: { values: powersOfTen(Math.max(0, ...bars.map((b) => b.count))), labelExpr: `format(datum.value, "${wholeCounts ? "," : "~g"}")` } }
        : wholeCounts ? { axis: { tickMinStep: 1, format: "d" } } : {}),
    },
  };
  if (options.labels !== true) return { ...frame(options), data: { values: bars }, mark: { type: "bar" }, encoding };
  return {
    ...frame(options),
    data: { values: bars },
    encoding,
    layer: [
      { mark: { type: "bar" } },
      {
        mark: { type: "text", baseline: "bottom", dy: -2, fontSize: 10 },
        encoding: { text: { field: "count", type: "quantitative", format: wholeCounts ? "," : ",.2f" } },
      },
    ],
  };
}

/** Ticks of a symlog count axis: 0, 1, 10, 100, … up to the first power of ten at or above `max`. */
function powersOfTen(max: number): number[] {
  const ticks = [0, 1];
  while (ticks[ticks.length - 1]! < max) ticks.push(ticks[ticks.length - 1]! * 10);
  return ticks;
}

/** Options of {@link scatterChart}. */
export interface ScatterChartOptions extends ChartFrame {
  /** The observations; one dot per row. */
  rows: readonly Row[];
  /** Column plotted across. */
  x: string;
  /** Column plotted up. */
  y: string;
  /** Column whose value is written beside each dot, e.g. a strategy name. */
  label?: string;
  /** Column whose values colour the dots. */
  color?: string;
  /** Title of the horizontal axis (default: the `x` column's name). */
  xTitle?: string;
  /** Title of the vertical axis (default: the `y` column's name). */
  yTitle?: string;
  /** Title of the colour legend (default: the `color` column's name). */
  colorTitle?: string;
  /** Whether both axes must include zero (default false: fit the data). */
  zero?: boolean;
}

/**
 * A scatter plot of `y` against `x`, optionally coloured by a column and with a text label beside
 * each dot. With a label the spec is a two-layer chart (dots, then labels); without, a single mark.
 *
 * @example
 * scatterChart({
 *   rows: [{ strategy: "greedy", revenue: 10, utility: 3 }],
 *   x: "revenue", y: "utility", label: "strategy", title: "Revenue against user utility",
 * });
 */
export function scatterChart(options: ScatterChartOptions): TopLevelSpec {
  const where = "scatterChart";
  const { rows, x, y, label, color } = options;
  requireField(rows, x, `${where}.x`);
  requireField(rows, y, `${where}.y`);
  if (label !== undefined) requireField(rows, label, `${where}.label`);
  if (color !== undefined) requireField(rows, color, `${where}.color`);
  // Padding (pixels) keeps dots and their labels off the plot's edges.
  const scale = { zero: options.zero ?? false, padding: 16 };
  const position = {
    x: { field: escapeField(x), type: "quantitative" as const, title: options.xTitle ?? x, scale },
    y: { field: escapeField(y), type: "quantitative" as const, title: options.yTitle ?? y, scale },
  };
  const colorChannel =
    color !== undefined
      ? { color: { field: escapeField(color), type: "nominal" as const, title: options.colorTitle ?? color } }
      : {};
  const dots = { type: "point" as const, filled: true };
  if (label === undefined) {
    return { ...frame(options), data: { values: copyRows(rows) }, mark: dots, encoding: { ...position, ...colorChannel } };
  }
  return {
    ...frame(options),
    data: { values: copyRows(rows) },
    encoding: position,
    layer: [
      { mark: dots, encoding: colorChannel },
      {
        mark: { type: "text", align: "left", baseline: "bottom", dx: 4, dy: -2 },
        encoding: { text: { field: escapeField(label), type: "nominal" } },
      },
    ],
  };
}

/**
 * Escapes a column name for use as a Vega-Lite field, where `.` and `[ ]` would otherwise be
 * read as a path into nested objects.
 *
 * @example
 * escapeField("revenue.total"); // "revenue\\.total"
 */
export function escapeField(name: string): string {
  return name.replace(/[.[\]\\]/g, "\\$&");
}

function frame(options: ChartFrame) {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: options.title,
    width: options.width ?? 480,
    height: options.height ?? 300,
  };
}

function copyRows(rows: readonly Row[]): Record<string, unknown>[] {
  return rows.map((row) => ({ ...row }));
}

/** Throws when rows exist but none has the column `key` (a typo in a column name). */
export function requireField(rows: readonly Row[], key: string, field: string): void {
  if (rows.length > 0 && !rows.some((row) => Object.hasOwn(row, key))) {
    throw new TollwayError(`no row has a column named "${key}"`, { field });
  }
}

function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
