/**
 * A seeded generator of Internet-like AS graphs, the default topology when no CAIDA data is at
 * hand. It grows a provider hierarchy the way the AS graph is usually modelled (a tier-1 clique,
 * then customers that attach preferentially to ASes that already have many customers) and adds
 * peering between ASes of similar size.
 *
 * The defaults aim at the mix of the JP subgraph of CAIDA's 2015-08-01 snapshot that the pricing
 * paper uses (550 ASes, 1,003 provider-customer and 139 peer links, i.e. 12% peer; 9 ASes with no
 * provider; about 80% of ASes with no customer; the biggest AS linked to a third of the others).
 */
import { TollwayError } from "../errors.js";
import { createRng, deriveSeed, STREAM, type Rng } from "../engine/random.js";
import { createTopologyGraph, DEFAULT_CAPACITY_BPS, DEFAULT_LATENCY_MS, type TopologyGraph } from "./topology.js";

/** Size, seed and shape of a generated AS graph; every field but `nodes` and `seed` has a default. */
export interface InternetTopologyOptions {
  /** Number of ASes (ISP nodes), at least 1. Ids are `AS1` … `AS<nodes>`. */
  nodes: number;
  /** Seed; the same options give the same graph, node for node and link for link. */
  seed: number;
  /**
   * Size of the tier-1 clique (ASes with no provider, all peering with each other). Default
   * round(log2(nodes)) clamped to 3…16, capped at `nodes`: 9 for 550 ASes (the JP graph has 9
   * provider-free ASes), 16 for 50,000 (CAIDA's 2015 clique has 13).
   */
  tier1?: number;
  /**
   * Probabilities that a new AS buys transit from 1, 2 or 3 providers. Default [0.4, 0.35, 0.25]:
   * 1.85 providers per AS on average, as in the JP graph (1,003 provider links for 541 ASes
   * outside the clique), and 40% single-homed.
   */
  providerMix?: readonly [number, number, number];
  /**
   * Preferential attachment: a candidate provider is chosen with weight
   * (customers + attractiveness) × tierDecay^(tier − 1). A small attractiveness lets most ASes
   * stay stubs (no customers). Default 0.3, which with tierDecay 0.8 gives about 80% stubs and a
   * largest AS linked to 35–50% of the others on 550 ASes (JP: 81% and 32%).
   */
  attractiveness?: number;
  /** Weight factor per tier below tier 1, so providers come mostly from the upper tiers. Default 0.8. */
  tierDecay?: number;
  /**
   * Target fraction of AS–AS links that are peer links (the clique counts). Default 0.12, the JP
   * share; when the clique alone exceeds it no other peering is added.
   */
  peerShare?: number;
  /**
   * How far apart in the size ranking (by number of customers) two peers may be, as a fraction
   * of `nodes`. Default 0.02: ASes peer with others of similar size.
   */
  peerWindow?: number;
  /** End hosts to attach (ids `H1` … `H<hosts>`), each the customer of 1 or 2 random ISPs. Default 0. */
  hosts?: number;
  /** Probability that a host has two access ISPs instead of one. Default 0.2. */
  hostMultihoming?: number;
  /** Capacity of every link in bits per second. Default DEFAULT_CAPACITY_BPS. */
  capacityBps?: number;
  /**
   * One-way latency per link in milliseconds: a number for all links, or a range from which each
   * link draws uniformly. Default DEFAULT_LATENCY_MS.
   */
  latencyMs?: number | { min: number; max: number };
}

/** Weights summed by prefix, so weighted draws and weight changes cost O(log n) each. */
class FenwickTree {
  private readonly tree: Float64Array;
  private readonly values: Float64Array;

  constructor(size: number) {
    this.tree = new Float64Array(size + 1);
    this.values = new Float64Array(size);
  }

  set(i: number, value: number): void {
    const delta = value - this.values[i]!;
    this.values[i] = value;
    for (let j = i + 1; j < this.tree.length; j += j & -j) this.tree[j]! += delta;
  }

  /** Sum of the weights of indices below `upTo`. */
  total(upTo: number): number {
    let sum = 0;
    for (let j = upTo; j > 0; j -= j & -j) sum += this.tree[j]!;
    return sum;
  }

  /** The index whose cumulative weight range holds `target` (0 ≤ target < total). */
  find(target: number, limit: number): number {
    let pos = 0;
    let step = 1;
    while (step * 2 < this.tree.length) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = pos + step;
      if (next < this.tree.length && this.tree[next]! <= target) {
        pos = next;
        target -= this.tree[next]!;
      }
    }
    // Rounding can push the walk past the last positive weight; step back to one that counts.
    pos = Math.min(pos, limit - 1);
    while (pos > 0 && this.values[pos] === 0) pos--;
    return pos;
  }
}

/**
 * An Internet-like AS graph: `tier1` ASes in a peering clique; then each further AS buys transit
 * from 1–3 earlier ASes drawn by preferential attachment on customer count (so providers always
 * come before customers: no provider cycles, and the graph is connected); then peer links between
 * ASes close in the size ranking until `peerShare` of the links are peer links. Nodes carry
 * `{ kind: "isp", tier }`, tier = 1 + the smallest tier among the AS's providers.
 * @example
 *   const graph = generateInternetTopology({ nodes: 550, seed: 1 });
 */
export function generateInternetTopology(options: InternetTopologyOptions): TopologyGraph {
  const n = options.nodes;
  if (!Number.isInteger(n) || n < 1) throw new TollwayError(`nodes must be a positive integer (got ${n})`, { field: "nodes" });
  const tier1 = options.tier1 ?? Math.min(n, Math.max(3, Math.min(16, Math.round(Math.log2(n)))));
  if (!Number.isInteger(tier1) || tier1 < 1 || tier1 > n) {
    throw new TollwayError(`tier1 must be an integer from 1 to nodes (got ${tier1})`, { field: "tier1" });
  }
  const providerMix = options.providerMix ?? [0.4, 0.35, 0.25];
  if (providerMix.some((p) => !(p >= 0)) || !(providerMix[0] + providerMix[1] + providerMix[2] > 0)) {
    throw new TollwayError("providerMix must be three non-negative weights, not all zero", { field: "providerMix" });
  }
  const attractiveness = positiveOption(options.attractiveness, 0.3, "attractiveness");
  const tierDecay = positiveOption(options.tierDecay, 0.8, "tierDecay");
  const peerShare = fractionOption(options.peerShare, 0.12, "peerShare");
  const peerWindow = fractionOption(options.peerWindow, 0.02, "peerWindow");
  const hosts = options.hosts ?? 0;
  if (!Number.isInteger(hosts) || hosts < 0) throw new TollwayError(`hosts must be a non-negative integer (got ${hosts})`, { field: "hosts" });
  const hostMultihoming = fractionOption(options.hostMultihoming, 0.2, "hostMultihoming");
  const capacityBps = options.capacityBps ?? DEFAULT_CAPACITY_BPS;
  if (!(capacityBps > 0 && Number.isFinite(capacityBps))) {
    throw new TollwayError(`capacityBps must be a positive number (got ${capacityBps})`, { field: "capacityBps" });
  }
  const latency = options.latencyMs ?? DEFAULT_LATENCY_MS;
  const [latencyMin, latencyMax] = typeof latency === "number" ? [latency, latency] : [latency.min, latency.max];
  if (!(latencyMin >= 0 && latencyMax >= latencyMin && Number.isFinite(latencyMax))) {
    throw new TollwayError(`latencyMs must be non-negative, with min ≤ max (got ${JSON.stringify(latency)})`, { field: "latencyMs" });
  }

  // Separate streams: turning on hosts or latency jitter must not change the AS structure.
  const structure = createRng(deriveSeed(options.seed, STREAM.topology, 0));
  const peering = createRng(deriveSeed(options.seed, STREAM.topology, 1));
  const access = createRng(deriveSeed(options.seed, STREAM.topology, 2));
  const latencies = createRng(deriveSeed(options.seed, STREAM.topology, 3));
  const drawLatency = (): number =>
    latencyMin === latencyMax ? latencyMin : latencyMin + (latencyMax - latencyMin) * latencies.random();

  const graph = createTopologyGraph();
  const id = (i: number): string => `AS${i + 1}`;
  const tier = new Int32Array(n);
  const customers = new Int32Array(n);
  const weight = new FenwickTree(n);
  const tierWeight = (t: number): number => tierDecay ** (t - 1);
  const addPeer = (i: number, j: number): void => {
    graph.addEdge(id(i), id(j), { relation: "peer", capacityBps, latencyMs: drawLatency() });
  };

  for (let i = 0; i < tier1; i++) {
    tier[i] = 1;
    graph.addNode(id(i), { kind: "isp", tier: 1 });
    weight.set(i, attractiveness);
    for (let j = 0; j < i; j++) addPeer(j, i);
  }

  const mixTotal = providerMix[0] + providerMix[1] + providerMix[2];
  let providerLinks = 0;
  for (let i = tier1; i < n; i++) {
    const u = structure.random() * mixTotal;
    const wanted = Math.min(i, u < providerMix[0] ? 1 : u < providerMix[0] + providerMix[1] ? 2 : 3);
    const chosen: number[] = [];
    for (let c = 0; c < wanted; c++) {
      const total = weight.total(i);
      if (!(total > 0)) break;
      const p = weight.find(structure.random() * total, i);
      chosen.push(p);
      weight.set(p, 0); // without replacement; restored below
    }
    tier[i] = 1 + Math.min(...chosen.map((p) => tier[p]!));
    graph.addNode(id(i), { kind: "isp", tier: tier[i]! });
    for (const p of chosen) {
      customers[p]!++;
      graph.addEdge(id(p), id(i), { relation: "provider-customer", provider: id(p), capacityBps, latencyMs: drawLatency() });
      providerLinks++;
    }
    for (const p of chosen) weight.set(p, (customers[p]! + attractiveness) * tierWeight(tier[p]!));
    weight.set(i, attractiveness * tierWeight(tier[i]!));
  }

  addSimilarSizePeers(graph, n, tier1, customers, providerLinks, peerShare, peerWindow, peering, addPeer, id);
  attachHosts(graph, n, hosts, hostMultihoming, access, capacityBps, drawLatency, id);
  return graph;
}

/**
 * Peering: pick an AS with probability growing with its customer count (big ASes peer more),
 * then a partner a few places away in the ranking by customer count.
 */
function addSimilarSizePeers(
  graph: TopologyGraph,
  n: number,
  tier1: number,
  customers: Int32Array,
  providerLinks: number,
  peerShare: number,
  peerWindow: number,
  rng: Rng,
  addPeer: (i: number, j: number) => void,
  id: (i: number) => string,
): void {
  const cliquePeers = (tier1 * (tier1 - 1)) / 2;
  const target = Math.round((peerShare / (1 - peerShare)) * providerLinks) - cliquePeers;
  if (peerShare >= 1 || target <= 0 || n < 3) return;

  const ranking = Array.from({ length: n }, (_v, i) => i).sort((x, y) => customers[y]! - customers[x]! || x - y);
  const rankOf = new Int32Array(n);
  ranking.forEach((node, r) => (rankOf[node] = r));
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cumulative[i] = sum += customers[i]! + 1;
  const window = Math.max(2, Math.round(peerWindow * n));

  let added = 0;
  for (let attempt = 0; added < target && attempt < target * 50; attempt++) {
    const pick = rng.random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > pick) hi = mid;
      else lo = mid + 1;
    }
    const u = lo;
    const offset = 1 + rng.int(window);
    const r = rankOf[u]! + (rng.random() < 0.5 ? -offset : offset);
    if (r < 0 || r >= n) continue;
    const v = ranking[r]!;
    if (graph.hasEdge(id(u), id(v))) continue;
    addPeer(Math.min(u, v), Math.max(u, v));
    added++;
  }
}

/** Hosts come after all ASes, so adding them leaves every AS index and link index unchanged. */
function attachHosts(
  graph: TopologyGraph,
  n: number,
  hosts: number,
  multihoming: number,
  rng: Rng,
  capacityBps: number,
  drawLatency: () => number,
  id: (i: number) => string,
): void {
  for (let h = 0; h < hosts; h++) {
    const host = `H${h + 1}`;
    graph.addNode(host, { kind: "host" });
    const first = rng.int(n);
    const providers = [first];
    if (n > 1 && rng.random() < multihoming) {
      const second = (first + 1 + rng.int(n - 1)) % n;
      providers.push(second);
    }
    for (const p of providers) {
      graph.addEdge(id(p), host, { relation: "provider-customer", provider: id(p), capacityBps, latencyMs: drawLatency() });
    }
  }
}

function positiveOption(value: number | undefined, fallback: number, field: string): number {
  const v = value ?? fallback;
  if (!(v > 0 && Number.isFinite(v))) throw new TollwayError(`${field} must be a positive number (got ${v})`, { field });
  return v;
}

function fractionOption(value: number | undefined, fallback: number, field: string): number {
  const v = value ?? fallback;
  if (!(v >= 0 && v < 1)) throw new TollwayError(`${field} must be at least 0 and below 1 (got ${v})`, { field });
  return v;
}
