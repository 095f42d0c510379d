/**
 * Sweeps whose runs go to worker threads several at a time (src/cluster/local.ts with
 * concurrentBatchRunner): however the runs are batched and however many jobs run them, the store
 * ends with the same rows, every run exactly once, failures recorded, and an interrupted sweep
 * resumes to the same rows.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSweepPlan } from "../../src/analysis/plan-file.js";
import type { BatchSizing } from "../../src/analysis/points.js";
import { runSweepLocal, type LocalSweepOptions } from "../../src/cluster/local.js";
import { ResultStore } from "../../src/store/store.js";
import { ROOT } from "../support/run.js";
import { query, runTables, sweepInto } from "../support/store.js";

const dir = mkdtempSync(join(tmpdir(), "tollway-batches-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const GRID = `${ROOT}test/fixtures/experiments/figure1-grid.json`;
const FAILING = `${ROOT}test/fixtures/experiments/figure1-failing.json`;
let files = 0;

const sweep = (experiment: string, options: Omit<LocalSweepOptions, "store">, file = join(dir, `s${files++}.duckdb`)): Promise<string> => sweepInto(file, experiment, options);

describe("batched sweeps store what one job stores", () => {
  it("figure1-grid (3 × 2 points × 2 replications = 12 runs): 1 job; 2 jobs in batches of 5; 3 jobs in batches of 2; 2 jobs adaptive", async () => {
    const sizes: number[] = [];
    const fives = (s: BatchSizing): number => (sizes.push(Math.min(5, s.remaining)), 5);
    const one = await runTables(await sweep(GRID, { jobs: 1 }));
    // 12 runs; Figure 1 has one round and one flow, so one row each in round_metrics and flow_metrics
    expect(one.runs).toHaveLength(12);
    expect(one.round_metrics).toHaveLength(12);
    expect(one.flow_metrics).toHaveLength(12);
    expect(await runTables(await sweep(GRID, { jobs: 2, batchSize: fives }))).toEqual(one);
    // batches of 5, 5 and the last 2 (each lane asks with what remains: 12, then 7, then 2)
    expect(sizes).toEqual([5, 5, 2]);
    expect(await runTables(await sweep(GRID, { jobs: 3, batchSize: () => 2 }))).toEqual(one);
    expect(await runTables(await sweep(GRID, { jobs: 2 }))).toEqual(one);
  });

  it("a failing run inside a batch is stored with its error and the rest of its batch runs (figure1-failing: 4 of 8 fail)", async () => {
    // runs 0-3 are fixed-payment, 4-7 the throwing strategy: the batch of runs 3-5 mixes both
    const file = await sweep(FAILING, { jobs: 2, batchSize: () => 3 });
    const rows = await query<{ status: string; n: number; error: string | null }>(file, "SELECT status, count(*)::INTEGER AS n, min(error) AS error FROM runs GROUP BY status ORDER BY status");
    expect(rows.map((r) => [r.status, r.n])).toEqual([["failed", 4], ["ok", 4]]);
    expect(rows[0]!.error).toMatch(/round 2/);
    const once = await query<{ n: number }>(file, "SELECT count(DISTINCT (point_id, replication))::INTEGER AS n FROM runs");
    expect(once).toEqual([{ n: 8 }]);
  });

  it("interrupted after its first batches, the same call resumes to the rows of an uninterrupted sweep, each run once", async () => {
    const controller = new AbortController();
    const file = join(dir, "interrupted.duckdb");
    let seen = 0;
    const store = await ResultStore.open(file);
    const outcome = await runSweepLocal(await loadSweepPlan(GRID), {
      store, jobs: 2, batchSize: () => 3, signal: controller.signal,
      onProgress: (p) => { if ((seen = p.done) >= 3) controller.abort(); },
    });
    await store.closeAfterWrites();
    expect(outcome.interrupted).toBe(true);
    // the abort came after the first batch of 3; the other lane's batch of 3 was running and finished
    expect(outcome.ran).toBe(6);
    expect(seen).toBe(6);
    expect(await query(file, "SELECT count(*)::INTEGER AS n FROM runs")).toEqual([{ n: 6 }]);
    await sweep(GRID, { jobs: 2, batchSize: () => 4 }, file);
    expect(await runTables(file)).toEqual(await runTables(await sweep(GRID, { jobs: 1 })));
  });
});

describe("one job, runs in this thread", () => {
  it("an abort from a timer (as Ctrl-C's handler) stops a one-job sweep of short runs part way, and what ran is stored", async () => {
    const { loadScenarioFile } = await import("../../src/scenario/load.js");
    const { experimentSchema } = await import("../../src/scenario/experiment.js");
    const { planExperiment } = await import("../../src/analysis/sweep-plan.js");
    // 500 one-round Figure 1 runs: about a millisecond each, none of which waits on anything
    const loaded = loadScenarioFile(`${ROOT}scenarios/billpay-figure1.json`);
    const spec = experimentSchema.parse({ factors: [{ path: "isps.byNode.Y.params.perPacket", low: 1, high: 500, steps: 500, integer: true }] });
    const plan = await planExperiment(loaded, spec, "timer-abort", "experiment");
    const controller = new AbortController();
    const store = await ResultStore.open(join(dir, "timer.duckdb"));
    let atAbort = -1;
    let ran = 0;
    let timer: NodeJS.Timeout | undefined;
    const outcome = await runSweepLocal(plan, {
      store, jobs: 1, signal: controller.signal,
      onProgress: (p) => {
        ran = p.done;
        // once runs are going, a timer 20 ms later aborts (it can only fire between runs)
        if (p.done === 1) timer = setTimeout(() => { atAbort = ran; controller.abort(); }, 20);
      },
    });
    clearTimeout(timer);
    await store.closeAfterWrites();
    expect(atAbort).toBeGreaterThanOrEqual(1);
    expect(outcome.interrupted).toBe(true);
    // the timer fires in the turn after a run, before that run is counted: it is stored, no other starts
    expect(outcome.ran).toBe(atAbort + 1);
    expect(outcome.ran).toBeLessThan(500);
    expect(await query(join(dir, "timer.duckdb"), "SELECT count(*)::INTEGER AS n FROM runs")).toEqual([{ n: outcome.ran }]);
  });
});
