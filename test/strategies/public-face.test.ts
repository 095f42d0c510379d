/**
 * The built-in strategies are written as a user's would be: they import only `zod` and the
 * public face `tollway/strategy`, and compiled they load in plain Node, which resolves
 * `tollway/strategy` through package.json "exports" (a package may import itself by name).
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/run.js";

const files = (["isp", "user"] as const).flatMap((kind) =>
  readdirSync(`${ROOT}strategies/${kind}`).filter((f) => f.endsWith(".ts")).map((f) => `strategies/${kind}/${f}`));

describe("built-in strategies use the public face", () => {
  it("import nothing but zod and tollway/strategy", () => {
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const imports = ts.preProcessFile(readFileSync(ROOT + file, "utf8"), true, true).importedFiles.map((f) => f.fileName);
      expect(imports.filter((name) => name !== "zod" && name !== "tollway/strategy"), file).toEqual([]);
    }
  });

  it("load from dist/ in plain Node, tollway/strategy resolved through the package's exports", () => {
    const script = `const files = ${JSON.stringify(files.map((f) => `./dist/${f.replace(/\.ts$/, ".js")}`))};
      const ids = [];
      for (const f of files) ids.push((await import(f)).default.id);
      console.log(ids.join(","));`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout.trim().split(",")).toEqual(files.map((f) => f.replace(/^.*\//, "").replace(/\.ts$/, "")));
  });
});
