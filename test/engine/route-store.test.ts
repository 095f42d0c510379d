import { describe, expect, it } from "vitest";
import { figure1Topology } from "../../src/model/figure1.js";
import { PathTable } from "../../src/model/paths.js";
import { compileTopology } from "../../src/model/topology.js";
import { RouteStore } from "../../src/engine/route-store.js";

describe("RouteStore", () => {
  const topology = compileTopology(figure1Topology());
  const paths = new PathTable(topology, { k: 4 });
  const node = (id: string): number => topology.nodeIndex.get(id)!;
  const [a, b, x] = [node("A"), node("B"), node("X")];

  /** The links of route p of a slot, as the store holds them. */
  const linksOf = (store: RouteStore, slot: number, p: number): number[] =>
    [...store.links.subarray(store.start(slot, p), store.start(slot, p) + store.length(slot, p))];

  it("holds the path table's routes of each pair, one slot per pair", () => {
    const store = new RouteStore(paths, topology.nodeIds.length, paths.k);
    const ab = store.slotOf(a, b);
    const ba = store.slotOf(b, a);
    expect(store.slotOf(a, b)).toBe(ab);
    expect(ba).not.toBe(ab);
    for (const [slot, from, to] of [[ab, a, b], [ba, b, a]] as const) {
      const offered = paths.offered(from, to);
      expect(store.count(slot)).toBe(offered.length);
      offered.forEach((route, p) => expect(linksOf(store, slot, p)).toEqual([...route.links]));
    }
    expect(store.count(store.slotOf(x, x))).toBe(0);
  });

  it("prices each route as the sum of its links' tolls in force, on every call", () => {
    const store = new RouteStore(paths, topology.nodeIds.length, paths.k);
    const slot = store.slotOf(a, b);
    const toll = new Float64Array(topology.linkCount).map((_, l) => l + 1);
    const expected = (p: number): number => linksOf(store, slot, p).reduce((sum, l) => sum + toll[l]!, 0);
    const prices = new Float64Array(4);
    expect(store.priceRoutes(slot, toll, prices, 0)).toBe(2);
    expect([prices[0], prices[1]]).toEqual([expected(0), expected(1)]);
    // New tolls (100 a link), the same call: every 3-link route costs 300.
    toll.fill(100);
    store.priceRoutes(slot, toll, prices, 0);
    expect([prices[0], prices[1]]).toEqual([300, 300]);
  });
});
