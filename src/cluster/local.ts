/**
 * The local backend of sweeps: the runs not yet in the store go to `jobs` worker threads (each
 * run in one thread), and finished runs are written to the store in small batches, each in one
 * transaction. Stopping at any point — Ctrl-C, a crash, `kill -9` — loses at most the runs not yet
 * written; the same command run again skips what is stored and runs the rest, so every run ends
 * up in the store exactly once.
 */
import { performance } from "node:perf_hooks";
import { TollwayError } from "../errors.js";
import { adaptiveBatchSize, concurrentBatchRunner, type BatchSizing, type Point } from "../analysis/points.js";
import type { SweepPlan, SweepPoint } from "../analysis/sweep-plan.js";
import { runId, type ResultStore, type StoredRun } from "../store/store.js";
import { runTasks, type RunOutcome, type RunTask } from "./point-run.js";
import { defaultJobs, SweepPool } from "./sweep-pool.js";

export { defaultJobs, SweepPool } from "./sweep-pool.js";

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
  /** Runs at once, each in its own worker thread (default: the cores, or the pool's threads); 1 runs them in this thread. */
  jobs?: number | undefined;
  /**
   * Worker threads kept across sweeps (`SweepPool.open`): the runs go to them, and they are left
   * open for the next sweep (the caller closes them). Default: this call starts `jobs` threads
   * and stops them at its end.
   */
  pool?: SweepPool | undefined;
  /** Also rerun the runs stored as failed. */
  retryFailed?: boolean | undefined;
  /** Stop starting runs once aborted; the running ones finish and are stored. */
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: SweepProgress) => void) | undefined;
  /** Only these runs (a cluster shard); default all of the plan's. */
  runs?: readonly Point<SweepPoint>[] | undefined;
  /** Shard number written with each run (cluster tasks). */
  shard?: number | null | undefined;
  /**
   * Runs per message to a worker thread (default: adaptive, `adaptiveBatchSize` — one at first,
   * then about 20 ms of runs at the pace of the last batch). Ignored with one job.
   */
  batchSize?: ((sizing: BatchSizing) => number) | undefined;
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

/** Longest stretch of runs in this thread without a turn of the event loop, ms. */
const YIELD_MS = 10;


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
  const kept = options.pool ?? null;
  const jobs = options.jobs ?? kept?.jobs ?? defaultJobs();
  if (!Number.isInteger(jobs) || jobs < 1) throw new TollwayError(`--jobs must be a positive integer (got ${jobs})`);
  if (kept !== null) {
    if (jobs !== kept.jobs) throw new TollwayError(`jobs ${jobs} differs from the ${kept.jobs} threads of the sweep pool passed with it: leave jobs out or open the pool with as many`);
    kept.check();
    if (!kept.usable) throw new TollwayError("this sweep pool is closed: open a new one (SweepPool.open)");
  }
  const all = options.runs ?? plan.runs;
  // Worker threads take a while to start (their modules load): start them before the store's
  // bookkeeping, so they load while it runs. A resumed sweep with at most one run left discards them.
  const owned = kept === null && jobs > 1 && all.length > 1;
  let pool = kept ?? (owned ? SweepPool.open({ jobs }) : null);
  const stop = async (): Promise<void> => {
    if (owned) await pool?.close();
  };
  let todo: Point<SweepPoint>[];
  let stored: Map<string, "ok" | "failed">;
  try {
    await store.registerExperiment(plan);
    stored = await store.runStatus(plan.experimentId);
    todo = pendingRuns(all, stored, options.retryFailed ?? false);
  } catch (error) {
    await stop();
    throw error;
  }
  if (owned && todo.length <= 1) {
    await stop();
    pool = null;
  }
  const outcome: SweepOutcome = {
    experimentId: plan.experimentId, total: all.length, skipped: all.length - todo.length, ran: 0, failed: 0,
    interrupted: false, failures: [], wallSeconds: 0, runSeconds: 0,
  };
  const progress = (): void => options.onProgress?.({ done: outcome.ran, total: todo.length, failed: outcome.failed, skipped: outcome.skipped });
  progress();
  const workers = pool;
  let yielded = performance.now();
  const inThread = async (tasks: RunTask[]): Promise<RunOutcome[]> => {
    const outcomes = await runTasks(tasks);
    // Short runs never wait on anything, so give the event loop a turn every few ms: Ctrl-C,
    // progress lines and the store's write under way then go on between runs.
    if (performance.now() - yielded > YIELD_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      yielded = performance.now();
    }
    return outcomes;
  };
  const execute = (tasks: RunTask[]): Promise<RunOutcome[]> => (workers ? workers.run(tasks) : inThread(tasks));
  const writer = new BatchWriter(store, options.flushSeconds ?? 1);
  // Many runs in one message when runs are short (the pace of the last batch sets the next
  // size), so a worker does not wait on a round trip through this thread after every run.
  const runner = concurrentBatchRunner(jobs, { signal: options.signal, batchSize: workers ? options.batchSize ?? adaptiveBatchSize() : () => 1 });
  try {
    await runner.run(todo, async (batch) => {
      const results = await execute(batch.map((run) => ({
        scenario: run.config.scenario, file: plan.baseFile, seed: run.seed, epsilon: plan.spec.epsilon,
        pricing: plan.pricing?.tasks[run.config.index],
      })));
      for (let i = 0; i < batch.length; i++) {
        const run = batch[i]!;
        const result = results[i]!;
        outcome.ran++;
        outcome.runSeconds += result.wallSeconds;
        if (result.status === "failed") {
          outcome.failed++;
          outcome.failures.push({ pointIndex: run.config.index, replication: run.rep, error: result.error ?? "" });
        }
        writer.add({
          key: { experimentId: plan.experimentId, pointId: run.config.id, pointIndex: run.config.index, replication: run.rep, seed: run.seed, scenarioHash: run.config.scenarioHash, version: plan.version },
          outcome: result,
          shard: options.shard ?? null,
          replace: stored.has(runId(run.config.id, run.rep)),
        });
        progress();
      }
      writer.due();
      // The outcomes are in the writer's hands; the runner keeps nothing of them.
      return batch.map(() => null);
    });
  } catch (error) {
    if (!(error instanceof TollwayError && /^interrupted/.test(error.reason))) throw error;
    outcome.interrupted = true;
  } finally {
    // The last batch is written while the threads stop.
    await Promise.all([writer.flush(), owned ? workers?.close() : undefined]);
  }
  workers?.check(true);
  outcome.wallSeconds = (performance.now() - start) / 1000;
  return outcome;
}

/**
 * Collects finished runs and writes them in batches (one transaction each). A batch is written
 * while the runs go on; a write that fails stops the sweep at the next batch of runs.
 */
class BatchWriter {
  private buffer: StoredRun[] = [];
  private last = performance.now();
  private writing: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;
  constructor(private readonly store: ResultStore, private readonly seconds: number) {}

  add(run: StoredRun): void {
    this.buffer.push(run);
  }

  /** Starts writing what is buffered when enough has gathered or enough time has passed (unless a write is under way). */
  due(): void {
    this.check();
    if (this.writing === null && (this.buffer.length >= 1024 || performance.now() - this.last >= this.seconds * 1000)) {
      this.writing = this.write().finally(() => (this.writing = null));
    }
  }

  /** Waits for the write under way, then writes the rest. */
  async flush(): Promise<void> {
    await this.writing;
    await this.write();
    this.check();
  }

  private async write(): Promise<void> {
    const batch = this.buffer;
    this.buffer = [];
    this.last = performance.now();
    try {
      await this.store.writeRuns(batch);
    } catch (error) {
      this.failure ??= { error };
    }
  }

  private check(): void {
    if (this.failure !== null) throw this.failure.error;
  }
}
