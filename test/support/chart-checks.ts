/**
 * What a rendered chart must show to be read: a title, axis titles in words (a unit on the
 * vertical axis), a titled legend when colour tells series apart, and marks that were drawn.
 * Read from the SVG that Vega writes: it labels every part with ARIA attributes.
 */
import { Resvg } from "@resvg/resvg-js";

/** The parts of a Vega SVG chart. */
export interface ChartAnatomy {
  title: string | null;
  xTitles: string[];
  yTitles: string[];
  /** Panel headers of a faceted chart (they name each panel's measure). */
  headers: string[];
  /** Titles of the legends. */
  legends: string[];
  /** How many marks of each kind were drawn: line, symbol, rect, rule, area. */
  marks: Record<string, number>;
  /** Distinct stroke colours of the line marks (one per series). */
  lineColours: number;
}

/** Takes a Vega SVG chart apart by its ARIA labels. */
export function chartAnatomy(svg: string): ChartAnatomy {
  const all = (re: RegExp) => [...svg.matchAll(re)].map((m) => unescape(m[1]!));
  const marks: Record<string, number> = {};
  for (const m of svg.matchAll(/aria-roledescription="(\w+) mark"/g)) marks[m[1]!] = (marks[m[1]!] ?? 0) + 1;
  const lineColours = new Set(
    [...svg.matchAll(/<path[^>]*aria-roledescription="line mark"[^>]*stroke="(#[0-9a-f]+)"/g)].map((m) => m[1]!),
  );
  return {
    title: all(/aria-label="Title text '([^']*)'"/g)[0] ?? null,
    xTitles: all(/aria-label="X-axis titled '([^']*)'/g),
    yTitles: all(/aria-label="Y-axis titled '([^']*)'/g),
    headers: all(/class="mark-text role-column-header-text"[^>]*>[\s\S]*?<text[^>]*>([^<]*)<\/text>/g),
    legends: all(/aria-label="(?:Symbol|Gradient) legend titled '([^']*)'/g),
    marks,
    lineColours: lineColours.size,
  };
}

/** The reasons a chart would not read well; empty when it does. */
export function chartProblems(svg: string): string[] {
  const a = chartAnatomy(svg);
  const problems: string[] = [];
  if (a.title === null || a.title.trim() === "") problems.push("no title");
  if (a.xTitles.length === 0) problems.push("no titled horizontal axis");
  if (a.yTitles.length === 0 && a.headers.length === 0) problems.push("no titled vertical axis (nor panel headers)");
  for (const t of [...a.xTitles, ...a.yTitles]) if (looksLikeAField(t)) problems.push(`axis title "${t}" is a field name, not words`);
  for (const t of a.yTitles.length > 0 ? a.yTitles : a.headers) {
    if (!namesAUnit(t)) problems.push(`vertical axis "${t}" names no unit`);
  }
  if (a.lineColours > 1 && a.legends.length === 0) problems.push(`${a.lineColours} coloured lines but no legend`);
  for (const t of a.legends) if (t.trim() === "") problems.push("a legend without a title");
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
  return /\(.+\)|\bper\b|\bshare\b|\bcumulative\b|\busers\b|\bcount\b|\bswitches\b/i.test(title);
}

function unescape(text: string): string {
  return text.replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'");
}
