/**
 * What a rendered chart must show to be read: a title, axis titles in words (a unit on the
 * vertical axis), a titled legend when colour tells series apart, and marks that were drawn.
 * Read from the SVG that Vega writes: it labels every part with ARIA attributes.
 */
import { Resvg } from "@resvg/resvg-js";

/** One axis: its title and the kind of scale it shows (`linear`, `log`, `discrete`, …). */
export interface AxisAnatomy {
  title: string;
  scale: string;
}

/** The parts of a Vega SVG chart. */
export interface ChartAnatomy {
  title: string | null;
  xAxes: AxisAnatomy[];
  yAxes: AxisAnatomy[];
  /** Panel headers of a faceted chart (they name each panel's measure). */
  headers: string[];
  /** Titles of the titled legends. */
  legends: string[];
  /** Legends drawn, titled or not. */
  legendCount: number;
  /** How many marks of each kind were drawn (`line mark`, `bar`, `point`, `rule mark`, …). */
  marks: Record<string, number>;
  /** Distinct stroke colours of the line marks (one per series). */
  lineColours: number;
}

const NOT_MARKS = new Set(["axis", "legend", "title", "group mark container"]);

/** Takes a Vega SVG chart apart by its ARIA labels (values may hold a bare apostrophe: they end at `'"`). */
export function chartAnatomy(svg: string): ChartAnatomy {
  const all = (re: RegExp) => [...svg.matchAll(re)].map((m) => unescape(m[1]!));
  const axes = (letter: "X" | "Y") =>
    [...svg.matchAll(new RegExp(`aria-label="${letter}-axis titled '(.*?)' for an? (\\w+) scale`, "g"))].map((m) => ({ title: unescape(m[1]!), scale: m[2]! }));
  const marks: Record<string, number> = {};
  for (const m of svg.matchAll(/aria-roledescription="([^"]+)"/g)) {
    const kind = m[1]!;
    if (!NOT_MARKS.has(kind) && !kind.endsWith("container")) marks[kind] = (marks[kind] ?? 0) + 1;
  }
  const lineColours = new Set(
    [...svg.matchAll(/<path[^>]*aria-roledescription="line mark"[^>]*stroke="(#[0-9a-f]+)"/g)].map((m) => m[1]!),
  );
  const headers = all(/role-column-header[\s\S]*?aria-label="Title text '(.*?)'"/g);
  const titles = all(/aria-label="Title text '(.*?)'"/g).filter((t) => !headers.includes(t));
  return {
    title: titles.at(-1) ?? null,
    xAxes: axes("X"),
    yAxes: axes("Y"),
    headers,
    legends: all(/aria-label="(?:Symbol|Gradient) legend titled '(.*?)' for/g),
    legendCount: [...svg.matchAll(/aria-roledescription="legend"/g)].length,
    marks,
    lineColours: lineColours.size,
  };
}

/** The reasons a chart would not read well; empty when it does. */
export function chartProblems(svg: string): string[] {
  const a = chartAnatomy(svg);
  const problems: string[] = [];
  if (a.title === null || a.title.trim() === "") problems.push("no title");
  if (a.xAxes.length === 0) problems.push("no titled horizontal axis");
  if (a.yAxes.length === 0 && a.headers.length === 0) problems.push("no titled vertical axis (nor panel headers)");
  for (const axis of [...a.xAxes, ...a.yAxes]) if (looksLikeAField(axis.title)) problems.push(`axis title "${axis.title}" is a field name, not words`);
  // A quantity needs its unit; a category axis (a discrete scale) names categories.
  const quantities = a.yAxes.length > 0 ? a.yAxes.filter((y) => y.scale !== "discrete").map((y) => y.title) : a.headers;
  for (const t of quantities) if (!namesAUnit(t)) problems.push(`vertical axis "${t}" names no unit`);
  for (const x of a.xAxes) if (x.scale !== "discrete" && !namesAUnit(x.title) && !/^(round|hop|replication)\b/i.test(x.title)) {
    problems.push(`horizontal axis "${x.title}" names no unit`);
  }
  if (a.lineColours > 1 && a.legendCount === 0) problems.push(`${a.lineColours} coloured lines but no legend`);
  if (a.legendCount > a.legends.filter((t) => t.trim() !== "").length) problems.push("a legend without a title");
  const drawn = Object.values(a.marks).reduce((s, n) => s + n, 0);
  if (drawn === 0) problems.push("no marks drawn");
  return problems;
}

/** Rasterises the SVG (as `renderPng` does) and returns its size and the share of pixels that are not white. */
export function inkShare(svg: string): { width: number; height: number; ink: number } {
  const image = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" } }).render();
  const px = image.pixels;
  let inked = 0;
  for (let i = 0; i < px.length; i += 4) {
    if (px[i + 3]! > 0 && (px[i]! < 240 || px[i + 1]! < 240 || px[i + 2]! < 240)) inked++;
  }
  return { width: image.width, height: image.height, ink: inked / (image.width * image.height) };
}

function looksLikeAField(title: string): boolean {
  return /^[a-z]+[A-Z]\w*$/.test(title) || /^\w+\.\w+$/.test(title) || /^[a-z_]+$/.test(title);
}

/** A unit in parentheses, a rate ("per …"), or a dimensionless share or count said in words. */
function namesAUnit(title: string): boolean {
  return /\(.+\)|\bper\b|\bshare\b|\bcumulative\b|\busers\b|\bcount\b|\bswitches\b|\butilization\b/i.test(title);
}

function unescape(text: string): string {
  return text.replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'");
}
