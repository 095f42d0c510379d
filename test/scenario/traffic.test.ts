import { describe, expect, it } from "vitest";
import type { SimulationObserver } from "../../src/engine/simulation.js";
import { DEFAULT_FLOW } from "../../src/mechanisms/pricing/traffic.js";
import { parseScenario } from "../../src/scenario/load.js";
import { buildScenario } from "../../src/scenario/build.js";
import { runScenario } from "../../src/scenario/run.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";

const NODES = ["AS3", "AS5", "AS8", "AS13", "AS21"];

/** The generated flows in the tables during round `round` of a 2,000-flows/s run (with `workers` shards or in-thread). */
async function flowsOfRound(round: number, seed = 7, workers: number | null = null) {
  const loaded = parseScenario({
    name: "traffic-rows", seed, rounds: round + 1,
    topology: { kind: "generated", nodes: 30, capacityBps: 1e9 },
    traffic: { ratePerSec: 2000, packetBits: 1e6, nodes: NODES, user: { strategy: "never-pay", params: {} } },
  });
  const rows: { uid: number; payer: string; payee: string; start: number; end: number; demandBps: number; agent: number; bits: number; back: number }[] = [];
  const watch: SimulationObserver = {
    onRound: (report, simulation) => {
      if (report.round !== round) return;
      simulation.forEachFlow((c, i) => {
        if (c.startTime[i]! < round) return; // arrived in an earlier round
        const id = (n: number) => simulation.topology.nodeIds[n]!;
        rows.push({ uid: c.uid[i]!, payer: id(c.payer[i]!), payee: id(c.payee[i]!), start: c.startTime[i]!, end: c.endTime[i]!, demandBps: c.demandBps[i]!, agent: c.agent[i]!, bits: c.classes.payingLegBits[c.flowClass[i]!]!, back: c.classes.returnLegBits[c.flowClass[i]!]! });
      });
    },
  };
  await runScenario(loaded, { observers: [watch], ...(workers === null ? {} : { parallel: { workers } }) });
  return rows;
}

describe("generated traffic, drawn by the shards", () => {
  it("adds one round's Poisson arrivals between distinct listed nodes, inside the round, with consecutive uids", async () => {
    const flows = await flowsOfRound(4);
    expect(flows.length).toBeGreaterThan(2000 - 5 * Math.sqrt(2000));
    expect(flows.length).toBeLessThan(2000 + 5 * Math.sqrt(2000));
    // One check per flow, gathered, so that a failure names the first bad flow.
    const bad = flows.find((f) =>
      !NODES.includes(f.payer) || !NODES.includes(f.payee) || f.payee === f.payer ||
      f.start < 4 || f.start >= 5 || !(f.end > f.start) || f.end - f.start > DEFAULT_FLOW.maxDurationSec ||
      !(f.demandBps > 0) || f.agent !== 0 || f.bits !== 1e6 || f.back !== 0);
    expect(bad).toBeUndefined();
    const uids = flows.map((f) => f.uid);
    expect(uids).toEqual(Array.from({ length: uids.length }, (_, j) => uids[0]! + j));
    expect(new Set(flows.map((f) => f.demandBps)).size).toBe(flows.length);
  });

  it("depends only on the seed and the round, and not on the number of shards", async () => {
    const serial = await flowsOfRound(2);
    expect(await flowsOfRound(2, 7, 2)).toEqual(serial);
    expect(await flowsOfRound(2, 7, 3)).toEqual(serial);
    expect(await flowsOfRound(2, 8)).not.toEqual(serial);
  }, 120_000);
});

describe("the scenario's traffic section", () => {
  const base: ScenarioInput = {
    name: "traffic", unit: "milli-price-unit", rounds: 3,
    topology: { kind: "generated", nodes: 30, seed: 3, capacityBps: 1e9 },
    isps: { default: { strategy: "static-price" } },
    traffic: { ratePerSec: 300 },
    settlement: { threshold: 1e12 },
  };

  it("fills in the flow law, packet size and the cheapest-path user", () => {
    const { traffic } = parseScenario(base).scenario;
    expect(traffic).toEqual({ ratePerSec: 300, flow: { ...DEFAULT_FLOW }, packetBits: 1e6, user: { strategy: "cheapest-path", params: {} } });
  });

  it("names a bad field", () => {
    expect(() => parseScenario({ ...base, traffic: { ratePerSec: -1 } })).toThrow(/traffic\.ratePerSec/);
    expect(() => parseScenario({ ...base, traffic: { ratePerSec: 1, flow: { durationSigma: -2 } } })).toThrow(/traffic\.flow\.durationSigma/);
    expect(() => parseScenario({ ...base, traffic: { ratePerSec: 1, colour: 1 } })).toThrow(/unknown field "colour"/);
  });

  it("runs: every generated flow is a user of the traffic's strategy", async () => {
    const { simulation } = await buildScenario(parseScenario(base));
    const agents = new Set<number>();
    let ended = 0;
    simulation.observe({ onFlowEnd: (record) => { agents.add(record.agent); ended++; } });
    await simulation.run(3);
    expect(ended).toBeGreaterThan(600);
    expect([...agents]).toEqual([0]);
  });

  it("checks the traffic user's parameters against its strategy", async () => {
    const bad = parseScenario({ ...base, traffic: { ratePerSec: 1, user: { strategy: "cheapest-path", params: { switchAfterSec: -1 } } } });
    await expect(buildScenario(bad)).rejects.toThrow(/traffic\.user\.params\.switchAfterSec/);
  });
});
