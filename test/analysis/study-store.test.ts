import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { deviationStudy } from "../../src/analysis/deviation.js";
import { oscillationStudy } from "../../src/analysis/oscillation-study.js";
import { expandPoints, replicationSeed } from "../../src/analysis/points.js";
import { studyPlan } from "../../src/analysis/study-runs.js";
import { loadSweepPlan } from "../../src/analysis/plan-file.js";
import { tournament } from "../../src/analysis/tournament.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { ResultStore } from "../../src/store/store.js";
import { cli, ROOT } from "../support/run.js";

const dir = mkdtempSync(join(tmpdir(), "tollway-study-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const exact = () => loadScenarioFile(`${ROOT}test/fixtures/deviation-exact.json`);
const twoTransits = () => loadScenarioFile(`${ROOT}test/fixtures/game-two-transits.json`);

/** Every run of the store, and how many distinct (experiment, point, replication) keys they have. */
async function storedRuns(file: string): Promise<{ runs: number; distinct: number; experiments: number }> {
  const store = await ResultStore.open(file, { readOnly: true });
  try {
    const [row] = await store.rows<{ runs: number; distinct: number; experiments: number }>(
      "SELECT count(*) AS runs, count(DISTINCT (experiment_id, point_id, replication)) AS distinct, count(DISTINCT experiment_id) AS experiments FROM runs",
    );
    return row!;
  } finally {
    store.close();
  }
}

/** Records the (done, total) progress calls of one study call. */
function recorder(): { calls: [number, number][]; onProgress: (done: number, total: number) => void } {
  const calls: [number, number][] = [];
  return { calls, onProgress: (done, total) => calls.push([done, total]) };
}

describe("a study with --store keeps its runs, and a rerun reads them instead of running them", () => {
  it("deviation: the second call runs nothing, stores nothing twice and returns the same result", async () => {
    const store = join(dir, "deviation.duckdb");
    const first = recorder();
    const a = await deviationStudy(exact(), { reps: 3, store, onProgress: first.onProgress });
    // The fixture's hand count: Y keeps 5 more from each of 3 rounds × 10 packets = 150 per replication.
    expect(a).toMatchObject({ gain: 150, ci95: [150, 150], baselineRevenue: 300, deviatedRevenue: 450 });
    // 2 points (baseline, deviation) × 3 replications = 6 runs, reported one by one after the start.
    expect(first.calls).toEqual([[0, 6], [1, 6], [2, 6], [3, 6], [4, 6], [5, 6], [6, 6]]);
    const second = recorder();
    const b = await deviationStudy(exact(), { reps: 3, store, onProgress: second.onProgress });
    // All 6 were found in the store: no run finished during the second call.
    expect(second.calls).toEqual([[6, 6]]);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(await storedRuns(store)).toEqual({ runs: 6, distinct: 6, experiments: 1 });
    // The store and memory give the same numbers.
    expect(JSON.stringify(await deviationStudy(exact(), { reps: 3 }))).toBe(JSON.stringify(a));
  });

  it("deviation: an interrupted study resumes where it stopped and ends as an uninterrupted one", async () => {
    const store = join(dir, "interrupted.duckdb");
    const controller = new AbortController();
    const stop = (done: number) => done >= 2 && controller.abort();
    await expect(deviationStudy(exact(), { reps: 3, store, signal: controller.signal, onProgress: stop }))
      .rejects.toThrow(/^interrupted: 2 of 6 runs done; run the same command again to resume \(.*interrupted\.duckdb\)$/);
    expect(await storedRuns(store)).toEqual({ runs: 2, distinct: 2, experiments: 1 });
    const resumed = recorder();
    const r = await deviationStudy(exact(), { reps: 3, store, onProgress: resumed.onProgress });
    // The 2 stored runs count as done from the start; the other 4 run.
    expect(resumed.calls).toEqual([[2, 6], [3, 6], [4, 6], [5, 6], [6, 6]]);
    expect(await storedRuns(store)).toEqual({ runs: 6, distinct: 6, experiments: 1 });
    expect(JSON.stringify(r)).toBe(JSON.stringify(await deviationStudy(exact(), { reps: 3 })));
  });

  it("tournament with --equilibria: stored, rerun from the store, and the same as in memory", async () => {
    const store = join(dir, "tournament.duckdb");
    const options = { ispStrategies: ["honest-congestion", "fake-congestion"], reps: 2, equilibria: true };
    const a = await tournament(twoTransits(), { ...options, store });
    const rerun = recorder();
    const b = await tournament(twoTransits(), { ...options, store, onProgress: rerun.onProgress });
    expect(rerun.calls).toEqual([[8, 8]]);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    // 2 strategies for each of 2 players = 4 profiles × 2 replications.
    expect(await storedRuns(store)).toEqual({ runs: 8, distinct: 8, experiments: 1 });
    // The hand solution of the fixture (see tournament.test.ts), read back from the store.
    expect(b.equilibria![0]!.table.entries.map((e) => e.payoffs)).toEqual([[10, 0], [10, 0], [0, 10], [60, 0]]);
    expect(JSON.stringify(await tournament(twoTransits(), options))).toBe(JSON.stringify(a));
  });

  it("a second study in the same store is a second experiment beside the first", async () => {
    const store = join(dir, "shared.duckdb");
    await deviationStudy(exact(), { reps: 2, store });
    await deviationStudy(exact(), { reps: 2, store, isp: "Z", to: "fixed-toll", params: { perPacket: 3 } });
    // Each: 2 points × 2 replications.
    expect(await storedRuns(store)).toEqual({ runs: 8, distinct: 8, experiments: 2 });
  });
});

describe("--jobs changes where runs happen, never what they give", () => {
  it("tournament with user populations: 2 worker threads equal this thread", async () => {
    const options = { ispStrategies: ["honest-congestion", "fake-congestion"], userStrategies: ["fixed-payment", "never-pay"], reps: 2, equilibria: true };
    const one = await tournament(twoTransits(), { ...options, jobs: 1 });
    const two = await tournament(twoTransits(), { ...options, jobs: 2 });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    // 2 user populations × 4 profiles × 2 replications.
    expect(one.matches).toHaveLength(16);
  });

  it("deviation and oscillation: 2 worker threads equal this thread", async () => {
    const loaded = loadScenarioFile(`${ROOT}scenarios/fake-congestion-monopoly.json`);
    const d1 = await deviationStudy(loaded, { reps: 2, rounds: 5, jobs: 1 });
    const d2 = await deviationStudy(loaded, { reps: 2, rounds: 5, jobs: 2 });
    expect(JSON.stringify(d2)).toBe(JSON.stringify(d1));
    const oscillation = loadScenarioFile(`${ROOT}scenarios/oscillation-smoothing.json`);
    const o1 = await oscillationStudy(oscillation, { reps: 1, rounds: 4, jobs: 1, epsilon: 2 });
    const o2 = await oscillationStudy(oscillation, { reps: 1, rounds: 4, jobs: 2, epsilon: 2 });
    expect(JSON.stringify(o2)).toBe(JSON.stringify(o1));
  });
});

describe("the settling band reaches every run", () => {
  it("oscillation --epsilon: with a band wider than any price, every price has settled from the first round", async () => {
    const loaded = loadScenarioFile(`${ROOT}test/fixtures/oscillation-small.json`);
    const wide = await oscillationStudy(loaded, { reps: 1, epsilon: 1e15 });
    // |price − final price| ≤ 1e15 in every round, so the settling index is 0: 0 s, in every replication.
    for (const p of wide.points) expect(p).toMatchObject({ settledShare: 1, settleSec: 0 });
    // With the default band of 1 the prices of this sweep move: some point settles later, or never.
    const narrow = await oscillationStudy(loaded, { reps: 1 });
    expect(narrow.points.some((p) => p.settleSec !== 0)).toBe(true);
  });
});

describe("a study is a sweep plan", () => {
  it("points are the study's configurations in order, the seeds those of expandPoints", async () => {
    const plan = await studyPlan(exact(), {
      name: "t", field: "deviation", isps: ["Y"], reps: 2, seed: 42, measures: ["welfare"],
      factors: [{ name: "deviation", levels: [{ value: "baseline", set: {} }, { value: "Y:fixed-toll", set: { "isps.byNode.Y.params.perPacket": 3 } }] }],
    });
    expect(plan.points.map((p) => p.values.deviation)).toEqual(["baseline", "Y:fixed-toll"]);
    expect(plan.runs.map((r) => [r.config.index, r.rep, r.seed])).toEqual([
      [0, 0, replicationSeed(42, 0)], [0, 1, replicationSeed(42, 1)], [1, 0, replicationSeed(42, 0)], [1, 1, replicationSeed(42, 1)],
    ]);
    expect((plan.points[1]!.scenario.isps.byNode.Y!.params as { perPacket: number }).perPacket).toBe(3);
  });

  it("for any number of levels, replications and base seed: the runs of expandPoints, in its order and with its seeds", async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 2 ** 31 }), async (levels, reps, seed) => {
      const plan = await studyPlan(exact(), {
        name: "p", field: "deviation", isps: ["Y"], reps, seed, measures: ["welfare"],
        factors: [{ name: "toll", levels: Array.from({ length: levels }, (_, i) => ({ value: `toll ${i}`, set: { "isps.byNode.Y.params.perPacket": i } })) }],
      });
      const expected = expandPoints(Array.from({ length: levels }, (_, i) => i), reps, seed);
      expect(plan.runs.map((r) => [r.config.index, r.rep, r.seed])).toEqual(expected.map((p) => [p.config, p.rep, p.seed]));
    }), { numRuns: 20 });
  });

  it("oscillation with its defaults makes the plan `tollway sweep` makes of the same scenario, so they share a store's runs", async () => {
    const file = `${ROOT}test/fixtures/oscillation-small.json`;
    const loaded = loadScenarioFile(file);
    if (loaded.scenario.sweep === undefined) return expect.unreachable("the fixture has a sweep");
    const store = join(dir, "oscillation.duckdb");
    await oscillationStudy(loaded, { store });
    const plan = await loadSweepPlan(file);
    const runs = await storedRuns(store);
    expect(runs.runs).toBe(plan.runs.length);
    const { status, stdout } = cli("sweep", file, "--store", store, "--jobs", "1");
    expect(status).toBe(0);
    expect(stdout).toMatch(new RegExp(`: 0 runs stored in .* \\(0 failed, ${plan.runs.length} already there\\) of ${plan.runs.length}`));
  });
});

describe("a run that fails stops the study with one line naming it", () => {
  it("a user strategy that throws in round 2", async () => {
    const loaded = loadScenarioFile(`${ROOT}test/fixtures/throwing-strategy.json`);
    await expect(deviationStudy(loaded, { isp: "Y", to: "fake-congestion", reps: 1 }))
      .rejects.toThrow(/throwing-strategy\.json: the run of deviation baseline, replication 0 \(seed \d+\) failed: .*budget table is empty/);
  });
});

describe("the CLI: --store twice prints the same and stores every run once", () => {
  it("deviation --store, then again", () => {
    const store = join(dir, "cli.duckdb");
    const args = ["deviation", "test/fixtures/deviation-exact.json", "--reps", "2", "--store", store, "--jobs", "2"];
    const a = cli(...args);
    const b = cli(...args);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(a.stdout).toMatch(/revenue gain: 150 nanodollar, 95% CI \[150, 150\]/);
    const status = cli("status", store);
    expect(status.stdout).toMatch(/\(deviation deviation-exact\): 4 of 4 runs ok, 0 failed, 0 to do/);
    expect(cli("deviation", "--help").stdout).toMatch(/--store <file>[\s\S]*--jobs <n>/);
  });
});

describe("nothing lost, nothing twice: a study killed with SIGKILL", () => {
  it("tournament: the same command again resumes, stores every match once and prints what an uninterrupted run prints", async () => {
    const store = join(dir, "killed.duckdb");
    // 3 strategies for 2 players = 9 profiles × 10 replications = 90 matches of 200 rounds (long
    // enough, on a quiet machine too, not to finish before the kill).
    const args = ["tournament", "scenarios/fake-congestion-competition.json", "--isp-strategies", "honest-congestion,fake-congestion,fixed-toll", "--reps", "10", "--rounds", "200", "--jobs", "1"];
    const child = spawn(process.execPath, [ROOT + "bin/tollway.js", ...args, "--store", store], { cwd: ROOT, stdio: "ignore" });
    let ended = false;
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => { ended = true; resolve(code); }));
    // Kill once some batches of matches are committed (the write-ahead log grows past the tables' creation).
    while (!ended && !(existsSync(store + ".wal") && statSync(store + ".wal").size > 30_000)) await new Promise((r) => setTimeout(r, 20));
    expect(ended, "the tournament ended before it could be killed").toBe(false);
    child.kill("SIGKILL");
    expect(await exited).toBe(null);
    const before = await storedRuns(store);
    expect(before.runs).toBe(before.distinct);
    expect(before.runs).toBeGreaterThan(0);
    expect(before.runs).toBeLessThan(90);
    const resumed = cli(...args, "--store", store);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(await storedRuns(store)).toEqual({ runs: 90, distinct: 90, experiments: 1 });
    const fresh = cli(...args);
    expect(resumed.stdout).toBe(fresh.stdout);
  });
});
