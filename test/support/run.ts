/** Helpers for tests that run scenarios or the CLI. */
import { spawnSync } from "node:child_process";
import { expect } from "vitest";
import { fileURLToPath } from "node:url";
import { parseScenario, loadScenarioFile } from "../../src/scenario/load.js";
import { runScenario, type RunOptions } from "../../src/scenario/run.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SHARED_DATA = fileURLToPath(new URL("../../../shared/data/", import.meta.url));

export async function runFile(file: string, options: RunOptions = {}) {
  return (await runScenario(loadScenarioFile(ROOT + file), options)).summary;
}

export async function runInline(scenario: ScenarioInput, options: RunOptions = {}) {
  return (await runScenario(parseScenario(scenario), options)).summary;
}

/** Runs the built CLI (dist/) and returns its exit code and output. */
export function cli(...args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [ROOT + "bin/tollway.js", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Bad input: one line on stderr, `tollway: ...` matching `pattern`, no stack, nothing on stdout, exit ≠ 0. */
export function expectCleanError(args: string[], pattern: RegExp): string {
  const { status, stderr, stdout } = cli(...args);
  expect(status).not.toBe(0);
  expect(stdout).toBe("");
  const lines = stderr.trim().split("\n");
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(lines[0]).toMatch(/^tollway: /);
  expect(lines[0]).toMatch(pattern);
  return lines[0]!;
}
