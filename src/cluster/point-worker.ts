/** The worker-thread entry of local sweeps: one task is one run (see point-run.ts). */
import { runTask, type RunOutcome, type RunTask } from "./point-run.js";

/** Runs one task in this worker thread. */
export default function run(task: RunTask): Promise<RunOutcome> {
  return runTask(task);
}
