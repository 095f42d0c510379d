import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { alphaFrontier, type FrontierResult } from "../../src/reproduce/alpha-frontier.js";
import { policyLoaded, policyPlan } from "../../src/reproduce/policy-plan.js";
import { runPolicy, SCALES, type Policy } from "../../src/reproduce/table1.js";
import { ResultStore } from "../../src/store/store.js";

const dir = mkdtempSync(join(tmpdir(), "tollway-frontier-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The test scale on the built-in generator: a few seconds a policy. */
const options = { scale: SCALES.test, seed: 1 };

/** The result as JSON without the wall-clock seconds of each run (the only field that may differ between runs). */
function comparable(result: FrontierResult): string {
  const strip = ({ seconds: _seconds, ...rest }: FrontierResult["static"]) => rest;
  return JSON.stringify({ ...result, static: strip(result.static), outcomes: result.outcomes.map(strip) });
}

describe("reproduce alpha-frontier runs its policies as one sweep", () => {
  it("the plan's points are exactly the scenarios runPolicy runs, each run with the scenario's own seed", async () => {
    const policies: Policy[] = [{ kind: "static" }, { kind: "dynamic", alpha: 2 }, { kind: "dynamic", alpha: 4 }];
    const plan = await policyPlan("alpha-frontier", policies, options);
    expect(plan.points.map((p) => p.values.policy)).toEqual(["static", "alpha=2", "alpha=4"]);
    expect(plan.points.map((p) => p.scenarioHash)).toEqual(policies.map((p) => policyLoaded(p, options).hash));
    // One run per policy, all with seed 1: the paper runs every policy on one seed.
    expect(plan.runs.map((r) => [r.config.index, r.rep, r.seed])).toEqual([[0, 0, 1], [1, 0, 1], [2, 0, 1]]);
  });

  it("with --store a rerun runs nothing and gives the same result; --jobs 2 gives it too; both as runPolicy measures", async () => {
    const store = join(dir, "frontier.duckdb");
    const first: [number, number][] = [];
    const a = await alphaFrontier([4], { ...options, store, workers: 1, onProgress: (d, t) => first.push([d, t]) });
    // Static and alpha = 4: 2 policies.
    expect(first).toEqual([[0, 2], [1, 2], [2, 2]]);
    const second: [number, number][] = [];
    const b = await alphaFrontier([4], { ...options, store, workers: 1, onProgress: (d, t) => second.push([d, t]) });
    expect(second).toEqual([[2, 2]]);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const reader = await ResultStore.open(store, { readOnly: true });
    try {
      const [counts] = await reader.rows<{ runs: number; policies: number; peaks: number }>(
        "SELECT (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM policy_metrics) AS policies, (SELECT count(*) FROM link_peaks) AS peaks",
      );
      // Every directed link has one peak per policy.
      expect(counts).toEqual({ runs: 2, policies: 2, peaks: 2 * a.static.directedLinks });
    } finally {
      reader.close();
    }
    const parallel = await alphaFrontier([4], { ...options, jobs: 2 });
    expect(comparable(parallel)).toBe(comparable(a));
    // What the store gave back is what runPolicy measures in this thread.
    const direct = await runPolicy({ kind: "dynamic", alpha: 4 }, { ...options, workers: 1 });
    const { seconds: _s, ...stored } = a.outcomes[0]!;
    const { seconds: _d, ...measured } = direct;
    expect(stored).toEqual(measured);
    // Derived columns are computed from the stored numbers as before.
    expect(a.points[0]!.revenueVsStaticPct).toBe((100 * (a.points[0]!.revenue - a.static.revenue)) / a.static.revenue);
  });
});
