/**
 * The local backend of sweeps: the runs not yet in the store go to `jobs` worker threads (each
 * run in one thread), and finished runs are written to the store in small batches, each in one
 * transaction. Stopping at any point — Ctrl-C, a crash, `kill -9` — loses at most the runs not yet
 * written; the same command run again skips what is stored and runs the rest, so every run ends
 * up in the store exactly once.
 */
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { Piscina } from "piscina";
import { TollwayError } from "../errors.js";
import { concurrentPointRunner, runPoints, type Point } from "../analysis/points.js";
import type { SweepPlan, SweepPoint } from "../analysis/sweep-plan.js";
import { runId, type ResultStore, type StoredRun } from "../store/store.js";
import { runTask, type RunOutcome, type RunTask } from "./point-run.js";

/** How far a sweep is, for progress bars. */
export interface SweepProgress {
  /** Runs finished in this call (stored or about to be). */
  done: number;
  /** Runs this call has to do. */
  total: number;
  failed: number;
  /** Runs found already in the store and skipped. */
  skipped: number;
}

/** Options of {@link runSweepLocal}. */
export interface LocalSweepOptions {
  store: ResultStore;
  /** Runs at once, each in its own worker thread (default: the cores); 1 runs them in this thread. */
  jobs?: number | undefined;
  /** Also rerun the runs stored as failed. */
  retryFailed?: boolean | undefined;
  /** Stop starting runs once aborted; the running ones finish and are stored. */
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: SweepProgress) => void) | undefined;
  /** Only these runs (a cluster shard); default all of the plan's. */
  runs?: readonly Point<SweepPoint>[] | undefined;
  /** Shard number written with each run (cluster tasks). */
  shard?: number | null | undefined;
  /** Write finished runs at least this often, seconds (default 1: a commit costs tens of ms, so fewer, larger batches keep the store off the critical path). */
  flushSeconds?: number | undefined;
}

/** What a sweep call did. */
export interface SweepOutcome {
  experimentId: string;
  /** Runs in the plan (or the shard). */
  total: number;
  skipped: number;
  ran: number;
  failed: number;
  /** Stopped by the signal before every run was done. */
  interrupted: boolean;
  failures: { pointIndex: number; replication: number; error: string }[];
  /** Wall time of this call and the summed wall time inside runs, seconds. */
  wallSeconds: number;
  runSeconds: number;
}

/** The default number of jobs: one per core. */
export function defaultJobs(): number {
  return availableParallelism();
}

/** The compiled worker: beside this file in dist/, or in dist/ when running from sources (tests). */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith(".ts") ? here.replace(/src[\\/]cluster[\\/]local\.ts$/, "dist/src/cluster/point-worker.js") : here.replace(/local\.js$/, "point-worker.js");
}

/** The runs of a plan that still have to run: not in the store, or failed when retrying. */
export function pendingRuns(runs: readonly Point<SweepPoint>[], stored: Map<string, "ok" | "failed">, retryFailed: boolean): Point<SweepPoint>[] {
  return runs.filter((r) => {
    const status = stored.get(runId(r.config.id, r.rep));
    return status === undefined || (status === "failed" && retryFailed);
  });
}

/** Runs a sweep (or one shard of it) into the store. */
export async function runSweepLocal(plan: SweepPlan, options: LocalSweepOptions): Promise<SweepOutcome> {
  const start = performance.now();
  const { store } = options;
  const jobs = options.jobs ?? defaultJobs();
  if (!Number.isInteger(jobs) || jobs < 1) throw new TollwayError(`--jobs must be a positive integer (got ${jobs})`);
  await store.registerExperiment(plan);
  const all = options.runs ?? plan.runs;
  const stored = await store.runStatus(plan.experimentId);
  const todo = pendingRuns(all, stored, options.retryFailed ?? false);
  const outcome: SweepOutcome = {
    experimentId: plan.experimentId, total: all.length, skipped: all.length - todo.length, ran: 0, failed: 0,
    interrupted: false, failures: [], wallSeconds: 0, runSeconds: 0,
  };
  const progress = (): void => options.onProgress?.({ done: outcome.ran, total: todo.length, failed: outcome.failed, skipped: outcome.skipped });
  progress();
  const pool = jobs > 1 && todo.length > 1 ? new Piscina({ filename: workerFile(), minThreads: jobs, maxThreads: jobs, idleTimeout: 1000 }) : null;
  let poolError: unknown = null;
  pool?.on("error", (error: unknown) => (poolError ??= error));
  const execute = (task: RunTask): Promise<RunOutcome> => (pool ? pool.run(task) as Promise<RunOutcome> : runTask(task));
  const writer = new BatchWriter(store, options.flushSeconds ?? 1);
  try {
    await runPoints(todo, async (run) => {
      const pricing = plan.pricing?.tasks[run.config.index];
      const result = await execute({ scenario: run.config.scenario, file: plan.baseFile, seed: run.seed, epsilon: plan.spec.epsilon, pricing });
      outcome.ran++;
      outcome.runSeconds += result.wallSeconds;
      if (result.status === "failed") {
        outcome.failed++;
        outcome.failures.push({ pointIndex: run.config.index, replication: run.rep, error: result.error ?? "" });
      }
      await writer.add({
        key: { experimentId: plan.experimentId, pointId: run.config.id, pointIndex: run.config.index, replication: run.rep, seed: run.seed, scenarioHash: run.config.scenarioHash, version: plan.version },
        outcome: result,
        shard: options.shard ?? null,
        replace: stored.has(runId(run.config.id, run.rep)),
      });
      progress();
    }, { runner: concurrentPointRunner(jobs, { signal: options.signal }) });
  } catch (error) {
    if (!(error instanceof TollwayError && /^interrupted/.test(error.reason))) throw error;
    outcome.interrupted = true;
  } finally {
    await writer.flush();
    await pool?.destroy();
  }
  if (poolError !== null) throw new TollwayError(`a sweep worker failed: ${poolError instanceof Error ? poolError.message : String(poolError)}`, {}, { cause: poolError });
  outcome.wallSeconds = (performance.now() - start) / 1000;
  return outcome;
}

/** Collects finished runs and writes them in batches (one transaction each). */
class BatchWriter {
  private buffer: StoredRun[] = [];
  private last = performance.now();
  constructor(private readonly store: ResultStore, private readonly seconds: number) {}

  async add(run: StoredRun): Promise<void> {
    this.buffer.push(run);
    if (this.buffer.length >= 1024 || performance.now() - this.last >= this.seconds * 1000) await this.flush();
  }

  async flush(): Promise<void> {
    const batch = this.buffer;
    this.buffer = [];
    this.last = performance.now();
    await this.store.writeRuns(batch);
  }
}
