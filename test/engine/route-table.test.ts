import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RouteStore } from "../../src/engine/route-store.js";
import { forgetRouteTable, RouteTable, routeFeeder, routeTableFor, type RouteTableBuffers } from "../../src/engine/route-table.js";
import type { PathProvider } from "../../src/engine/types.js";
import { figure1Topology } from "../../src/model/figure1.js";
import { generateInternetTopology } from "../../src/model/generator.js";
import { PathTable } from "../../src/model/paths.js";
import { compileTopology, type CompiledTopology } from "../../src/model/topology.js";

const names = (topology: CompiledTopology, nodes: ArrayLike<number>): string => Array.from(nodes, (n) => topology.nodeIds[n]).join("-");

/** A pair's routes as the table holds them: the links of each route. */
const linksIn = (table: RouteTable, slot: number): number[][] =>
  Array.from({ length: table.count(slot) }, (_, p) => [...table.links.subarray(table.start(slot, p), table.start(slot, p) + table.length(slot, p))]);

/** A path provider that counts the pairs it is asked to compute. */
function counting(paths: PathProvider): PathProvider & { calls: number } {
  const counter = { k: paths.k, calls: 0, offered: (s: number, d: number) => (counter.calls++, paths.offered(s, d)) };
  return counter;
}

describe("RouteTable", () => {
  const topology = compileTopology(figure1Topology());
  const node = (id: string): number => topology.nodeIndex.get(id)!;
  const [a, b, x] = [node("A"), node("B"), node("X")];

  it("holds Figure 1's offered routes as the per-run path table computes them (hand-checked)", () => {
    const paths = new PathTable(topology, { k: 4 });
    const table = RouteTable.create(topology.nodeIds.length, 4, topology.linkCount);
    const ab = table.slotOf(a, b, paths);
    const ba = table.slotOf(b, a, paths);
    // Figure 1: A's only provider X peers with Y and Z, both B's providers: A-X-Y-B, A-X-Z-B
    // (3 hops each, Y before Z by node index); back, B's providers Y and Z each reach X.
    expect(table.offered(ab, topology).map((p) => names(topology, p.nodes))).toEqual(["A-X-Y-B", "A-X-Z-B"]);
    expect(table.offered(ba, topology).map((p) => names(topology, p.nodes))).toEqual(["B-Y-X-A", "B-Z-X-A"]);
    for (const [slot, from, to] of [[ab, a, b], [ba, b, a]] as const) {
      expect(linksIn(table, slot)).toEqual(paths.offered(from, to).map((route) => [...route.links]));
      expect(table.offered(slot, topology).map((p) => [...p.nodes])).toEqual(paths.offered(from, to).map((route) => [...route.nodes]));
    }
    // No route from a node to itself: a slot with none.
    expect(table.count(table.slotOf(x, x, paths))).toBe(0);
  });

  it("grows with the pairs in use, not with the flows over them", () => {
    const paths = counting(new PathTable(topology, { k: 4 }));
    const table = RouteTable.create(topology.nodeIds.length, 4, topology.linkCount);
    // 1,000 flows over two pairs: each pair is computed once and has one slot.
    for (let flow = 0; flow < 1000; flow++) table.slotOf(flow % 2 === 0 ? a : b, flow % 2 === 0 ? b : a, paths);
    expect(paths.calls).toBe(2);
    expect(table.slots).toBe(2);
    // Bytes: Figure 1 has fewer than 65,536 links, so 16-bit elements; a pair's record is its
    // route count, 2 lengths and 2 × 3 links: 1 + 2 + 6 = 9 elements; with the dense index of
    // 5 × 5 pairs: 2 × (2 × 9) + 4 × 25 = 36 + 100 = 136.
    expect(table.bytesInUse).toBe(136);
    for (let flow = 0; flow < 1000; flow++) table.slotOf(a, b, paths);
    expect(table.bytesInUse).toBe(136);
  });

  it("gives every pair of a generated graph the per-run path table's routes, in any order of asking", () => {
    const generated = compileTopology(generateInternetTopology({ nodes: 40, seed: 3, hosts: 10 }));
    const n = generated.nodeIds.length;
    const reference = new PathTable(generated, { k: 3 });
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { minLength: 1, maxLength: 200 }), (pairs) => {
      const table = RouteTable.create(n, 3);
      const feeder = routeFeeder(generated, 3);
      const distinct = new Set(pairs.map(([s, d]) => s * n + d));
      for (const [s, d] of pairs) {
        const slot = table.slotOf(s, d, feeder);
        expect(linksIn(table, slot)).toEqual(reference.offered(s, d).map((r) => [...r.links]));
      }
      expect(table.slots).toBe(distinct.size);
    }), { numRuns: 30 });
  });

  it("is filled once by shards attached to it, also from two worker threads at once", async () => {
    const generated = compileTopology(generateInternetTopology({ nodes: 120, seed: 5, hosts: 30 }));
    const n = generated.nodeIds.length;
    const table = RouteTable.create(n, 4);
    const buffers = table.buffers!;
    // Another view of the same memory (what a worker gets) finds what this one loaded.
    const paths = counting(new PathTable(generated, { k: 4 }));
    const slot = table.slotOf(1, 2, paths);
    expect(RouteTable.attach(buffers).slotOf(1, 2, paths)).toBe(slot);
    expect(paths.calls).toBe(1);
    // Two threads load every pair, in opposite orders, racing for each; then every pair holds
    // exactly one slot with the reference routes.
    const module = pathToFileURL(resolve("dist/src/engine/route-table.js")).href;
    const code = `
      const { workerData, parentPort } = require("node:worker_threads");
      import(${JSON.stringify(module)}).then(({ RouteTable, routeFeeder }) => {
        const { buffers, topology, reverse } = workerData;
        const table = RouteTable.attach(buffers);
        const feeder = routeFeeder(topology, 4);
        const n = buffers.nodes;
        for (let i = 0; i < n * n; i++) { const pair = reverse ? n * n - 1 - i : i; table.slotOf(Math.floor(pair / n), pair % n, feeder); }
        parentPort.postMessage("done");
      });`;
    const run = (reverse: boolean): Promise<unknown> => new Promise((done, fail) => {
      const worker = new Worker(code, { eval: true, workerData: { buffers, topology: generated, reverse } satisfies { buffers: RouteTableBuffers; topology: CompiledTopology; reverse: boolean } });
      worker.once("message", done);
      worker.once("error", fail);
    });
    await Promise.all([run(false), run(true)]);
    expect(table.slots).toBe(n * n);
    const reference = new PathTable(generated, { k: 4 });
    const seen = new Set<number>();
    for (let s = 0; s < n; s++) {
      for (let d = 0; d < n; d++) {
        const at = table.slotOf(s, d, { k: 4, offered: () => { throw new Error("already loaded"); } });
        seen.add(at);
        expect(linksIn(table, at)).toEqual(reference.offered(s, d).map((r) => [...r.links]));
      }
    }
    expect(seen.size).toBe(n * n);
  });

  it("is shared by the runs of a process on the same network and k, and by no other", () => {
    const one = compileTopology(figure1Topology());
    const again = compileTopology(figure1Topology());
    const shared = routeTableFor(one, new PathTable(one, { k: 4 }));
    // Another compile of the same graph has the same fingerprint: the same table.
    expect(routeTableFor(again, new PathTable(again, { k: 4 }))).toBe(shared);
    // Another k, or a provider whose routes are not the path table's: a table of its own.
    expect(routeTableFor(one, new PathTable(one, { k: 2 })).k).toBe(2);
    const own = { k: 4, offered: () => [] };
    expect(routeTableFor(one, own)).not.toBe(routeTableFor(one, own));
    // After a run whose threads were terminated, the process starts a fresh table.
    const current = routeTableFor(one, new PathTable(one, { k: 4 }));
    forgetRouteTable(current);
    expect(routeTableFor(one, new PathTable(one, { k: 4 }))).not.toBe(current);
  });

  it("backs route stores that price each route as the sum of its links' tolls, per call", () => {
    const paths = new PathTable(topology, { k: 4 });
    const table = RouteTable.create(topology.nodeIds.length, 4, topology.linkCount);
    const first = new RouteStore(paths, topology.nodeIds.length, 4, table);
    const second = new RouteStore(paths, topology.nodeIds.length, 4, table);
    const slot = first.slotOf(a, b);
    expect(second.slotOf(a, b)).toBe(slot);
    // Link l tolls l + 1: A-X-Y-B's price is the sum over its 3 links, A-X-Z-B's over its own.
    const toll = new Float64Array(topology.linkCount).map((_, l) => l + 1);
    const [ab0, ab1] = linksIn(table, slot) as [number[], number[]];
    const prices = new Float64Array(8);
    // Written from row offset 4 on (row 1 of k = 4).
    expect(first.priceRoutes(slot, toll, prices, 4)).toBe(2);
    expect([...prices.subarray(4, 6)]).toEqual([ab0.reduce((sum, l) => sum + l + 1, 0), ab1.reduce((sum, l) => sum + l + 1, 0)]);
    // Nothing is kept: the other store, with other tolls (2 a link), gets 2 × 3 for each route.
    expect(second.priceRoutes(slot, new Float64Array(topology.linkCount).fill(2), prices, 0)).toBe(2);
    expect([...prices.subarray(0, 2)]).toEqual([6, 6]);
  });

  it("uses 32-bit elements past 65,536 links and keeps the same routes", () => {
    const paths = new PathTable(topology, { k: 4 });
    const narrow = RouteTable.create(topology.nodeIds.length, 4, topology.linkCount);
    const wide = RouteTable.create(topology.nodeIds.length, 4, 70_000);
    expect([narrow.element, wide.element]).toEqual([2, 4]);
    expect(wide.links).toBeInstanceOf(Int32Array);
    expect(linksIn(wide, wide.slotOf(a, b, paths))).toEqual(linksIn(narrow, narrow.slotOf(a, b, paths)));
    // 9 elements of 4 bytes, and the index of 25 pairs: 36 + 100.
    expect(wide.bytesInUse).toBe(136);
    // A 16-bit table refuses a link it cannot hold rather than wrap it.
    const big = { k: 4, offered: () => [{ nodes: Int32Array.of(0, 1), links: Int32Array.of(70_000) }] };
    expect(() => RouteTable.create(5, 4, 100).slotOf(0, 1, big)).toThrow(/link 70000/);
  });
});

describe("PathTable bounded by destinations", () => {
  it("keeps at most maxDestinations search tables and offers the same routes", () => {
    const generated = compileTopology(generateInternetTopology({ nodes: 60, seed: 8, hosts: 15 }));
    const n = generated.nodeIds.length;
    const bounded = new PathTable(generated, { k: 4, keepRoutes: false, maxDestinations: 5 });
    const reference = new PathTable(generated, { k: 4 });
    for (let d = 0; d < n; d++) {
      for (let s = 0; s < n; s += 7) {
        expect(bounded.offered(s, d).map((r) => [...r.nodes])).toEqual(reference.offered(s, d).map((r) => [...r.nodes]));
      }
      expect(bounded.destinationsHeld).toBeLessThanOrEqual(5);
    }
    expect(reference.destinationsHeld).toBe(n);
    expect(() => new PathTable(generated, { maxDestinations: 0 })).toThrow(/maxDestinations/);
  });
});
