import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { fileURLToPath } from "node:url";
import { generateInternetTopology } from "../../src/model/generator.js";
import { loadAsRelationshipsFile } from "../../src/model/loaders/caida.js";
import { PathTable, isValleyFree, shortestValleyFreePath, type OfferedPath } from "../../src/model/paths.js";
import {
  compileTopology,
  createTopologyGraph,
  findLink,
  KIND_HOST,
  TO_CUSTOMER,
  TO_PEER,
  TO_PROVIDER,
  type CompiledTopology,
} from "../../src/model/topology.js";

const jpFile = fileURLToPath(new URL("../../../shared/data/jp-as-rel.txt", import.meta.url));

/** What is wrong with an offered route, if anything: one message per broken property. */
function problemsOf(topology: CompiledTopology, path: OfferedPath, src: number, dst: number): string[] {
  const nodes = [...path.nodes];
  const problems: string[] = [];
  const where = `${src}->${dst} [${nodes.join(",")}]`;
  if (nodes[0] !== src) problems.push(`${where}: does not start at the source`);
  if (nodes[nodes.length - 1] !== dst) problems.push(`${where}: does not end at the destination`);
  if (path.links.length !== nodes.length - 1) problems.push(`${where}: ${path.links.length} links for ${nodes.length} nodes`);
  if (new Set(nodes).size !== nodes.length) problems.push(`${where}: repeats a node`);
  for (let i = 0; i < path.links.length; i++) {
    const link = path.links[i]!;
    if (topology.linkFrom[link] !== nodes[i] || topology.linkTo[link] !== nodes[i + 1]) {
      problems.push(`${where}: link ${i} does not join nodes ${i} and ${i + 1}`);
    }
  }
  if (nodes.slice(1, -1).some((node) => topology.nodeKind[node] === KIND_HOST)) problems.push(`${where}: a host transits`);
  if (!isValleyFree(topology, path.nodes)) problems.push(`${where}: isValleyFree says no`);
  // The same rule written independently: up* peer? down*, as letters.
  const letter: Record<number, string> = { [TO_PROVIDER]: "U", [TO_PEER]: "P", [TO_CUSTOMER]: "D" };
  const letters = [...path.links].map((link) => letter[topology.linkRelation[link]!]).join("");
  if (!/^U*P?D*$/.test(letters)) problems.push(`${where}: relations ${letters} make a valley`);
  return problems;
}

function expectWellFormed(topology: CompiledTopology, path: OfferedPath, src: number, dst: number): void {
  expect(problemsOf(topology, path, src, dst)).toEqual([]);
}

/** Independent oracle: depth-first search over all simple valley-free routes, shortest length. */
function bruteForceShortest(topology: CompiledTopology, src: number, dst: number): number {
  let best = Infinity;
  const onPath = new Set([src]);
  const visit = (node: number, climbing: boolean, hops: number): void => {
    if (node === dst) {
      best = Math.min(best, hops);
      return;
    }
    if (hops > 0 && topology.nodeKind[node] === KIND_HOST) return;
    for (let i = topology.outStart[node]!; i < topology.outStart[node + 1]!; i++) {
      const link = topology.outLinks[i]!;
      const next = topology.linkTo[link]!;
      const relation = topology.linkRelation[link];
      if (onPath.has(next)) continue;
      if (!climbing && relation !== TO_CUSTOMER) continue;
      onPath.add(next);
      visit(next, climbing && relation === TO_PROVIDER, hops + 1);
      onPath.delete(next);
    }
  };
  visit(src, true, 0);
  return best;
}

const generated = fc
  .record({
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    nodes: fc.integer({ min: 2, max: 150 }),
    hosts: fc.integer({ min: 0, max: 12 }),
    k: fc.integer({ min: 1, max: 6 }),
  })
  .map(({ seed, nodes, hosts, k }) => ({ topology: compileTopology(generateInternetTopology({ nodes, seed, hosts })), k }));

describe("valley-free paths", () => {
  it("offers only well-formed valley-free routes, at most k, shortest first, for any graph and pair", () => {
    fc.assert(
      fc.property(generated, fc.nat(), fc.nat(), ({ topology, k }, i, j) => {
        const n = topology.nodeIds.length;
        const src = i % n;
        const dst = j % n;
        const table = new PathTable(topology, { k });
        const offered = table.offered(src, dst);
        expect(offered.length).toBeLessThanOrEqual(k);
        if (src === dst) expect(offered).toHaveLength(0);
        for (const path of offered) expectWellFormed(topology, path, src, dst);
        for (let p = 1; p < offered.length; p++) {
          expect(offered[p]!.nodes.length).toBeGreaterThanOrEqual(offered[p - 1]!.nodes.length);
          expect([...offered[p]!.nodes]).not.toEqual([...offered[p - 1]!.nodes]);
        }
        // The best offered route is the shortest one, and there is one whenever any route exists.
        const shortest = shortestValleyFreePath(topology, src, dst);
        if (shortest === null) expect(offered).toHaveLength(0);
        else {
          expectWellFormed(topology, shortest, src, dst);
          expect([...offered[0]!.nodes]).toEqual([...shortest.nodes]);
        }
        expect(table.offered(src, dst)).toBe(offered); // cached, not rebuilt
      }),
      { seed: 20150801, numRuns: 150 },
    );
  });

  it("finds the same shortest lengths as an exhaustive search on small graphs", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 2, max: 24 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(0, 0.12, 0.3, 0.5),
        (seed, nodes, hosts, tier1, peerShare) => {
        // Small cliques and heavy peering make routes that two peering links would shorten.
        const topology = compileTopology(
          generateInternetTopology({ nodes, seed, hosts, tier1: Math.min(tier1, nodes), peerShare, peerWindow: 0.5 }),
        );
        const n = topology.nodeIds.length;
        for (let src = 0; src < n; src++) {
          for (let dst = 0; dst < n; dst++) {
            if (src === dst) continue;
            const expected = bruteForceShortest(topology, src, dst);
            const path = shortestValleyFreePath(topology, src, dst);
            expect(path === null ? Infinity : path.links.length).toBe(expected);
          }
        }
        },
      ),
      { seed: 20150801, numRuns: 60 },
    );
  });

  it("never routes through a host, even when the relations alone would allow it", () => {
    // U is the provider of host H, which (oddly) is the provider of C: U→H→C descends twice.
    const graph = createTopologyGraph();
    for (const id of ["U", "C"]) graph.addNode(id, { kind: "isp" });
    graph.addNode("H", { kind: "host" });
    const link = { relation: "provider-customer" as const, capacityBps: 1, latencyMs: 1 };
    graph.addEdge("U", "H", { ...link, provider: "U" });
    graph.addEdge("H", "C", { ...link, provider: "H" });
    const topology = compileTopology(graph);
    const [u, h, c] = ["U", "H", "C"].map((id) => topology.nodeIndex.get(id)!);
    expect(topology.linkRelation[findLink(topology, u!, h!)]).toBe(TO_CUSTOMER);
    expect(isValleyFree(topology, [u!, h!, c!])).toBe(false);
    expect(shortestValleyFreePath(topology, u!, c!)).toBeNull();
    expect(new PathTable(topology).offered(u!, c!)).toHaveLength(0);
    expect(new PathTable(topology).offered(u!, h!)).toHaveLength(1);
  });

  it("offers one route per neighbour of a transit AS, best first", () => {
    // P1 and P2 are providers of S and of D, and peer with each other.
    const graph = createTopologyGraph();
    for (const id of ["S", "D", "P1", "P2"]) graph.addNode(id, { kind: "isp" });
    const pc = (provider: string, customer: string): void => {
      graph.addEdge(provider, customer, { relation: "provider-customer", provider, capacityBps: 1, latencyMs: 1 });
    };
    pc("P1", "S");
    pc("P2", "S");
    pc("P1", "D");
    pc("P2", "D");
    graph.addEdge("P1", "P2", { relation: "peer", capacityBps: 1, latencyMs: 1 });
    const topology = compileTopology(graph);
    const name = (path: OfferedPath): string => [...path.nodes].map((n) => topology.nodeIds[n]).join("-");
    const s = topology.nodeIndex.get("S")!;
    const d = topology.nodeIndex.get("D")!;
    expect(new PathTable(topology, { k: 4 }).offered(s, d).map(name)).toEqual(["S-P1-D", "S-P2-D"]);
    expect(new PathTable(topology, { k: 1 }).offered(s, d).map(name)).toEqual(["S-P1-D"]);
    const p1 = topology.nodeIndex.get("P1")!;
    // From P1: straight down, or across the peering link and down (S is not transit-free for P1).
    expect(new PathTable(topology).offered(p1, d).map(name)).toEqual(["P1-D", "P1-P2-D"]);
    expect(topology.linkRelation[findLink(topology, p1, topology.nodeIndex.get("P2")!)]).toBe(TO_PEER);
  });

  it("covers every pair of the JP topology with well-formed routes", () => {
    const topology = compileTopology(loadAsRelationshipsFile(jpFile));
    const n = topology.nodeIds.length;
    expect(n).toBe(550);
    const table = new PathTable(topology, { k: 4 });
    let routes = 0;
    let most = 0;
    let pairsWithout = 0;
    const problems: string[] = [];
    for (let dst = 0; dst < n; dst++) {
      for (let src = 0; src < n; src++) {
        if (src === dst) continue;
        const offered = table.offered(src, dst);
        routes += offered.length;
        most = Math.max(most, offered.length);
        if (offered.length === 0) pairsWithout++;
        for (const path of offered) problems.push(...problemsOf(topology, path, src, dst));
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(most).toBe(4);
    // Real data has ASes whose only routes would need two peering links; most pairs are reachable.
    expect(pairsWithout).toBeLessThan(0.05 * n * (n - 1));
    expect(routes).toBeGreaterThan(1.5 * n * (n - 1));
  });
});
