/**
 * The SLURM backend of sweeps. A sweep becomes an array job: task i runs shard i of the runs into
 * a DuckDB file of its own (a DuckDB file has one writer, so shards never share one), and an
 * optional merge job, started `afterok`, collects the shards into the store. A manifest in the
 * sweep's folder says which runs each shard holds, so `collect` and `status` can tell which
 * shards never arrived, and a retry submits a compact array of just the runs still missing.
 * Arrays longer than the cluster's MaxArraySize are submitted in chunks with an index offset.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { TollwayError } from "../errors.js";
import type { SweepPlan } from "../analysis/sweep-plan.js";

/** One shard: its index (the array task's), its store file (relative to the folder) and the plan's run positions it holds. */
export interface ShardEntry {
  index: number;
  file: string;
  runs: number[];
}

/** What a SLURM sweep's folder holds: `manifest.json`. */
export interface SweepManifest {
  experimentId: string;
  /** Absolute path of the experiment file. */
  file: string;
  /** Absolute path of the merged store. */
  store: string;
  runCount: number;
  shards: ShardEntry[];
  /** Every submission: its array job ids and the shards it covered. */
  submissions: { jobs: string[]; shards: [number, number]; merge: string | null }[];
}

/** Options of the array job. */
export interface SlurmOptions {
  /** Folder of the script, logs, manifest and shard stores. */
  dir: string;
  /** The merged store (absolute path written into the merge job). */
  store: string;
  /** Array tasks (default: one per run, at most 1000). */
  arraySize?: number | undefined;
  /** Tasks running at once (%K). */
  maxParallel?: number | undefined;
  /** The cluster's MaxArraySize (default: asked from scontrol, else 1001). */
  maxArraySize?: number | undefined;
  partition?: string | undefined;
  time?: string | undefined;
  /** Submit the merge job after the array (default true). */
  merge?: boolean | undefined;
}

/** The Tollway command line every task and the merge job run (this very installation). */
export function tollwayCommand(): string[] {
  const here = fileURLToPath(import.meta.url);
  const root = here.replace(/[\\/](dist[\\/])?src[\\/]cluster[\\/]slurm\.[jt]s$/, "");
  return [process.execPath, join(root, "bin", "tollway.js")];
}

/** Quotes a word for bash. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Deals the given run positions into `count` shards, numbered from `first` (round-robin, so
 * every shard gets a mix of points).
 */
export function dealShards(runs: readonly number[], count: number, first: number): ShardEntry[] {
  const shards: ShardEntry[] = Array.from({ length: count }, (_, k) => ({ index: first + k, file: `shard-${first + k}.duckdb`, runs: [] }));
  runs.forEach((run, k) => shards[k % count]!.runs.push(run));
  return shards.filter((s) => s.runs.length > 0);
}

/** The sbatch script every array task runs: shard = offset + SLURM_ARRAY_TASK_ID. */
export function arrayScript(plan: SweepPlan, options: SlurmOptions): string {
  const dir = resolve(options.dir);
  const lines = [
    "#!/usr/bin/env bash",
    `#SBATCH --job-name=${shellQuote(`tollway-${plan.name}`.slice(0, 60))}`,
    `#SBATCH --output=${shellQuote(join(dir, "logs", "%A_%a.out"))}`,
    "#SBATCH --ntasks=1",
    "#SBATCH --cpus-per-task=1",
    ...(options.partition ? [`#SBATCH --partition=${shellQuote(options.partition)}`] : []),
    ...(options.time ? [`#SBATCH --time=${shellQuote(options.time)}`] : []),
    "# Written by `tollway sweep --backend slurm`; task i runs shard i of manifest.json into shard-i.duckdb.",
    "set -euo pipefail",
    'SHARD=$(( ${TOLLWAY_SHARD_OFFSET:-0} + SLURM_ARRAY_TASK_ID ))',
    `cd ${shellQuote(process.cwd())}`,
    `exec ${[...tollwayCommand(), "sweep", resolve(plan.file), "--manifest", join(dir, "manifest.json")].map(shellQuote).join(" ")} --shard "$SHARD" --jobs 1 --quiet`,
    "",
  ];
  return lines.join("\n");
}

/** The sbatch command lines of one submission (chunks of at most MaxArraySize tasks, then the merge job). */
export function submissionCommands(options: SlurmOptions, shards: [number, number], maxArraySize: number): { chunks: string[][]; merge: string[] | null } {
  const dir = resolve(options.dir);
  const chunks: string[][] = [];
  for (let offset = shards[0]; offset <= shards[1]; offset += maxArraySize) {
    const last = Math.min(shards[1], offset + maxArraySize - 1) - offset;
    const cap = options.maxParallel !== undefined ? `%${options.maxParallel}` : "";
    chunks.push(["sbatch", "--parsable", `--array=0-${last}${cap}`, `--export=ALL,TOLLWAY_SHARD_OFFSET=${offset}`, join(dir, "sweep.sbatch")]);
  }
  const merge = options.merge === false ? null : [
    "sbatch", "--parsable", "--job-name=tollway-collect", `--output=${join(dir, "logs", "collect-%j.out")}`,
    ...(options.partition ? [`--partition=${options.partition}`] : []),
    "--dependency=afterok:<array jobs>",
    `--wrap=${[...tollwayCommand(), "collect", dir, "--store", options.store].map(shellQuote).join(" ")}`,
  ];
  return { chunks, merge };
}

/** The cluster's MaxArraySize from `scontrol show config`, or 1001 (SLURM's default) when it cannot be asked. */
export function clusterMaxArraySize(): number {
  try {
    const text = execFileSync("scontrol", ["show", "config"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const m = /MaxArraySize\s*=\s*(\d+)/.exec(text);
    if (m) return Number(m[1]);
  } catch {
    // not on a cluster (a dry run on a laptop)
  }
  return 1001;
}

/** Reads a sweep folder's manifest. */
export function readManifest(dir: string): SweepManifest {
  const file = join(dir, "manifest.json");
  if (!existsSync(file)) throw new TollwayError("no manifest.json: not a folder written by `tollway sweep --backend slurm`", { file: dir });
  try {
    return JSON.parse(readFileSync(file, "utf8")) as SweepManifest;
  } catch (error) {
    throw new TollwayError(`invalid JSON: ${error instanceof Error ? error.message : String(error)}`, { file });
  }
}

/** Writes the manifest. */
export function writeManifest(dir: string, manifest: SweepManifest): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest, null, 1) + "\n");
}

/** Runs sbatch and returns the job id (`--parsable` prints `id` or `id;cluster`). */
export function sbatch(args: string[]): string {
  let out: string;
  try {
    out = execFileSync(args[0]!, args.slice(1), { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new TollwayError("sbatch not found: run on a SLURM login node (or start one: scripts/slurm.sh up)");
    throw new TollwayError(`sbatch failed: ${(e.stderr ?? e.message).trim().split("\n")[0]}`);
  }
  return out.trim().split(";")[0]!;
}

/** Submits one submission's chunks and merge job; returns their job ids. */
export function submit(options: SlurmOptions, shards: [number, number], maxArraySize: number): { jobs: string[]; merge: string | null } {
  const { chunks, merge } = submissionCommands(options, shards, maxArraySize);
  const jobs = chunks.map((c) => sbatch(c));
  const mergeId = merge ? sbatch(merge.map((a) => a.replace("<array jobs>", jobs.join(":")))) : null;
  return { jobs, merge: mergeId };
}

/** Waits until none of the jobs is queued or running (polls squeue every second). */
export async function waitForJobs(jobs: string[]): Promise<void> {
  for (;;) {
    let out = "";
    try {
      out = execFileSync("squeue", ["-h", "-o", "%i", "-j", jobs.join(",")], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    } catch {
      out = ""; // squeue exits non-zero once it no longer knows the jobs
    }
    if (out.trim() === "") return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
