/** Option parsers and the progress bar shared by commands. */
import { InvalidArgumentError } from "commander";
import cliProgress from "cli-progress";

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

/**
 * A duration in milliseconds, written `5s`, `500ms` or a bare number of seconds; `0` for none.
 * @example durationMs("--strategy-timeout")("2.5s") // 2500
 */
export function durationMs(name: string): (value: string) => number {
  return (value) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/.exec(value);
    const ms = match ? Number(match[1]) * (match[2] === "ms" ? 1 : 1000) : NaN;
    if (!Number.isFinite(ms) || ms > 2 ** 31 - 1) throw new InvalidArgumentError(`${name} must be a duration such as 5s or 500ms, or 0 for none (got "${value}")`);
    return ms;
  };
}

/** `--strategy-timeout`, for every command that runs scenarios with strategies from files. */
export const STRATEGY_TIMEOUT_OPTION = [
  "--strategy-timeout <duration>",
  "stop the run when a strategy call from a file takes longer than this (e.g. 5s, 500ms; 0: no limit; default 5s)",
] as const;

/** A progress bar on stderr when it is a terminal; silent otherwise (CI logs, pipes). */
export function progressBar(label: string, total: number): { update(done: number): void; stop(): void } | null {
  if (!process.stderr.isTTY) return null;
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} rounds | {eta}s left`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}

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
