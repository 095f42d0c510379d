/**
 * The flow table's rows written in place (generated flows are drawn straight into them), its
 * capacity set ahead from the traffic, and its memory reused by the next run in a thread.
 */
import { describe, expect, it } from "vitest";
import { ArrivalBuffer, FlowTable, type FlowInit } from "../../src/engine/flows.js";
import { FlowShard } from "../../src/engine/flow-shard.js";
import { DEFAULT_FLOW, meanDurationSec } from "../../src/mechanisms/pricing/traffic.js";
import { figure1Topology } from "../../src/model/figure1.js";
import { PathTable } from "../../src/model/paths.js";
import { compileTopology } from "../../src/model/topology.js";
import cheapestPath from "../../strategies/user/cheapest-path.js";

const arrival = (payer: number): FlowInit => ({
  payer, payee: payer + 1, agent: 0, startTime: 0, endTime: 9, demandBps: 1000, payingLegBits: 8000, returnLegBits: 0,
  dataLeg: 0, keepPerPacket: 0, keepFraction: 0, returnPath: 0, state: undefined,
});

describe("FlowTable rows", () => {
  it("appendRows starts every row as addArrivals does, whatever the memory held before", () => {
    const table = new FlowTable(64);
    const listed = new ArrivalBuffer();
    for (let uid = 0; uid < 10; uid++) listed.push(arrival(uid), uid);
    table.addArrivals(listed.take());
    const c = table.columns;
    // Dirty the rows a run would have written, then empty the table and append over them.
    for (let i = 0; i < 10; i++) {
      c.hasReport[i] = 1;
      c.lastPath[i] = 2;
      c.payingSlot[i] = 7;
      c.cumulativeSpent[i] = 123;
      c.pathSwitches[i] = 4;
      table.states[i] = { dirty: true };
    }
    table.clear();
    expect(table.count).toBe(0);
    expect(table.appendRows(6)).toBe(0);
    expect(table.count).toBe(6);
    for (let i = 0; i < 6; i++) {
      expect([c.hasReport[i], c.lastPath[i], c.payingSlot[i], c.returnSlot[i], c.lastRoute[i]]).toEqual([0, -1, -1, -1, -1]);
      expect([c.cumulativeSpent[i], c.pathSwitches[i], c.deliveredBits[i], c.lastPayment[i]]).toEqual([0, 0, 0, 0]);
      expect(table.states[i]).toBeUndefined();
      expect(table.names[i]).toBeUndefined();
    }
    // The same memory: clearing kept the columns.
    expect(table.columns).toBe(c);
  });

  it("keeps no names while no flow has one, then one per row, aligned through compaction", () => {
    const table = new FlowTable(64);
    table.appendRows(4);
    expect(table.names).toHaveLength(0);
    const end = table.columns.endTime;
    [1, 9, 1, 9].forEach((t, i) => (end[i] = t));
    const listed = new ArrivalBuffer();
    listed.push({ ...arrival(5), name: "five" }, 4);
    table.addArrivals(listed.take());
    // Rows 0-3 unnamed, row 4 "five"; flows ending at 1 (rows 0 and 2) leave: "five" is row 2.
    expect(table.names).toEqual([undefined, undefined, undefined, undefined, "five"]);
    table.compact((i) => end[i]! > 1);
    expect(table.count).toBe(3);
    expect(table.names).toEqual([undefined, undefined, "five"]);
  });

  it("expect sizes the columns once, so the rows expected never regrow them", () => {
    const table = new FlowTable(64, true);
    table.expect(5000);
    const memory = table.columns.uid.buffer;
    const generation = table.generation;
    // 5,000 rows of Int32 uids: 20,000 bytes, one allocation.
    expect(memory.byteLength).toBe(20_000);
    table.appendRows(3000);
    table.appendRows(2000);
    expect(table.columns.uid.buffer).toBe(memory);
    expect(table.generation).toBe(generation);
    // One more row doubles it (10,000 rows), copying the 5,000 in use.
    table.columns.uid[4999] = 42;
    table.appendRows(1);
    expect(table.columns.uid.length).toBe(10_000);
    expect(table.columns.uid[4999]).toBe(42);
  });
});

describe("FlowShard's flow table", () => {
  const topology = compileTopology(figure1Topology());
  const paths = new PathTable(topology, { k: 4 });
  const links = { perPacket: new Float64Array(topology.linkCount), perByte: new Float64Array(topology.linkCount), congestion: new Float64Array(topology.linkCount), senderIsHost: new Uint8Array(topology.linkCount), oadFrom: new Float64Array(topology.linkCount) };
  const traffic = { seed: 1, ratePerSec: 1000, flow: DEFAULT_FLOW, nodes: Int32Array.of(0, 1), packetBits: 8000, agent: 0 };
  const options = { topology, paths, seed: 1, roundSeconds: 1, userAgents: [], links, traffic, shard: 0, shards: 2 };
  const agents = [{ strategy: cheapestPath, params: { switchAfterSec: 2 }, builtIn: true }];

  it("is sized for the traffic's expected flows when they first arrive: λ · (round + mean duration) / shards", () => {
    const shard = new FlowShard({ ...options, userAgents: agents });
    // Built and not played (as runPolicies checks every policy first): no table for the flows yet.
    expect(shard.flows.columns.uid.length).toBe(64);
    shard.playRound(
      { round: 0, time: 0, tariffVersion: 0, endedBy: null, arrivals: { count: 0, numbers: new Float64Array(0), names: [], states: [] }, generated: { base: 0, count: 10 }, allowances: undefined, byPayment: false, flowTotals: false } as never,
      () => undefined,
    );
    // 1,000 flows/s · (1 s + 0.4976 s) / 2 shards = 748.8, rounded up: 749 rows.
    expect(meanDurationSec(DEFAULT_FLOW)).toBeCloseTo(0.4976, 4);
    expect(shard.flows.columns.uid.length).toBe(749);
  });

  it("takes over the memory of the thread's last run: its table emptied, its scratch", () => {
    const first = new FlowShard({ ...options, sharedTable: true });
    first.flows.appendRows(5);
    const second = new FlowShard({ ...options, sharedTable: true, reuse: first });
    expect(second.flows).toBe(first.flows);
    expect(second.flows.count).toBe(0);
    // Not across kinds of memory: an in-thread shard does not take a shared table.
    expect(new FlowShard({ ...options, reuse: second }).flows).not.toBe(first.flows);
  });

  it("plays the same rounds on taken-over memory as on fresh memory", () => {
    // Two rounds of generated flows (1,000 a second, between Figure 1's nodes 0 and 1): a shard
    // on the memory of a shard that played other rounds before gives the same counts.
    const play = (shard: FlowShard): unknown[] => [0, 1].map((round) => shard.playRound(
      { round, time: round, tariffVersion: round, endedBy: round === 0 ? null : round, arrivals: { count: 0, numbers: new Float64Array(0), names: [], states: [] }, generated: { base: 1000 * round, count: 1000 }, allowances: undefined, byPayment: false, flowTotals: true } as never,
      () => undefined,
    ));
    const dirty = new FlowShard({ ...options, userAgents: agents, sharedTable: true, seed: 99 });
    play(dirty);
    const fresh = play(new FlowShard({ ...options, userAgents: agents, sharedTable: true }));
    expect(play(new FlowShard({ ...options, userAgents: agents, sharedTable: true, reuse: dirty }))).toEqual(fresh);
    // Flows were played: A to B (and B to A) is 3 links, so every batch is 3 batch-hops.
    const { batchHops } = fresh[1] as { batchHops: number };
    expect(batchHops).toBeGreaterThan(0);
    expect(batchHops % 3).toBe(0);
  });
});
