/**
 * Beacons and in-path price updates in the engine (issue 15 items 2 and 3): what a user is
 * offered, and at what price, on a 4-AS network where every beacon can be followed by hand.
 *
 *        T            T sells to A and M; M sells to A and B.
 *       / \           Every ISP charges 10 + r units per packet on each of its links in round r
 *      |   M          (1-s rounds), so a price is r + 10 in round r, and a stale one shows.
 *      |  / \
 *      A-+   B        One flow, A → B, sends 10 packets a round from round 0.
 *
 * Offered routes A→B (one per neighbour of A): A→M→B (up-segment A,M; down-segment M,B) and
 * A→T→M→B (up A,T; down T,M,B).
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineIspStrategy, defineUserStrategy } from "../../src/agents/strategy.js";
import { PathTable } from "../../src/model/paths.js";
import { compileTopology, createTopologyGraph, type CompiledTopology } from "../../src/model/topology.js";
import { Simulation, type FlowSource } from "../../src/engine/simulation.js";
import type { OnPathAttacker, SecurityPlan } from "../../src/engine/types.js";
import type { LocalFlowShards } from "../../src/engine/local-shards.js";
import { BeaconBoard } from "../../src/security/beacon-board.js";

function network(): CompiledTopology {
  const graph = createTopologyGraph();
  for (const id of ["T", "M", "A", "B"]) graph.addNode(id, { kind: "isp" });
  const link = { capacityBps: 1e9, latencyMs: 5 };
  for (const [p, c] of [["T", "A"], ["T", "M"], ["M", "A"], ["M", "B"]] as const) graph.addEdge(p, c, { relation: "provider-customer", provider: p, ...link });
  return compileTopology(graph);
}

/** 10 + round units per packet on every link. */
const rising = defineIspStrategy({
  id: "test-rising", name: "Rising toll", params: z.object({}),
  meta: { description: "10 + round per packet", source: "test", memoryDepth: 0, stochastic: false, cheats: false },
  init: () => null,
  decide: (observation, state) => ({ state, action: { tariffs: observation.links.map(() => ({ perPacket: 10 + observation.round })) } }),
});

/** What the user saw each round: "A>M>B@20" per offered path. It takes the first one and pays its price. */
function recorder(seen: string[][]) {
  return defineUserStrategy({
    id: "test-recorder", name: "Recorder", params: z.object({}),
    meta: { description: "records its offers", source: "test", memoryDepth: 0, stochastic: false, cheats: false },
    init: () => 0,
    decide: (observation, state) => {
      seen[observation.round] = observation.paths.map((p) => `${p.nodes.join(">")}@${p.price}`);
      return { state, action: { packets: 10, payment: observation.paths[0]!.price, path: 0 } };
    },
  });
}

function run(rounds: number, security: SecurityPlan | undefined) {
  const topology = network();
  const seen: string[][] = [];
  const flow: FlowSource = {
    arrivals(round, _start, _end, add) {
      if (round !== 0) return;
      add({
        payer: topology.nodeIndex.get("A")!, payee: topology.nodeIndex.get("B")!, agent: 0, startTime: 0, endTime: Infinity, demandBps: 10 * 12_000,
        payingLegBits: 12_000, returnLegBits: 0, dataLeg: 0, keepPerPacket: 0, keepFraction: 0, returnPath: 0, state: undefined,
      });
    },
  };
  const simulation = new Simulation({
    topology, paths: new PathTable(topology, { k: 4 }), seed: 7, roundSeconds: 1, scheduling: "fifo",
    ispAgents: [...topology.nodeIds.keys()].map((node) => ({ node, strategy: rising, params: {}, builtIn: true })),
    userAgents: [{ strategy: recorder(seen), params: {}, builtIn: true }],
    flowSources: [flow],
    settlement: { threshold: 10n ** 15n, billingCycleRounds: 1000, defaulters: new Set() },
    security,
  });
  return { simulation, seen, done: simulation.run(rounds) };
}

const beaconsOnly: SecurityPlan = { beacons: { intervalSeconds: 15, perLink: 5, warmup: false }, shards: { packetBits: 12_000 } };
const withUpdates = (validity: number, onPath?: OnPathAttacker): SecurityPlan => ({
  beacons: { intervalSeconds: 15, perLink: 5, warmup: false }, shards: { packetBits: 12_000, inPathValiditySeconds: validity }, ...(onPath ? { onPath } : {}),
});

describe("users learn offered paths and prices only from verified beacons", () => {
  it("without security: both routes from round 0, at the tolls in force", async () => {
    const { seen, done } = run(16, undefined);
    await done;
    // Round r: 10 + r per link; A>M>B has 2 links, A>T>M>B 3.
    expect(seen[0]).toEqual(["A>M>B@20", "A>T>M>B@30"]);
    expect(seen[14]).toEqual(["A>M>B@48", "A>T>M>B@72"]);
  });

  it("with beacons: a route is offered once beacons covered both its segments, at the totals they carried", async () => {
    const { seen, done, simulation } = run(31, beaconsOnly);
    await done;
    // Interval 0 (t = 0, played before round 0's decisions): every ISP sends its own beacon one
    // hop down. A learns up A,M and A,T (the price of A→M and A→T at t = 0: 10); B learns down
    // M,B (M→B: 10). A>T>M>B needs down T,M,B: two hops, so one interval more. Until t = 15
    // only A>M>B, at 20.
    expect(seen[0]).toEqual(["A>M>B@20"]);
    expect(seen[14]).toEqual(["A>M>B@20"]); // the tolls in force are 24 + 24 = 48
    // Interval 1 (t = 15, price 25 per link): A's beacons from its providers are fresh: A,M =
    // A,T = 25; B gets M,B = 25, and M forwards T's t = 0 beacon (T→M: 10) with its own hop
    // (M→B: 25): T,M,B = 35. So A>M>B = 25 + 25 = 50, A>T>M>B = 25 + 35 = 60 (in force: 75).
    expect(seen[15]).toEqual(["A>M>B@50", "A>T>M>B@60"]);
    expect(seen[29]).toEqual(["A>M>B@50", "A>T>M>B@60"]);
    // Interval 2 (t = 30, 40 per link): A,M = A,T = M,B = 40; T,M,B = T→M at t = 15 (25) + 40 = 65.
    expect(seen[30]).toEqual(["A>M>B@80", "A>T>M>B@105"]);
    // Three intervals played, 2 processes: 4 one-hop beacons each at t = 0; then also M
    // forwards T's to A and B at t = 15 and 30 (what it holds): 6 each.
    expect(simulation.beacons!.totals).toMatchObject({ intervals: 3, warmupIntervals: 0, rejected: 0, sent: 2 * (4 + 6 + 6) });
  });

  it("a beacon garbled on a link is rejected and teaches nothing: that segment's routes are not offered", async () => {
    const board = new BeaconBoard(network(), {
      seed: 7, intervalSeconds: 15, perLink: 5, warmup: false, linkToll: () => 10n,
      onLink: (bytes) => {
        const copy = Uint8Array.from(bytes);
        copy[copy.length - 1]! ^= 1; // the last hop's signature
        return copy;
      },
    });
    const prices = board.advance(0)!;
    expect(prices.up.size + prices.down.size).toBe(0);
    expect(board.totals).toMatchObject({ sent: 8, rejected: 8 });
  });

  it("the warm-up plays intervals until two in a row teach nothing new", () => {
    const board = new BeaconBoard(network(), { seed: 7, intervalSeconds: 15, perLink: 5, linkToll: () => 10n });
    const prices = board.advance(0)!;
    // Intervals 0 and 1 teach every segment (the longest is 2 hops); 2 and 3 teach nothing new;
    // then the interval of t = 0 itself.
    expect(board.totals).toMatchObject({ warmupIntervals: 4, intervals: 5 });
    const topology = network();
    const named = (m: Map<string, number>) => [...m.keys()].map((k) => k.split(",").map((n) => topology.nodeIds[Number(n)]).join(",")).sort();
    expect(named(prices.up)).toEqual(["A,M", "A,M,T", "A,T", "B,M", "B,M,T", "M,T"]);
    expect(named(prices.down)).toEqual(["M,A", "M,B", "T,A", "T,M", "T,M,A", "T,M,B"]);
    expect(board.advance(14)).toBeNull();
    expect(board.advance(15)).not.toBeNull();
  });
});

describe("in-path price updates (Eq. 8–9): the current path at the last round's prices", () => {
  it("the source prices its current route from the authentic updates its packets collected", async () => {
    const { seen, done, simulation } = run(16, withUpdates(2));
    await done;
    // Round 0: no echo yet, beacons only. Round r ≥ 1: A>M>B from round r − 1's updates,
    // 2 × (10 + r − 1), valid until r − 1 + 2 ≥ r. (In force: 2 × (10 + r).)
    expect(seen[0]).toEqual(["A>M>B@20"]);
    expect(seen[1]).toEqual(["A>M>B@20"]);
    expect(seen[5]).toEqual(["A>M>B@28"]);
    expect(seen[14]).toEqual(["A>M>B@46"]);
    // Round 15: A>M>B from the updates of round 14 (2 × 24 = 48); the other route from beacons (60).
    expect(seen[15]).toEqual(["A>M>B@48", "A>T>M>B@60"]);
    const counts = (simulation as unknown as { shards: LocalFlowShards }).shards.shard.security!.counts;
    // 16 rounds × 2 updates made; 15 echoes × 2 accepted; none ignored.
    expect(counts).toEqual({ made: 32, accepted: 30, ignored: 0, pricedInPath: 15, pricedByBeacons: 0 });
  });

  it("an on-path attacker that lowers M's price is ignored: the MAC fails, the beacons' price stands", async () => {
    const lowerM: OnPathAttacker = (updates) => updates.map((u) => (u.as === "M" ? { ...u, linkPrice: 1n } : u));
    const { seen, done, simulation } = run(6, withUpdates(2, lowerM));
    await done;
    // Without the beacon, the user would see A's 10 + r − 1 plus M's 1; it sees the beacons' 20.
    expect(seen[5]).toEqual(["A>M>B@20"]);
    const counts = (simulation as unknown as { shards: LocalFlowShards }).shards.shard.security!.counts;
    expect(counts).toEqual({ made: 12, accepted: 5, ignored: 5, pricedInPath: 0, pricedByBeacons: 5 });
  });

  it("updates that expired before the source reads them are ignored", async () => {
    // Valid for 0.5 s: stamped in round r with validUntil = ⌊r + 0.5⌋ = r, read at r + 1.
    const { seen, done, simulation } = run(6, withUpdates(0.5));
    await done;
    expect(seen[5]).toEqual(["A>M>B@20"]);
    const counts = (simulation as unknown as { shards: LocalFlowShards }).shards.shard.security!.counts;
    expect(counts).toMatchObject({ accepted: 0, ignored: 10, pricedInPath: 0 });
  });
});
