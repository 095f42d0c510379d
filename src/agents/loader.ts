/**
 * Finds a strategy by id among the built-ins, or loads a user's own file: `path/to/mine.ts`
 * (default export) or `path/to/mine.ts#exportName`. TypeScript files are loaded through tsx.
 */
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { TollwayError } from "../errors.js";
import { checkInputFile } from "../io/files.js";
import { closestName } from "../closest-name.js";
import { importStrategyFile } from "./import-file.js";
import { builtInStrategy, ISP_STRATEGIES, USER_STRATEGIES } from "./registry.js";
import type { AnyStrategy, IspStrategy, UserStrategy } from "./strategy.js";

export interface StrategyRef {
  /** A built-in id, or a file path with an optional `#export`. */
  ref: string;
  /** Directory a relative path is resolved against (the scenario's folder). */
  baseDir?: string;
}

export function isFileRef(ref: string): boolean {
  return /\.(ts|mts|js|mjs)(#.*)?$/.test(ref) || ref.startsWith(".") || isAbsolute(ref);
}

export async function loadStrategy(kind: "isp", ref: StrategyRef): Promise<IspStrategy>;
export async function loadStrategy(kind: "user", ref: StrategyRef): Promise<UserStrategy>;
export async function loadStrategy(kind: "isp" | "user", { ref, baseDir }: StrategyRef): Promise<AnyStrategy> {
  if (!isFileRef(ref)) {
    const found = builtInStrategy(kind, ref);
    if (found) return found;
    const ids = (kind === "isp" ? ISP_STRATEGIES : USER_STRATEGIES).map((s) => s.id);
    const guess = closestName(ref, ids);
    throw new TollwayError(`unknown ${kind} strategy "${ref}" (${guess ? `did you mean "${guess}"? ` : ""}built-in: ${ids.join(", ")}; or give a path to a .ts/.js file)`);
  }
  const [file, exportName = "default"] = ref.split("#") as [string, string?];
  const path = resolve(baseDir ?? process.cwd(), file);
  if (!existsSync(path)) throw new TollwayError(`strategy file not found: ${path}`);
  try {
    checkInputFile(path, "strategy"); // tsx would read /dev/zero until memory runs out
  } catch (error) {
    throw error instanceof TollwayError ? new TollwayError(`${path}: ${error.reason}`, {}, { cause: error }) : error;
  }
  const module = await importStrategyFile(path);
  const strategy = module[exportName];
  if (!isStrategy(strategy)) throw new TollwayError(`${path}: ${notAStrategy(module, exportName, file)}`);
  if (strategy.kind !== kind) {
    const article = (k: "isp" | "user") => (k === "isp" ? "an ISP" : "a user");
    throw new TollwayError(`${path}: "${strategy.id}" is ${article(strategy.kind)} strategy, expected ${article(kind)} strategy`);
  }
  return strategy;
}

function isStrategy(value: unknown): value is AnyStrategy {
  const s = value as Partial<AnyStrategy> | null;
  return typeof s === "object" && s !== null && typeof s.decide === "function" && typeof s.init === "function" && (s.kind === "isp" || s.kind === "user");
}

/** Why `module[exportName]` is not a strategy, naming the exports that are. */
function notAStrategy(module: Record<string, unknown>, exportName: string, file: string): string {
  const value = module[exportName];
  const what = value === undefined ? `has no export "${exportName}"` : `export "${exportName}" is not a strategy (got ${describe(value)})`;
  const others = Object.entries(module).filter(([name, v]) => name !== exportName && isStrategy(v)).map(([name]) => `${file}#${name}`);
  const hint = others.length > 0 ? `; did you mean ${others.map((o) => `"${o}"`).join(" or ")}?` : "; export one made with defineIspStrategy or defineUserStrategy";
  return what + hint;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "function") return "a function";
  if (typeof value !== "object") return `${typeof value} ${JSON.stringify(value)}`;
  if (typeof (value as { decide?: unknown }).decide !== "function") return "an object without a decide function";
  return "an object without kind \"isp\" or \"user\" (use defineIspStrategy or defineUserStrategy)";
}
