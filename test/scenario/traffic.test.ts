import { describe, expect, it } from "vitest";
import type { FlowInit } from "../../src/engine/flows.js";
import { DEFAULT_FLOW } from "../../src/mechanisms/pricing/traffic.js";
import { parseScenario } from "../../src/scenario/load.js";
import { buildScenario } from "../../src/scenario/build.js";
import { GeneratedTraffic } from "../../src/scenario/traffic.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";

const NODES = Int32Array.from([3, 5, 8, 13, 21]);

function collect(source: GeneratedTraffic, round: number, start = round, end = round + 1): FlowInit[] {
  const flows: FlowInit[] = [];
  source.arrivals(round, start, end, (flow) => flows.push({ ...flow }));
  return flows;
}

function source(seed = 7, ratePerSec = 2000): GeneratedTraffic {
  return new GeneratedTraffic({ seed, ratePerSec, flow: DEFAULT_FLOW, nodes: NODES, packetBits: 1e6, agent: 2 });
}

describe("generated traffic as a flow source", () => {
  it("adds one round's Poisson arrivals between distinct listed nodes, inside the round", () => {
    const flows = collect(source(), 4, 4, 5);
    expect(flows.length).toBeGreaterThan(2000 - 5 * Math.sqrt(2000));
    expect(flows.length).toBeLessThan(2000 + 5 * Math.sqrt(2000));
    // One check per flow, gathered, so that a failure names the first bad flow.
    const bad = flows.find((f) =>
      !NODES.includes(f.payer) || !NODES.includes(f.payee) || f.payee === f.payer ||
      f.startTime < 4 || f.startTime >= 5 || !(f.endTime > f.startTime) || f.endTime - f.startTime > DEFAULT_FLOW.maxDurationSec ||
      !(f.demandBps > 0) || f.agent !== 2 || f.payingLegBits !== 1e6 || f.returnLegBits !== 0 || f.dataLeg !== 0 ||
      f.keepPerPacket !== 0 || f.keepFraction !== 0 || f.state !== undefined);
    expect(bad).toBeUndefined();
    // Arrival times are sorted, and no two flows are the same object's leftovers.
    expect(flows.map((f) => f.startTime)).toEqual([...flows.map((f) => f.startTime)].sort((a, b) => a - b));
    expect(new Set(flows.map((f) => f.demandBps)).size).toBe(flows.length);
  });

  it("depends only on the seed and the round: the same flows whatever came before", () => {
    const a = source(7);
    const b = source(7);
    collect(a, 0);
    collect(a, 1);
    expect(collect(a, 2)).toEqual(collect(b, 2));
    expect(collect(source(8), 2)).not.toEqual(collect(b, 2));
    expect(a.generated).toBeGreaterThan(0);
  });
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
