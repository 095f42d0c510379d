import { describe, expect, it } from "vitest";
import { tournament } from "../../src/analysis/tournament.js";
import { deviationStudy } from "../../src/analysis/deviation.js";
import { buildScenario } from "../../src/scenario/build.js";
import { parseScenario } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";

/** A small generated network without `topology.seed`: its graph comes from the scenario's seed. */
function generated(topologySeed?: number): ScenarioInput {
  return {
    name: "generated-structure", unit: "nanodollar", seed: 4, rounds: 3,
    topology: { kind: "generated", nodes: 12, hosts: 4, capacityBps: 2e6, ...(topologySeed !== undefined ? { seed: topologySeed } : {}) },
    isps: { default: { strategy: "honest-congestion" } },
    players: ["AS1", "AS2"],
    flows: [
      { from: "H1", to: "H4", strategy: "time-sensitive", packetsPerRound: 50 },
      { from: "H2", to: "H3", strategy: "cheapest-path", packetsPerRound: 50 },
    ],
  };
}

describe("the network is part of the scenario, not of the noise", () => {
  it("a 3-replication tournament plays every replication on the same graph", async () => {
    const loaded = parseScenario(generated());
    const r = await tournament(loaded, { ispStrategies: ["honest-congestion", "fixed-toll"], reps: 3 });
    expect(new Set(r.matches.map((m) => m.seed)).size).toBe(3);
    const hashes = new Set([...r.matches, ...r.payoffs].map((m) => m.topologyHash));
    expect([...hashes]).toEqual([(await buildScenario(loaded)).topologyHash]);
    expect(r.topologyHash).toBe(r.matches[0]!.topologyHash);
  });

  it("a deviation study's baseline and deviated runs share one graph in every replication", async () => {
    const loaded = parseScenario(generated());
    const r = await deviationStudy(loaded, { isp: "AS1", to: "fixed-toll", reps: 3 });
    expect(new Set(r.rows.map((row) => row.topologyHash))).toEqual(new Set([r.topologyHash]));
  });

  it("a run seed changes the noise only; topology.seed (or the scenario's seed) changes the graph", async () => {
    const hashOf = async (input: ScenarioInput, seed?: number) =>
      (await buildScenario(parseScenario(input), seed !== undefined ? { seed } : {})).topologyHash;
    const base = await hashOf(generated());
    expect(await hashOf(generated(), 99)).toBe(base);
    expect(await hashOf(generated(4))).toBe(base); // topology.seed defaults to the scenario's seed
    expect(await hashOf(generated(5))).not.toBe(base);
    expect(await hashOf({ ...generated(), seed: 5 })).not.toBe(base);
    // The noise does change with the run seed: the run summary records both.
    const a = (await runScenario(parseScenario(generated()), { seed: 1 })).summary;
    const b = (await runScenario(parseScenario(generated()), { seed: 2 })).summary;
    expect([a.topologyHash, b.topologyHash]).toEqual([base, base]);
    expect([a.seed, b.seed]).toEqual([1, 2]);
  });
});
