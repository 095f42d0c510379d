/**
 * Worker threads for local sweeps that outlive one sweep. A worker thread is a fresh V8 isolate:
 * it loads its modules and optimizes the run path again (about 0.6 CPU seconds on the 2-core
 * machine before its first 250 Figure 1 runs are done; docs/performance.md, "Sweeps"). A notebook
 * or a script that runs many sweeps opens one pool, passes it to each sweep (`runSweepLocal`'s or
 * `runStudy`'s `pool`) and closes it at the end, so only its first sweep pays for the start.
 *
 *   const pool = SweepPool.open({ jobs: 2 });
 *   try {
 *     for (const plan of plans) await runSweepLocal(plan, { store, pool });
 *   } finally {
 *     await pool.close();
 *   }
 *
 * Runs that throw (a strategy's error) are outcomes, not failures of the pool. A thread that dies
 * (a crash, an out-of-memory) breaks the pool: that sweep stops with the error, and every later
 * use says the pool is broken, so a half-working pool is never reused silently.
 */
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { TollwayError } from "../errors.js";
import { threadModule } from "../parallel/threads.js";
import type { RunOutcome, RunTask } from "./point-run.js";

/** The default number of jobs: one per core. */
export function defaultJobs(): number {
  return availableParallelism();
}

/** The compiled worker: beside this file in dist/, or in dist/ when running from sources (tests). */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith(".ts") ? here.replace(/src[\\/]cluster[\\/]sweep-pool\.ts$/, "dist/src/cluster/point-worker.js") : here.replace(/sweep-pool\.js$/, "point-worker.js");
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A fixed number of sweep worker threads, started at once and kept until {@link close}. */
export class SweepPool {
  private piscina: Piscina | null;
  private broken: unknown = null;

  private constructor(readonly jobs: number) {
    this.piscina = new Piscina({ ...threadModule(workerFile()), minThreads: jobs, maxThreads: jobs, idleTimeout: Number.POSITIVE_INFINITY });
    this.piscina.on("error", (error: unknown) => (this.broken ??= error));
  }

  /** Starts `jobs` threads (default: the cores); they load their modules while the caller goes on. */
  static open(options: { jobs?: number | undefined } = {}): SweepPool {
    const jobs = options.jobs ?? defaultJobs();
    if (!Number.isInteger(jobs) || jobs < 1) throw new TollwayError(`a sweep pool needs a positive integer number of jobs (got ${jobs})`);
    return new SweepPool(jobs);
  }

  /** False once closed or broken. */
  get usable(): boolean {
    return this.piscina !== null && this.broken === null;
  }

  /** Throws if a thread of the pool died: during a sweep (`during`) or before it. */
  check(during = false): void {
    if (this.broken === null) return;
    const message = during ? `a sweep worker failed: ${reason(this.broken)}` : `this sweep pool is broken (a worker failed: ${reason(this.broken)}): close it and open a new one`;
    throw new TollwayError(message, {}, { cause: this.broken });
  }

  /** Runs one batch of runs in one of the threads, in order; one outcome each. */
  async run(tasks: readonly RunTask[]): Promise<RunOutcome[]> {
    if (this.piscina === null) throw new TollwayError("this sweep pool is closed: open a new one (SweepPool.open)");
    this.check();
    try {
      return (await this.piscina.run(tasks)) as RunOutcome[];
    } catch (error) {
      // The worker catches what a run throws and returns it as a failed outcome, so a rejection
      // is the thread itself failing.
      this.broken ??= error;
      this.check(true);
      throw error;
    }
  }

  /** Stops the threads (waits for batches under way). Closing twice is harmless. */
  async close(): Promise<void> {
    const piscina = this.piscina;
    this.piscina = null;
    await piscina?.destroy();
  }
}
