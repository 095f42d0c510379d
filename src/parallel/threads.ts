/**
 * How Tollway starts its piscina threads: every pool's `filename` is the CommonJS entry
 * (thread-entry.cts), which imports the worker module named here. See that file for why.
 */
import { fileURLToPath, pathToFileURL } from "node:url";

/** The compiled entry: beside this file in dist/, or in dist/ when running from sources (tests). */
function entryFile(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith(".ts") ? here.replace(/src[\\/]parallel[\\/]threads\.ts$/, "dist/src/parallel/thread-entry.cjs") : here.replace(/threads\.js$/, "thread-entry.cjs");
}

/** piscina's `filename` and `workerData` for threads that run the default export of `moduleFile`. */
export function threadModule(moduleFile: string): { filename: string; workerData: { module: string } } {
  return { filename: entryFile(), workerData: { module: pathToFileURL(moduleFile).href } };
}
