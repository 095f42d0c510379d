/**
 * A kept worker thread (WorkerPool) hands its last run's memory to the next run's shard
 * (FlowShardOptions.reuse). The row scratch of a run without `security` has no offer index (the
 * beacons' compaction maps an offered position back to the pair's route there): a run with
 * beacons after one without, in the same threads, must give the summary it gives on its own.
 */
import { describe, expect, it } from "vitest";
import { policyScenario, SCALES } from "../../src/reproduce/table1.js";
import { parseScenario } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";
import { WorkerPool } from "../../src/parallel/supervisor.js";

const base = policyScenario({ kind: "dynamic", alpha: 4 }, { scale: SCALES.test, seed: 3 });
const small = (security: ScenarioInput["security"]): ScenarioInput => ({
  ...base, rounds: 20,
  topology: { kind: "generated", nodes: 60, capacityBps: 500e9 / 1000 },
  traffic: { ...base.traffic!, ratePerSec: base.traffic!.ratePerSec / 4 },
  ...(security ? { security } : {}),
});

describe("beacons on a kept thread", () => {
  it("a run with beacons after one without, in the same 2 threads, gives its in-thread summary", async () => {
    const secured = small({ beacons: {}, inPathUpdates: {} });
    const inThread = JSON.stringify((await runScenario(parseScenario(secured))).summary);
    const pool = new WorkerPool({ workers: 2 });
    try {
      const plain = await runScenario(parseScenario(small(undefined)), { parallel: { pool, minFlowsToShard: 0 } });
      const after = await runScenario(parseScenario(secured), { parallel: { pool, minFlowsToShard: 0 } });
      // The same threads played both runs, started once.
      expect(pool.starts).toBe(1);
      expect(JSON.stringify(after.summary)).toBe(inThread);
      // And the two runs differ (beacons' stale prices change what users pay), so the check bites.
      expect(plain.summary.ledger).not.toEqual(after.summary.ledger);
    } finally {
      await pool.close();
    }
  }, 600_000);
});
