/**
 * `tollway sweep <file>`: runs an experiment's points × replications into a DuckDB store, on the
 * cores of this machine or as a SLURM array job; resumes what a killed run left undone.
 */
import type { Command } from "commander";
import { TollwayError } from "../errors.js";
import { loadSweepPlan } from "../analysis/plan-file.js";
import type { SweepPlan } from "../analysis/sweep-plan.js";
import { defaultJobs, runSweepLocal, type SweepOutcome } from "../cluster/local.js";
import { shardRuns } from "../cluster/shards.js";
import { ResultStore } from "../store/store.js";
import { positiveInt, nonNegativeInt, interruptSignal } from "./options.js";
import { sweepProgress } from "./sweep-progress.js";
import { addSlurmOptions, manifestShard, slurmSweep, type SlurmCliOptions } from "./sweep-slurm.js";

/** Options of `tollway sweep`. */
export interface SweepCliOptions extends SlurmCliOptions {
  store: string;
  jobs?: number;
  dryRun?: boolean;
  json?: boolean;
  retryFailed?: boolean;
  backend: string;
  shard?: number;
  shards?: number;
  manifest?: string;
  quiet?: boolean;
}

/** Adds `tollway sweep` to the program. */
export function registerSweep(program: Command): void {
  const sweep = program
    .command("sweep")
    .description("run an experiment (factors × design × replications) into a DuckDB results store; resumes where it stopped")
    .argument("<file>", "experiment JSON file (with \"base\"), or a scenario with an \"experiment\" field")
    .option("--store <file>", "DuckDB results store (created if missing)", "results.duckdb")
    .option("--jobs <n>", "runs at once, each in its own worker thread (default: the number of cores)", positiveInt("--jobs"))
    .option("--dry-run", "list the points and the runs without running them (with --backend slurm: print the sbatch script)")
    .option("--json", "print the outcome (or, with --dry-run, the points) as JSON")
    .option("--retry-failed", "also rerun the runs stored as failed")
    .option("--backend <name>", "local (this machine) or slurm (an sbatch array job)", "local");
  addSlurmOptions(sweep)
    .option("--manifest <file>", "run shard --shard of this manifest.json into its shard store (what each array task does)")
    .option("--shard <i>", "run only shard i (of --shards, or of --manifest)", nonNegativeInt("--shard"))
    .option("--shards <n>", "number of shards the runs are dealt into", positiveInt("--shards"))
    .option("--quiet", "no progress output")
    .action(async (file: string, options: SweepCliOptions) => {
      const plan = await loadSweepPlan(file);
      if (options.backend === "slurm") return slurmSweep(plan, options);
      if (options.backend !== "local") throw new TollwayError(`--backend must be local or slurm (got "${options.backend}")`);
      if (options.dryRun) return printDryRun(plan, options.json ?? false);
      await localSweep(plan, options);
    });
}

/** Prints the points and runs of a plan (`--dry-run` without a cluster). */
export function printDryRun(plan: SweepPlan, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify({
      experimentId: plan.experimentId, name: plan.name, points: plan.points.map((p) => ({ index: p.index, id: p.id, ...p.values, scenarioHash: p.scenarioHash })),
      pointCount: plan.points.length, replications: plan.replications, runCount: plan.runs.length,
    }, null, 2) + "\n");
    return;
  }
  const names = plan.factors.map((f) => f.name);
  const lines = [`experiment ${plan.name} (${plan.experimentId}): ${plan.points.length} points × ${plan.replications} replications = ${plan.runs.length} runs`, ["point", ...names].join("\t")];
  for (const p of plan.points) lines.push([String(p.index), ...names.map((n) => String(p.values[n]))].join("\t"));
  process.stdout.write(lines.join("\n") + "\n");
}

async function localSweep(plan: SweepPlan, options: SweepCliOptions): Promise<void> {
  let runs: SweepPlan["runs"] | undefined;
  let storeFile = options.store;
  if (options.manifest !== undefined) {
    if (options.shard === undefined) throw new TollwayError("--manifest needs --shard");
    ({ runs, store: storeFile } = manifestShard(plan, options.manifest, options.shard));
  } else {
    if ((options.shard === undefined) !== (options.shards === undefined)) throw new TollwayError("--shard and --shards go together");
    if (options.shard !== undefined && options.shard >= options.shards!) throw new TollwayError(`--shard must be below --shards (got ${options.shard} of ${options.shards})`);
    if (options.shard !== undefined) runs = shardRuns(plan.runs, options.shard, options.shards!);
  }
  const store = await ResultStore.open(storeFile);
  const bar = sweepProgress(plan.name, options.quiet ?? false);
  let outcome: SweepOutcome;
  try {
    outcome = await runSweepLocal(plan, {
      store, jobs: options.jobs ?? defaultJobs(), retryFailed: options.retryFailed, signal: interruptSignal(), runs,
      shard: options.shard ?? null, onProgress: (p) => bar.update(p),
    });
  } finally {
    bar.stop();
    await store.closeAfterWrites();
  }
  if (options.json) process.stdout.write(JSON.stringify({ store: storeFile, ...outcome }, null, 2) + "\n");
  else {
    process.stdout.write(`${plan.name}: ${outcome.ran} runs stored in ${storeFile} (${outcome.failed} failed, ${outcome.skipped} already there) of ${outcome.total}; experiment ${plan.experimentId}\n`);
  }
  if (outcome.interrupted) throw new TollwayError(`interrupted: ${outcome.skipped + outcome.ran} of ${outcome.total} runs are stored; run the same command again to resume`);
  if (outcome.failed > 0) {
    const first = outcome.failures[0]!;
    throw new TollwayError(`${outcome.failed} of ${outcome.ran} runs failed and are stored with their errors (rerun them with --retry-failed); first: point ${first.pointIndex} replication ${first.replication}: ${first.error}`);
  }
}
