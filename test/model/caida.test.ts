import { describe, it, expect } from "vitest";
import { fileURLToPath } from "node:url";
import { TollwayError } from "../../src/errors.js";
import { loadAsRelationshipsFile, parseAsRelationships } from "../../src/model/loaders/caida.js";
import { loadAsnsOfCountryFile } from "../../src/model/loaders/rir.js";
import type { TopologyGraph } from "../../src/model/topology.js";

const data = (name: string): string => fileURLToPath(new URL(`../../../shared/data/${name}`, import.meta.url));

function counts(graph: TopologyGraph): { nodes: number; links: number; providerCustomer: number; peer: number } {
  let providerCustomer = 0;
  let peer = 0;
  graph.forEachEdge((_edge, attributes) => (attributes.relation === "peer" ? peer++ : providerCustomer++));
  return { nodes: graph.order, links: graph.size, providerCustomer, peer };
}

/** The provider's id of the link between a and b, or "peer". */
function relationOf(graph: TopologyGraph, a: string, b: string): string {
  const attributes = graph.getEdgeAttributes(graph.edge(a, b)!);
  return attributes.relation === "peer" ? "peer" : attributes.provider!;
}

function thrown(action: () => unknown): TollwayError {
  try {
    action();
  } catch (error) {
    if (error instanceof TollwayError) return error;
    throw error;
  }
  throw new Error("expected a TollwayError");
}

const SERIAL_1 = [
  "# source:topology|BGP|20150801|routeviews|route-views2",
  "# inferred clique: 1 2",
  "1|2|0",
  "1|3|-1",
  "2|3|-1",
  "",
  "3|4|-1",
  "4|5|0",
  "1|3|-1", // exact duplicate
  "3|4|-1|bgp", // the same pair and relationship, with a source column
].join("\n");

const SERIAL_2 = [
  "# serial-2: <provider>|<customer>|-1|<source> or <peer>|<peer>|0|<source>",
  "10|20|-1|bgp",
  "20|30|0|mlp",
  "10|30|-1|bgp",
  "30|40|-1|bgp",
].join("\r\n");

describe("parseAsRelationships", () => {
  it("reads serial-1: nodes in order of appearance, relations, duplicates dropped", () => {
    const graph = parseAsRelationships(SERIAL_1);
    expect(counts(graph)).toEqual({ nodes: 5, links: 5, providerCustomer: 3, peer: 2 });
    expect(graph.nodes()).toEqual(["1", "2", "3", "4", "5"]);
    expect(graph.getNodeAttributes("4")).toEqual({ kind: "isp", asn: 4 });
    expect(relationOf(graph, "1", "2")).toBe("peer");
    expect(relationOf(graph, "3", "1")).toBe("1");
    expect(relationOf(graph, "2", "3")).toBe("2");
    expect(relationOf(graph, "4", "3")).toBe("3");
    expect(relationOf(graph, "5", "4")).toBe("peer");
  });

  it("reads serial-2 with its source column and CRLF line ends", () => {
    const graph = parseAsRelationships(SERIAL_2);
    expect(counts(graph)).toEqual({ nodes: 4, links: 4, providerCustomer: 3, peer: 1 });
    expect(relationOf(graph, "20", "10")).toBe("10");
    expect(relationOf(graph, "30", "20")).toBe("peer");
    expect(relationOf(graph, "40", "30")).toBe("30");
  });

  it("gives every link the requested capacity and latency", () => {
    const graph = parseAsRelationships("1|2|-1\n", { capacityBps: 1e9, latencyMs: 12 });
    expect(graph.getEdgeAttributes(graph.edge("1", "2")!)).toEqual({
      relation: "provider-customer",
      provider: "1",
      capacityBps: 1e9,
      latencyMs: 12,
    });
    expect(thrown(() => parseAsRelationships("1|2|-1\n", { capacityBps: 0 })).reason).toMatch(/capacityBps must be a positive/);
  });

  it("keeps only links inside restrictTo", () => {
    const graph = parseAsRelationships(SERIAL_1, { restrictTo: new Set([1, 3, 4, 5]) });
    expect(graph.nodes()).toEqual(["1", "3", "4", "5"]);
    expect(counts(graph)).toEqual({ nodes: 4, links: 3, providerCustomer: 2, peer: 1 });
  });

  it("keeps the largest component, and on a tie the one with the smallest ASN", () => {
    const text = "7|8|-1\n8|9|0\n5|6|-1\n2|1|0\n";
    expect(parseAsRelationships(text, { largestComponent: true }).nodes()).toEqual(["7", "8", "9"]);
    expect(parseAsRelationships("5|6|-1\n2|1|0\n", { largestComponent: true }).nodes()).toEqual(["2", "1"]);
    expect(parseAsRelationships("2|1|0\n5|6|-1\n", { largestComponent: true }).nodes()).toEqual(["2", "1"]);
  });

  it.each([
    ["1|2|2", 'relationship must be -1 or 0 (got 2)'],
    ["1|2|", "relationship must be -1 or 0 (got an empty column)"],
    ["1|2", 'expected 3 or 4 columns separated by "|" (got 2)'],
    ["1|2|0|bgp|x", 'expected 3 or 4 columns separated by "|" (got 5)'],
    ["AS1|2|0", "first AS number must be a non-negative integer (got AS1)"],
    ["1|-2|0", "second AS number must be a non-negative integer (got -2)"],
    ["1|4294967296|0", "second AS number is above the 32-bit maximum 4294967295 (got 4294967296)"],
    ["7|7|-1", "self-loop: AS7 is related to itself"],
  ])("rejects %j with the file and line", (bad, reason) => {
    const error = thrown(() => parseAsRelationships(`# header\n1|3|-1\n\n${bad}\n2|3|0\n`, { file: "rel.txt" }));
    expect(error.place).toEqual({ file: "rel.txt", line: 4 });
    expect(error.reason).toBe(reason);
    expect(error.message).toBe(`rel.txt:4: ${reason}`);
  });

  it.each([
    ["1|3|0", "contradicts line 2 (AS1 provides AS3): here AS1 and AS3 peer"],
    ["3|1|-1", "contradicts line 2 (AS1 provides AS3): here AS3 provides AS1"],
    ["3|2|-1|bgp", "contradicts line 5 (AS2 and AS3 peer): here AS3 provides AS2"],
  ])("rejects %j, a relationship that contradicts an earlier line, with both lines", (bad, reason) => {
    const error = thrown(() => parseAsRelationships(`# header\n1|3|-1\n\n\n2|3|0\n${bad}\n`, { file: "rel.txt" }));
    expect(error.place).toEqual({ file: "rel.txt", line: 6 });
    expect(error.reason).toBe(reason);
  });

  it("finds a contradiction also between links restrictTo drops", () => {
    const error = thrown(() => parseAsRelationships("1|2|-1\n8|9|-1\n9|8|0\n", { file: "rel.txt", restrictTo: new Set([1, 2]) }));
    expect(error.message).toBe("rel.txt:3: contradicts line 2 (AS8 provides AS9): here AS8 and AS9 peer");
  });

  it("refuses a text without links, and a restrictTo that keeps none", () => {
    expect(thrown(() => parseAsRelationships("", { file: "rel.txt" })).message).toBe("rel.txt: no AS links (the file has only comments and blank lines)");
    expect(thrown(() => parseAsRelationships("# only a header\n\n", { file: "rel.txt" })).place).toEqual({ file: "rel.txt" });
    expect(thrown(() => parseAsRelationships("1|2|-1\n", { file: "rel.txt", restrictTo: new Set([1, 3]) })).message).toBe("rel.txt: no AS links between the 2 chosen ASes");
  });

  it("checks every line, also those restrictTo would drop", () => {
    const error = thrown(() => parseAsRelationships("1|2|-1\n8|9|x\n", { restrictTo: new Set([1, 2]) }));
    expect(error.place.line).toBe(2);
  });
});

describe("loadAsRelationshipsFile", () => {
  it("names the file and the OS reason when the file cannot be read", () => {
    const path = data("no-such-file.as-rel.txt");
    const error = thrown(() => loadAsRelationshipsFile(path));
    expect(error.place).toEqual({ file: path });
    expect(error.message).toBe(`${path}: cannot read: no such file or directory`);
  });

  it("loads the JP topology: 550 ASes, 1,142 links (1,003 provider-customer, 139 peer)", () => {
    const graph = loadAsRelationshipsFile(data("jp-as-rel.txt"));
    expect(counts(graph)).toEqual({ nodes: 550, links: 1142, providerCustomer: 1003, peer: 139 });
    // The data README's degree figures: KDDI (AS2516) has 177 neighbours, IIJ (AS2497) 155.
    expect(graph.degree("2516")).toBe(177);
    expect(graph.degree("2497")).toBe(155);
  });

  it("derives the same JP topology from the full CAIDA file and APNIC's JP AS numbers", () => {
    const jp = loadAsnsOfCountryFile(data("delegated-apnic-20150708.txt"), "JP");
    const graph = loadAsRelationshipsFile(data("20150801.as-rel.txt"), { restrictTo: jp, largestComponent: true });
    expect(counts(graph)).toEqual({ nodes: 550, links: 1142, providerCustomer: 1003, peer: 139 });
    const derived = loadAsRelationshipsFile(data("jp-as-rel.txt"));
    expect(graph.nodes()).toEqual(derived.nodes());
    expect(graph.mapEdges((_e, a, s, t) => `${s}|${t}|${a.relation}`)).toEqual(
      derived.mapEdges((_e, a, s, t) => `${s}|${t}|${a.relation}`),
    );
  });

  it("loads the full 2015-08-01 snapshot with the counts the data README gives", () => {
    const graph = loadAsRelationshipsFile(data("20150801.as-rel.txt"));
    expect(counts(graph)).toEqual({ nodes: 51507, links: 199539, providerCustomer: 102630, peer: 96909 });
  });
});
