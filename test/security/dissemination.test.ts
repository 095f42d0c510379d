import { describe, it, expect } from "vitest";
import { compileTopology, createTopologyGraph } from "../../src/model/topology.js";
import { decodeBeacon, encodeBeacon } from "../../src/security/beacon.js";
import { Beaconing } from "../../src/security/dissemination.js";
import { buildKeyRing } from "../../src/security/keys.js";
import { TollwayError } from "../../src/errors.js";

/**
 * T1 and T2 are peers at the top; M buys from both; C buys from M; D buys from T1. Link prices
 * (provider→customer): T1→M 3, T2→M 4, M→C 2, T1→D 5.
 */
function net() {
  const graph = createTopologyGraph();
  for (const id of ["T1", "T2", "M", "C", "D"]) graph.addNode(id, { kind: "isp" });
  const link = { capacityBps: 1e9, latencyMs: 5 };
  graph.addEdge("T1", "T2", { relation: "peer", ...link });
  for (const [p, c] of [["T1", "M"], ["T2", "M"], ["M", "C"], ["T1", "D"]] as const) graph.addEdge(p, c, { relation: "provider-customer", provider: p, ...link });
  const topology = compileTopology(graph);
  const prices: Record<string, bigint> = { "T1>M": 3n, "T2>M": 4n, "M>C": 2n, "T1>D": 5n };
  const linkPrice = (l: number) => prices[`${topology.nodeIds[topology.linkFrom[l]!]}>${topology.nodeIds[topology.linkTo[l]!]}`]!;
  return { topology, linkPrice, ring: buildKeyRing(1, topology.nodeIds) };
}

describe("price beacons, interval by interval (Eq. 7)", () => {
  it("carry signed path prices down to customers, one hop per interval", () => {
    const { topology, linkPrice, ring } = net();
    const b = new Beaconing(topology, { ring, linkPrice });
    // t = 0: T1 sends its own beacon on T1→M (3) and T1→D (5), T2 on T2→M (4), M on M→C (2).
    expect(b.step()).toMatchObject({ time: 0, sent: 4, signatures: 4, verifications: 4, rejected: 0 });
    expect(b.learned("M").map((p) => [p.origin, p.price])).toEqual([["T1", 3n], ["T2", 4n]]);
    // t = 15: M forwards its own, T1's and T2's (3 of at most 5) to C: 1 + 2 + 2 hops to check;
    // M gets 2 one-hop beacons again and D one: 8 checks, 6 beacons sent.
    expect(b.step()).toMatchObject({ time: 15, sent: 6, verifications: 8, rejected: 0 });
    expect(b.learned("C")).toEqual([
      { origin: "M", via: ["M"], price: 2n, timestamp: 15 },
      { origin: "T1", via: ["M", "T1"], price: 5n, timestamp: 0 }, // 3 + 2
      { origin: "T2", via: ["M", "T2"], price: 6n, timestamp: 0 }, // 4 + 2
    ]);
    // At t = 30, C's own-provider beacon is 15 s old, the two-hop ones 30 s (they left T1 and T2 at 0).
    expect(b.ages().sort((x, y) => x - y)).toEqual([15, 15, 15, 15, 30, 30]);
  });

  it("with one beacon per link, rotate: the least recently sent path goes first", () => {
    const { topology, linkPrice, ring } = net();
    const b = new Beaconing(topology, { ring, linkPrice, perLink: 1 });
    const toC = () => b.learned("C").map((p) => `${p.via.join(">")}@${p.timestamp}`);
    b.step(); // t = 0: M sends its own beacon to C (nothing else known yet)
    expect(toC()).toEqual(["M@0"]);
    b.step(); // t = 15: never sent: T1 and T2 (one hop each); "T1" < "T2"
    expect(toC()).toEqual(["M@0", "M>T1@0"]);
    b.step(); // t = 30: T2 has never been sent
    expect(toC()).toEqual(["M@0", "M>T1@0", "M>T2@15"]);
    b.step(); // t = 45: its own was sent longest ago (t = 0)
    expect(toC()).toEqual(["M@45", "M>T1@0", "M>T2@15"]);
  });

  it("a beacon altered on a link does not verify, is counted as rejected and teaches nothing", () => {
    const { topology, linkPrice, ring } = net();
    const mToC = topology.outLinks.find((l) => topology.nodeIds[topology.linkFrom[l]!] === "M" && topology.nodeIds[topology.linkTo[l]!] === "C")!;
    const cheaper = (bytes: Uint8Array, link: number) => {
      if (link !== mToC) return bytes;
      const beacon = decodeBeacon(bytes);
      const hops = beacon.hops.map((h, i) => (i === beacon.hops.length - 1 ? { ...h, pathPrice: 0n } : h));
      return encodeBeacon({ ...beacon, hops });
    };
    const garbled = (bytes: Uint8Array, link: number) => (link === mToC ? bytes.subarray(0, bytes.length - 1) : bytes);
    for (const onLink of [cheaper, garbled]) {
      const b = new Beaconing(topology, { ring, linkPrice, onLink });
      expect(b.step().rejected).toBe(1);
      expect(b.step().rejected).toBe(3);
      expect(b.learned("C")).toEqual([]);
      expect(b.learned("M")).toHaveLength(2);
    }
  });

  it("with peers: an ISP's own beacon crosses a peer link once, then goes down like any other", () => {
    const { topology, linkPrice, ring } = net();
    // Peer-link prices T1→T2 7, T2→T1 8 (the link the beacon travels).
    const priced = (l: number) => {
      const [a, b] = [topology.nodeIds[topology.linkFrom[l]!], topology.nodeIds[topology.linkTo[l]!]];
      return a === "T1" && b === "T2" ? 7n : a === "T2" && b === "T1" ? 8n : linkPrice(l);
    };
    const b = new Beaconing(topology, { ring, linkPrice: priced, peers: true });
    // t = 0: the 4 customer links as before, plus T1→T2 and T2→T1 (own beacons only).
    expect(b.step()).toMatchObject({ sent: 6, rejected: 0 });
    expect(b.learned("T2").map((p) => [p.via.join(">"), p.price])).toEqual([["T1", 7n]]);
    // t = 15: T2 sends M its own and T1's (7 + T2→M 4 = 11); over the peer link only its own again.
    b.step();
    expect(b.learned("M").map((p) => [p.via.join(">"), p.price])).toEqual([["T1", 3n], ["T2>T1", 11n], ["T1>T2", 11n], ["T2", 4n]]);
    expect(b.learned("T1").map((p) => p.via.join(">"))).toEqual(["T2"]);
  });

  it("refuses bad settings and ASes without keys", () => {
    const { topology, linkPrice, ring } = net();
    expect(() => new Beaconing(topology, { ring, linkPrice, perLink: 0 })).toThrow("beacons per link must be an integer ≥ 1 (got 0)");
    expect(() => new Beaconing(topology, { ring, linkPrice, intervalSeconds: 0 })).toThrow(TollwayError);
    expect(() => new Beaconing(topology, { ring: buildKeyRing(1, ["T1"]), linkPrice })).toThrow("no keys for AS T2");
  });
});
