/**
 * Importing a user's strategy file. Every way it can fail becomes one line that names the file
 * and says what to do: CommonJS where an ES module is needed, a syntax error (file, line, column
 * and the compiler's message), a package that is not installed, an error thrown while loading.
 * The strategy path leads each reason, as a scenario's error names the scenario file first.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { TollwayError } from "../errors.js";
import { PACKAGE_ROOT } from "../version.js";

/** Imports `path` (absolute; .ts/.mts through tsx, .js/.mjs natively) and returns its exports. */
export async function importStrategyFile(path: string): Promise<Record<string, unknown>> {
  const commonJs = commonJsReason(path);
  if (commonJs) throw new TollwayError(`${path}: ${commonJs}`);
  try {
    if (/\.m?ts$/.test(path)) {
      const { tsImport } = await import("tsx/esm/api");
      return (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>;
    }
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new TollwayError(loadFailure(path, error), {}, { cause: error });
  }
}

/**
 * Why Node would read `path` as CommonJS, or null for an ES module. A `.ts` file that Node reads
 * as CommonJS still compiles, but its `export default` then arrives wrapped (`{ default: ... }`),
 * so the rule is the same for both: .mjs/.mts, or .js/.ts under `"type": "module"`.
 */
function commonJsReason(path: string): string | null {
  if (/\.c[jt]s$/.test(path)) return `is CommonJS (${path.slice(-4)}); strategy files are ES modules: rename it .${path.endsWith("ts") ? "mts" : "mjs"} and use import/export`;
  if (/\.m[jt]s$/.test(path)) return null;
  const pkg = nearestPackageJson(dirname(path));
  if (pkg?.type === "module") return null;
  const why = pkg ? `${pkg.file} does not say "type": "module"` : "there is no package.json above it";
  const fix = pkg ? `add "type": "module" to ${pkg.file}` : `put a package.json with {"type": "module"} in ${dirname(path)}`;
  return `would be read as CommonJS (${why}); strategy files are ES modules: ${fix} (\`tollway init-strategy\` writes one), or name the file .mts/.mjs`;
}

/** The package.json Node consults for `dir`: the nearest one at or above it. */
function nearestPackageJson(dir: string): { file: string; type?: unknown } | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const file = join(at, "package.json");
    if (existsSync(file)) {
      try {
        return { file, type: (JSON.parse(readFileSync(file, "utf8")) as { type?: unknown }).type };
      } catch {
        return { file };
      }
    }
    if (dirname(at) === at) return undefined;
  }
}

/** One line saying why importing `path` failed. */
function loadFailure(path: string, error: unknown): string {
  if (!(error instanceof Error)) return `${path}: threw ${describeThrown(error)} while loading`;
  const code = (error as NodeJS.ErrnoException).code;
  const firstLine = error.message.split("\n")[0]!;
  if (error.name === "TransformError") return transformFailure(path, error.message);
  if (code === "ERR_MODULE_NOT_FOUND") return missingModule(path, error.message);
  const commonJs = /^(require|module|exports|__dirname|__filename) is not defined in ES module scope/.exec(error.message);
  if (commonJs) return `${path}: uses CommonJS (\`${commonJs[1]}\`), but strategy files are ES modules: write \`import ... from "..."\` and \`export default defineUserStrategy(...)\` (or defineIspStrategy)`;
  if (error instanceof SyntaxError) return `${syntaxErrorPlace(path) ?? path}: ${/^syntax error/i.test(firstLine) ? "" : "syntax error: "}${firstLine}`;
  return `${thrownAt(path, error) ?? path}: threw while loading: ${firstLine}`;
}

/** tsx's compile error: "Transform failed with N errors:\nFILE:LINE:COL: ERROR: text\n..." (esbuild counts columns from 0). */
function transformFailure(path: string, message: string): string {
  const found = [...message.matchAll(/^(.+):(\d+):(\d+): ERROR: (.*)$/gm)];
  if (found.length === 0) return `${path}: cannot compile: ${message.split("\n").find((l, i) => i > 0 && l.trim() !== "") ?? message.split("\n")[0]}`;
  const [, file, line, column, text] = found[0]!;
  const more = found.length > 1 ? ` (and ${found.length - 1} more error${found.length > 2 ? "s" : ""})` : "";
  return `${file}:${line}:${Number(column) + 1}: syntax error: ${text}${more}`;
}

/** Where a JavaScript syntax error is, from `node --check` (Node's own error carries no position for ES modules). */
function syntaxErrorPlace(path: string): string | undefined {
  const check = spawnSync(process.execPath, ["--check", path], { encoding: "utf8" });
  if (check.status === 0) return undefined;
  const lines = check.stderr.split("\n");
  const at = lines.findIndex((l) => l.startsWith(`${path}:`));
  if (at < 0) return undefined;
  const caret = lines[at + 2]?.indexOf("^") ?? -1;
  return caret >= 0 ? `${lines[at]}:${caret + 1}` : lines[at];
}

/** `FILE:LINE:COL` of the first stack frame inside the strategy file, when there is one. */
function thrownAt(path: string, error: Error): string | undefined {
  for (const frame of (error.stack ?? "").split("\n").slice(1)) {
    const match = /\(?(?:file:\/\/)?([^()\s]+):(\d+):(\d+)\)?$/.exec(frame.trim());
    if (match && (match[1] === path || match[1] === pathToFileURL(path).pathname)) return `${path}:${match[2]}:${match[3]}`;
  }
  return undefined;
}

/** "Cannot find package 'zod' imported from FILE" → what to install, and where. */
function missingModule(path: string, message: string): string {
  const pkg = /Cannot find package '([^']+)' imported from (.+)$/m.exec(message);
  if (pkg) {
    const [, name, from] = pkg as unknown as [string, string, string];
    const folder = dirname(nearestPackageJson(dirname(from))?.file ?? from);
    const install = name === "tollway" && PACKAGE_ROOT !== undefined ? `npm install ${PACKAGE_ROOT}` : `npm install ${name}`;
    return `${path}: cannot find package '${name}' (imported from ${from}): run \`${install}\` in ${folder}`;
  }
  const file = /Cannot find module '([^']+)' imported from (.+)$/m.exec(message);
  if (file) return `${path}: cannot find ${file[1]} (imported from ${file[2]})`;
  return `${path}: ${message.split("\n")[0]}`;
}

function describeThrown(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
