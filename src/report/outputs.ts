/**
 * The `--out DIR` folder of a command: JSON documents, tidy CSV tables and SVG charts, each
 * written atomically ({@link writeFileAtomic}) and each carrying its provenance, and a run
 * manifest, `manifest.json`, that says which run the folder holds.
 *
 * How a folder is never stale or half-written:
 * 1. {@link prepareOutputDir}, called before the work starts, deletes the previous run's
 *    manifest, then the files that manifest listed (and the command's own file names, for
 *    folders written before manifests existed), and writes a manifest with `status: "running"`.
 *    Files it does not know are left alone, so `--out .` never deletes a user's files.
 * 2. {@link writeOutputs} writes every file atomically, then the manifest last with
 *    `status: "complete"`, the run id, the provenance and each file's SHA-256.
 * So a run killed at any point leaves either no results or a `"running"` manifest and no file
 * of the older run; a file is this run's result exactly when the complete manifest lists it with
 * its hash.
 */
import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { basename, join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { VERSION } from "../version.js";
import { writeFileAtomic } from "./atomic.js";
import { requireProvenance, stampJson, stampRows, type Provenance } from "./provenance.js";
import { toCsv } from "./table.js";

/** The name of the run manifest in an output folder. */
export const MANIFEST = "manifest.json";

/** What a command writes under --out. */
export interface OutputFiles {
  /** What made these results: stamped on every JSON document and, unless `rowProvenance` says otherwise, every CSV row. */
  provenance: Provenance;
  /** Provenance per CSV row, when rows come from different scenarios (e.g. one per pricing policy). */
  rowProvenance?: ((row: Readonly<Record<string, unknown>>, index: number) => Provenance) | undefined;
  /** `<name>.json`: documents (objects). */
  json?: Record<string, object>;
  /** `<name>.csv`: tidy rows (nested values are written as JSON). */
  csv?: Record<string, readonly object[]>;
  /** `<name>.svg`: Vega-Lite charts. */
  charts?: Record<string, TopLevelSpec>;
}

/** An output folder opened by {@link prepareOutputDir} for one run. */
export interface OutputRun {
  dir: string;
  /** A random id of this run, recorded in the manifest. */
  runId: string;
  /** The command that writes it, e.g. `run` or `tournament`. */
  command: string;
  startedAt: string;
}

/** One file the manifest lists. */
export interface ManifestFile {
  name: string;
  sha256: string;
  bytes: number;
}

/** The run manifest, `manifest.json`. */
export interface Manifest {
  runId: string;
  command: string;
  /** "running" from the start of the run until every file is written; then "complete". */
  status: "running" | "complete";
  version: string;
  startedAt: string;
  finishedAt?: string;
  provenance?: Provenance;
  files: ManifestFile[];
}

/** Options of {@link prepareOutputDir}. */
export interface PrepareOptions {
  /** The command name recorded in the manifest. */
  command: string;
  /**
   * File names (or patterns) the command writes, removed when present even if no manifest lists
   * them (folders from before manifests). Names are plain file names inside the folder.
   */
  replaces?: readonly (string | RegExp)[];
}

/**
 * Opens `dir` for a new run, before the work starts: removes the previous run's manifest and
 * outputs and writes a `"running"` manifest (see the module comment).
 *
 * @example
 * const out = await prepareOutputDir("results/run", { command: "run", replaces: ["summary.json"] });
 * // ... run ...
 * await writeOutputs(out, { provenance, json: { summary } });
 */
export async function prepareOutputDir(dir: string, options: PrepareOptions): Promise<OutputRun> {
  const manifestPath = join(dir, MANIFEST);
  const previous = readManifest(manifestPath);
  await rm(manifestPath, { force: true });
  const stale = new Set<string>(previous?.files.map((f) => f.name).filter(isPlainName) ?? []);
  for (const entry of options.replaces ?? []) if (typeof entry === "string" && isPlainName(entry)) stale.add(entry);
  const patterns = (options.replaces ?? []).filter((e): e is RegExp => e instanceof RegExp);
  if (patterns.length > 0) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) if (patterns.some((p) => p.test(name))) stale.add(name);
  }
  for (const name of stale) await rm(join(dir, name), { force: true });
  const run: OutputRun = { dir, runId: randomUUID(), command: options.command, startedAt: new Date().toISOString() };
  await writeManifest(run, { status: "running", files: [] });
  return run;
}

/**
 * Starts loading the chart modules (vega) in the background, for a command that writes charts
 * once a long run is over: their loading then overlaps the run instead of following it.
 */
export function preloadCharts(): void {
  void import("./charts.js").then((charts) => charts.preloadVega(), () => undefined);
}

/**
 * Writes the files into the run's folder (`<name>.json`, `<name>.csv`, `<name>.svg`), each
 * atomically and stamped with its provenance, then the complete manifest last. Given a folder
 * name instead of an opened run, it opens it first (then a run killed before this call leaves
 * the older results in place: commands open the folder before they start).
 *
 * @throws TollwayError when a row or document lacks provenance (a bug in the caller).
 * @returns the paths written, the manifest last.
 */
export async function writeOutputs(target: OutputRun | string, files: OutputFiles): Promise<string[]> {
  const run = typeof target === "string" ? await prepareOutputDir(target, { command: "tollway" }) : target;
  const listed: ManifestFile[] = [];
  const written: string[] = [];
  const put = async (name: string, data: string): Promise<void> => {
    const path = join(run.dir, name);
    await writeFileAtomic(path, data);
    listed.push({ name, sha256: createHash("sha256").update(data).digest("hex"), bytes: Buffer.byteLength(data) });
    written.push(path);
  };
  for (const [name, value] of Object.entries(files.json ?? {})) {
    const document = stampJson(value, files.provenance);
    requireProvenance(document as Record<string, unknown>, `${name}.json`);
    await put(`${name}.json`, JSON.stringify(document, bigintAsString, 2) + "\n");
  }
  for (const [name, rows] of Object.entries(files.csv ?? {})) {
    const stamped = stampRows(rows, files.rowProvenance ?? files.provenance);
    stamped.forEach((row, i) => requireProvenance(row, `${name}.csv row ${i + 1}`));
    await put(`${name}.csv`, toCsv(stamped, { newline: "\n" }));
  }
  // Vega loads only when a chart is written (or preloadCharts asked for it), so that `tollway
  // --help` and friends start fast.
  const charts = Object.entries(files.charts ?? {});
  if (charts.length > 0) {
    const { renderSvg } = await import("./charts.js");
    for (const [name, spec] of charts) await put(`${name}.svg`, await renderSvg(spec));
  }
  await writeManifest(run, { status: "complete", files: listed, provenance: files.provenance, finishedAt: new Date().toISOString() });
  written.push(join(run.dir, MANIFEST));
  return written;
}

/**
 * Reads an output folder's manifest, or null when there is none or it is not a manifest.
 *
 * @example readManifest("results/run/manifest.json")?.status // "complete"
 */
export function readManifest(path: string): Manifest | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(text) as Partial<Manifest>;
    if (typeof parsed.runId !== "string" || !Array.isArray(parsed.files)) return null;
    return parsed as Manifest;
  } catch {
    return null;
  }
}

async function writeManifest(run: OutputRun, state: Pick<Manifest, "status" | "files"> & Partial<Manifest>): Promise<void> {
  const manifest: Manifest = { runId: run.runId, command: run.command, version: VERSION, startedAt: run.startedAt, ...state };
  await writeFileAtomic(join(run.dir, MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
}

/** A file name inside the folder: no separators, not `.`/`..`, not the manifest. */
function isPlainName(name: string): boolean {
  return name === basename(name) && !name.includes("\\") && name !== "." && name !== ".." && name !== MANIFEST;
}

function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? String(value) : value;
}
