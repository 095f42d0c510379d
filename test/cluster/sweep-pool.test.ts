/**
 * A sweep pool kept across sweeps (src/cluster/sweep-pool.ts): sweeps on a reused pool store what
 * one job stores; a closed pool, a pool of another size and a pool whose thread died give clear
 * errors, never a silent half-working pool.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSweepPlan } from "../../src/analysis/plan-file.js";
import { runStudy } from "../../src/analysis/study-runs.js";
import { SweepPool, type LocalSweepOptions } from "../../src/cluster/local.js";
import { ROOT } from "../support/run.js";
import { runTables, sweepInto } from "../support/store.js";

const dir = mkdtempSync(join(tmpdir(), "tollway-sweep-pool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const GRID = `${ROOT}test/fixtures/experiments/figure1-grid.json`;
const FAILING = `${ROOT}test/fixtures/experiments/figure1-failing.json`;
const CRASH = `${ROOT}test/fixtures/experiments/figure1-crash.json`;
let files = 0;

const sweep = (experiment: string, options: Omit<LocalSweepOptions, "store">): Promise<string> => sweepInto(join(dir, `s${files++}.duckdb`), experiment, options);

describe("a sweep pool kept across sweeps", () => {
  it("three sweeps on one pool of 2 threads store what one job stores (figure1-grid: 12 runs; figure1-failing: 8 runs, 4 failed)", async () => {
    const grid = await runTables(await sweep(GRID, { jobs: 1 }));
    const failing = await runTables(await sweep(FAILING, { jobs: 1 }));
    expect(grid.runs).toHaveLength(12);
    expect(failing.runs).toHaveLength(8);
    const pool = SweepPool.open({ jobs: 2 });
    try {
      expect(await runTables(await sweep(GRID, { pool }))).toEqual(grid);
      // a run that throws is a failed outcome, not a broken pool: the next sweep still runs
      expect(await runTables(await sweep(FAILING, { pool, batchSize: () => 3 }))).toEqual(failing);
      expect(pool.usable).toBe(true);
      expect(await runTables(await sweep(GRID, { pool, jobs: 2 }))).toEqual(grid);
      // a study on the same pool reads the same 12 runs back
      const runs = await runStudy(await loadSweepPlan(GRID), { pool });
      expect(runs.map((r) => r.status)).toEqual(Array(12).fill("ok"));
      expect(pool.usable).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it("a closed pool, a pool of another size and a bad size are refused with one-line errors", async () => {
    expect(() => SweepPool.open({ jobs: 0 })).toThrow(/positive integer number of jobs \(got 0\)/);
    const pool = SweepPool.open({ jobs: 2 });
    await expect(sweep(GRID, { pool, jobs: 3 })).rejects.toThrow(/jobs 3 differs from the 2 threads of the sweep pool/);
    await pool.close();
    await pool.close(); // twice is harmless
    expect(pool.usable).toBe(false);
    await expect(sweep(GRID, { pool })).rejects.toThrow(/this sweep pool is closed: open a new one/);
  });

  it("a thread that dies stops its sweep with the error, and the pool then says it is broken", async () => {
    const pool = SweepPool.open({ jobs: 2 });
    try {
      await expect(sweep(CRASH, { pool })).rejects.toThrow(/a sweep worker failed: the thread died/);
      expect(pool.usable).toBe(false);
      await expect(sweep(GRID, { pool })).rejects.toThrow(/this sweep pool is broken \(a worker failed: the thread died\): close it and open a new one/);
    } finally {
      await pool.close();
    }
  });
});
