/**
 * Beacons and in-path updates on Table I's pipeline (generated traffic, cheapest-path users,
 * dynamic prices), on a 60-AS generated network: the same summary in-thread and with 1, 2 and 3
 * worker threads, and a clear error for a `security` section the engine cannot play.
 */
import { describe, expect, it } from "vitest";
import { policyScenario, SCALES } from "../../src/reproduce/table1.js";
import { parseScenario } from "../../src/scenario/load.js";
import { buildScenario } from "../../src/scenario/build.js";
import { runScenario, type RunOptions } from "../../src/scenario/run.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";

const base = policyScenario({ kind: "dynamic", alpha: 4 }, { scale: SCALES.test, seed: 3 });
const small = (security: ScenarioInput["security"]): ScenarioInput => ({
  ...base, rounds: 20,
  topology: { kind: "generated", nodes: 60, capacityBps: 500e9 / 1000 },
  traffic: { ...base.traffic!, ratePerSec: base.traffic!.ratePerSec / 4 },
  ...(security ? { security } : {}),
});

async function summary(input: ScenarioInput, options: RunOptions = {}): Promise<string> {
  return JSON.stringify((await runScenario(parseScenario(input), options)).summary);
}

describe("security on Table I's pipeline", () => {
  it("gives the same summary in-thread and in 1, 2 and 3 workers (beacons + in-path updates)", async () => {
    const secured = small({ beacons: {}, inPathUpdates: {} });
    const inThread = await summary(secured);
    for (const workers of [1, 2, 3]) expect(await summary(secured, { parallel: { workers, minFlowsToShard: 0 } }), `${workers} workers`).toBe(inThread);
    // And it is not the run without security (stale prices change what users pay).
    expect(JSON.parse(inThread).ledger).not.toEqual(JSON.parse(await summary(small(undefined))).ledger);
  }, 600_000);

  it("beacons only: the same in-thread and in 2 workers", async () => {
    const secured = small({ beacons: { perLink: 2 } });
    expect(await summary(secured, { parallel: { workers: 2, minFlowsToShard: 0 } })).toBe(await summary(secured));
  }, 600_000);

  it("in-path updates without beacons are refused with the field named", async () => {
    await expect(buildScenario(parseScenario(small({ inPathUpdates: {} }), "s.json"))).rejects.toThrow(/s\.json.*security\.inPathUpdates.*needs security\.beacons/);
  });
});
