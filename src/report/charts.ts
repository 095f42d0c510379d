/**
 * Charts: Vega-Lite specs rendered to SVG in Node (Vega's headless "none" renderer, no browser
 * or canvas), and SVG rasterised to PNG with resvg. The spec builders live in `specs.ts` and are
 * re-exported here, so `charts.js` is the one import a notebook or command needs.
 */
import { extname } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import type { TopLevelSpec } from "vega-lite";
import { TollwayError } from "../errors.js";
import { writeFileAtomic } from "./atomic.js";

export * from "./specs.js";

const SVG_NAMESPACE = "http://www.w3.org/2000/svg";

/**
 * Renders a Vega-Lite spec to a standalone SVG document: compiles it to Vega, runs a headless
 * Vega view, serialises the scene, and releases the view. The `<svg>` element always carries
 * the SVG namespace, so standalone viewers and rasterisers accept it.
 *
 * Text widths are estimated (there is no canvas to measure with), which is close enough for
 * axis labels and titles.
 *
 * @example
 * const svg = await renderSvg(lineChart({ rows, x: "round", y: "price", title: "Price", xTitle: "Round", yTitle: "pUSD" }));
 * svg.startsWith("<svg"); // true
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  let vegaSpec;
  try {
    vegaSpec = (await loadVega()).compile(spec).spec;
  } catch (error) {
    throw new TollwayError(`Vega-Lite could not compile the spec: ${messageOf(error)}`, { field: "renderSvg.spec" }, {
      cause: error,
    });
  }
  const { View, parse } = await loadVega();
  const view = new View(parse(vegaSpec), { renderer: "none" });
  try {
    return withNamespace(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** Options of {@link renderPng}. */
export interface PngOptions {
  /** Pixels per SVG unit (default 1; 2 gives sharper text on high-density screens and in print). */
  scale?: number;
}

/**
 * Rasterises an SVG document to PNG bytes with resvg. Generic `sans-serif` text is drawn in
 * DejaVu Sans (resvg would otherwise pick a serif face), using the fonts installed on the system.
 *
 * @example
 * const png = renderPng(await renderSvg(spec)); // starts with the bytes 89 50 4E 47 0D 0A 1A 0A
 */
export function renderPng(svg: string, options: PngOptions = {}): Uint8Array {
  const scale = options.scale ?? 1;
  if (!(scale > 0 && Number.isFinite(scale))) {
    throw new TollwayError(`must be a positive finite number (got ${String(scale)})`, { field: "renderPng.scale" });
  }
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
  });
  return new Uint8Array(resvg.render().asPng());
}

/**
 * Renders a spec and writes it to `path` atomically, creating missing folders. A path ending in `.svg`
 * gets the SVG; a path ending in `.png` gets the PNG and, beside it with the same name, the SVG
 * (which stays editable and diffable).
 *
 * @returns the paths written, SVG first.
 * @example
 * await writeChart("out/price.png", spec); // ["out/price.svg", "out/price.png"]
 */
export async function writeChart(path: string, spec: TopLevelSpec, options: PngOptions = {}): Promise<string[]> {
  const extension = extname(path).toLowerCase();
  if (extension !== ".svg" && extension !== ".png") {
    throw new TollwayError(`a chart is written as .svg or .png (got "${extension || "no extension"}")`, { file: path });
  }
  const svg = await renderSvg(spec);
  const svgPath = extension === ".svg" ? path : path.slice(0, -extension.length) + ".svg";
  await writeFileAtomic(svgPath, svg);
  if (extension === ".svg") return [svgPath];
  await writeFileAtomic(path, renderPng(svg, options));
  return [svgPath, path];
}

function withNamespace(svg: string): string {
  const open = /^\s*<svg\b[^>]*>/.exec(svg);
  if (open === null || /\sxmlns=/.test(open[0])) return svg;
  return svg.replace(/<svg\b/, `<svg xmlns="${SVG_NAMESPACE}"`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * vega and vega-lite are loaded on first use: their module graph has top-level await, which would
 * stop `require("tollway")` (CommonJS hosts such as the tslab notebook kernel) from loading at all.
 */
function loadVega(): Promise<Vega> {
  return (vegaLoading ??= Promise.all([import("vega"), import("vega-lite")]).then(([vega, vegaLite]) => ({ ...vega, ...vegaLite })));
}
type Vega = typeof import("vega") & typeof import("vega-lite");
/** The modules once loaded, or being loaded (null: not asked for yet, or the last load failed). */
let vegaLoading: Promise<Vega> | null = null;

/**
 * Starts loading vega and vega-lite now, for a command that will write charts after a long run
 * (`reproduce table1`): about 0.1 s of module loading then happens while the main thread waits
 * for its workers, not after them. A failed load is forgotten here and reported by the chart
 * that needs it.
 */
export function preloadVega(): void {
  loadVega().catch(() => {
    vegaLoading = null;
  });
}
