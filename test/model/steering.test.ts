import { describe, expect, it } from "vitest";
import { figure1Topology } from "../../src/model/figure1.js";
import { compileTopology, createTopologyGraph } from "../../src/model/topology.js";
import { PathTable } from "../../src/model/paths.js";
import { alternativesAt, ispOadsAlong } from "../../src/model/oads.js";
import { requestedChoice, steerRoute, userOadsProblem, type HonoursRequest } from "../../src/model/steering.js";
import type { UserOad } from "../../src/model/header.js";

const topology = compileTopology(figure1Topology());
const paths = new PathTable(topology, { k: 4 });
const node = (id: string) => topology.nodeIndex.get(id)!;
const ids = (nodes: Int32Array | undefined) => (nodes ? Array.from(nodes, (n) => topology.nodeIds[n]) : null);
const offered = (from: string, to: string, ...via: string[]) =>
  paths.offered(node(from), node(to)).find((p) => ids(p.nodes)!.join("-") === [from, ...via, to].join("-"))!;
const always: HonoursRequest = () => true;
const at = (isp: string, oad: UserOad) => (n: number) => (topology.nodeIds[n] === isp ? oad : undefined);

describe("requestedChoice: what a user-OAD asks of an ISP", () => {
  it("the preferred choice when offered and not undesirable", () => {
    expect(requestedChoice({ undesirable: 0, choice: 2 }, 1, 2)).toBe(2);
    // Choice 3 is not offered (2 alternatives): no request.
    expect(requestedChoice({ undesirable: 0, choice: 3 }, 1, 2)).toBe(0);
  });
  it("only an undesirable bitmap: the first choice not marked, if the current one is marked", () => {
    // "it can specify that choice number 1 is undesirable and learn about the alternate path".
    expect(requestedChoice({ undesirable: 0b001, choice: 0 }, 1, 3)).toBe(2);
    expect(requestedChoice({ undesirable: 0b011, choice: 0 }, 1, 3)).toBe(3);
    // The current choice (2) is not marked: nothing to change.
    expect(requestedChoice({ undesirable: 0b001, choice: 0 }, 2, 3)).toBe(0);
    // Every choice marked: nowhere to go.
    expect(requestedChoice({ undesirable: 0b11, choice: 0 }, 1, 2)).toBe(0);
  });
});

describe("steerRoute on Figure 1 (Bill-Pay §2.2)", () => {
  const viaY = offered("A", "B", "X", "Y");

  it("A asks X for choice 2: the packet goes A-X-Z-B, and its ISP-OADs say X:2 Z:1", () => {
    const steered = steerRoute(topology, paths, viaY, at("X", { undesirable: 0, choice: 2 }), always);
    expect(ids(steered?.nodes)).toEqual(["A", "X", "Z", "B"]);
    // Links: A→X, X→Z, Z→B, the same as the offered path A-X-Z-B.
    expect(Array.from(steered!.links)).toEqual(Array.from(offered("A", "B", "X", "Z").links));
    expect(ispOadsAlong(topology, paths, steered!.nodes)).toEqual([
      { isp: "X", alternatives: 0b11, choice: 2 },
      { isp: "Z", alternatives: 0b1, choice: 1 },
    ]);
  });

  it("marking choice 1 undesirable gets the same route", () => {
    expect(ids(steerRoute(topology, paths, viaY, at("X", { undesirable: 0b1, choice: 0 }), always)?.nodes)).toEqual(["A", "X", "Z", "B"]);
  });

  it("no change (null) when X ignores the request, when it asks for the current choice, or when it addresses no ISP on the path", () => {
    expect(steerRoute(topology, paths, viaY, at("X", { undesirable: 0, choice: 2 }), () => false)).toBeNull();
    expect(steerRoute(topology, paths, viaY, at("X", { undesirable: 0, choice: 1 }), always)).toBeNull();
    expect(steerRoute(topology, paths, viaY, at("Z", { undesirable: 0, choice: 1 }), always)).toBeNull();
  });

  it("asks the ISP with the link it would use and the links the packet crossed to reach it", () => {
    const calls: [string, string, number, number[]][] = [];
    steerRoute(topology, paths, viaY, at("X", { undesirable: 0, choice: 2 }), (isp, link, position, before) => {
      calls.push([topology.nodeIds[isp]!, `${topology.nodeIds[topology.linkFrom[link]!]}→${topology.nodeIds[topology.linkTo[link]!]}`, position, Array.from(before)]);
      return true;
    });
    expect(calls).toEqual([["X", "X→Z", 1, [viaY.links[0]!]]]);
  });
});

describe("steerRoute keeps to loop-free, valley-free routes", () => {
  // X is the provider of A and B, Y of B, P of Y and B; X and Y peer. A packet A-X-Y-B reaches
  // Y from a peer, so Y may only send it down: to B, not back to X (a loop), nor up to P (a valley).
  const graph = createTopologyGraph();
  for (const h of ["A", "B"]) graph.addNode(h, { kind: "host" });
  for (const isp of ["X", "Y", "P"]) graph.addNode(isp, { kind: "isp" });
  const link = { capacityBps: 1e9, latencyMs: 1 };
  for (const [provider, customer] of [["X", "A"], ["X", "B"], ["Y", "B"], ["P", "Y"], ["P", "B"]] as const) {
    graph.addEdge(provider, customer, { relation: "provider-customer", provider, ...link });
  }
  graph.addEdge("X", "Y", { relation: "peer", ...link });
  const t = compileTopology(graph);
  const table = new PathTable(t, { k: 4 });
  const n = (id: string) => t.nodeIndex.get(id)!;
  const route = table.offered(n("A"), n("B")).find((p) => Array.from(p.nodes, (v) => t.nodeIds[v]).join("-") === "A-X-Y-B")!;
  const alternatives = alternativesAt(table, n("Y"), n("B"), n("B")).map((v) => t.nodeIds[v]);

  it("Y offers B, X and P toward B", () => {
    expect([...alternatives].sort()).toEqual(["B", "P", "X"]);
  });
  for (const hop of ["X", "P"]) {
    it(`a request at Y for the choice via ${hop} is not acted on`, () => {
      const choice = alternatives.indexOf(hop) + 1;
      const requestOf = (v: number) => (t.nodeIds[v] === "Y" ? { undesirable: 0, choice } : undefined);
      expect(steerRoute(t, table, route, requestOf, always)).toBeNull();
    });
  }
});

describe("userOadsProblem", () => {
  it("accepts requests in the header's ranges", () => {
    expect(userOadsProblem([])).toBeNull();
    expect(userOadsProblem([{ isp: "X", undesirable: 0b1, choice: 2 }])).toBeNull();
  });
  it("names the bad field", () => {
    expect(userOadsProblem({})).toMatch(/array/);
    expect(userOadsProblem([{ undesirable: 0, choice: 1 }])).toBe("oads.0.isp: must name an ISP by id");
    expect(userOadsProblem([{ isp: "X", undesirable: 0, choice: 9 }])).toMatch(/^oads\.0\.choice: must be 0 \(none\) or a choice 1\.\.8/);
    expect(userOadsProblem([{ isp: "X", undesirable: 0b10, choice: 2 }])).toMatch(/^oads\.0\.choice: choice 2 is also marked undesirable/);
    expect(userOadsProblem(Array.from({ length: 8 }, () => ({ isp: "X", undesirable: 0, choice: 0 })))).toMatch(/^oads: at most 7/);
  });
});
