import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSweepPlan } from "../../src/analysis/plan-file.js";
import { runSweepLocal } from "../../src/cluster/local.js";
import { ResultStore } from "../../src/store/store.js";
import { ROOT } from "../support/run.js";
import { query } from "../support/store.js";

describe("a sweep records its experiment and points once", () => {
  it("a store whose points table types a factor otherwise refuses the sweep with the factor's name, and no run is written", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "tollway-register-")), "s.duckdb");
    const store = await ResultStore.open(file);
    // figure1-grid's factor `payment` is a DOUBLE; this store already has it as text.
    await store.rows("ALTER TABLE points ADD COLUMN payment VARCHAR");
    const plan = await loadSweepPlan(ROOT + "test/fixtures/experiments/figure1-grid.json");
    await expect(runSweepLocal(plan, { store, jobs: 1 })).rejects.toThrow(/factor "payment" is DOUBLE here but VARCHAR in the store's points table/);
    await store.closeAfterWrites();
    expect(await query(file, "SELECT count(*)::INTEGER AS n FROM runs")).toEqual([{ n: 0 }]);
    expect(await query(file, "SELECT count(*)::INTEGER AS n FROM experiments")).toEqual([{ n: 0 }]);
  });

  it("a sweep of one run and a resumed sweep with nothing left both record the experiment and its points", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "tollway-register-")), "s.duckdb");
    const plan = await loadSweepPlan(ROOT + "test/fixtures/experiments/figure1-grid.json");
    for (const runs of [plan.runs.slice(0, 1), plan.runs, plan.runs]) {
      const store = await ResultStore.open(file);
      await runSweepLocal(plan, { store, jobs: 1, runs });
      await store.closeAfterWrites();
    }
    expect(await query(file, "SELECT count(*)::INTEGER AS n FROM experiments")).toEqual([{ n: 1 }]);
    expect(await query(file, "SELECT count(*)::INTEGER AS n FROM points")).toEqual([{ n: 6 }]);
    expect(await query(file, "SELECT count(*)::INTEGER AS n, count(DISTINCT (point_id, replication))::INTEGER AS d FROM runs")).toEqual([{ n: 12, d: 12 }]);
  });
});
