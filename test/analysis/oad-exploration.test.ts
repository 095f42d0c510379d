import { describe, expect, it } from "vitest";
import { explorationStudy, probeRoutes, steerableRoutes } from "../../src/analysis/oad-exploration.js";
import { Cartographer } from "../../src/mechanisms/billpay/cartographer.js";
import { probesToLearn } from "../../src/mechanisms/billpay/exploration.js";
import { figure1Topology } from "../../src/model/figure1.js";
import { PathTable } from "../../src/model/paths.js";
import { compileTopology } from "../../src/model/topology.js";

const topology = compileTopology(figure1Topology());
const paths = new PathTable(topology, { k: 4 });
const node = (id: string) => topology.nodeIndex.get(id)!;

describe("the routes user-OADs reach, on Figure 1", () => {
  const start = paths.offered(node("A"), node("B")).find((p) => p.nodes[2] === node("Y"))!;
  const routes = steerableRoutes(topology, paths, start);

  it("from A-X-Y-B, X's choice 2 reaches A-X-Z-B; nothing else", () => {
    expect(routes.map((r) => Array.from(r.nodes, (n) => topology.nodeIds[n]).join("-"))).toEqual(["A-X-Y-B", "A-X-Z-B"]);
  });

  it("as a cartographer sees them: X 1 + Y 10 = 11, X 1 + Z 1 = 2", () => {
    const tolls: Record<string, number> = { X: 1, Y: 10, Z: 1 };
    const probes = probeRoutes(topology, paths, routes, (n) => tolls[topology.nodeIds[n]!]!);
    expect(probes.map((p) => p.toll)).toEqual([11, 2]);
    expect(probes[1]!.oads).toEqual([{ isp: "X", alternatives: 0b11, choice: 2 }, { isp: "Z", alternatives: 0b1, choice: 1 }]);
    // Stopping once the map's cheapest is X:2 Z:1 takes 2 packets; once it is X:1 Y:1, 1.
    expect(probesToLearn(new Cartographer(), "B", probes, (m) => m.best("B")?.route === "X:2 Z:1")).toBe(2);
    expect(probesToLearn(new Cartographer(), "B", probes, (m) => m.best("B")?.route === "X:1 Y:1")).toBe(1);
  });
});

describe("packets to the cheapest path, per host against campus-wide (generated 300-AS graph)", () => {
  it("one host: the campus map is its own map", () => {
    const s = explorationStudy({ campusHosts: 1, seed: 2 });
    expect(s.campusPackets).toBe(s.alonePackets);
    expect(s.campusToExhaust).toBe(s.aloneToExhaust);
  });

  it("many hosts: each pair costs at least its first packet alone; the campus pays per destination, not per host", () => {
    const s = explorationStudy({ campusHosts: 20, seed: 2 });
    expect(s.pairs).toBe(60);
    expect(s.alonePackets).toBeGreaterThanOrEqual(s.pairs);
    expect(s.campusPackets).toBeLessThan(s.alonePackets);
    // A destination already mapped costs the campus nothing more: at most its routes each.
    expect(s.campusToExhaust).toBeLessThanOrEqual(s.destinations * s.meanRoutes);
    expect(s.campusToExhaust).toBeLessThan(s.aloneToExhaust);
    expect(s.campusFound).toBe(s.pairs);
  });
});
