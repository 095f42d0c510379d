/**
 * Showing results inside a Jupyter notebook: charts (the same Vega-Lite specs the CLI writes,
 * rendered to SVG by `renderSvg`), tables as HTML, and a progress line that updates in place.
 * The one display helper for both kernels the notebooks run under: tslab (Node) and Deno. It
 * finds the kernel it runs in by what each puts in the global scope:
 *
 * - tslab runs every cell with `globalThis.__tslab__.require`, a `require` that hands out the
 *   kernel's own `tslab` module (the one whose `display` writes into the running cell);
 * - Deno's kernel has `Deno.jupyter.display(bundle, { raw, display_id, update })`.
 *
 * Outside a kernel (a script, the CLI, a test) there is nowhere to show a chart, so {@link show}
 * says so and points at `writeChart`.
 */
import type { TopLevelSpec } from "vega-lite";
import { TollwayError } from "../errors.js";
import { renderSvg } from "./charts.js";
import { formatCell, formatTable, type TableColumn } from "./table.js";

/** The notebook kernels Tollway knows how to display in. */
export type KernelName = "tslab" | "deno";

/** A MIME type and its content, as a Jupyter `display_data` message carries it. */
interface Shown {
  mime: "image/svg+xml" | "text/html" | "text/plain";
  data: string;
}

/** What a kernel offers: show something once, or in a slot that later calls overwrite. */
interface KernelDisplay {
  name: KernelName;
  /** Resolves once the kernel has sent the output (Deno sends it asynchronously). */
  show(item: Shown): Promise<void>;
  /** A display entry that each call overwrites (Jupyter's `display_id` + `update_display_data`). */
  slot(): (item: Shown) => void;
}

interface TslabDisplay {
  svg(s: string): void;
  html(s: string): void;
  text(s: string): void;
}
interface TslabModule {
  display: TslabDisplay;
  newDisplay(): TslabDisplay;
}
interface DenoJupyter {
  display(bundle: Record<string, string>, options?: { raw?: boolean; update?: boolean; display_id?: string }): unknown;
}

/**
 * The kernel this code runs in, or `null` outside a notebook.
 *
 * @example
 * notebookKernel(); // "tslab" in a tslab cell, "deno" in a Deno cell, null in `node script.js`
 */
export function notebookKernel(): KernelName | null {
  return kernelDisplay()?.name ?? null;
}

/**
 * Shows a chart in the notebook cell: a Vega-Lite spec (from `lineChart`, `cdfChart`,
 * `intervalChart`, …, the same builders the CLI writes its SVG files with) is rendered to SVG
 * first; a string is taken to be an SVG document already.
 *
 * @throws TollwayError outside a notebook kernel (use `writeChart(path, spec)` there).
 * @example
 * await show(lineChart({ rows: match.metrics.rounds, x: "round", y: "welfare", title: "Welfare", xTitle: "Round", yTitle: "nanodollars" }));
 */
export async function show(chart: TopLevelSpec | string): Promise<void> {
  const kernel = requireKernel("show");
  const svg = typeof chart === "string" ? chart : await renderSvg(chart);
  if (!/^\s*(<\?xml[^>]*>\s*)?<svg\b/.test(svg)) {
    throw new TollwayError("a string chart must be an SVG document (starting with <svg)", { field: "show.chart" });
  }
  await kernel.show({ mime: "image/svg+xml", data: svg });
}

/**
 * Shows rows as an HTML table in the notebook cell, with the same columns and number formats as
 * `formatTable` (numbers right-aligned). Outside a kernel it prints `formatTable`'s text instead.
 * Await it: Deno's kernel sends the table asynchronously, and a cell that ends first loses it.
 *
 * @param records the rows to show (tidy rows: one plain object per observation; interfaces such as `DeviationRow` too).
 * @param columns which columns, in order, with titles and formats (default: every key, as is).
 * @example
 * await showTable(match.metrics.rounds, [{ key: "round" }, { key: "welfare", format: { decimals: 1, thousands: true } }]);
 */
export async function showTable(records: readonly object[], columns?: readonly TableColumn[]): Promise<void> {
  const rows = records as readonly Readonly<Record<string, unknown>>[];
  const chosen = columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))].map((key) => ({ key }));
  const kernel = kernelDisplay();
  if (kernel === null) {
    process.stdout.write(formatTable(rows, chosen) + "\n");
    return;
  }
  await kernel.show({ mime: "text/html", data: htmlTable(rows, chosen) });
}

/**
 * A progress reporter for long runs, to pass as `onProgress` to `runScenario`, `deviationStudy`,
 * `tournament`, `runPoints`, …: one line in the cell (`label: 12/40 (30%)`, with `detail` after it
 * when given) that updates in place about every 5% and once at the end; a count that starts
 * again (the next policy of a reproduction) starts the line again. Outside a kernel it reports
 * nothing.
 *
 * @example
 * await runScenario(loaded, { onProgress: cellProgress("rounds") });
 * const bar = cellProgress("Table I");
 * await reproduceTable1({ scale: SCALES.test, seed: 1, onProgress: (policy, round, rounds) => bar(round, rounds, policy) });
 */
export function cellProgress(label: string): (done: number, total: number, detail?: string) => void {
  const kernel = kernelDisplay();
  if (kernel === null) return () => {};
  const write = kernel.slot();
  let shownPercent = -1;
  let lastDone = -1;
  let lastDetail: string | undefined;
  return (done, total, detail) => {
    if (done < lastDone || detail !== lastDetail) shownPercent = -1;
    lastDone = done;
    lastDetail = detail;
    const percent = total > 0 ? Math.floor((100 * done) / total) : 100;
    if (done < total && shownPercent >= 0 && percent < shownPercent + 5) return;
    shownPercent = percent;
    write({ mime: "text/plain", data: `${label}: ${done}/${total} (${percent}%)${detail !== undefined ? ` ${detail}` : ""}` });
  };
}

function requireKernel(what: string): KernelDisplay {
  const kernel = kernelDisplay();
  if (kernel === null) {
    throw new TollwayError(`${what}() displays in a Jupyter notebook (tslab or Deno kernel); outside one, write the chart to a file with writeChart(path, spec)`);
  }
  return kernel;
}

function kernelDisplay(): KernelDisplay | null {
  const global = globalThis as { __tslab__?: { require?: unknown }; Deno?: { jupyter?: DenoJupyter } };
  const jupyter = global.Deno?.jupyter;
  if (jupyter !== undefined && typeof jupyter.display === "function") return denoDisplay(jupyter);
  const tslabRequire = global.__tslab__?.require;
  if (typeof tslabRequire === "function") return tslabDisplay((tslabRequire as (id: string) => TslabModule)("tslab"));
  return null;
}

function tslabDisplay(tslab: TslabModule): KernelDisplay {
  const put = (display: TslabDisplay, item: Shown): void => {
    if (item.mime === "image/svg+xml") display.svg(item.data);
    else if (item.mime === "text/html") display.html(item.data);
    else display.text(item.data);
  };
  return {
    name: "tslab",
    show: async (item) => put(tslab.display, item),
    slot: () => {
      const display = tslab.newDisplay();
      return (item) => put(display, item);
    },
  };
}

let denoSlots = 0;
/** How long a Deno display waits for its message to leave the kernel, ms. */
const DENO_FLUSH_MS = 150;

function denoDisplay(jupyter: DenoJupyter): KernelDisplay {
  return {
    name: "deno",
    show: async (item) => {
      await jupyter.display({ [item.mime]: item.data }, { raw: true });
      // Deno's kernel resolves display() before its iopub message is out; on a loaded machine a
      // cell that ends at once could report idle first and lose the output (seen under CI load).
      await new Promise((resolve) => setTimeout(resolve, DENO_FLUSH_MS));
    },
    slot: () => {
      const id = `tollway-${++denoSlots}`;
      let shown = false;
      return (item) => {
        // Progress lines are sent without waiting: a late one only misses an intermediate count.
        void jupyter.display({ [item.mime]: item.data }, { raw: true, display_id: id, update: shown });
        shown = true;
      };
    },
  };
}

function htmlTable(rows: readonly Readonly<Record<string, unknown>>[], columns: readonly TableColumn[]): string {
  const numeric = columns.map((c) => c.align === "right" || (c.align === undefined && isNumericColumn(rows, c.key)));
  const style = (i: number): string => (numeric[i] ? ' style="text-align:right"' : ' style="text-align:left"');
  const head = columns.map((c, i) => `<th${style(i)}>${escapeHtml(c.title ?? c.key)}</th>`).join("");
  const body = rows
    .map((row) => `<tr>${columns.map((c, i) => `<td${style(i)}>${escapeHtml(formatCell(row[c.key], c.format))}</td>`).join("")}</tr>`)
    .join("\n");
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function isNumericColumn(rows: readonly Readonly<Record<string, unknown>>[], key: string): boolean {
  const present = rows.map((row) => row[key]).filter((value) => value !== undefined && value !== null);
  return present.length > 0 && present.every((value) => typeof value === "number" || typeof value === "bigint");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
