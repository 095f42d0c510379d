/**
 * Golden runs: a summary is compared with the committed file test/scenarios/golden/<name>.json;
 * when it differs, the new one is written beside it as <name>.actual.json for review. Set
 * UPDATE_GOLDEN=1 to accept the new summaries.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { expect } from "vitest";
import { ROOT } from "./run.js";

/** Fields that change with every release but not with the result. */
function stable(summary: unknown): unknown {
  return JSON.parse(JSON.stringify(summary, (key, value: unknown) => (key === "version" ? undefined : value)));
}

export function expectGolden(name: string, summary: unknown): void {
  const file = `${ROOT}test/scenarios/golden/${name}.json`;
  const actual = JSON.stringify(stable(summary), null, 2) + "\n";
  if (process.env.UPDATE_GOLDEN === "1" || (!existsSync(file) && process.env.CI !== "true")) {
    writeFileSync(file, actual);
    return;
  }
  const expected = existsSync(file) ? readFileSync(file, "utf8") : "";
  if (actual !== expected) writeFileSync(file.replace(/\.json$/, ".actual.json"), actual);
  expect(actual, `golden ${name} differs; see ${name}.actual.json`).toBe(expected);
}
