/**
 * The network: ASes (ISPs) and end hosts, joined by links with a business relationship,
 * a capacity and a latency. Authored as a graphology graph, compiled to typed arrays for
 * the engine (see `compileTopology`).
 */
// Named import: graphology's typings declare only a CommonJS-style default export, which
// NodeNext resolution sees as a namespace; UndirectedGraph is typed and exported both ways.
import { UndirectedGraph } from "graphology";

export type NodeKind = "isp" | "host";

/** `provider-customer`: `a` is the provider of `b`. `peer`: settlement-free peers. */
export type LinkRelation = "provider-customer" | "peer";

export interface NodeAttributes {
  kind: NodeKind;
  /** AS number when the node comes from a real AS-relationship file. */
  asn?: number;
  /** Tier from the generator (1 = transit-free core). */
  tier?: number;
}

export interface LinkAttributes {
  relation: LinkRelation;
  /** For `provider-customer`, the id of the provider end. */
  provider?: string;
  capacityBps: number;
  latencyMs: number;
}

export type TopologyGraph = UndirectedGraph<NodeAttributes, LinkAttributes>;

export const DEFAULT_CAPACITY_BPS = 10e9;
export const DEFAULT_LATENCY_MS = 5;
/**
 * The smallest link capacity a topology may give, 1 bit/s: below it a link's load (offered bits
 * over capacity) overflows to infinity, and every congestion toll with it.
 */
export const MIN_CAPACITY_BPS = 1;

/** An empty undirected simple graph with Tollway's attribute types. */
export function createTopologyGraph(): TopologyGraph {
  return new UndirectedGraph<NodeAttributes, LinkAttributes>({ multi: false, allowSelfLoops: false });
}

/** Relation of a directed link, seen from the sender's side. */
export const TO_CUSTOMER = 0;
export const TO_PEER = 1;
export const TO_PROVIDER = 2;
export type DirectedRelation = typeof TO_CUSTOMER | typeof TO_PEER | typeof TO_PROVIDER;

export const KIND_ISP = 0;
export const KIND_HOST = 1;

/**
 * The engine's view of a topology: nodes and *directed* links as dense integer indices.
 * Each undirected link `{a, b}` becomes two directed links `a→b` and `b→a` (see `linkReverse`).
 * Node and link order is deterministic: nodes in graph insertion order, links in edge order.
 */
export interface CompiledTopology {
  readonly nodeIds: readonly string[];
  readonly nodeIndex: ReadonlyMap<string, number>;
  /** KIND_ISP or KIND_HOST per node. */
  readonly nodeKind: Uint8Array;
  readonly linkCount: number;
  readonly linkFrom: Int32Array;
  readonly linkTo: Int32Array;
  /** TO_CUSTOMER, TO_PEER or TO_PROVIDER: what `linkTo` is to `linkFrom`. */
  readonly linkRelation: Uint8Array;
  readonly linkCapacityBps: Float64Array;
  readonly linkLatencyMs: Float64Array;
  /** Index of the opposite direction of each link. */
  readonly linkReverse: Int32Array;
  /** CSR adjacency: links leaving node n are `outLinks[outStart[n] .. outStart[n+1])`. */
  readonly outStart: Int32Array;
  readonly outLinks: Int32Array;
}

export function compileTopology(graph: TopologyGraph): CompiledTopology {
  const nodeIds = graph.nodes();
  const nodeIndex = new Map(nodeIds.map((id, i) => [id, i]));
  const nodeKind = new Uint8Array(nodeIds.length);
  nodeIds.forEach((id, i) => {
    nodeKind[i] = graph.getNodeAttribute(id, "kind") === "host" ? KIND_HOST : KIND_ISP;
  });

  const linkCount = graph.size * 2;
  const linkFrom = new Int32Array(linkCount);
  const linkTo = new Int32Array(linkCount);
  const linkRelation = new Uint8Array(linkCount);
  const linkCapacityBps = new Float64Array(linkCount);
  const linkLatencyMs = new Float64Array(linkCount);
  const linkReverse = new Int32Array(linkCount);

  let l = 0;
  graph.forEachEdge((_edge, attrs, source, target) => {
    const s = nodeIndex.get(source)!;
    const t = nodeIndex.get(target)!;
    for (const [from, to, fromId] of [[s, t, source], [t, s, target]] as const) {
      linkFrom[l] = from;
      linkTo[l] = to;
      linkCapacityBps[l] = attrs.capacityBps;
      linkLatencyMs[l] = attrs.latencyMs;
      linkRelation[l] =
        attrs.relation === "peer" ? TO_PEER : attrs.provider === fromId ? TO_CUSTOMER : TO_PROVIDER;
      l++;
    }
    linkReverse[l - 2] = l - 1;
    linkReverse[l - 1] = l - 2;
  });

  const outStart = new Int32Array(nodeIds.length + 1);
  for (let i = 0; i < linkCount; i++) outStart[linkFrom[i]! + 1]!++;
  for (let n = 0; n < nodeIds.length; n++) outStart[n + 1]! += outStart[n]!;
  const cursor = outStart.slice(0, nodeIds.length);
  const outLinks = new Int32Array(linkCount);
  for (let i = 0; i < linkCount; i++) outLinks[cursor[linkFrom[i]!]!++] = i;

  return {
    nodeIds, nodeIndex, nodeKind, linkCount, linkFrom, linkTo, linkRelation,
    linkCapacityBps, linkLatencyMs, linkReverse, outStart, outLinks,
  };
}

/** The directed link `from→to`, or -1 when the nodes are not neighbours. */
export function findLink(topology: CompiledTopology, from: number, to: number): number {
  for (let i = topology.outStart[from]!; i < topology.outStart[from + 1]!; i++) {
    const link = topology.outLinks[i]!;
    if (topology.linkTo[link] === to) return link;
  }
  return -1;
}
