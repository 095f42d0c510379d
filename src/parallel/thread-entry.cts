/**
 * The module every Tollway worker thread starts from (piscina's `filename`). It is CommonJS on
 * purpose. piscina loads its `filename` with require() first, and on Node 20.19 and later require()
 * loads an ES module synchronously; a thread terminated during that load (a pool closed while its
 * threads still start: a run that fails fast, a sweep interrupted at once) aborts the whole
 * process with a V8 fatal error ("IsGraphAsync must be used on an instantiated module"). Here
 * require() loads only this file, and the real worker module (`workerData.module`, a file URL)
 * comes through import(), which a termination interrupts cleanly. The import starts as the thread
 * starts, so the module still loads while the caller goes on.
 */
import threads = require("node:worker_threads");

type Handler = (task: unknown) => unknown;

const { module: moduleUrl } = threads.workerData as { module: string };
const handler: Promise<Handler> = import(moduleUrl).then((loaded: { default: Handler }) => loaded.default);
// A module that fails to load fails every task with its error; no thread-wide unhandled rejection.
handler.catch(() => undefined);

function runTask(task: unknown): Promise<unknown> {
  return handler.then((run) => run(task));
}

export = runTask;
