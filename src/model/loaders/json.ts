/**
 * Tollway's own JSON topology format, for hand-written networks and for embedding a topology
 * inline in a scenario:
 *
 * ```json
 * { "nodes": [{ "id": "X", "kind": "isp" }, { "id": "A", "kind": "host" }],
 *   "links": [{ "a": "X", "b": "A", "relation": "provider-customer", "capacityBps": 1e10 }] }
 * ```
 *
 * For `provider-customer`, `a` is the provider. Omitted capacities and latencies take
 * DEFAULT_CAPACITY_BPS and DEFAULT_LATENCY_MS.
 */
import { z } from "zod";
import { TollwayError, type ErrorPlace } from "../../errors.js";
import {
  createTopologyGraph,
  DEFAULT_CAPACITY_BPS,
  DEFAULT_LATENCY_MS,
  MIN_CAPACITY_BPS,
  type NodeAttributes,
  type TopologyGraph,
} from "../topology.js";
import { readJsonFile } from "../../io/json-text.js";

const nodeSchema = z.strictObject({
  /** Unique name of the node. */
  id: z.string().min(1),
  /** `isp` (an AS that forwards traffic) or `host` (an end user that only sends and receives). */
  kind: z.enum(["isp", "host"]),
  /** AS number, when the node stands for a real AS. */
  asn: z.number().int().min(0).max(4294967295).optional(),
  /** Tier in a generated hierarchy (1 = transit-free core). */
  tier: z.number().int().min(1).optional(),
});

const linkSchema = z.strictObject({
  /** One end; the provider for `provider-customer`. */
  a: z.string().min(1),
  /** The other end; the customer for `provider-customer`. */
  b: z.string().min(1),
  relation: z.enum(["provider-customer", "peer"]),
  /** Capacity in bits per second, each direction; at least MIN_CAPACITY_BPS. */
  capacityBps: z.number().min(MIN_CAPACITY_BPS).optional(),
  /** One-way latency in milliseconds. */
  latencyMs: z.number().min(0).optional(),
});

/** Zod schema of the JSON topology format; a scenario schema can embed it as a field. */
export const topologyJsonSchema = z.strictObject({
  nodes: z.array(nodeSchema),
  links: z.array(linkSchema),
});

/** A topology in the JSON format, as validated by `topologyJsonSchema`. */
export type TopologyJson = z.infer<typeof topologyJsonSchema>;

/** Where the JSON came from, so errors can point at it. */
export interface TopologyJsonOptions {
  /** File the value came from, for error messages. */
  file?: string;
  /** Dotted path of the topology inside a larger document (e.g. `topology`), prefixed to fields. */
  field?: string;
}

/**
 * The topology graph described by a parsed JSON value. Checks the shape with
 * `topologyJsonSchema`, then the meaning: at least one ISP, ids are unique, links name known nodes, no self-loops
 * or repeated pairs, and a host is only ever the customer end of a provider-customer link
 * (hosts buy access; they neither sell transit nor peer).
 * @throws TollwayError whose `field` is the dotted path of the first problem, e.g. `links.3.b`.
 */
export function topologyFromJson(value: unknown, options: TopologyJsonOptions = {}): TopologyGraph {
  const fail = (path: readonly PropertyKey[], reason: string): never => {
    const dotted = [...(options.field === undefined || options.field === "" ? [] : [options.field]), ...path.map(String)].join(".");
    const place: ErrorPlace = {};
    if (options.file !== undefined) place.file = options.file;
    if (dotted !== "") place.field = dotted;
    throw new TollwayError(reason, place);
  };

  const parsed = topologyJsonSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === "unrecognized_keys") fail([...issue.path, issue.keys[0]!], "is not a known field");
    fail(issue.path, plainReason(issue));
  }
  const { nodes, links } = parsed.data!;
  if (!nodes.some((node) => node.kind === "isp")) fail(["nodes"], "a topology needs at least one ISP");

  const graph = createTopologyGraph();
  nodes.forEach((node, i) => {
    if (graph.hasNode(node.id)) fail(["nodes", i, "id"], `duplicate node id ${JSON.stringify(node.id)}`);
    const attributes: NodeAttributes = { kind: node.kind };
    if (node.asn !== undefined) attributes.asn = node.asn;
    if (node.tier !== undefined) attributes.tier = node.tier;
    graph.addNode(node.id, attributes);
  });

  links.forEach((link, i) => {
    for (const end of ["a", "b"] as const) {
      if (!graph.hasNode(link[end])) fail(["links", i, end], `unknown node ${JSON.stringify(link[end])}`);
    }
    if (link.a === link.b) fail(["links", i], `self-loop: ${JSON.stringify(link.a)} is linked to itself`);
    if (graph.hasEdge(link.a, link.b)) {
      fail(["links", i], `${JSON.stringify(link.a)} and ${JSON.stringify(link.b)} are already linked`);
    }
    const kindA = graph.getNodeAttribute(link.a, "kind");
    const kindB = graph.getNodeAttribute(link.b, "kind");
    if (link.relation === "peer" && (kindA === "host" || kindB === "host")) {
      fail(["links", i, "relation"], "a host cannot peer; link it as the customer of a provider-customer link");
    }
    if (link.relation === "provider-customer" && kindA === "host") {
      fail(["links", i, "a"], `host ${JSON.stringify(link.a)} cannot be a provider`);
    }
    const capacityBps = link.capacityBps ?? DEFAULT_CAPACITY_BPS;
    const latencyMs = link.latencyMs ?? DEFAULT_LATENCY_MS;
    graph.addEdge(link.a, link.b, link.relation === "peer"
      ? { relation: "peer", capacityBps, latencyMs }
      : { relation: "provider-customer", provider: link.a, capacityBps, latencyMs });
  });
  return graph;
}

/**
 * The JSON form of a topology graph, with every capacity and latency written out, so that
 * `topologyFromJson(topologyToJson(g))` rebuilds the same nodes and links in the same order.
 */
export function topologyToJson(graph: TopologyGraph): TopologyJson {
  const nodes: TopologyJson["nodes"] = graph.mapNodes((id, attributes) => {
    const node: TopologyJson["nodes"][number] = { id, kind: attributes.kind };
    if (attributes.asn !== undefined) node.asn = attributes.asn;
    if (attributes.tier !== undefined) node.tier = attributes.tier;
    return node;
  });
  const links: TopologyJson["links"] = graph.mapEdges((_edge, attributes, source, target) => {
    // Graphology may store an undirected edge either way round; the provider goes first.
    const [a, b] = attributes.relation === "provider-customer" && attributes.provider === target
      ? [target, source]
      : [source, target];
    return { a, b, relation: attributes.relation, capacityBps: attributes.capacityBps, latencyMs: attributes.latencyMs };
  });
  return { nodes, links };
}

/**
 * Reads a JSON topology file (see `topologyFromJson`).
 * @throws TollwayError when the file cannot be read, is not JSON, or does not describe a valid topology.
 */
export function loadTopologyJsonFile(path: string): TopologyGraph {
  return topologyFromJson(readJsonFile(path, "topology"), { file: path });
}

/** A zod issue as a short reason a person can act on, e.g. `must be a string (got 3)`. */
function plainReason(issue: z.core.$ZodIssue): string {
  const missing = !("input" in issue) || issue.input === undefined;
  const got = missing ? "" : ` (got ${describe(issue.input)})`;
  switch (issue.code) {
    case "invalid_type":
      return missing ? "is required" : `must be ${article(issue.expected)}${got}`;
    case "invalid_value":
      if (missing) return "is required";
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}${got}`;
    case "too_small":
      if (issue.origin === "string") return "must not be empty";
      if (issue.origin === "array") return `must have at least ${issue.minimum} items`;
      return `must be ${issue.inclusive === false ? "greater than" : "at least"} ${issue.minimum}${got}`;
    case "too_big":
      if (issue.origin === "array" || issue.origin === "string") return `must have at most ${issue.maximum} items`;
      return `must be ${issue.inclusive === false ? "less than" : "at most"} ${issue.maximum}${got}`;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  if (expected === "int") return "an integer";
  if (expected === "array" || expected === "object") return `an ${expected}`;
  return `a ${expected}`;
}

function describe(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "an array";
  if (typeof input === "object") return "an object";
  if (typeof input === "number" && !Number.isFinite(input)) return String(input);
  return JSON.stringify(input) ?? String(input);
}
