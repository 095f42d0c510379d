import { describe, it, expect } from "vitest";
import { figure1Topology } from "../../src/model/figure1.js";
import { PathTable, isValleyFree, shortestValleyFreePath } from "../../src/model/paths.js";
import { compileTopology, type CompiledTopology } from "../../src/model/topology.js";

const names = (topology: CompiledTopology, nodes: Int32Array): string => [...nodes].map((n) => topology.nodeIds[n]).join("-");
const index = (topology: CompiledTopology, ...ids: string[]): number[] => ids.map((id) => topology.nodeIndex.get(id)!);

describe("Bill-Pay Figure 1", () => {
  const graph = figure1Topology();
  const topology = compileTopology(graph);

  it("has hosts A and B, ISPs X, Y, Z and the five links of the figure", () => {
    expect(graph.mapNodes((id, attributes) => `${id}:${attributes.kind}`)).toEqual(["A:host", "B:host", "X:isp", "Y:isp", "Z:isp"]);
    const links = graph.mapEdges((_edge, link, source, target) =>
      link.relation === "peer" ? `${source}~${target}` : `${link.provider}>${link.provider === source ? target : source}`,
    );
    expect(links).toEqual(["X>A", "X~Y", "X~Z", "Y>B", "Z>B"]);
    graph.forEachEdge((_edge, link) => {
      expect(link.capacityBps).toBe(10e9);
      expect(link.latencyMs).toBe(5);
    });
  });

  it("offers A→B by either of X's peers, and B→A by either of B's providers", () => {
    const table = new PathTable(topology, { k: 4 });
    const [a, b] = index(topology, "A", "B");
    expect(table.offered(a!, b!).map((path) => names(topology, path.nodes))).toEqual(["A-X-Y-B", "A-X-Z-B"]);
    expect(table.offered(b!, a!).map((path) => names(topology, path.nodes))).toEqual(["B-Y-X-A", "B-Z-X-A"]);
    for (const path of [...table.offered(a!, b!), ...table.offered(b!, a!)]) {
      expect(isValleyFree(topology, path.nodes)).toBe(true);
    }
  });

  it("keeps data A-X-Y-B and ack B-Z-X-A valley-free, and rejects valleys and host transit", () => {
    const valleyFree = (...ids: string[]): boolean => isValleyFree(topology, index(topology, ...ids));
    expect(valleyFree("A", "X", "Y", "B")).toBe(true);
    expect(valleyFree("B", "Z", "X", "A")).toBe(true);
    expect(valleyFree("Y", "X", "Z")).toBe(false); // two peering links in a row
    expect(valleyFree("Y", "B", "Z")).toBe(false); // down to a host and up again
    expect(valleyFree("A", "Y")).toBe(false); // not linked
    expect(valleyFree("A")).toBe(false); // no hop
  });

  it("gives the shortest route with the smallest node indices, and nothing from a node to itself", () => {
    const [a, b, x] = index(topology, "A", "B", "X");
    expect(names(topology, shortestValleyFreePath(topology, a!, b!)!.nodes)).toBe("A-X-Y-B");
    const path = shortestValleyFreePath(topology, b!, x!)!;
    expect(names(topology, path.nodes)).toBe("B-Y-X");
    expect([...path.links].map((l) => [topology.linkFrom[l], topology.linkTo[l]])).toEqual([
      [b, index(topology, "Y")[0]],
      [index(topology, "Y")[0], x],
    ]);
    expect(shortestValleyFreePath(topology, a!, a!)).toBeNull();
    expect(new PathTable(topology).offered(x!, x!)).toEqual([]);
  });
});
