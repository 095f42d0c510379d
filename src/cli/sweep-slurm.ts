/**
 * `tollway sweep --backend slurm`: writes the array script and manifest into the sweep's folder
 * and submits them (or prints them with --dry-run); with --retry-failed, submits a compact array
 * of just the runs no shard holds as ok. Also the task side: `--manifest M --shard i` runs shard i.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Command } from "commander";
import { TollwayError } from "../errors.js";
import type { SweepPlan } from "../analysis/sweep-plan.js";
import {
  arrayScript, clusterMaxArraySize, dealShards, readManifest, submissionCommands, submit, waitForJobs, writeManifest,
  type SlurmOptions, type SweepManifest,
} from "../cluster/slurm.js";
import { ResultStore, runId } from "../store/store.js";
import { positiveInt } from "./options.js";

/** SLURM options of `tollway sweep`. */
export interface SlurmCliOptions {
  store: string;
  dir?: string;
  arraySize?: number;
  maxParallel?: number;
  maxArraySize?: number;
  partition?: string;
  time?: string;
  merge?: boolean;
  dryRun?: boolean;
  json?: boolean;
  retryFailed?: boolean;
  wait?: boolean;
  /** Where the outcome lines go (default: stdout). */
  log?: ((text: string) => void) | undefined;
}

/** Adds the options of the SLURM backend (those of `tollway sweep` and the studies) to a command. */
export function addSlurmOptions(command: Command): Command {
  return command
    .option("--dir <dir>", "slurm: folder for the script, logs and shard stores (default: <store>.shards)")
    .option("--array-size <n>", "slurm: array tasks (each runs a shard of the runs; default: one per run, at most 1000)", positiveInt("--array-size"))
    .option("--max-parallel <n>", "slurm: tasks running at once (--array=0-N%K)", positiveInt("--max-parallel"))
    .option("--max-array-size <n>", "slurm: the cluster's MaxArraySize; bigger arrays are submitted in chunks (default: asked from scontrol, else 1001)", positiveInt("--max-array-size"))
    .option("--partition <p>", "slurm: partition")
    .option("--time <t>", "slurm: time limit per task, e.g. 00:30:00")
    .option("--no-merge", "slurm: do not submit the merge job that collects the shards into --store after the array (afterok)")
    .option("--wait", "slurm: wait until the array (and the merge job) finished");
}

/** Submits (or prints) the array job of a sweep. */
export async function slurmSweep(plan: SweepPlan, options: SlurmCliOptions): Promise<void> {
  const write = options.log ?? ((text: string) => void process.stdout.write(text));
  const dir = resolve(options.dir ?? `${options.store}.shards`);
  const slurm: SlurmOptions = {
    dir, store: resolve(options.store), arraySize: options.arraySize, maxParallel: options.maxParallel,
    partition: options.partition, time: options.time, merge: options.merge,
  };
  const existing = existsSync(join(dir, "manifest.json")) ? readManifest(dir) : null;
  if (existing && existing.experimentId !== plan.experimentId) {
    throw new TollwayError(`holds the shards of another experiment (${existing.experimentId}, not ${plan.experimentId}); give this sweep another --dir`, { file: dir });
  }
  if (existing && !options.retryFailed && !options.dryRun) {
    throw new TollwayError("this sweep was already submitted here: see `tollway status`, merge with `tollway collect`, or resubmit what is missing with --retry-failed", { file: dir });
  }
  let positions = plan.runs.map((_, k) => k);
  if (existing && options.retryFailed) positions = await unfinishedRuns(plan, existing, dir, resolve(options.store));
  if (positions.length === 0) {
    write(`${plan.name}: every run is stored ok in the shards of ${dir}; nothing to submit\n`);
    return;
  }
  const first = existing ? Math.max(-1, ...existing.shards.map((s) => s.index)) + 1 : 0;
  const count = Math.min(options.arraySize ?? Math.min(positions.length, 1000), positions.length);
  const shards = dealShards(positions, count, first);
  const range: [number, number] = [first, first + shards.length - 1];
  const maxArraySize = options.maxArraySize ?? clusterMaxArraySize();
  const script = arrayScript(plan, slurm);
  if (options.dryRun) {
    const { chunks, merge } = submissionCommands(slurm, range, maxArraySize);
    write(`# ${plan.name}: ${positions.length} runs in ${shards.length} array tasks (shards ${range[0]}-${range[1]}), folder ${dir}\n`);
    write(`# --- ${join(dir, "sweep.sbatch")} ---\n${script}# --- submitted with ---\n`);
    for (const c of chunks) write(c.join(" ") + "\n");
    if (merge) write(merge.map((a) => (a.startsWith("--wrap=") ? `--wrap="${a.slice(7)}"` : a)).join(" ") + "\n");
    return;
  }
  mkdirSync(join(dir, "logs"), { recursive: true });
  writeFileSync(join(dir, "sweep.sbatch"), script, { mode: 0o755 });
  const manifest: SweepManifest = existing ?? { experimentId: plan.experimentId, file: resolve(plan.file), store: resolve(options.store), runCount: plan.runs.length, shards: [], submissions: [] };
  manifest.shards.push(...shards);
  writeManifest(dir, manifest); // before submitting: a task may start at once and read it
  const { jobs, merge } = submit(slurm, range, maxArraySize);
  manifest.submissions.push({ jobs, shards: range, merge });
  writeManifest(dir, manifest);
  const summary = { experimentId: plan.experimentId, dir, runs: positions.length, tasks: shards.length, jobs, merge };
  if (options.wait) await waitForJobs([...jobs, ...(merge ? [merge] : [])]);
  write(options.json ? JSON.stringify(summary, null, 2) + "\n"
    : `${plan.name}: submitted ${positions.length} runs as ${shards.length} array tasks (job${jobs.length > 1 ? "s" : ""} ${jobs.join(", ")})${merge ? `, merge job ${merge} into ${options.store}` : ""}${options.wait ? "; all finished" : ""}\n`);
}

/** Run positions of the plan that no shard (nor the store given) holds as ok. */
async function unfinishedRuns(plan: SweepPlan, manifest: SweepManifest, dir: string, store: string): Promise<number[]> {
  const ok = new Set<string>();
  const files = [...manifest.shards.map((s) => join(dir, s.file)), store].filter((f) => existsSync(f));
  for (const file of files) {
    const store = await ResultStore.open(file, { readOnly: true });
    try {
      for (const [id, status] of await store.runStatus(plan.experimentId)) if (status === "ok") ok.add(id);
    } finally {
      store.close();
    }
  }
  return plan.runs.flatMap((r, k) => (ok.has(runId(r.config.id, r.rep)) ? [] : [k]));
}

/** The task side: the runs and store file of shard `shard` in the manifest. */
export function manifestShard(plan: SweepPlan, manifestFile: string, shard: number): { runs: SweepPlan["runs"]; store: string } {
  const dir = dirname(resolve(manifestFile));
  const manifest = readManifest(dir);
  if (manifest.experimentId !== plan.experimentId) throw new TollwayError(`is for experiment ${manifest.experimentId}, but the file now gives ${plan.experimentId} (was it edited after submitting?)`, { file: manifestFile });
  const entry = manifest.shards.find((s) => s.index === shard);
  if (!entry) throw new TollwayError(`no shard ${shard} in the manifest`, { file: manifestFile, field: "shards" });
  const runs = entry.runs.map((k) => {
    const run = plan.runs[k];
    if (!run) throw new TollwayError(`shard ${shard} names run ${k}, but the plan has ${plan.runs.length}`, { file: manifestFile, field: "shards" });
    return run;
  });
  return { runs, store: join(dir, entry.file) };
}
