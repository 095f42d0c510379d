import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { TollwayError } from "../../src/errors.js";
import { generateInternetTopology } from "../../src/model/generator.js";
import type { TopologyGraph } from "../../src/model/topology.js";

/** Node and link lists with every attribute, in graph order. */
function snapshot(graph: TopologyGraph): unknown {
  return {
    nodes: graph.mapNodes((id, attributes) => [id, attributes]),
    links: graph.mapEdges((_edge, attributes, source, target) => [source, target, attributes]),
  };
}

function isConnected(graph: TopologyGraph): boolean {
  if (graph.order === 0) return true;
  const start = graph.nodes()[0]!;
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length > 0) {
    graph.forEachNeighbor(queue.pop()!, (neighbour) => {
      if (!seen.has(neighbour)) {
        seen.add(neighbour);
        queue.push(neighbour);
      }
    });
  }
  return seen.size === graph.order;
}

/** Kahn's algorithm on customer→provider arcs: every node gets removed iff there is no cycle. */
function hasProviderCycle(graph: TopologyGraph): boolean {
  const providers = new Map<string, number>(graph.mapNodes((id) => [id, 0]));
  const customersOf = new Map<string, string[]>(graph.mapNodes((id) => [id, []]));
  graph.forEachEdge((_edge, attributes, source, target) => {
    if (attributes.relation !== "provider-customer") return;
    const provider = attributes.provider!;
    const customer = provider === source ? target : source;
    providers.set(customer, providers.get(customer)! + 1);
    customersOf.get(provider)!.push(customer);
  });
  const ready = [...providers].filter(([, count]) => count === 0).map(([id]) => id);
  let removed = 0;
  while (ready.length > 0) {
    const node = ready.pop()!;
    removed++;
    for (const customer of customersOf.get(node)!) {
      providers.set(customer, providers.get(customer)! - 1);
      if (providers.get(customer) === 0) ready.push(customer);
    }
  }
  return removed !== graph.order;
}

function peerShare(graph: TopologyGraph): number {
  let peer = 0;
  let asLinks = 0;
  graph.forEachEdge((_edge, attributes, source, target) => {
    if (graph.getNodeAttribute(source, "kind") === "host" || graph.getNodeAttribute(target, "kind") === "host") return;
    asLinks++;
    if (attributes.relation === "peer") peer++;
  });
  return peer / asLinks;
}

describe("generateInternetTopology", () => {
  it("is deterministic: the same seed gives the same nodes and links in the same order", () => {
    const a = generateInternetTopology({ nodes: 300, seed: 42, hosts: 20, latencyMs: { min: 1, max: 30 } });
    const b = generateInternetTopology({ nodes: 300, seed: 42, hosts: 20, latencyMs: { min: 1, max: 30 } });
    expect(snapshot(a)).toEqual(snapshot(b));
    const c = generateInternetTopology({ nodes: 300, seed: 43, hosts: 20, latencyMs: { min: 1, max: 30 } });
    expect(snapshot(c)).not.toEqual(snapshot(a));
  });

  it("names ASes AS1… with tiers, starting with a peering clique of tier-1 ASes", () => {
    const graph = generateInternetTopology({ nodes: 550, seed: 1 });
    expect(graph.order).toBe(550);
    expect(graph.nodes().slice(0, 3)).toEqual(["AS1", "AS2", "AS3"]);
    const tier1 = graph.filterNodes((_id, attributes) => attributes.tier === 1);
    expect(tier1).toHaveLength(9); // round(log2(550))
    for (const a of tier1) {
      for (const b of tier1) {
        if (a !== b) expect(graph.getEdgeAttribute(graph.edge(a, b)!, "relation")).toBe("peer");
      }
    }
    graph.forEachNode((id, attributes) => {
      expect(attributes.kind).toBe("isp");
      expect(attributes.tier).toBeGreaterThanOrEqual(1);
      if (attributes.tier! > 1) {
        // tier = 1 + the best tier among the providers
        const providerTiers = graph
          .mapEdges(id, (_edge, link) => link)
          .filter((link) => link.relation === "provider-customer" && link.provider !== id)
          .map((link) => graph.getNodeAttribute(link.provider!, "tier")!);
        expect(attributes.tier).toBe(1 + Math.min(...providerTiers));
      }
    });
  });

  it("comes close to the JP graph's mix: 10–15% peer links, about 2 links per AS", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const graph = generateInternetTopology({ nodes: 550, seed });
      expect(peerShare(graph)).toBeGreaterThanOrEqual(0.1);
      expect(peerShare(graph)).toBeLessThanOrEqual(0.15);
      expect(graph.size / graph.order).toBeGreaterThan(1.8);
      expect(graph.size / graph.order).toBeLessThan(2.4); // JP: 1142 / 550 = 2.08
    }
  });

  it("is always connected and has no provider cycle, for any seed and size", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 30 }), (seed, nodes, hosts) => {
        const graph = generateInternetTopology({ nodes, seed, hosts });
        expect(graph.order).toBe(nodes + hosts);
        expect(isConnected(graph)).toBe(true);
        expect(hasProviderCycle(graph)).toBe(false);
        if (nodes >= 200) {
          expect(peerShare(graph)).toBeGreaterThanOrEqual(0.1);
          expect(peerShare(graph)).toBeLessThanOrEqual(0.15);
        }
      }),
      { seed: 20150801, numRuns: 60 },
    );
  });

  it("attaches hosts as customers after the ASes, leaving the AS graph unchanged", () => {
    const bare = generateInternetTopology({ nodes: 80, seed: 5 });
    const withHosts = generateInternetTopology({ nodes: 80, seed: 5, hosts: 25 });
    const asPart = snapshot(withHosts) as { nodes: unknown[]; links: unknown[] };
    const bareSnapshot = snapshot(bare) as { nodes: unknown[]; links: unknown[] };
    expect(asPart.nodes.slice(0, 80)).toEqual(bareSnapshot.nodes);
    expect(asPart.links.slice(0, bare.size)).toEqual(bareSnapshot.links);
    for (let h = 1; h <= 25; h++) {
      const host = `H${h}`;
      expect(withHosts.getNodeAttributes(host)).toEqual({ kind: "host" });
      expect(withHosts.degree(host)).toBeGreaterThanOrEqual(1);
      expect(withHosts.degree(host)).toBeLessThanOrEqual(2);
      withHosts.forEachEdge(host, (_edge, link) => {
        expect(link.relation).toBe("provider-customer");
        expect(link.provider).not.toBe(host);
      });
    }
  });

  it("uses the capacity and draws latencies within the range", () => {
    const graph = generateInternetTopology({ nodes: 50, seed: 3, capacityBps: 1e9, latencyMs: { min: 2, max: 8 } });
    const latencies = graph.mapEdges((_edge, link) => link.latencyMs);
    graph.forEachEdge((_edge, link) => expect(link.capacityBps).toBe(1e9));
    expect(Math.min(...latencies)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...latencies)).toBeLessThan(8);
    expect(new Set(latencies).size).toBeGreaterThan(1);
  });

  it("rejects impossible options with the offending field", () => {
    for (const [options, field] of [
      [{ nodes: 0, seed: 1 }, "nodes"],
      [{ nodes: 10, seed: 1, tier1: 11 }, "tier1"],
      [{ nodes: 10, seed: 1, peerShare: 1 }, "peerShare"],
      [{ nodes: 10, seed: 1, latencyMs: { min: 5, max: 1 } }, "latencyMs"],
    ] as const) {
      expect(() => generateInternetTopology(options)).toThrow(TollwayError);
      try {
        generateInternetTopology(options);
      } catch (error) {
        expect((error as TollwayError).place.field).toBe(field);
      }
    }
  });
});
