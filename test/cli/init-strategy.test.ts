/**
 * `tollway init-strategy` from a folder outside the repository: the files it writes run as
 * written. `npm install` would need the registry, so the test links what it would install
 * (tollway itself, zod, vitest) from this checkout into the new folder's node_modules; the
 * generated package.json is checked to ask for the same.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/run.js";

const base = mkdtempSync(join(tmpdir(), "tollway-init-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const ours = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

/** Runs a command of the built CLI in `cwd`. */
function tollway(cwd: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [join(ROOT, "bin/tollway.js"), ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** What `npm install` would put in node_modules, linked from this checkout. */
function linkDependencies(dir: string): void {
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(ROOT.replace(/\/$/, ""), join(dir, "node_modules/tollway"));
  for (const name of ["zod", "vitest"]) symlinkSync(join(ROOT, "node_modules", name), join(dir, "node_modules", name));
}

describe("tollway init-strategy", () => {
  for (const kind of ["isp", "user"] as const) {
    it(`writes a ${kind} strategy that runs in a scenario and passes its own tests`, () => {
      const dir = join(base, `${kind}-project`);
      const made = tollway(base, "init-strategy", `my-${kind}`, "--kind", kind, "--dir", dir);
      expect(made.stderr).toBe("");
      expect(made.status).toBe(0);
      expect(made.stdout).toContain(`wrote ${dir}/my-${kind}.ts`);
      expect(made.stdout).toContain(`npm install && npx tollway run scenario-my-${kind}.json && npm test`);

      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, Record<string, string> | string>;
      expect(pkg.type).toBe("module");
      expect(pkg.dependencies).toEqual({ tollway: `file:${ROOT.replace(/\/$/, "")}`, zod: ours.dependencies.zod });
      expect(pkg.devDependencies).toEqual({ vitest: ours.devDependencies.vitest });
      linkDependencies(dir);

      const run = tollway(dir, "run", `scenario-my-${kind}.json`, "--json");
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      const summary = JSON.parse(run.stdout) as { scenario: { name: string }; flows: { sent: number; delivered: number }[] };
      expect(summary.flows[0]).toMatchObject({ sent: 1000, delivered: 1000 }); // 100 packets × 10 rounds, uncongested

      const test = spawnSync(process.execPath, [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--root", dir], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", CI: "true" } });
      expect(test.stdout + test.stderr).toMatch(/Tests\s+(\d+) passed \(\1\)/); // the kit's checks and the two behaviour tests, none failing
      expect(test.status).toBe(0);
    });
  }

  it("a misspelt parameter in the generated scenario is named with the closest one", () => {
    const dir = join(base, "isp-project");
    const file = join(dir, "scenario-my-isp.json");
    writeFileSync(file, readFileSync(file, "utf8").replace('"params": {}', '"params": { "perPackets": 2 }'));
    const run = tollway(dir, "validate", "scenario-my-isp.json");
    expect(run.stderr.trim()).toBe('tollway: scenario-my-isp.json: isps.default.params: unknown field "perPackets" (did you mean "perPacket"?)');
    expect(run.status).toBe(1);
  });

  it("adds to a folder that has an ES-module package.json, and keeps it", () => {
    const dir = join(base, "existing");
    mkdirSync(dir);
    writeFileSync(join(dir, "package.json"), '{ "name": "mine", "type": "module" }\n');
    expect(tollway(dir, "init-strategy", "second", "--kind", "user", "--dir", ".").status).toBe(0);
    expect(readFileSync(join(dir, "package.json"), "utf8")).toBe('{ "name": "mine", "type": "module" }\n');
    expect(readFileSync(join(dir, "second.ts"), "utf8")).toContain('id: "second"');
  });

  it("refuses what it cannot do, on one line", () => {
    const cjs = join(base, "cjs");
    mkdirSync(cjs);
    writeFileSync(join(cjs, "package.json"), '{ "type": "commonjs" }\n');
    const cases: [string[], string][] = [
      [["init-strategy", "My Toll", "--kind", "isp"], 'tollway: strategy id "My Toll" must be lower-case letters, digits and dashes, e.g. my-toll'],
      [["init-strategy", "t", "--kind", "router"], 'tollway: --kind must be isp or user (got "router")'],
      [["init-strategy", "my-isp", "--kind", "isp", "--dir", "isp-project"], `tollway: ${base}/isp-project/my-isp.ts: already exists; choose another id or --dir`],
      [["init-strategy", "t", "--kind", "isp", "--dir", "cjs"], `tollway: ${cjs}/package.json: does not say "type": "module", which strategy files need (they are ES modules); add it, or choose another --dir`],
    ];
    for (const [args, line] of cases) {
      const run = tollway(base, ...args);
      expect(run.stderr.trim()).toBe(line);
      expect(run.status).toBe(1);
    }
  });
});
