/**
 * Executing the notebooks headless with a real kernel (`jupyter nbconvert --execute`), and
 * reading what their cells produced. scripts/setup-notebooks.sh installs Jupyter and the kernels
 * and writes their kernelspecs under .jupyter/ (the project-local JUPYTER_PATH).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { ROOT } from "./run.js";

export const NOTEBOOKS_DIR = join(ROOT, "notebooks");
export const JUPYTER_PATH = join(ROOT, ".jupyter");

/** One output of a code cell, as nbformat 4 stores it. */
export interface CellOutput {
  output_type: "stream" | "display_data" | "execute_result" | "error";
  name?: "stdout" | "stderr";
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** A notebook cell. */
export interface Cell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  outputs?: CellOutput[];
}

/** A notebook file. */
export interface Notebook {
  cells: Cell[];
  metadata: { kernelspec?: { name: string } };
}

/** Text of a multi-line notebook field (nbformat stores them as a string or a list of lines). */
export function joined(text: string | string[] | undefined): string {
  return Array.isArray(text) ? text.join("") : (text ?? "");
}

/** What is missing for the notebooks to run here, or null when everything is in place. */
export function notebookSetupMissing(kernel: "tslab" | "deno" = "tslab"): string | null {
  const jupyter = spawnSync("jupyter", ["nbconvert", "--version"], { encoding: "utf8" });
  if (jupyter.status !== 0) return "jupyter nbconvert is not installed";
  if (!existsSync(join(JUPYTER_PATH, "kernels", kernel, "kernel.json"))) return `no ${kernel} kernelspec under .jupyter/`;
  if (!existsSync(join(NOTEBOOKS_DIR, "node_modules", kernel === "tslab" ? "tslab" : "deno"))) return `${kernel} is not installed in notebooks/`;
  if (!existsSync(join(NOTEBOOKS_DIR, "node_modules", "tollway", "package.json"))) return "notebooks/node_modules/tollway is not linked";
  if (!existsSync(join(ROOT, "dist", "src", "index.js"))) return "tollway is not built (dist/)";
  return null;
}

/** The notebooks in notebooks/, in their numbered order. */
export function notebookFiles(): string[] {
  return spawnSync("ls", [NOTEBOOKS_DIR], { encoding: "utf8" }).stdout.split("\n").filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort();
}

/** Reads a notebook file. */
export function readNotebook(path: string): Notebook {
  return JSON.parse(readFileSync(path, "utf8")) as Notebook;
}

/** What an execution gave: the executed notebook, or the first failing cell's source and error text. */
export type Execution =
  | { ok: true; notebook: Notebook }
  | { ok: false; message: string };

/**
 * Executes a notebook in notebooks/ (so relative paths and `import "tollway"` resolve as they do
 * for a reader), writing the result into a temporary folder. On a failing cell, nbconvert's own
 * message is empty under tslab (the error text is a stderr stream of the cell), so it runs again
 * with --allow-errors and reports the first code cell whose outputs hold an error.
 */
export function executeNotebook(name: string, kernel?: "tslab" | "deno"): Execution {
  const outDir = mkdtempSync(join(tmpdir(), "tollway-nb-"));
  const run = (allowErrors: boolean) => spawnSync("jupyter", [
    "nbconvert", "--to", "notebook", "--execute", join(NOTEBOOKS_DIR, name),
    "--output-dir", outDir, "--output", basename(name, ".ipynb"),
    "--ExecutePreprocessor.timeout=600", "--ExecutePreprocessor.startup_timeout=300",
    ...(kernel !== undefined ? [`--ExecutePreprocessor.kernel_name=${kernel}`] : []),
    ...(allowErrors ? ["--allow-errors"] : []),
  ], { cwd: NOTEBOOKS_DIR, encoding: "utf8", env: { ...process.env, JUPYTER_PATH, NO_COLOR: "1" }, maxBuffer: 64 << 20 });
  const outFile = join(outDir, name);
  const first = run(false);
  if (first.status === 0) return { ok: true, notebook: readNotebook(outFile) };
  const second = run(true);
  if (second.status !== 0 || !existsSync(outFile)) {
    return { ok: false, message: `${name}: nbconvert failed (exit ${first.status}):\n${first.stderr.slice(-4000)}` };
  }
  return { ok: false, message: `${name}: ${failingCell(readNotebook(outFile)) ?? `nbconvert exited ${first.status}:\n${first.stderr.slice(-4000)}`}` };
}

/** The first code cell with an error output or a stderr stream: its number, source and error text. */
export function failingCell(notebook: Notebook): string | null {
  const code = notebook.cells.filter((c) => c.cell_type === "code");
  for (const [i, cell] of code.entries()) {
    const errors = (cell.outputs ?? []).filter((o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr"));
    if (errors.length === 0) continue;
    const text = errors.map((o) => (o.output_type === "error" ? `${o.ename}: ${o.evalue}` : joined(o.text))).join("\n");
    return `code cell ${i + 1} failed:\n--- source ---\n${joined(cell.source)}\n--- error ---\n${text}`;
  }
  return null;
}

/**
 * The kinds of output each code cell produced, in cell order: `stdout`, `stderr`, `error`, or a
 * display's MIME type (`image/svg+xml`, `text/html`, `text/plain`). A set per cell, because a
 * kernel may split one cell's printing into several stream outputs.
 */
export function outputKinds(notebook: Notebook): string[][] {
  return notebook.cells.filter((c) => c.cell_type === "code").map((cell) => {
    const kinds = new Set<string>();
    for (const o of cell.outputs ?? []) {
      if (o.output_type === "stream") kinds.add(o.name ?? "stdout");
      else if (o.output_type === "error") kinds.add("error");
      else for (const mime of Object.keys(o.data ?? {})) kinds.add(mime);
    }
    return [...kinds].sort();
  });
}

/** Everything the notebook's cells printed to stdout, in cell order. */
export function printed(notebook: Notebook): string {
  return notebook.cells.filter((c) => c.cell_type === "code")
    .flatMap((cell) => (cell.outputs ?? []).filter((o) => o.output_type === "stream" && (o.name ?? "stdout") === "stdout").map((o) => joined(o.text)))
    .join("");
}

/** Every SVG the notebook's cells displayed, with the number of the code cell that showed it. */
export function svgOutputs(notebook: Notebook): { cell: number; svg: string }[] {
  return notebook.cells.filter((c) => c.cell_type === "code").flatMap((cell, i) =>
    (cell.outputs ?? []).flatMap((o) => (o.data?.["image/svg+xml"] !== undefined ? [{ cell: i + 1, svg: joined(o.data["image/svg+xml"]) }] : [])));
}
