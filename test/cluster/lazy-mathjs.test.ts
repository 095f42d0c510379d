import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/run.js";

/** Every .ts file under dir. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("mathjs is loaded only when a statistic needs it", () => {
  it("no source file but src/metrics/mathjs-lazy.ts imports mathjs as a value", () => {
    const eager = tsFiles(ROOT + "src").filter((file) => {
      const text = readFileSync(file, "utf8");
      return /^import (?!type )[^;]*from "mathjs"/m.test(text) || /import\("mathjs"\)/.test(text);
    });
    expect(eager).toEqual([]);
  });

  it("a point worker runs Figure 1 without mathjs; the first interval loads it", () => {
    // A child process of its own, so that nothing this test process loaded counts.
    const script = `
      import { createRequire } from "node:module";
      const cache = createRequire(import.meta.url).cache;
      const hasMathjs = () => Object.keys(cache).some((k) => k.includes("/node_modules/mathjs/"));
      const { runTask } = await import(${JSON.stringify(ROOT + "dist/src/cluster/point-run.js")});
      await import(${JSON.stringify(ROOT + "dist/src/cluster/point-worker.js")});
      const { loadScenarioFile } = await import(${JSON.stringify(ROOT + "dist/src/scenario/load.js")});
      const f = loadScenarioFile(${JSON.stringify(ROOT + "scenarios/billpay-figure1.json")});
      const out = await runTask({ scenario: f.scenario, file: f.file, seed: 1 });
      const before = hasMathjs();
      const { meanConfidenceInterval } = await import(${JSON.stringify(ROOT + "dist/src/metrics/stats.js")});
      const ci = meanConfidenceInterval([1, 2, 3]);
      console.log(JSON.stringify({ status: out.status, before, after: hasMathjs(), mean: ci.mean }));`;
    const result = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }));
    // Mean of 1, 2, 3 is 2; computing its t interval needs erf, which loads mathjs.
    expect(result).toEqual({ status: "ok", before: false, after: true, mean: 2 });
  });
});
