/**
 * A strategy as a study names it: a built-in id or a file, and the parameters it plays with.
 *
 * On the command line a list of strategies is written
 *
 *   fixed-toll:perPacket=2,honest-congestion,fake-congestion:fakeToll=5;perPacket=1
 *
 * — entries separated by `,`, an entry's parameters after the first `:` as `key=value` pairs
 * separated by `;`. A value is read as JSON when it parses (`2`, `true`, `[10,15]`, `"x"`) and
 * as a string otherwise; commas inside brackets or quotes do not split entries. A strategy plays
 * with its own defaults plus the parameters given for it — never with parameters of another
 * strategy that happened to have the same name.
 */
import { readFileSync } from "node:fs";
import { TollwayError } from "../errors.js";

/** A strategy of a study and the parameters given for it (over its own defaults). */
export interface StrategySpec {
  /** Built-in id or file path (relative to the scenario). */
  ref: string;
  /** Parameters given for it; its defaults fill in the rest. */
  params: Record<string, unknown>;
}

/** Parameters by strategy (id or file as written), as in a `--params-file`. */
export type ParamsByStrategy = Record<string, Record<string, unknown>>;

/**
 * Parses one entry, `ref` or `ref:key=value;key=value`.
 * @throws TollwayError naming `where` when a pair has no `=` or a key is empty or repeated.
 * @example parseStrategySpec("fixed-toll:perPacket=2", "--isp-strategies") // { ref: "fixed-toll", params: { perPacket: 2 } }
 */
export function parseStrategySpec(text: string, where: string): StrategySpec {
  const colon = text.indexOf(":");
  const ref = (colon < 0 ? text : text.slice(0, colon)).trim();
  if (ref === "") throw new TollwayError(`"${text}" names no strategy`, { field: where });
  const params: Record<string, unknown> = {};
  if (colon < 0) return { ref, params };
  for (const pair of splitTopLevel(text.slice(colon + 1), ";")) {
    if (pair.trim() === "") continue;
    const eq = pair.indexOf("=");
    const key = eq < 0 ? "" : pair.slice(0, eq).trim();
    if (key === "") throw new TollwayError(`"${pair}" in "${text}" is not a key=value pair (e.g. ${ref}:perPacket=2)`, { field: where });
    if (Object.hasOwn(params, key)) throw new TollwayError(`"${key}" is given twice in "${text}"`, { field: where });
    params[key] = parseValue(pair.slice(eq + 1).trim());
  }
  return { ref, params };
}

/**
 * Parses a comma-separated list of entries (see the module comment).
 * @throws TollwayError naming `where` for an empty entry or a bad pair.
 */
export function parseStrategyList(text: string, where: string): StrategySpec[] {
  return splitTopLevel(text, ",").map((entry) => {
    if (entry.trim() === "") throw new TollwayError(`must be a comma-separated list of strategies (got "${text}")`, { field: where });
    return parseStrategySpec(entry, where);
  });
}

/**
 * A strategy's name in a study: its ref alone, or `ref:key=value;...` (keys sorted) when
 * parameters were given, so two variants of one strategy have different names.
 */
export function strategySpecName(spec: StrategySpec): string {
  const keys = Object.keys(spec.params).sort();
  if (keys.length === 0) return spec.ref;
  return `${spec.ref}:${keys.map((k) => `${k}=${formatValue(spec.params[k])}`).join(";")}`;
}

/** A spec from a string (the list syntax's entry) or an object. */
export function toStrategySpec(value: string | { strategy: string; params?: Record<string, unknown> | undefined }, where: string): StrategySpec {
  return typeof value === "string" ? parseStrategySpec(value, where) : { ref: value.strategy, params: { ...value.params } };
}

/**
 * Reads a `--params-file`: a JSON object mapping a strategy (id or file, as named in the study)
 * to an object of its parameters, e.g. `{"fixed-toll": {"perPacket": 2}}`.
 * @throws TollwayError naming the file when it cannot be read or is not such an object.
 */
export function readParamsFile(file: string): ParamsByStrategy {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TollwayError(code === "ENOENT" ? "no such file" : code ? `cannot read (${code})` : `invalid JSON: ${(error as Error).message}`, { file });
  }
  if (!isObject(value)) throw new TollwayError(`must be a JSON object mapping strategies to their parameters, e.g. {"fixed-toll": {"perPacket": 2}}`, { file });
  for (const [strategy, params] of Object.entries(value)) {
    if (!isObject(params)) throw new TollwayError("must be an object of parameters", { file, field: strategy });
  }
  return value as ParamsByStrategy;
}

/**
 * The parameters a spec plays with before its schema fills in defaults: those the params file
 * gives for its ref (or its resolved `id`), overridden by those given inline.
 */
export function givenParams(spec: StrategySpec, id: string, file: ParamsByStrategy | undefined): Record<string, unknown> {
  return { ...(file?.[spec.ref] ?? (id !== spec.ref ? file?.[id] : undefined)), ...spec.params };
}

/**
 * Checks that every strategy a params file names is one the study plays.
 * @throws TollwayError naming the option and the unused key.
 */
export function requireParamsUsed(file: ParamsByStrategy | undefined, named: readonly { ref: string; id: string }[], where: string): void {
  for (const key of Object.keys(file ?? {})) {
    if (!named.some((s) => s.ref === key || s.id === key)) {
      throw new TollwayError(`gives parameters for "${key}", which the study does not play (it plays ${[...new Set(named.map((s) => s.ref))].join(", ")})`, { field: where });
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function formatValue(value: unknown): string {
  return typeof value === "string" && parseValue(value) === value ? value : JSON.stringify(value);
}

/** Splits on `separator` outside brackets, braces and double quotes. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
