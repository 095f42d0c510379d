/**
 * Loading a user's strategy file: each way it fails is one line that starts with the file and
 * says what to do. The files are written to a temporary folder outside the repository, where
 * neither `zod` nor `tollway` can be found unless the test links them. They are loaded by the
 * built loader in a plain Node process, as `tollway run` loads them (vitest's own module loader
 * would stand between them and Node).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectCleanError, ROOT } from "../support/run.js";

const base = mkdtempSync(join(tmpdir(), "tollway-loader-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

let folders = 0;
/** A fresh folder holding `files` (name → text). */
function folder(files: Record<string, string>): string {
  const dir = join(base, `f${folders++}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const ESM = { "package.json": '{ "type": "module" }' };
const STRATEGY = `
export default {
  kind: "user", id: "plain", name: "Plain", params: { safeParse: (v) => ({ success: true, data: v }), parse: (v) => v },
  meta: { description: "d", memoryDepth: 0, stochastic: false, cheats: false },
  init: () => null, decide: (o, s) => ({ state: s, action: { packets: 1, payment: 0, path: 0 } }),
};
`;

/** What the built loader says for each [folder, ref, kind]: "ok ID" or the TollwayError's message. */
function loadAll(cases: [string, string, "isp" | "user"][]): string[] {
  const script = `
    import { loadStrategy } from ${JSON.stringify(`${ROOT}dist/src/agents/loader.js`)};
    import { TollwayError } from ${JSON.stringify(`${ROOT}dist/src/errors.js`)};
    const out = [];
    for (const [baseDir, ref, kind] of ${JSON.stringify(cases)}) {
      try { out.push("ok " + (await loadStrategy(kind, { ref, baseDir })).params.safeParse({ factors: 1 }).success); }
      catch (e) { out.push(e instanceof TollwayError ? e.message : "NOT A TollwayError: " + String(e)); }
    }
    process.stdout.write(JSON.stringify(out));`;
  // A script file, not `node -e`: -e puts `module` and `require` on globalThis.
  const file = join(base, `load-${folders++}.mjs`);
  writeFileSync(file, script);
  const run = spawnSync(process.execPath, [file], { encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as string[];
}

/** Asserts each [folder, ref, kind?] gives the expected line. */
function expectLoads(cases: [string, string, string, ("isp" | "user")?][]): void {
  const got = loadAll(cases.map(([dir, ref, , kind]) => [dir, ref, kind ?? "user"]));
  got.forEach((message) => expect(message.split("\n")).toHaveLength(1));
  expect(got).toEqual(cases.map(([, , expected]) => expected));
}

describe("a strategy file that cannot be used says why, on one line naming the file", () => {
  it("loads an ES module that exports a strategy", () => {
    const dir = folder({ ...ESM, "plain.ts": STRATEGY, "plain.js": STRATEGY });
    expectLoads([[dir, "./plain.ts", "ok true"], [dir, "./plain.js", "ok true"]]);
  });

  it("a syntax error gives the file, line, column and the compiler's message", () => {
    const broken = 'export default {\n  id: "x",,\n};\n';
    const dir = folder({ ...ESM, "broken.ts": broken, "broken.js": broken });
    // The second comma is the 11th character of line 2.
    expectLoads([[dir, "./broken.ts", `${dir}/broken.ts:2:11: syntax error: Expected identifier but found ","`]]);
    expectLoads([[dir, "./broken.js", `${dir}/broken.js:2:11: syntax error: Unexpected token ','`]]);
  });

  it("a file that throws while loading names the file and the line of the throw", () => {
    const dir = folder({ ...ESM, "throws.ts": 'const a = 1;\nthrow new Error("no budget table " + a);\n', "throws-string.ts": 'throw "oops";\n' });
    expectLoads([[dir, "./throws.ts", `${dir}/throws.ts:2:7: threw while loading: no budget table 1`]]);
    expectLoads([[dir, "./throws-string.ts", `${dir}/throws-string.ts: threw "oops" while loading`]]);
  });

  it("an export that is not a strategy says what it is and which exports are", () => {
    const dir = folder({ ...ESM, "number.ts": "export default 42;\n", "named.ts": STRATEGY.replace("export default", "export const mine =") });
    expectLoads([[dir, "./number.ts", `${dir}/number.ts: export "default" is not a strategy (got number 42); export one made with defineIspStrategy or defineUserStrategy`]]);
    expectLoads([[dir, "./named.ts", `${dir}/named.ts: has no export "default"; did you mean "./named.ts#mine"?`]]);
    expectLoads([[dir, "./named.ts#mine", `${dir}/named.ts: "plain" is a user strategy, expected an ISP strategy`, "isp"]]);
  });

  it("a CommonJS file is refused with how to make it an ES module", () => {
    const cjs = folder({ "package.json": '{ "type": "commonjs" }', "mine.js": "module.exports = {};\n", "mine.ts": STRATEGY });
    expectLoads([[cjs, "./mine.js", `${cjs}/mine.js: would be read as CommonJS (${cjs}/package.json does not say "type": "module"); strategy files are ES modules: add "type": "module" to ${cjs}/package.json (\`tollway init-strategy\` writes one), or name the file .mts/.mjs`]]);
    // A .ts file would compile, but its default export would arrive wrapped: the same rule holds.
    expect(loadAll([[cjs, "./mine.ts", "user"]])[0]).toMatch(/mine\.ts: would be read as CommonJS/);
    const esm = folder({ ...ESM, "mine.js": "module.exports = {};\n", "mine.cts": STRATEGY });
    expectLoads([[esm, "./mine.js", `${esm}/mine.js: uses CommonJS (\`module\`), but strategy files are ES modules: write \`import ... from "..."\` and \`export default defineUserStrategy(...)\` (or defineIspStrategy)`]]);
    expectLoads([[esm, "./mine.cts", `${esm}/mine.cts: is CommonJS (.cts); strategy files are ES modules: rename it .mts and use import/export`]]);
  });

  it("a package that is not installed says what to install and where", () => {
    const dir = folder({ ...ESM, "zod.ts": 'import { z } from "zod";\nexport default z;\n', "tollway.ts": 'import { defineUserStrategy } from "tollway/strategy";\nexport default defineUserStrategy;\n' });
    expectLoads([[dir, "./zod.ts", `${dir}/zod.ts: cannot find package 'zod' (imported from ${dir}/zod.ts): run \`npm install zod\` in ${dir}`]]);
    // Tollway is named by the folder it runs from, as an outside project installs it from there.
    expectLoads([[dir, "./tollway.ts", `${dir}/tollway.ts: cannot find package 'tollway' (imported from ${dir}/tollway.ts): run \`npm install ${ROOT.replace(/\/$/, "")}\` in ${dir}`]]);
  });

  it("with zod and tollway linked in, the same file loads, with strict parameters", () => {
    const dir = folder({ ...ESM, "mine.ts": `import { z } from "zod";
import { defineUserStrategy } from "tollway/strategy";
export default defineUserStrategy({
  id: "mine", name: "Mine", params: z.object({ factor: z.number().default(2) }),
  meta: { description: "d", memoryDepth: 0, stochastic: false, cheats: false },
  init: () => null, decide: (o, s) => ({ state: s, action: { packets: 1, payment: 0, path: 0 } }),
});
` });
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(join(ROOT, "node_modules/zod"), join(dir, "node_modules/zod"));
    symlinkSync(ROOT, join(dir, "node_modules/tollway"));
    // "ok false": it loads, and its z.object refuses the misspelt "factors".
    expectLoads([[dir, "./mine.ts", "ok false"]]);
  });

  it("tollway run prints the loader's line after the scenario's file and field, and fails", () => {
    const dir = folder({ ...ESM, "broken.ts": 'export default {\n  id: "x",,\n};\n' });
    writeFileSync(join(dir, "s.json"), JSON.stringify({
      name: "s", rounds: 1, topology: { kind: "figure1" }, isps: { default: { strategy: "fixed-toll" } },
      flows: [{ from: "A", to: "B", strategy: "./broken.ts", packetsPerRound: 1, packetBytes: 1500, ackBytes: 40 }],
    }));
    expectCleanError(["run", join(dir, "s.json")], new RegExp(`^tollway: ${dir}/s\\.json: flows\\.0\\.strategy: ${dir}/broken\\.ts:2:11: syntax error: Expected identifier but found ","$`));
  });
});
