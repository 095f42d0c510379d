import { describe, expect, it } from "vitest";
import { TollwayError } from "../../src/errors.js";
import { WorkerPool } from "../../src/parallel/supervisor.js";
import { policyScenario, SCALES } from "../../src/reproduce/table1.js";
import { loadScenarioFile, parseScenario } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";
import { ROOT } from "../support/run.js";

/** Table I's α = 4 scenario, shortened to 3 rounds at test scale: generated traffic. */
const pricing = parseScenario({ ...policyScenario({ kind: "dynamic", alpha: 4 }, { scale: SCALES.test, seed: 1 }), rounds: 3 });
/** The static-price policy on the same network: a second run on the same threads. */
const staticPricing = parseScenario({ ...policyScenario({ kind: "static" }, { scale: SCALES.test, seed: 1 }), rounds: 3 });

const summaryOf = async (loaded: typeof pricing, parallel: Parameters<typeof runScenario>[1]): Promise<string> =>
  JSON.stringify((await runScenario(loaded, parallel)).summary);

describe("WorkerPool: threads kept from one run to the next", () => {
  it("gives every run the summary it gets on threads of its own", async () => {
    const fresh = [await summaryOf(pricing, { parallel: { workers: 2 } }), await summaryOf(staticPricing, { parallel: { workers: 2 } })];
    const pool = new WorkerPool({ workers: 2 });
    try {
      // The same two threads play α = 4, static, then α = 4 again (each run re-initializes its shards).
      const kept = [await summaryOf(pricing, { parallel: { pool } }), await summaryOf(staticPricing, { parallel: { pool } }), await summaryOf(pricing, { parallel: { pool } })];
      expect(kept).toEqual([fresh[0], fresh[1], fresh[0]]);
      expect(pool.starts).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it("start() starts the threads before the first run, which then uses them; a second start() starts none", async () => {
    const pool = new WorkerPool({ workers: 2 });
    try {
      pool.start();
      pool.start();
      expect(pool.starts).toBe(1);
      expect(await summaryOf(pricing, { parallel: { pool } })).toBe(await summaryOf(pricing, { parallel: { workers: 2 } }));
      expect(pool.starts).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it("runs one scenario at a time, and after a run that failed starts fresh threads", async () => {
    const pool = new WorkerPool({ workers: 2 });
    try {
      pool.borrow();
      expect(() => pool.borrow()).toThrow(/one scenario at a time/);
      await pool.giveBack(false);
      expect(pool.starts).toBe(1);
      const failing = loadScenarioFile(ROOT + "test/fixtures/throwing-strategy.json");
      const error = await runScenario(failing, { parallel: { pool, minFlowsToShard: 1 } }).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(TollwayError);
      expect((error as Error).message).toMatch(/^worker for shard 0 failed in round 2/);
      // The failed run's threads were shut down; the next run gets new ones and the usual result.
      expect(await summaryOf(staticPricing, { parallel: { pool } })).toBe(await summaryOf(staticPricing, { parallel: { workers: 2 } }));
      expect(pool.starts).toBe(2);
    } finally {
      await pool.close();
    }
  });
});
