/**
 * The worker-thread entry of local sweeps: one task is a batch of runs (see point-run.ts), run
 * one after another. Batches that arrive while one runs wait for it, so runs never overlap in a
 * thread (a run's strategy guard replaces global clocks and random sources while it plays).
 */
import { runTasks, type RunOutcome, type RunTask } from "./point-run.js";

let queue: Promise<unknown> = Promise.resolve();

/** Runs a batch of tasks in this worker thread, in order; one outcome per task. */
export default function run(tasks: readonly RunTask[]): Promise<RunOutcome[]> {
  const batch = queue.then(() => runTasks(tasks));
  queue = batch.catch(() => undefined);
  return batch;
}
