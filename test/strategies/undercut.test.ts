import { describe, expect, it } from "vitest";
import type { IspObservation, LinkRivals, RouteQuote } from "../../src/agents/strategy.js";
import { createRng } from "../../src/engine/random.js";
import { FREE_TARIFF, type Tariff } from "../../src/mechanisms/billpay/tolls.js";
import { buildScenario } from "../../src/scenario/build.js";
import { parseScenario } from "../../src/scenario/load.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";
import { runScenario } from "../../src/scenario/run.js";
import { ROOT } from "../support/run.js";
import undercut from "../../strategies/isp/undercut.js";

const toll = (perPacket: number, more: Partial<Tariff> = {}): Tariff => ({ ...FREE_TARIFF, perPacket, ...more });
const route = (nodes: string[], tolls: Tariff[]): RouteQuote => ({ nodes, tariffs: tolls });

/**
 * ISP Y with one link, to B. In the market X→B its route X-Y-B competes with X-Z-B; X charges
 * `upstream` on each of its links and Z announces `rival` on Z→B.
 */
function market(round: number, rival: Tariff | null, upstream = 2): IspObservation {
  const rivals: LinkRivals[] = rival === null ? [] : [{
    link: 7, from: "X", to: "B",
    own: route(["X", "Y", "B"], [toll(upstream), toll(0)]),
    rivals: [route(["X", "Z", "B"], [toll(upstream), rival])],
  }];
  return {
    round, isp: "Y", roundSeconds: 1, revenue: 0, cumulativeRevenue: 0,
    links: [{
      link: 7, to: "B", relation: "customer", capacityBitsPerRound: 1e9, offeredBits: 0, carriedBits: 0, carriedPackets: 0,
      droppedPackets: 0, utilization: 0, load: 0, revenue: 0, tariff: toll(0),
    }],
    neighbours: [], rivals,
  };
}

/** Plays `script` (observation → expected per-packet toll), Axelrod's versus_test style. */
function versus(params: Record<string, unknown>, script: [IspObservation, number][]): void {
  const p = undercut.params.parse(params);
  let state = undercut.init(p);
  script.forEach(([observation, expected], i) => {
    const decision = undercut.decide(observation, state, p, createRng(i));
    expect(decision.action.tariffs.map((t) => t.perPacket), `step ${i} (round ${observation.round})`).toEqual([expected]);
    state = decision.state;
  });
}

describe("undercut: announces its route one step below the cheapest rival route", () => {
  it("opens at perPacket in round 0 (nothing announced yet), then prices its route 1 below the rival's", () => {
    // Rival route X-Z-B costs 2 + Z's toll; own route costs 2 + own toll: own toll = Z's toll − 1.
    versus({}, [
      [market(0, toll(0)), 2],
      [market(1, toll(2)), 1],
      [market(2, toll(1)), 0],
      [market(3, toll(0)), 0], // floor 0: it cannot go lower
    ]);
  });

  it("never asks more than perPacket, nor less than floor; a congestion toll counts in the rival's price", () => {
    versus({ perPacket: 5, floor: 2 }, [
      [market(1, toll(9)), 5], // the rival is dear: its own cap
      [market(2, toll(4)), 3],
      [market(3, toll(1)), 2], // would be 0: held at the floor
      [market(4, toll(1, { congestion: 3 })), 3], // rival announces 1 + 3
    ]);
  });

  it("what the upstream hop of its own route charges counts too; step 0 matches instead of undercutting", () => {
    versus({ perPacket: 10 }, [
      [market(1, toll(6), 4), 5], // 4 + 6 − 1 − 4
      [market(1, toll(6), 0), 5], // the upstream charges both routes alike: only the tolls differ
    ]);
    versus({ perPacket: 10, step: 0 }, [[market(1, toll(6)), 6]]);
  });

  it("a per-byte toll is compared for packetBits: 0.002 × 1500 bytes = 3 per packet", () => {
    versus({ perPacket: 10 }, [[market(1, toll(1, { perByte: 0.002 })), 3]]);
    versus({ perPacket: 10, packetBits: 4000 }, [[market(1, toll(1, { perByte: 0.002 })), 1]]);
  });

  it("where no route competes it charges perPacket", () => {
    versus({ perPacket: 4 }, [[market(1, null), 4]]);
  });
});

/** A-X-{Y,Z}-B: X offers A two routes to B, through Y and through Z. */
function race(y: string, z: string): ScenarioInput {
  const link = (a: string, b: string, relation: "peer" | "provider-customer") => ({ a, b, relation, capacityBps: 1e9, latencyMs: 5 });
  return {
    name: "race", unit: "nanodollar", seed: 1, rounds: 5,
    topology: {
      kind: "inline",
      nodes: [{ id: "A", kind: "host" }, { id: "B", kind: "host" }, { id: "X", kind: "isp" }, { id: "Y", kind: "isp" }, { id: "Z", kind: "isp" }],
      links: [link("X", "A", "provider-customer"), link("X", "Y", "peer"), link("X", "Z", "peer"), link("Y", "B", "provider-customer"), link("Z", "B", "provider-customer")],
    },
    isps: { default: { strategy: "fixed-toll", params: { perPacket: 2 } }, byNode: { Y: { strategy: y }, Z: { strategy: z } } },
    flows: [{ from: "A", to: "B", strategy: "cheapest-path", packetsPerRound: 10, ackBytes: 0 }],
  };
}

describe("ISPs see their rivals' public prices in the engine", () => {
  it("two undercutters race to the floor in lock step: neither sees a toll the other set in the same round", async () => {
    const { simulation, topology } = await buildScenario(parseScenario(race("undercut", "undercut")));
    const link = (a: string, b: string) => [...topology.linkFrom.keys()].find((l) => topology.nodeIds[topology.linkFrom[l]!] === a && topology.nodeIds[topology.linkTo[l]!] === b)!;
    const yb = link("Y", "B");
    const zb = link("Z", "B");
    const tolls: [number, number][] = [];
    simulation.observe({ onRound: (r) => tolls.push([r.tariffs.perPacket[yb]!, r.tariffs.perPacket[zb]!]) });
    await simulation.run(5);
    // Round 0: 2 each. Round 1: rival route 2 + 2 = 4, own upstream 2: 4 − 1 − 2 = 1. Round 2: 3 − 1 − 2 = 0.
    expect(tolls).toEqual([[2, 2], [1, 1], [0, 0], [0, 0], [0, 0]]);
  });

  it("an observation lists the neighbours' announced tariffs and the competing routes of each market", async () => {
    const input = race("fixed-toll", `${ROOT}test/fixtures/strategies/price-spy.ts`);
    input.isps!.byNode!.Y = { strategy: "fixed-toll", params: { perPacket: 5 } };
    const spied = globalThis as { priceSpy?: Pick<IspObservation, "round" | "neighbours" | "rivals">[] };
    spied.priceSpy = [];
    await runScenario(parseScenario({ ...input, rounds: 2 }));
    const seen = spied.priceSpy;
    const [first, second] = seen;
    // Round 0: nothing announced yet.
    expect(first!.rivals.find((m) => m.from === "X" && m.to === "B")!.rivals[0]!.tariffs.map((t) => t.perPacket)).toEqual([0, 0]);
    // Round 1: Z's market X→B: own route X-Z-B, rival X-Y-B at X's 2 and Y's 5.
    const xb = second!.rivals.find((m) => m.from === "X" && m.to === "B")!;
    expect(xb.own.nodes).toEqual(["X", "Z", "B"]);
    expect(xb.own.tariffs.map((t) => t.perPacket)).toEqual([2, 3]);
    expect(xb.rivals.map((r) => [r.nodes, r.tariffs.map((t) => t.perPacket)])).toEqual([[["X", "Y", "B"], [2, 5]]]);
    // Z's only ISP neighbour is X (B is a host); X announces 2 on each of its links.
    expect(second!.neighbours.map((n) => [n.isp, n.relation, n.links.map((l) => [l.to, l.tariff.perPacket])]))
      .toEqual([["X", "peer", [["A", 2], ["Y", 2], ["Z", 2]]]]);
  });
});
