/**
 * Dotted paths into a scenario (`isps.byNode.Y.params.fakeToll`, `flows.0.packetsPerRound`): the
 * ones a scenario has, the closest one to a misspelt path, and setting a value at one.
 */
import { loadStrategy } from "../agents/loader.js";
import type { AnyStrategy } from "../agents/strategy.js";
import { TollwayError } from "../errors.js";
import { parseParams } from "./build.js";
import type { LoadedScenario } from "./load.js";
import type { StrategyChoice } from "./schema.js";
import { dirname, resolve } from "node:path";

/**
 * Every path the scenario has, with its defaults filled in, plus each strategy's parameters
 * (with the strategy's defaults) under the choice's `params`.
 *
 * @example (await scenarioPaths(figure1)).has("isps.byNode.Y.params.perPacket") // true
 */
export async function scenarioPaths(loaded: LoadedScenario): Promise<Set<string>> {
  const paths = new Set<string>();
  walk(loaded.scenario, "", paths);
  const baseDir = loaded.file === "<inline>" ? process.cwd() : dirname(resolve(loaded.file));
  const { scenario } = loaded;
  const choices: [string, "isp" | "user", StrategyChoice][] = [
    ["isps.default", "isp", scenario.isps.default],
    ...Object.entries(scenario.isps.byNode).map(([id, c]): [string, "isp", StrategyChoice] => [`isps.byNode.${id}`, "isp", c]),
    ...scenario.flows.map((f, i): [string, "user", StrategyChoice] => [`flows.${i}`, "user", f]),
    ...(scenario.traffic ? [["traffic.user", "user", scenario.traffic.user] as [string, "user", StrategyChoice]] : []),
  ];
  for (const [at, kind, choice] of choices) {
    let strategy: AnyStrategy;
    try {
      strategy = kind === "isp" ? await loadStrategy("isp", { ref: choice.strategy, baseDir }) : await loadStrategy("user", { ref: choice.strategy, baseDir });
    } catch (error) {
      if (error instanceof TollwayError) throw new TollwayError(error.reason, { file: loaded.file, field: `${at}.strategy` }, { cause: error });
      throw error;
    }
    const params = parseParams(strategy, choice.params, loaded.file, `${at}.params`);
    walk(params, `${at}.params`, paths);
  }
  return paths;
}

function walk(value: unknown, at: string, paths: Set<string>): void {
  if (at !== "") paths.add(at);
  if (value === null || typeof value !== "object") return;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, child] of entries) walk(child, at === "" ? key : `${at}.${key}`, paths);
}

/** The path of `known` nearest to `path` by edit distance (ties: the first in order). */
export function closestPath(path: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(path, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** Levenshtein distance (insertions, deletions and substitutions each cost 1). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Throws a TollwayError naming `where` when `path` is not in `known`, suggesting the closest one.
 */
export function requirePath(path: string, known: Set<string>, file: string, where: string): void {
  if (known.has(path)) return;
  const near = closestPath(path, known);
  throw new TollwayError(`unknown scenario path "${path}"${near !== undefined ? ` (closest: "${near}")` : ""}`, { file, field: where });
}

/**
 * Sets `value` at the dotted `path` of a plain JSON object, in place; missing objects on the way
 * are created (a new strategy parameter), array positions must exist.
 */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node: unknown = target;
  for (const [i, key] of keys.entries()) {
    const last = i === keys.length - 1;
    if (Array.isArray(node)) {
      const index = Number(key);
      if (!Number.isInteger(index) || index < 0 || index >= node.length) throw new TollwayError(`no position ${key} in the list at "${keys.slice(0, i).join(".")}"`);
      if (last) node[index] = value;
      else node = node[index];
    } else if (node !== null && typeof node === "object") {
      const record = node as Record<string, unknown>;
      if (last) record[key] = value;
      else {
        if (record[key] === undefined) record[key] = {};
        node = record[key];
      }
    } else {
      throw new TollwayError(`"${keys.slice(0, i).join(".")}" is not an object or a list`);
    }
  }
}
