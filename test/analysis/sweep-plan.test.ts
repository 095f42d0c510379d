import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSweepPlan } from "../../src/analysis/plan-file.js";
import { oscillationStudy } from "../../src/analysis/oscillation-study.js";
import { replicationSeed } from "../../src/analysis/points.js";
import { runSweepLocal } from "../../src/cluster/local.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { ResultStore } from "../../src/store/store.js";
import { ROOT } from "../support/run.js";

describe("sweep plans", () => {
  it("points carry their scenario with the factors applied; runs are points × replications with paired seeds", async () => {
    const plan = await loadSweepPlan(ROOT + "test/fixtures/experiments/figure1-grid.json");
    expect(plan.points).toHaveLength(6);
    expect(plan.runs).toHaveLength(12);
    expect(plan.points[3]!.scenario.isps.byNode.Y!.params).toEqual({ perPacket: 10 });
    expect((plan.points[3]!.scenario.flows[0]!.params as { payment: number }).payment).toBe(40);
    expect(plan.runs.map((r) => [r.config.index, r.rep])).toEqual([[0, 0], [0, 1], [1, 0], [1, 1], [2, 0], [2, 1], [3, 0], [3, 1], [4, 0], [4, 1], [5, 0], [5, 1]]);
    for (const r of plan.runs) expect(r.seed).toBe(replicationSeed(1, r.rep));
    expect(new Set(plan.points.map((p) => p.scenarioHash)).size).toBe(6);
    expect(plan.factors).toEqual([
      { name: "isps.byNode.Y.params.perPacket", type: "DOUBLE", paths: ["isps.byNode.Y.params.perPacket"] },
      { name: "payment", type: "DOUBLE", paths: ["flows.0.params.payment"] },
    ]);
    // The same file gives the same ids: what resuming and the cluster's shards rely on.
    const again = await loadSweepPlan(ROOT + "test/fixtures/experiments/figure1-grid.json");
    expect(again.experimentId).toBe(plan.experimentId);
    expect(again.points.map((p) => p.id)).toEqual(plan.points.map((p) => p.id));
  });

  it("changing an ISP's strategy keeps only the parameters the new strategy has", async () => {
    const plan = await loadSweepPlan(ROOT + "scenarios/experiments/fake-congestion-captive.json");
    expect(plan.points).toHaveLength(16);
    const y = plan.points[5]!.scenario.isps.byNode.Y!;
    expect(y.strategy).toBe("fake-congestion");
    expect(y.params).toEqual({ perPacket: 2, threshold: 1, unitsPerOverload: 20, fakeToll: 5 });
    expect(plan.points[5]!.values).toEqual({ fakeToll: 5, captiveShare: 0.25 });
    expect(plan.points[5]!.scenario.flows.map((f) => (f.params as { maxLatencyMs?: number }).maxLatencyMs)).toEqual([20, 20, 100, 100, 100, 100, undefined, undefined]);
  });

  it("the oscillation study's sweep section is a case of the experiment: the same runs give the same measures", async () => {
    const file = ROOT + "test/fixtures/oscillation-small.json";
    const plan = await loadSweepPlan(file);
    expect(plan.points.map((p) => p.values)).toEqual([{ s: 0.1, interval: 1 }, { s: 0.25, interval: 1 }]);
    const store = await ResultStore.open(join(mkdtempSync(join(tmpdir(), "tollway-osc-")), "osc.duckdb"));
    await runSweepLocal(plan, { store, jobs: 1 });
    const swept = await store.rows<{ point_index: number; replication: number; seed: number; switches_per_flow_minute: number; price_volatility: number; welfare: number }>(
      "SELECT point_index, replication, seed, switches_per_flow_minute, price_volatility, welfare FROM runs ORDER BY point_index, replication");
    await store.closeAfterWrites();
    const study = await oscillationStudy(loadScenarioFile(file));
    expect(swept.map((r) => [r.seed, r.switches_per_flow_minute, r.price_volatility, r.welfare]))
      .toEqual(study.rows.map((r) => [r.seed, r.switchesPerFlowMinute, r.priceVolatility, r.welfare]));
  });
});

describe("a level's object is copied into each point", () => {
  it("a later factor that sets a field inside an earlier level's object changes that point only", async () => {
    const { planExperiment } = await import("../../src/analysis/sweep-plan.js");
    const { experimentSchema } = await import("../../src/scenario/experiment.js");
    const loaded = loadScenarioFile(ROOT + "scenarios/billpay-figure1.json");
    const spec = experimentSchema.parse({
      factors: [
        { name: "premium", levels: [{ value: "on", set: { "isps.byNode.Y.params": { perPacket: 12 } } }] },
        { name: "override", levels: [{ value: "five", set: { "isps.byNode.Y.params.perPacket": 5 } }, { value: "none", set: {} }] },
      ],
    });
    const plan = await planExperiment(loaded, spec, loaded.file, "experiment");
    // Before the copy, both points shared the level's object: the first point's 5 was written into it, and the second (which sets nothing) got 5, not 12.
    expect(plan.points.map((p) => p.scenario.isps.byNode.Y!.params)).toEqual([{ perPacket: 5 }, { perPacket: 12 }]);
    expect(plan.points[0]!.scenarioHash).not.toBe(plan.points[1]!.scenarioHash);
  });
});
