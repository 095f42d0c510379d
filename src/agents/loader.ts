/**
 * Finds a strategy by id among the built-ins, or loads a user's own file: `path/to/mine.ts`
 * (default export) or `path/to/mine.ts#exportName`. TypeScript files are loaded through tsx.
 */
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { TollwayError } from "../errors.js";
import { checkInputFile } from "../io/files.js";
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
    const known = (kind === "isp" ? ISP_STRATEGIES : USER_STRATEGIES).map((s) => s.id).join(", ");
    throw new TollwayError(`unknown ${kind} strategy "${ref}" (built-in: ${known}; or give a path to a .ts/.js file)`);
  }
  const [file, exportName = "default"] = ref.split("#") as [string, string?];
  const path = resolve(baseDir ?? process.cwd(), file);
  if (!existsSync(path)) throw new TollwayError(`strategy file not found: ${path}`);
  try {
    checkInputFile(path, "strategy"); // tsx would read /dev/zero until memory runs out
  } catch (error) {
    throw error instanceof TollwayError ? new TollwayError(`${path}: ${error.reason}`, {}, { cause: error }) : error;
  }
  const module = await importModule(path);
  const strategy = module[exportName] as AnyStrategy | undefined;
  if (!strategy || typeof strategy !== "object" || typeof strategy.decide !== "function") {
    throw new TollwayError(`${path}: export "${exportName}" is not a strategy (use defineIspStrategy or defineUserStrategy)`);
  }
  if (strategy.kind !== kind) {
    throw new TollwayError(`${path}: "${strategy.id}" is a ${strategy.kind} strategy, expected a ${kind} strategy`);
  }
  return strategy;
}

async function importModule(path: string): Promise<Record<string, unknown>> {
  try {
    if (/\.m?ts$/.test(path)) {
      const { tsImport } = await import("tsx/esm/api");
      return (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>;
    }
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new TollwayError(`${path}: cannot load strategy: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`, {}, { cause: error });
  }
}
