import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadSweepPlan } from "../../src/analysis/plan-file.js";
import { planIdentity } from "../../src/analysis/sweep-plan.js";
import { runTask } from "../../src/cluster/point-run.js";
import { alphaFrontier, type FrontierResult } from "../../src/reproduce/alpha-frontier.js";
import { calibrate } from "../../src/reproduce/calibration.js";
import { claimsMap } from "../../src/reproduce/claims-map.js";
import { cellOptions, policyExperimentFile, policyGridPlan, policyLoaded, policyPlan, scenarioDiff } from "../../src/reproduce/policy-plan.js";
import { runPolicy, SCALES, type Policy } from "../../src/reproduce/table1.js";
import { setPath } from "../../src/scenario/scenario-paths.js";

const dir = mkdtempSync(join(tmpdir(), "tollway-policy-grid-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The test scale on the built-in generator: a few seconds a policy. */
const options = { scale: SCALES.test, seed: 1 };
const STATIC: Policy = { kind: "static" };
const ALPHA4: Policy = { kind: "dynamic", alpha: 4 };

/** A result as JSON without the wall-clock seconds of each run (the only field that may differ between runs). */
function comparable(result: FrontierResult): string {
  const strip = ({ seconds: _seconds, ...rest }: FrontierResult["static"]) => rest;
  return JSON.stringify({ ...result, static: strip(result.static), outcomes: result.outcomes.map(strip) });
}

describe("scenarioDiff", () => {
  it("gives the leaves that differ, and whole values where an object gains or loses a key or a list differs", () => {
    expect(scenarioDiff({ a: { b: 1, c: 2 } }, { a: { b: 1, c: 3 } })).toEqual([["a.c", 3]]);
    expect(scenarioDiff({ a: { b: 1 } }, { a: { b: 1, n: [1] } })).toEqual([["a", { b: 1, n: [1] }]]); // a gains n
    expect(scenarioDiff({ a: { b: 1, k: 2 } }, { a: { b: 1 } })).toEqual([["a", { b: 1 }]]); // a loses k
    expect(scenarioDiff({ l: [1, 2], x: 1 }, { l: [1, 3], x: 1 })).toEqual([["l", [1, 3]]]);
    expect(scenarioDiff({ x: 1 }, { x: 1 })).toEqual([]);
  });

  it("turns one object into the other when its pairs are set on it (property)", () => {
    const leaf = fc.oneof(fc.integer(), fc.constantFrom("a", "b"), fc.array(fc.integer(), { maxLength: 2 }));
    const tree = fc.letrec((tie) => ({
      node: fc.dictionary(fc.constantFrom("p", "q", "r"), fc.oneof({ depthSize: "small" }, leaf, tie("node")), { maxKeys: 3 }),
    })).node;
    fc.assert(fc.property(tree, tree, (from, to) => {
      const target = structuredClone(from) as Record<string, unknown>;
      // Top-level keys the target lacks are added too (setPath creates them); keys only in `from` are dropped by hand.
      for (const key of Object.keys(target)) if (!(key in to)) delete target[key];
      for (const [path, value] of scenarioDiff(target, to)) setPath(target, path, value);
      expect(target).toEqual(to);
    }));
  });
});

describe("a grid of policies is one sweep whose points carry plain data", () => {
  it("the points are load × policy × seed in that order, each exactly policyScenario's scenario for its cell, with its seed", async () => {
    const plan = await policyGridPlan("grid", {
      policies: [STATIC, ALPHA4],
      axes: [{ name: "load", levels: [{ value: 1, options: { load: 1 } }, { value: 2, options: { load: 2 } }] }],
      seeds: [3, 5],
    }, { ...options, variant: { congestionScale: 0.2 } });
    expect(plan.factors.map((f) => [f.name, f.type])).toEqual([["load", "DOUBLE"], ["policy", "VARCHAR"], ["seed", "DOUBLE"]]);
    expect(plan.points.map((p) => [p.values.load, p.values.policy, p.values.seed])).toEqual([
      [1, "static", 3], [1, "static", 5], [1, "alpha=4", 3], [1, "alpha=4", 5],
      [2, "static", 3], [2, "static", 5], [2, "alpha=4", 3], [2, "alpha=4", 5],
    ]);
    // Each point is the scenario of its task, and the task is plain data (it survives a structured clone: a worker's message).
    for (const [i, point] of plan.points.entries()) {
      const task = plan.pricing!.tasks[i]!;
      expect(structuredClone(task)).toEqual(task);
      expect(task.options).toEqual({ ...options, seed: point.values.seed, load: point.values.load, variant: { congestionScale: 0.2 } });
      expect(point.scenarioHash).toBe(policyLoaded(task.policy, task.options).hash);
    }
    // The congestion scale reached the dynamic policy's parameters, and static pricing has none.
    expect(plan.points[2]!.scenario.isps.default.params).toMatchObject({ alpha: 4, scale: 0.2, priceSeed: 3 });
    expect(plan.points[0]!.scenario.isps.default.params).not.toHaveProperty("scale");
    // 4.26 M flows/s × 1/1000 × load 2 = 8,520 flows/s; the seed sets the scenario's and the link prices' seed.
    expect(plan.points[7]!.scenario.traffic!.ratePerSec).toBeCloseTo(8520, 6);
    expect(plan.runs.map((r) => r.seed)).toEqual([3, 5, 3, 5, 3, 5, 3, 5]);
  });

  it("without axes and seeds it is alpha-frontier's plan of before: one factor, policy", async () => {
    const plan = await policyPlan("alpha-frontier", [STATIC, ALPHA4], options);
    expect(plan.factors.map((f) => f.name)).toEqual(["policy"]);
    expect(plan.pricing!.tasks).toEqual([{ policy: STATIC, options }, { policy: ALPHA4, options }]);
  });

  it("cellOptions lays later axes' variant fields over earlier ones and over the options'", () => {
    const cell = cellOptions({ ...options, variant: { congestionScale: 0.2, roundSeconds: 2 } }, [{ load: 8, variant: { roundSeconds: 0.5 } }, { variant: { durationSigma: 1.5 } }], 7);
    expect(cell).toEqual({ ...options, seed: 7, load: 8, variant: { congestionScale: 0.2, roundSeconds: 0.5, durationSigma: 1.5 } });
  });

  it("its SLURM file (variant, axes, seeds) rebuilds the same plan and tasks", async () => {
    const plan = await policyGridPlan("claims-map", {
      policies: [STATIC, ALPHA4], axes: [{ name: "load", levels: [{ value: 1.5, options: { load: 1.5 } }] }], seeds: [1, 2],
    }, { ...options, variant: { congestionScale: 0.2, durationSigma: 1.5 } });
    const file = join(dir, "grid.json");
    writeFileSync(file, JSON.stringify(policyExperimentFile(plan)));
    const rebuilt = await loadSweepPlan(file);
    expect(planIdentity(rebuilt)).toBe(planIdentity(plan));
    // The file's tasks run in one thread each (workers 1), the rest as planned.
    expect(rebuilt.pricing!.tasks).toEqual(plan.pricing!.tasks.map((t) => ({ ...t, options: { ...t.options, workers: 1 } })));
  });
});

describe("a calibrated point runs the same in this thread and in worker threads", () => {
  // Before the variant was data, --congestion-scale reached runPolicy as a function: a worker's message cannot carry one.
  const calibrated = { ...options, variant: { congestionScale: 0.2, roundSeconds: 2 } };

  it("alpha-frontier with a variant: --jobs 2 gives what --jobs 1 gives, and the worker ran the variant's scenario", async () => {
    const inThread = await alphaFrontier([4], { ...calibrated, workers: 1 });
    const parallel = await alphaFrontier([4], { ...calibrated, jobs: 2 });
    expect(comparable(parallel)).toBe(comparable(inThread));
    expect(parallel.outcomes[0]!.scenarioHash).toBe(policyLoaded(ALPHA4, calibrated).hash);
    expect(parallel.outcomes[0]!.scenarioHash).not.toBe(policyLoaded(ALPHA4, options).hash);
    // 10 simulated seconds in rounds of 2 s: the worker measured with the variant's round length.
    const direct = await runPolicy(ALPHA4, { ...calibrated, workers: 1 });
    const { seconds: _a, ...measured } = direct;
    const { seconds: _b, ...stored } = parallel.outcomes[0]!;
    expect(stored).toEqual(measured);
  });

  it("a task of a calibrated plan is measured by runTask as runPolicy measures it", async () => {
    const plan = await policyPlan("alpha-frontier", [ALPHA4], { ...calibrated, workers: 1 });
    const point = plan.points[0]!;
    const outcome = await runTask({ scenario: point.scenario, file: plan.baseFile, seed: plan.runs[0]!.seed, pricing: structuredClone(plan.pricing!.tasks[0]!) });
    expect(outcome.status, outcome.error ?? "").toBe("ok");
    expect(outcome.policy!.scenarioHash).toBe(point.scenarioHash);
    expect(outcome.policy!.ratePerSec).toBeCloseTo(4.26e6 / 1000 * (4 / 3), 6); // the default load 4/3 at 1/1000
  });
});

describe("reproduce calibrate is a sweep over its grid", () => {
  it("stores its points and resumes: a rerun runs nothing and gives the same rows; --jobs 2 gives them too", async () => {
    const store = join(dir, "calibrate.duckdb");
    const grid = { loads: [1, 2], alpha: 4, extra: { roundSeconds: 2 } };
    const progress: [number, number][] = [];
    const rows = await calibrate(grid, { ...options, workers: 1, store, onProgress: (d, t) => progress.push([d, t]) });
    // 2 loads × (static, alpha = 4) = 4 policy runs.
    expect(progress.at(-1)).toEqual([4, 4]);
    expect(rows.map((r) => [r.load, r.alpha, r.roundSeconds, r.durationSigma])).toEqual([[1, 4, 2, 2.15], [2, 4, 2, 2.15]]);
    const again: [number, number][] = [];
    const rerun = await calibrate(grid, { ...options, workers: 1, store, onProgress: (d, t) => again.push([d, t]) });
    expect(again).toEqual([[4, 4]]);
    const strip = (list: typeof rows) => list.map(({ seconds: _s, ...r }) => r);
    expect(strip(rerun)).toEqual(strip(rows));
    expect(strip(await calibrate(grid, { ...options, jobs: 2 }))).toEqual(strip(rows));
    // The row is the two runs' numbers: static's links and dynamic's revenue change, from direct runs.
    const stat = await runPolicy(STATIC, { ...options, load: 2, variant: { roundSeconds: 2 }, workers: 1 });
    const dyn = await runPolicy(ALPHA4, { ...options, load: 2, variant: { roundSeconds: 2 }, workers: 1 });
    expect(rows[1]!.staticLinksUnder50Pct).toBe(stat.linksUnder50Pct);
    expect(rows[1]!.revenueVsStaticPct).toBe((100 * (dyn.revenue - stat.revenue)) / stat.revenue);
  });
});

describe("reproduce claims-map is one sweep over load × policy × seed", () => {
  it("stores its runs and resumes; --jobs 2 and a rerun from the store give the same map; each seed's run is runPolicy's", async () => {
    const store = join(dir, "claims-map.duckdb");
    const run = { ...options, variant: { roundSeconds: 2 } };
    const first = await claimsMap([1.5], [4], { ...run, seeds: [1, 2], store, jobs: 2 });
    const progress: [number, number][] = [];
    const again = await claimsMap([1.5], [4], { ...run, seeds: [1, 2], store, workers: 1, onProgress: (d, t) => progress.push([d, t]) });
    // Static and alpha = 4 on 2 seeds: 4 runs, all in the store already.
    expect(progress).toEqual([[4, 4]]);
    expect(JSON.stringify(again.cells)).toBe(JSON.stringify(first.cells));
    expect(first.seeds).toEqual([1, 2]);
    expect(first.cells.map((c) => [c.load, c.alpha, c.seeds])).toEqual([[1.5, 4, 2]]);
    // The cell's mean revenue change is the mean of the two seeds' changes, each from runs as runPolicy makes them.
    const changes = await Promise.all([1, 2].map(async (seed) => {
      const stat = await runPolicy(STATIC, { ...run, seed, load: 1.5, workers: 1 });
      const dyn = await runPolicy(ALPHA4, { ...run, seed, load: 1.5, workers: 1 });
      return (100 * (dyn.revenue - stat.revenue)) / stat.revenue;
    }));
    expect(first.cells[0]!.revenueVsStaticPct).toBeCloseTo((changes[0]! + changes[1]!) / 2, 10);
    expect(first.outcomes.map((o) => [o.policy, o.seed])).toEqual([["static", 1], ["alpha=4", 1], ["static", 2], ["alpha=4", 2]]);
  });
});
