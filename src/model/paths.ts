/**
 * Valley-free routes (Gao-Rexford): an AS carries traffic for free only when someone pays it,
 * so a route climbs customer→provider links, crosses at most one peering link, then only
 * descends provider→customer links. End hosts send and receive but never forward.
 *
 * Routing is edge-directed, as in the pricing paper: the source's access ISP offers a handful of
 * routes (one per way out of it, each continued along the shortest valley-free path, the way BGP
 * neighbours advertise their best route), and users choose only among those.
 */
import {
  KIND_HOST,
  TO_CUSTOMER,
  TO_PEER,
  TO_PROVIDER,
  findLink,
  type CompiledTopology,
} from "./topology.js";

/**
 * A route: `nodes[0]` is the source, `nodes[nodes.length - 1]` the destination. The arrays a
 * PathTable hands out are views into its cache, shared by every caller: read them, never write.
 */
export interface OfferedPath {
  readonly nodes: Int32Array;
  /** Directed link indices; `links[i]` goes from `nodes[i]` to `nodes[i + 1]`. */
  readonly links: Int32Array;
}

/** Still climbing: may go up, cross a peering link or start descending. */
const UP = 0;
/** After a peering link or a first step down: may only descend. */
const DOWN = 1;

/** Phase after taking a link with `relation` in `phase`, or -1 when that would make a valley. */
function nextPhase(phase: number, relation: number): number {
  if (phase === UP) return relation === TO_PROVIDER ? UP : DOWN;
  return relation === TO_CUSTOMER ? DOWN : -1;
}

/**
 * Whether `nodes` is a valley-free route in `topology`: consecutive nodes are linked, the
 * relations read up* peer? down*, and only the first and last node may be end hosts. A route
 * has at least one hop, so a single node is not one. Repeated nodes are not checked here.
 */
export function isValleyFree(topology: CompiledTopology, nodes: ArrayLike<number>): boolean {
  if (nodes.length < 2) return false;
  let phase = UP;
  for (let i = 0; i + 1 < nodes.length; i++) {
    const from = nodes[i]!;
    if (i > 0 && topology.nodeKind[from] === KIND_HOST) return false;
    const link = findLink(topology, from, nodes[i + 1]!);
    if (link === -1) return false;
    phase = nextPhase(phase, topology.linkRelation[link]!);
    if (phase === -1) return false;
  }
  return true;
}

/** Everything known about reaching one destination, computed once and shared by all sources. */
interface DestinationTable {
  /** Hops from state (node, phase) at index `phase * n + node` to the destination; -1 if none. */
  readonly dist: Int32Array;
  /** Link taken from each state on its shortest route (smallest next node on ties); -1 at the end. */
  readonly next: Int32Array;
  /** Offered routes per source, filled as sources ask. */
  readonly offered: (readonly OfferedPath[] | undefined)[];
  /**
   * Routes are views into shared chunks: a typed array of its own costs V8 about twice the
   * memory of a view, and all pairs of a 550-AS graph hold over half a million routes.
   */
  chunk: Int32Array;
  used: number;
}

const CHUNK_INTS = 8192;

const NO_PATHS: readonly OfferedPath[] = Object.freeze([]);

/** Default number of routes an ISP offers per destination. */
export const DEFAULT_OFFERED_PATHS = 4;

/**
 * The routes each source's ISP offers to each destination, computed lazily per destination
 * (one backward breadth-first search over (node, phase) states, O(nodes + links)) and cached.
 *
 * Offered routes from `src`: for each neighbour `n` of the offering ISP, the hop to `n` followed
 * by `n`'s shortest valley-free continuation (so the whole route stays valley-free), dropping
 * any that would loop back, sorted by hop count and then by node indices, first `k` kept. When
 * `src` is a host, the offering ISPs are its providers: one route per (provider, next hop).
 *
 * Cost: each destination asked about keeps 16 bytes per node plus its routes. On the 550-AS JP
 * graph all 301,950 pairs at k = 4 take about half a second and 200 MB; on much larger graphs
 * ask only for the destinations that carry traffic.
 */
export class PathTable {
  readonly topology: CompiledTopology;
  /** At most this many routes are offered per (source, destination). */
  readonly k: number;
  private readonly tables: (DestinationTable | undefined)[];
  private readonly candidates = new Candidates();
  private readonly keepRoutes: boolean;
  private readonly maxDestinations: number;
  /** Destinations with a table, least recently asked about first (only when `maxDestinations` bounds them). */
  private readonly recent = new Map<number, true>();

  /**
   * `keepRoutes` (default true): cache each pair's routes (false: build them on every call, for
   * a caller that keeps its own compact copy, such as the engine's RouteTable). `maxDestinations`
   * (default: all): keep the search tables of at most this many destinations, dropping the least
   * recently asked about (each costs 16 bytes per node: 0.8 MB on a 51,507-AS graph).
   */
  constructor(topology: CompiledTopology, options: { k?: number; keepRoutes?: boolean; maxDestinations?: number } = {}) {
    const k = options.k ?? DEFAULT_OFFERED_PATHS;
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`PathTable: k must be a positive integer (got ${k})`);
    const maxDestinations = options.maxDestinations ?? Infinity;
    if (!(maxDestinations >= 1)) throw new RangeError(`PathTable: maxDestinations must be at least 1 (got ${maxDestinations})`);
    this.topology = topology;
    this.k = k;
    this.keepRoutes = options.keepRoutes ?? true;
    this.maxDestinations = maxDestinations;
    this.tables = new Array<DestinationTable | undefined>(topology.nodeIds.length).fill(undefined);
  }

  /** The at most `k` routes offered from `src` to `dst`, best first; none when `src === dst` or unreachable. */
  offered(src: number, dst: number): readonly OfferedPath[] {
    this.check(src);
    this.check(dst);
    if (src === dst) return NO_PATHS;
    const table = this.tableFor(dst);
    if (!this.keepRoutes) return this.buildOffered(table, src, dst);
    let routes = table.offered[src];
    if (routes === undefined) {
      routes = this.buildOffered(table, src, dst);
      table.offered[src] = routes;
    }
    return routes;
  }

  /** Destinations whose search tables are held now (bounded by `maxDestinations`). */
  get destinationsHeld(): number {
    return this.tables.reduce((n, t) => (t === undefined ? n : n + 1), 0);
  }

  /** The shortest valley-free route from `src` to `dst` (smallest node indices on ties), or null. */
  shortest(src: number, dst: number): OfferedPath | null {
    this.check(src);
    this.check(dst);
    if (src === dst) return null;
    const table = this.tableFor(dst);
    if (table.dist[UP * this.topology.nodeIds.length + src] === -1) return null;
    return toPath(continuation(this.topology, table, [src], [], src, UP));
  }

  private check(node: number): void {
    if (!Number.isInteger(node) || node < 0 || node >= this.topology.nodeIds.length) {
      throw new RangeError(`PathTable: no node with index ${node}`);
    }
  }

  private tableFor(dst: number): DestinationTable {
    let table = this.tables[dst];
    const bounded = this.maxDestinations < this.tables.length;
    if (table === undefined) {
      table = buildDestinationTable(this.topology, dst, this.keepRoutes);
      this.tables[dst] = table;
      if (bounded && this.recent.size >= this.maxDestinations) {
        const oldest = this.recent.keys().next().value!;
        this.recent.delete(oldest);
        this.tables[oldest] = undefined;
      }
    } else if (bounded) {
      this.recent.delete(dst);
    }
    if (bounded) this.recent.set(dst, true);
    return table;
  }

  private buildOffered(table: DestinationTable, src: number, dst: number): readonly OfferedPath[] {
    const t = this.topology;
    const n = t.nodeIds.length;
    const c = this.candidates;
    c.count = 0;
    // One candidate per way out of the offering ISP; its length is known from the table
    // without walking it, so only the few that make the cut are ever built.
    const collect = (isp: number, firstLink: number, phase: number): void => {
      const from = isp === -1 ? src : isp;
      const base = isp === -1 ? 0 : 1;
      for (let i = t.outStart[from]!; i < t.outStart[from + 1]!; i++) {
        const link = t.outLinks[i]!;
        const to = t.linkTo[link]!;
        if (to === src) continue;
        const after = nextPhase(phase, t.linkRelation[link]!);
        if (after === -1) continue;
        let rest = 0;
        if (to !== dst) {
          if (t.nodeKind[to] === KIND_HOST) continue;
          rest = table.dist[after * n + to]!;
          if (rest === -1) continue;
        }
        c.push(base + 1 + rest, isp, firstLink, link, to, after);
      }
    };

    if (t.nodeKind[src] === KIND_HOST) {
      for (let i = t.outStart[src]!; i < t.outStart[src + 1]!; i++) {
        const link = t.outLinks[i]!;
        const isp = t.linkTo[link]!;
        const phase = nextPhase(UP, t.linkRelation[link]!);
        if (isp === dst) c.push(1, -1, -1, link, dst, phase);
        else if (t.nodeKind[isp] !== KIND_HOST) collect(isp, link, phase);
      }
    } else {
      collect(-1, -1, UP);
    }

    // Best first by hop count, then node indices: every candidate starts at src and differs
    // by its first one or two hops, so comparing (isp, to) is the lexicographic order of the
    // node lists. k is small, so picking the best k times beats sorting.
    const routes: OfferedPath[] = [];
    while (routes.length < this.k) {
      const best = c.takeBest();
      if (best === -1) break;
      const route = buildRoute(t, table, src, c, best);
      if (route !== null) routes.push(route);
    }
    return routes.length === 0 ? NO_PATHS : routes;
  }
}

/**
 * The shortest valley-free route from `src` to `dst` on `topology` (smallest node indices on
 * ties), or null when there is none or `src === dst`. For many queries, use a PathTable.
 */
export function shortestValleyFreePath(topology: CompiledTopology, src: number, dst: number): OfferedPath | null {
  return new PathTable(topology, { k: 1 }).shortest(src, dst);
}

/** Scratch list of routes before they are built: the first one or two hops and the length. */
class Candidates {
  count = 0;
  hops = new Int32Array(16);
  /** The host source's access ISP, or -1 when the source is the ISP itself. */
  isp = new Int32Array(16);
  /** Link src→isp, or -1. */
  firstLink = new Int32Array(16);
  /** Link from the offering ISP (or src) to `to`. */
  link = new Int32Array(16);
  to = new Int32Array(16);
  /** Phase on arriving at `to`. */
  after = new Int32Array(16);
  taken = new Uint8Array(16);

  push(hops: number, isp: number, firstLink: number, link: number, to: number, after: number): void {
    if (this.count === this.hops.length) {
      for (const key of ["hops", "isp", "firstLink", "link", "to", "after"] as const) {
        const grown = new Int32Array(this.count * 2);
        grown.set(this[key]);
        this[key] = grown;
      }
      this.taken = new Uint8Array(this.count * 2);
    }
    const i = this.count++;
    this.hops[i] = hops;
    this.isp[i] = isp;
    this.firstLink[i] = firstLink;
    this.link[i] = link;
    this.to[i] = to;
    this.after[i] = after;
    this.taken[i] = 0;
  }

  /** Index of the best remaining candidate, which is then removed; -1 when none is left. */
  takeBest(): number {
    let best = -1;
    for (let i = 0; i < this.count; i++) {
      if (this.taken[i] === 1) continue;
      if (
        best === -1 ||
        this.hops[i]! < this.hops[best]! ||
        (this.hops[i] === this.hops[best] &&
          (this.isp[i]! < this.isp[best]! || (this.isp[i] === this.isp[best] && this.to[i]! < this.to[best]!)))
      ) {
        best = i;
      }
    }
    if (best !== -1) this.taken[best] = 1;
    return best;
  }
}

/** Writes out a candidate, or null when its continuation loops back through src or the ISP. */
function buildRoute(
  t: CompiledTopology,
  table: DestinationTable,
  src: number,
  candidates: Candidates,
  i: number,
): OfferedPath | null {
  const n = t.nodeIds.length;
  const isp = candidates.isp[i]!;
  const to = candidates.to[i]!;
  const hops = candidates.hops[i]!;
  const size = 2 * hops + 1;
  if (table.used + size > table.chunk.length) {
    table.chunk = new Int32Array(Math.max(CHUNK_INTS, size));
    table.used = 0;
  }
  // Nodes at base … base+hops, then links at base+hops+1 … base+2·hops.
  const chunk = table.chunk;
  const base = table.used;
  const linkBase = base + hops + 1;
  let at = 0;
  chunk[base] = src;
  if (isp !== -1) {
    chunk[linkBase + at++] = candidates.firstLink[i]!;
    chunk[base + at] = isp;
  }
  chunk[linkBase + at++] = candidates.link[i]!;
  chunk[base + at] = to;
  let state = candidates.after[i]! * n + to;
  for (let link = table.next[state]!; link !== -1; link = table.next[state]!) {
    const next = t.linkTo[link]!;
    if (next === src || next === isp) return null;
    chunk[linkBase + at++] = link;
    chunk[base + at] = next;
    state = nextPhase(state >= n ? DOWN : UP, t.linkRelation[link]!) * n + next;
  }
  table.used += size;
  return { nodes: chunk.subarray(base, linkBase), links: chunk.subarray(linkBase, base + size) };
}

/**
 * Backward breadth-first search from the destination over (node, phase) states, then the
 * next hop of every state that can reach it.
 */
function buildDestinationTable(t: CompiledTopology, dst: number, keepRoutes: boolean): DestinationTable {
  const n = t.nodeIds.length;
  const dist = new Int32Array(2 * n).fill(-1);
  const queue = new Int32Array(2 * n);
  let head = 0;
  let tail = 0;
  dist[UP * n + dst] = 0;
  dist[DOWN * n + dst] = 0;
  queue[tail++] = UP * n + dst;
  queue[tail++] = DOWN * n + dst;

  const reach = (state: number, d: number): void => {
    if (dist[state] === -1) {
      dist[state] = d;
      queue[tail++] = state;
    }
  };
  while (head < tail) {
    const state = queue[head++]!;
    const v = state % n;
    const phaseAtV = state >= n ? DOWN : UP;
    // A host may start a route but never forward one, so nothing is routed through it.
    if (v !== dst && t.nodeKind[v] === KIND_HOST) continue;
    const d = dist[state]! + 1;
    for (let i = t.outStart[v]!; i < t.outStart[v + 1]!; i++) {
      const back = t.outLinks[i]!;
      const u = t.linkTo[back]!;
      const relation = t.linkRelation[t.linkReverse[back]!]!; // of the link u→v, seen from u
      if (phaseAtV === UP) {
        if (relation === TO_PROVIDER) reach(UP * n + u, d);
      } else if (relation === TO_PEER) {
        reach(UP * n + u, d);
      } else if (relation === TO_CUSTOMER) {
        reach(UP * n + u, d);
        reach(DOWN * n + u, d);
      }
    }
  }

  const next = new Int32Array(2 * n).fill(-1);
  for (let state = 0; state < 2 * n; state++) {
    const d = dist[state]!;
    if (d <= 0) continue;
    const u = state % n;
    const phase = state >= n ? DOWN : UP;
    let bestLink = -1;
    let bestNode = n;
    for (let i = t.outStart[u]!; i < t.outStart[u + 1]!; i++) {
      const link = t.outLinks[i]!;
      const to = t.linkTo[link]!;
      const after = nextPhase(phase, t.linkRelation[link]!);
      if (after === -1 || dist[after * n + to] !== d - 1) continue;
      if (to !== dst && t.nodeKind[to] === KIND_HOST) continue;
      if (to < bestNode) {
        bestNode = to;
        bestLink = link;
      }
    }
    next[state] = bestLink;
  }
  return {
    dist,
    next,
    offered: keepRoutes ? new Array<readonly OfferedPath[] | undefined>(n).fill(undefined) : [],
    chunk: new Int32Array(0),
    used: 0,
  };
}

/** Appends the table's shortest continuation from (node, phase) to the given prefix. */
function continuation(
  t: CompiledTopology,
  table: DestinationTable,
  nodes: number[],
  links: number[],
  node: number,
  phase: number,
): { nodes: number[]; links: number[] } {
  const n = t.nodeIds.length;
  let state = phase * n + node;
  for (let link = table.next[state]!; link !== -1; link = table.next[state]!) {
    const to = t.linkTo[link]!;
    nodes.push(to);
    links.push(link);
    state = nextPhase(state >= n ? DOWN : UP, t.linkRelation[link]!) * n + to;
  }
  return { nodes, links };
}

function toPath(route: { nodes: number[]; links: number[] }): OfferedPath {
  return { nodes: Int32Array.from(route.nodes), links: Int32Array.from(route.links) };
}
