import { describe, it, expect } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TollwayError } from "../../src/errors.js";
import { figure1Topology } from "../../src/model/figure1.js";
import { generateInternetTopology } from "../../src/model/generator.js";
import {
  loadTopologyJsonFile,
  topologyFromJson,
  topologyJsonSchema,
  topologyToJson,
} from "../../src/model/loaders/json.js";
import { DEFAULT_CAPACITY_BPS, DEFAULT_LATENCY_MS, type TopologyGraph } from "../../src/model/topology.js";

function thrown(action: () => unknown): TollwayError {
  try {
    action();
  } catch (error) {
    if (error instanceof TollwayError) return error;
    throw error;
  }
  throw new Error("expected a TollwayError");
}

/** Everything observable about a graph, in order. */
function snapshot(graph: TopologyGraph): unknown {
  return {
    nodes: graph.mapNodes((id, attributes) => [id, attributes]),
    links: graph.mapEdges((_edge, attributes, source, target) => [source, target, attributes]),
  };
}

const SMALL = {
  nodes: [
    { id: "X", kind: "isp", asn: 64500 },
    { id: "Y", kind: "isp" },
    { id: "A", kind: "host" },
  ],
  links: [
    { a: "X", b: "Y", relation: "peer", capacityBps: 1e9 },
    { a: "X", b: "A", relation: "provider-customer", latencyMs: 2 },
  ],
};

describe("JSON topologies", () => {
  it("builds the graph, with defaults for omitted capacity and latency", () => {
    const graph = topologyFromJson(SMALL);
    expect(graph.nodes()).toEqual(["X", "Y", "A"]);
    expect(graph.getNodeAttributes("X")).toEqual({ kind: "isp", asn: 64500 });
    expect(graph.getEdgeAttributes(graph.edge("Y", "X")!)).toEqual({
      relation: "peer",
      capacityBps: 1e9,
      latencyMs: DEFAULT_LATENCY_MS,
    });
    expect(graph.getEdgeAttributes(graph.edge("A", "X")!)).toEqual({
      relation: "provider-customer",
      provider: "X",
      capacityBps: DEFAULT_CAPACITY_BPS,
      latencyMs: 2,
    });
  });

  it("round-trips Figure 1 and a generated graph with hosts", () => {
    for (const graph of [figure1Topology(), generateInternetTopology({ nodes: 60, seed: 9, hosts: 12 })]) {
      const json = topologyToJson(graph);
      expect(topologyJsonSchema.safeParse(json).success).toBe(true);
      const copy = topologyFromJson(JSON.parse(JSON.stringify(json)));
      expect(snapshot(copy)).toEqual(snapshot(graph));
      expect(topologyToJson(copy)).toEqual(json);
    }
  });

  it("writes the provider first whichever way the edge was stored", () => {
    const graph = topologyFromJson({
      nodes: [{ id: "C", kind: "isp" }, { id: "P", kind: "isp" }],
      links: [{ a: "P", b: "C", relation: "provider-customer" }],
    });
    expect(topologyToJson(graph).links).toEqual([
      { a: "P", b: "C", relation: "provider-customer", capacityBps: DEFAULT_CAPACITY_BPS, latencyMs: DEFAULT_LATENCY_MS },
    ]);
  });

  it.each([
    ["links.1.b", "unknown node \"Q\"", { links: [SMALL.links[0], { a: "X", b: "Q", relation: "peer" }] }],
    ["nodes.0.kind", 'must be one of "isp", "host" (got "router")', { nodes: [{ id: "X", kind: "router" }, ...SMALL.nodes.slice(1)] }],
    ["nodes.1.id", 'must be a string (got 7)', { nodes: [SMALL.nodes[0], { id: 7, kind: "isp" }, SMALL.nodes[2]] }],
    ["links.0.relation", "is required", { links: [{ a: "X", b: "Y" }] }],
    ["links.0.capacity", "is not a known field", { links: [{ a: "X", b: "Y", relation: "peer", capacity: 5 }] }],
    ["links.0.capacityBps", "must be at least 1 (got -3)", { links: [{ a: "X", b: "Y", relation: "peer", capacityBps: -3 }] }],
    ["links.0.capacityBps", "must be at least 1 (got 1e-300)", { links: [{ a: "X", b: "Y", relation: "peer", capacityBps: 1e-300 }] }],
    ["nodes.0.asn", "must be an integer (got 1.5)", { nodes: [{ id: "X", kind: "isp", asn: 1.5 }, ...SMALL.nodes.slice(1)] }],
    ["nodes.3.id", 'duplicate node id "X"', { nodes: [...SMALL.nodes, { id: "X", kind: "isp" }] }],
    ["links.1", '"Y" and "X" are already linked', { links: [SMALL.links[0], { a: "Y", b: "X", relation: "peer" }] }],
    ["links.0", 'self-loop: "X" is linked to itself', { links: [{ a: "X", b: "X", relation: "peer" }] }],
    ["links.0.a", 'host "A" cannot be a provider', { links: [{ a: "A", b: "X", relation: "provider-customer" }] }],
    ["links.0.relation", "a host cannot peer; link it as the customer of a provider-customer link", { links: [{ a: "X", b: "A", relation: "peer" }] }],
  ])("reports %s: %s", (field, reason, change) => {
    const error = thrown(() => topologyFromJson({ ...SMALL, ...change }, { file: "net.json" }));
    expect(error.place).toEqual({ file: "net.json", field });
    expect(error.reason).toBe(reason);
    expect(error.message).toBe(`net.json: ${field}: ${reason}`);
  });

  it("reports a value that is not an object, and prefixes fields of an embedded topology", () => {
    expect(thrown(() => topologyFromJson([1])).message).toBe("must be an object (got an array)");
    const error = thrown(() => topologyFromJson({ nodes: [{ id: "X", kind: "isp" }], links: [{ a: "X", b: "Y", relation: "peer" }] }, { field: "topology" }));
    expect(error.place.field).toBe("topology.links.0.b");
  });

  it("refuses a topology without an ISP", () => {
    for (const nodes of [[], [{ id: "A", kind: "host" }]]) {
      const error = thrown(() => topologyFromJson({ nodes, links: [] }, { file: "net.json" }));
      expect(error.message).toBe("net.json: nodes: a topology needs at least one ISP");
    }
  });

  it("loads files and reports bad JSON and missing files with the file name", () => {
    const dir = mkdtempSync(join(tmpdir(), "tollway-json-"));
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify(SMALL));
    expect(loadTopologyJsonFile(good).order).toBe(3);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{ nodes: [");
    expect(thrown(() => loadTopologyJsonFile(bad)).message).toBe(`${bad}: invalid JSON: Expected property name or '}' at line 1, column 3`);
    expect(thrown(() => loadTopologyJsonFile(join(dir, "missing.json"))).message).toBe(
      `${join(dir, "missing.json")}: cannot read: no such file or directory`,
    );
  });
});
