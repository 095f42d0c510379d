/**
 * Option parsers and output helpers shared by the game-theory commands (deviation, tournament,
 * oscillation, metrics). The commands load their analysis code (mathjs, vega) inside their
 * actions, so registering them costs the CLI nothing at start-up.
 */
import { InvalidArgumentError } from "commander";
import { cellText, formatTable } from "../report/table.js";
import { TollwayError } from "../errors.js";
import { parseStrategyList, strategySpecName } from "../analysis/strategy-spec.js";

/** A comma-separated list of non-empty names. */
export function nameList(name: string): (value: string) => string[] {
  return (value) => {
    const items = value.split(",").map((s) => s.trim());
    if (items.some((s) => s === "")) throw new InvalidArgumentError(`${name} must be a comma-separated list of names (got "${value}")`);
    return items;
  };
}

/**
 * A comma-separated list of strategies, each optionally with parameters:
 * `fixed-toll:perPacket=2,honest-congestion` (see src/analysis/strategy-spec.ts).
 */
export function strategyList(name: string): (value: string) => { strategy: string; params: Record<string, unknown> }[] {
  return (value) => {
    try {
      return parseStrategyList(value, name).map((s) => ({ strategy: s.ref, params: s.params }));
    } catch (error) {
      if (error instanceof TollwayError) throw new InvalidArgumentError(`${name}: ${error.reason}`);
      throw error;
    }
  };
}

/** A comma-separated list of strategy names in the list syntax, normalized as the studies name them (`--start`). */
export function strategyNames(name: string): (value: string) => string[] {
  const parse = strategyList(name);
  return (value) => parse(value).map((s) => strategySpecName({ ref: s.strategy, params: s.params }));
}

/** What `--isp-strategies`, `--user-strategies`, `--to` and `--params-file` say about parameters, for --help. */
export const STRATEGY_PARAMS_HELP =
  "A strategy plays with its own defaults plus the parameters given for it: inline as " +
  "id:key=value;key=value (e.g. fixed-toll:perPacket=2;proportional=0.1, values read as JSON), " +
  "or in --params-file, a JSON object mapping a strategy to its parameters " +
  "(e.g. {\"fixed-toll\": {\"perPacket\": 2}}); inline parameters win. Nothing carries over from the scenario's parameters.";

/** The parameters a strategy played with, as one short text cell: `{"perPacket":2}`. */
export function paramsText(params: unknown): string {
  return JSON.stringify(params ?? {});
}

/** A finite number ≥ 0. */
export function nonNegativeNumber(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a number ≥ 0 (got "${value}")`);
    return n;
  };
}

/** A JSON object, e.g. `{"fakeToll": 10}`. */
export function jsonObject(name: string): (value: string) => Record<string, unknown> {
  return (value) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new InvalidArgumentError(`${name} must be a JSON object, e.g. '{"fakeToll": 10}' (got "${value}")`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new InvalidArgumentError(`${name} must be a JSON object, e.g. '{"fakeToll": 10}' (got "${value}")`);
    }
    return parsed as Record<string, unknown>;
  };
}

/** Output writing lives in src/report/ (notebooks use it too); re-exported for the commands. */
export { prepareOutputDir, writeOutputs, type OutputFiles, type OutputRun } from "../report/outputs.js";

/** Formats a number for text output: up to `digits` decimals, no trailing zeros. */
export function num(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined) return "—";
  if (!Number.isFinite(value)) return String(value);
  return Number(value.toFixed(digits)).toString();
}

/**
 * An aligned text table whose numbers show at most `digits` decimals (numeric columns and
 * columns of `x → y` pairs are right-aligned).
 */
export function numberTable(rows: readonly Readonly<Record<string, unknown>>[], digits = 2): string {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return formatTable(rows, keys.map((key) => ({
    key,
    format: (v: unknown) => (typeof v === "number" ? num(v, digits) : v === null ? "—" : cellText(v)),
    align: rows.every((r) => r[key] === undefined || r[key] === null || typeof r[key] === "number") ? "right" : "left",
  })));
}
