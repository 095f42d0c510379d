/** `--strategy-timeout`: the budget of one strategy call (see src/engine/strategy-guard.ts), for the commands that run scenarios. */
import { InvalidArgumentError } from "commander";

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
