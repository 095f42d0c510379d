/**
 * The paper's reported points drawn on our charts (issue 13, item 3): Figure 5's 72% (static) and
 * 52% (dynamic) of links with peak utilization ≤ 50% become two marked points at u = 0.5 on our
 * CDF, so the reader sees at a glance how far our curves pass from them.
 */
import type { TopLevelSpec } from "vega-lite";
import { PAPER_TABLE1 } from "./claims.js";

/** One reported point: where on the chart, and its label. */
export interface PaperPoint {
  x: number;
  y: number;
  label: string;
}

/**
 * Figure 5's reported points: the share of links at or under 50% peak, static and dynamic.
 *
 * @example figure5PaperPoints() // [{ x: 0.5, y: 0.72, label: "paper, static: 72%" }, { x: 0.5, y: 0.52, label: "paper, dynamic: 52%" }]
 */
export function figure5PaperPoints(): PaperPoint[] {
  const stat = PAPER_TABLE1[0].linksUnder50Pct;
  const dyn = PAPER_TABLE1[1].linksUnder50Pct;
  return [
    { x: 0.5, y: stat / 100, label: `paper, static: ${stat}%` },
    { x: 0.5, y: dyn / 100, label: `paper, dynamic: ${dyn}%` },
  ];
}

/**
 * `spec` (a single-view chart with `data`, `mark` and `encoding` on x and y) with `points` layered
 * on top as black diamonds with labels; the title, size and everything else stay as they were.
 *
 * @throws Error when `spec` is not a single view (a layered or concatenated spec: a caller's bug).
 */
export function withPaperPoints(spec: TopLevelSpec, points: readonly PaperPoint[]): TopLevelSpec {
  const view = spec as TopLevelSpec & { data?: unknown; mark?: unknown; encoding?: { x?: { field?: string }; y?: { field?: string } } };
  if (view.mark === undefined || view.encoding?.x?.field === undefined || view.encoding.y?.field === undefined) {
    throw new Error("withPaperPoints needs a single-view spec with x and y fields");
  }
  const { data, mark, encoding, ...frame } = view;
  const x = encoding.x!.field!;
  const y = encoding.y!.field!;
  const rows = points.map((p) => ({ [x]: p.x, [y]: p.y, label: p.label }));
  const position = { x: { field: x, type: "quantitative" as const }, y: { field: y, type: "quantitative" as const } };
  return {
    ...frame,
    layer: [
      { data, mark, encoding },
      { data: { values: rows }, mark: { type: "point", shape: "diamond", filled: true, color: "black", size: 80 }, encoding: position },
      { data: { values: rows }, mark: { type: "text", align: "left", dx: 8, color: "black" }, encoding: { ...position, text: { field: "label", type: "nominal" } } },
    ],
  } as TopLevelSpec;
}
