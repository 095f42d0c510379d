/**
 * `tollway`, `tollway/strategy` and `tollway/testing` type-check from another project, under
 * Node10 resolution and CommonJS (how tslab compiles notebook cells: it ignores tsconfig, and
 * Node10 resolution does not read `exports`, hence `typesVersions` in package.json) as well as
 * under NodeNext. The project is a temporary folder whose node_modules links to this checkout.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/run.js";

const dir = mkdtempSync(join(tmpdir(), "tollway-entry-points-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, "node_modules"));
symlinkSync(ROOT, join(dir, "node_modules/tollway"));
symlinkSync(join(ROOT, "node_modules/zod"), join(dir, "node_modules/zod"));

// A strategy whose decide is typed only through tollway's declarations: an `any` here (a module
// that did not resolve) would fail under --strict as an implicit any, or at the wrong assignments.
const SOURCE = `
import { z } from "zod";
import { VERSION } from "tollway";
import { defineUserStrategy, type UserObservation } from "tollway/strategy";
import { conformanceChecks, type ConformanceCheck } from "tollway/testing";

const mine = defineUserStrategy({
  id: "mine", name: "Mine", params: z.object({ factor: z.number().default(2) }),
  meta: { description: "d", memoryDepth: 0, stochastic: false, cheats: false },
  init: () => ({ rounds: 0 }),
  decide: (observation, state, params) => ({
    state: { rounds: state.rounds + 1 },
    action: { packets: observation.demandPackets, payment: params.factor * 2, path: 0 },
  }),
});
const seen: UserObservation["paths"] = [];
export const checks: ConformanceCheck[] = conformanceChecks(mine);
export const version: string = VERSION;
export const paths: number = seen.length;
// @ts-expect-error: the action's payment must be a number, so the types are really there.
defineUserStrategy({ ...mine, decide: (_o, state) => ({ state, action: { packets: 1, payment: "free", path: 0 } }) });
`;

function tsc(file: string, options: string[]): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), ...options, "--noEmit", "--strict", "--target", "es2022", file], { cwd: dir, encoding: "utf8" });
  return { status: run.status, output: run.stdout + run.stderr };
}

describe("the package's entry points type-check from another project", () => {
  it("under Node10 resolution and CommonJS, with tslab's other settings", () => {
    writeFileSync(join(dir, "cell.ts"), SOURCE);
    const { status, output } = tsc("cell.ts", ["--moduleResolution", "node10", "--module", "commonjs", "--esModuleInterop", "--skipLibCheck"]);
    expect(output).toBe("");
    expect(status).toBe(0);
  });

  it("under NodeNext, as an ES module", () => {
    writeFileSync(join(dir, "strategy.mts"), SOURCE);
    const { status, output } = tsc("strategy.mts", ["--moduleResolution", "nodenext", "--module", "nodenext", "--skipLibCheck"]);
    expect(output).toBe("");
    expect(status).toBe(0);
  });
});
