import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";
import { TollwayError } from "../../src/errors.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { ROOT } from "../support/run.js";

const scenario = parseScenario({
  name: "faults", rounds: 3, topology: { kind: "generated", nodes: 20, hosts: 6, capacityBps: 1e6 },
  flows: [{ from: "H1", to: "H2", strategy: "fixed-payment", params: { payment: 5 }, packetsPerRound: 100 }],
});

async function failure(workerFile: string): Promise<TollwayError> {
  const error = await runScenario(scenario, { parallel: { workers: 2, minFlowsToShard: 1, workerFile } }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TollwayError);
  return error as TollwayError;
}

describe("worker faults end the run with a clear error, never a hang", () => {
  it("a worker that crashes names the shard and the round", async () => {
    const error = await failure(ROOT + "test/fixtures/workers/crashing-worker.mjs");
    expect(error.message).toMatch(/^worker for shard \d failed in round 0: worker exited with code: 3/);
  });

  it("a worker task that throws carries the reason", async () => {
    const error = await failure(ROOT + "test/fixtures/workers/throwing-worker.mjs");
    expect(error.message).toMatch(/^worker for shard \d failed in round 0: kernel failed in round 0/);
  });

  it("one shard crashing while the other waits for it at the barrier ends the run within a second", async () => {
    const started = performance.now();
    const error = await failure(ROOT + "test/fixtures/workers/crashing-shard-1.mjs");
    expect(error.message).toMatch(/^worker for shard 1 failed in round 0: worker exited with code: 3/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("a strategy that throws inside a worker names the shard, the strategy, the flow and the round", async () => {
    const loaded = loadScenarioFile(ROOT + "test/fixtures/throwing-strategy.json");
    const error = await runScenario(loaded, { parallel: { workers: 2, minFlowsToShard: 1 } }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(TollwayError);
    // Flow A->B has uid 0: shard 0 of 2.
    expect((error as Error).message).toMatch(/^worker for shard 0 failed in round 2 \(building the paying leg\): strategy "throws-in-round-2" \(user A->B\) threw in round 2: budget table is empty/);
  });

  it("an aborted run stops between rounds", async () => {
    const controller = new AbortController();
    const run = runScenario(scenario, { signal: controller.signal, onProgress: (done) => done === 1 && controller.abort() });
    await expect(run).rejects.toThrow(/interrupted after 1 of 3 rounds/);
  });
});
