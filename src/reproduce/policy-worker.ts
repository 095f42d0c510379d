/**
 * Worker thread entry for `runPolicies`: runs one policy and posts its outcome back. Policies
 * are independent runs of the same seeded scenario, so running them in parallel gives exactly
 * the results of running them one after the other.
 */
import { parentPort, workerData } from "node:worker_threads";
import { runPolicy, type Policy, type ReproductionOptions } from "./table1.js";

/** A message from the worker: a finished round, or the outcome. */
export type PolicyWorkerMessage =
  | { kind: "progress"; policy: string; round: number; rounds: number }
  | { kind: "done"; outcome: Awaited<ReturnType<typeof runPolicy>> };

const { policy, options } = workerData as { policy: Policy; options: Omit<ReproductionOptions, "onProgress"> };
const port = parentPort!;
const outcome = await runPolicy(policy, {
  ...options,
  onProgress: (name, round, rounds) => port.postMessage({ kind: "progress", policy: name, round, rounds } satisfies PolicyWorkerMessage),
});
port.postMessage({ kind: "done", outcome } satisfies PolicyWorkerMessage, [outcome.peaks.buffer as ArrayBuffer]);
