/** Option parsers, the progress reporter and Ctrl-C handling shared by commands. */
import { InvalidArgumentError } from "commander";

export function positiveInt(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer (got "${value}")`);
    return n;
  };
}

export function nonNegativeInt(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be an integer ≥ 0 (got "${value}")`);
    return n;
  };
}

export { lazyProgress, progressBar, type Progress } from "./progress.js";

/**
 * Ctrl-C stops a run cleanly: the first one ends it within a round, or at once while a round
 * waits for its workers (they are shut down, nothing half-written); a second one exits at once.
 */
export function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.once("SIGINT", () => {
    process.stderr.write("\ntollway: stopping (Ctrl-C again to quit now)\n");
    controller.abort();
    process.once("SIGINT", () => process.exit(130));
  });
  return controller.signal;
}
