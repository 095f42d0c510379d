/**
 * The offered routes of the (source, destination) pairs in use, held once per process and
 * shared by every flow shard of every run on the same network: one compact record per pair,
 * filled the first time any shard asks for the pair.
 *
 * Why: a route depends only on the topology and k, not on the policy, the tariffs or the shard,
 * yet each worker of each run used to build its own PathTable and copy every pair's routes into
 * its own store (0.3–0.7 s per worker per run of `reproduce table1` at small scale, and as much
 * memory again in every worker). Here a pair costs one record, once, so memory grows with the
 * pairs in use (at most nodes²), not with the flows or the workers.
 *
 * Layout (in SharedArrayBuffers so that workers attach to the same memory):
 * - `index` (Int32): pair (payer·nodes + payee) → slot + 1; 0 while nobody has loaded it, −1
 *   while a shard is loading it;
 * - `pool`: the records, one after the other; a pair's slot is where its record starts. A record
 *   is `[n, length of route 0, …, length of route n−1, links of route 0, links of route 1, …]`:
 *   what a flow needs of its pair (route count, lengths, links) is one run of memory, usually
 *   one or two cache lines, where separate arrays of records and links cost a cache miss each
 *   for nearly every flow. Its elements are 16-bit on graphs with at most 65,536 directed links
 *   (the JP graph and the generator's: a record of k = 4 routes of 3 links is 26 bytes), 32-bit
 *   beyond;
 * - `cursor`: slots written, pool elements written, and a lock.
 *
 * A shard that finds a pair absent claims it (compare-and-swap 0 → −1) and computes its routes
 * with its own path table; then, holding the lock (a fraction of a microsecond), it takes the
 * next stretch of the pool, grows it if needed, writes the record, counts it written and
 * publishes it (a sequentially consistent store the readers' atomic load pairs with). A shard
 * that finds a pair claimed waits the few microseconds that takes. Records are written in order
 * under the lock, so a reader's view covers every record that starts below the count it read
 * before making it: a lookup costs one atomic load and one comparison. Routes are a function of
 * (topology, k) alone, so which shard loads a pair, and the slot it lands in, change nothing in
 * any result.
 *
 * Graphs with more than 2^24 pairs get no dense index: each shard then keeps a table of its own
 * (the same layout in ordinary memory, with a Map as index), still one compact record per pair.
 */
import { PathTable } from "../model/paths.js";
import type { CompiledTopology } from "../model/topology.js";
import { topologyHash } from "../model/topology-hash.js";
import type { OfferedPathLike, PathProvider } from "./types.js";

/** Pairs up to this many get a dense, shareable index (4 bytes a pair). */
export const DENSE_PAIRS = 1 << 24;
/** Graphs with at most this many directed links get 16-bit pool elements. */
export const NARROW_LINKS = 1 << 16;
/** The most bytes the pool may grow to (slots are Int32). */
const MAX_POOL_BYTES = 2 ** 31 - 8;
const INITIAL_POOL = 1 << 16;
/** The cursor's ints: slots written, pool elements written, the writers' lock. */
const SLOTS = 0;
const WRITTEN = 1;
const LOCK = 2;
const CURSOR_INTS = 3;

/** ES2024's growable SharedArrayBuffer: Node 20 has it, this project's TypeScript lib predates it. */
interface GrowableBuffer extends SharedArrayBuffer {
  readonly maxByteLength: number;
  grow(bytes: number): void;
}
const Growable = SharedArrayBuffer as unknown as new (bytes: number, options: { maxByteLength: number }) => GrowableBuffer;

/** A route table's pool: 16-bit elements on graphs of at most NARROW_LINKS links, 32-bit beyond. */
export type RoutePool = Uint16Array | Int32Array;

/** What a worker needs to attach to a shared route table (posted once; nothing is copied). */
export interface RouteTableBuffers {
  nodes: number;
  k: number;
  /** Bytes per pool element: 2 or 4. */
  element: 2 | 4;
  index: SharedArrayBuffer;
  /** Growable. */
  pool: SharedArrayBuffer;
  cursor: SharedArrayBuffer;
}

export class RouteTable {
  readonly nodes: number;
  /** Routes per pair at most. */
  readonly k: number;
  /** Bytes per pool element: 2 or 4. */
  readonly element: 2 | 4;
  /** The shared memory, or null for a table of this thread's own (graphs past DENSE_PAIRS). */
  readonly buffers: RouteTableBuffers | null;
  private readonly index: Int32Array | null;
  private readonly sparseIndex: Map<number, number> | null;
  private readonly cursor: Int32Array;
  /** Pool elements this thread's view is known to cover, all of them written. */
  private covered = 0;
  /** A view of the pool's current extent (re-made when a shard grows it: views that track growth are many times slower). */
  private poolView: RoutePool;

  private constructor(nodes: number, k: number, element: 2 | 4, buffers: RouteTableBuffers | null) {
    this.nodes = nodes;
    this.k = k;
    this.element = element;
    this.buffers = buffers;
    if (buffers) {
      this.index = new Int32Array(buffers.index);
      this.sparseIndex = null;
      this.cursor = new Int32Array(buffers.cursor);
      this.poolView = element === 2 ? new Uint16Array(0) : new Int32Array(0);
      this.refresh();
    } else {
      this.index = null;
      this.sparseIndex = new Map();
      this.cursor = new Int32Array(CURSOR_INTS);
      this.poolView = element === 2 ? new Uint16Array(INITIAL_POOL) : new Int32Array(INITIAL_POOL);
    }
  }

  /**
   * An empty table for a graph of `nodes` nodes, `links` directed links (default: too many for
   * 16-bit elements) and k routes per pair: shared when its index is dense.
   */
  static create(nodes: number, k: number, links = Infinity): RouteTable {
    if (!Number.isInteger(k) || k < 1 || k >= NARROW_LINKS) throw new RangeError(`RouteTable: k must be an integer in [1, ${NARROW_LINKS - 1}] (got ${k})`);
    const element = links <= NARROW_LINKS ? 2 : 4;
    const pairs = nodes * nodes;
    if (pairs > DENSE_PAIRS) return new RouteTable(nodes, k, element, null);
    const buffers: RouteTableBuffers = {
      nodes, k, element,
      index: new SharedArrayBuffer(Math.max(4, pairs * 4)),
      pool: new Growable(INITIAL_POOL * element, { maxByteLength: MAX_POOL_BYTES }),
      cursor: new SharedArrayBuffer(4 * CURSOR_INTS),
    };
    return new RouteTable(nodes, k, element, buffers);
  }

  /** The table whose memory `buffers` is (a worker's view of the coordinator's table). */
  static attach(buffers: RouteTableBuffers): RouteTable {
    return new RouteTable(buffers.nodes, buffers.k, buffers.element, buffers);
  }

  /** Pairs loaded so far (slots allocated). */
  get slots(): number {
    return Atomics.load(this.cursor, SLOTS);
  }

  /** Bytes this table holds for its pairs: the records in use, plus the index. */
  get bytesInUse(): number {
    const indexBytes = this.buffers ? this.buffers.index.byteLength : 16 * this.slots;
    return this.element * Atomics.load(this.cursor, WRITTEN) + indexBytes;
  }

  /**
   * The slot of (payer, payee), its routes loaded from `paths` on first use by any shard.
   *
   * @throws RangeError when `paths` offers more than k routes.
   */
  slotOf(payer: number, payee: number, paths: PathProvider): number {
    // The common case, small enough to inline: loaded, and covered by this thread's view. A
    // plain load, not Atomics.load (which cost 4 times as much per lookup, measured): reading an
    // aligned Int32 is tear-free, so it gives a value some shard stored there (0, −1 or a
    // published slot + 1), and a slot below `covered` was written before the count this thread
    // read atomically (refresh) was stored, so its record is visible here. Anything else goes to
    // `find`, which reads the index atomically.
    const index = this.index;
    if (index !== null) {
      const value = index[payer * this.nodes + payee]!;
      if (value > 0 && value <= this.covered) return value - 1;
    }
    return this.find(payer, payee, paths);
  }

  /** slotOf's other cases: a sparse index, a slot another shard wrote since, or a pair not loaded. */
  private find(payer: number, payee: number, paths: PathProvider): number {
    const pair = payer * this.nodes + payee;
    const index = this.index;
    if (!index) {
      const known = this.sparseIndex!.get(pair);
      if (known !== undefined) return known;
      const slot = this.load(payer, payee, paths);
      this.sparseIndex!.set(pair, slot);
      return slot;
    }
    for (let spins = 0; ; spins++) {
      const value = Atomics.load(index, pair);
      if (value > 0) {
        // Written before it was published, so below the count refresh reads.
        if (value > this.covered) this.refresh();
        return value - 1;
      }
      if (value === 0 && Atomics.compareExchange(index, pair, 0, -1) === 0) {
        let slot = -1;
        try {
          slot = this.load(payer, payee, paths);
        } finally {
          // Published, or released for another shard to try (this one then throws).
          Atomics.store(index, pair, slot + 1);
        }
        return slot;
      }
      // Another shard is loading the pair: a few microseconds.
      if ((spins & SPINS_PER_CHECK) === SPINS_PER_CHECK) stalled(spins, "a pair another shard claimed");
    }
  }

  /** Routes offered for a slot's pair (0 when the destination is unreachable). */
  count(slot: number): number {
    return this.poolView[slot]!;
  }

  /** Offset in `links` of route `p` of a slot. */
  start(slot: number, p: number): number {
    const pool = this.poolView;
    const count = pool[slot]!;
    let start = slot + 1 + count;
    for (let q = 0; q < p; q++) start += pool[slot + 1 + q]!;
    return start;
  }

  /** Links on route `p` of a slot. */
  length(slot: number, p: number): number {
    return this.poolView[slot + 1 + p]!;
  }

  /** The pool, whose links `start` and `length` address (a new view after the table grows). */
  get links(): RoutePool {
    return this.poolView;
  }

  /**
   * Writes each route's announced price, the sum of `linkPrice` over its links in path order,
   * into `prices` from `at` on; returns how many routes. One pass over the record.
   */
  priceRoutes(slot: number, linkPrice: Float64Array, prices: Float64Array, at: number): number {
    const pool = this.poolView;
    const count = pool[slot]!;
    let start = slot + 1 + count;
    for (let p = 0; p < count; p++) {
      const end = start + pool[slot + 1 + p]!;
      let price = 0;
      for (let h = start; h < end; h++) price += linkPrice[pool[h]!]!;
      prices[at + p] = price;
      start = end;
    }
    return count;
  }

  /** The routes of a slot as paths (nodes rebuilt from the links): for the rare reader of node lists. */
  offered(slot: number, topology: CompiledTopology): OfferedPathLike[] {
    const out: OfferedPathLike[] = [];
    for (let p = 0; p < this.count(slot); p++) {
      const start = this.start(slot, p);
      const links = Int32Array.from(this.poolView.subarray(start, start + this.length(slot, p)));
      const nodes = new Int32Array(links.length + 1);
      nodes[0] = topology.linkFrom[links[0]!]!;
      for (let h = 0; h < links.length; h++) nodes[h + 1] = topology.linkTo[links[h]!]!;
      out.push({ nodes, links });
    }
    return out;
  }

  /** Computes a pair's routes and writes them into a new slot; returns the slot. */
  private load(payer: number, payee: number, paths: PathProvider): number {
    const offered = paths.offered(payer, payee);
    if (offered.length > this.k) throw new RangeError(`RouteTable: ${offered.length} routes offered, more than k = ${this.k}`);
    const most = this.element === 2 ? NARROW_LINKS : 2 ** 31;
    for (const route of offered) {
      if (route.links.length >= most) throw new RangeError(`RouteTable: a route of ${route.links.length} links, more than a pool element holds`);
      if (this.element === 2) for (const l of route.links) if (l >= NARROW_LINKS) throw new RangeError(`RouteTable: link ${l} in a table made for at most ${NARROW_LINKS} links`);
    }
    const cursor = this.cursor;
    if (!this.buffers) return this.write(offered);
    for (let spins = 0; Atomics.compareExchange(cursor, LOCK, 0, 1) !== 0; spins++) {
      if ((spins & SPINS_PER_CHECK) === SPINS_PER_CHECK) stalled(spins, "the lock another shard holds");
    }
    try {
      return this.write(offered);
    } finally {
      Atomics.store(cursor, LOCK, 0);
    }
  }

  /** Writes routes as the next record (under the lock when shared) and counts it written. */
  private write(offered: readonly OfferedPathLike[]): number {
    const { cursor } = this;
    let size = 1 + offered.length;
    for (const route of offered) size += route.links.length;
    const slot = cursor[WRITTEN]!;
    this.reserve(this.element * (slot + size));
    const pool = this.poolView;
    pool[slot] = offered.length;
    let to = slot + 1 + offered.length;
    for (let p = 0; p < offered.length; p++) {
      const route = offered[p]!.links;
      pool[slot + 1 + p] = route.length;
      pool.set(route, to);
      to += route.length;
    }
    Atomics.store(cursor, WRITTEN, slot + size);
    Atomics.add(cursor, SLOTS, 1);
    this.covered = slot + size;
    return slot;
  }

  /** Makes room for `bytes` of pool (growing it if needed). */
  private reserve(bytes: number): void {
    if (bytes > MAX_POOL_BYTES) throw new RangeError(`RouteTable: the routes in use need more than ${MAX_POOL_BYTES} bytes`);
    const { buffers } = this;
    if (!buffers) {
      if (bytes > this.poolView.byteLength) this.poolView = grownCopy(this.poolView, bytes / this.element);
      return;
    }
    growShared(buffers.pool, bytes);
    this.refresh();
  }

  /**
   * Re-makes this thread's view if the pool grew, covering every record written before: the
   * count is read first, and a record is written (the pool grown) before it is counted.
   */
  private refresh(): void {
    const buffers = this.buffers!;
    const written = Atomics.load(this.cursor, WRITTEN);
    const bytes = buffers.pool.byteLength;
    if (bytes !== this.poolView.byteLength) this.poolView = this.element === 2 ? new Uint16Array(buffers.pool, 0, bytes >> 1) : new Int32Array(buffers.pool, 0, bytes >> 2);
    this.covered = Math.max(this.covered, written);
  }
}

/** Spins between looks at the clock while waiting for another shard (2^20 − 1: a few milliseconds). */
const SPINS_PER_CHECK = (1 << 20) - 1;
/** Waits that long mean the other shard stopped mid-write (a thread terminated): an error, not a hang. */
const STALL_MS = 30_000;
let stallStart = 0;

/** Throws once a wait has lasted STALL_MS (`spins` counts from 0 for each wait). */
function stalled(spins: number, what: string): void {
  const now = performance.now();
  if (spins === SPINS_PER_CHECK) stallStart = now;
  else if (now - stallStart > STALL_MS) throw new Error(`RouteTable: waited ${Math.round((now - stallStart) / 1000)} s for ${what}; that shard stopped (a failed or interrupted run in this process) — forgetRouteTable() lets the next run start a fresh table`);
}

/** Grows a growable SharedArrayBuffer to at least `bytes` (doubling, up to its maximum); another thread may grow it first. */
function growShared(shared: SharedArrayBuffer, bytes: number): void {
  const buffer = shared as GrowableBuffer;
  if (buffer.byteLength >= bytes) return;
  const target = Math.min(buffer.maxByteLength, Math.max(bytes, 2 * buffer.byteLength));
  try {
    buffer.grow(target);
  } catch (error) {
    // Another shard grew it past `target` in the meantime: fine if it is now big enough.
    if (buffer.byteLength < bytes) throw error;
  }
}

function grownCopy(from: RoutePool, elements: number): RoutePool {
  const length = Math.max(elements, 2 * from.length);
  const grown = from instanceof Uint16Array ? new Uint16Array(length) : new Int32Array(length);
  grown.set(from);
  return grown;
}

/** Bytes of search tables a route table's feeder keeps (16 bytes per node per destination). */
const FEEDER_BYTES = 64 * 2 ** 20;

/**
 * A path table that feeds a route table: it keeps no routes of its own (the route table holds
 * them) and the search tables of a bounded number of destinations (all of them on the 550-AS
 * graph; about 80 on a 51,507-AS one), so that its memory does not grow with the destinations
 * flows go to.
 */
export function routeFeeder(topology: CompiledTopology, k: number): PathTable {
  const nodes = topology.nodeIds.length;
  return new PathTable(topology, { k, keepRoutes: false, maxDestinations: Math.max(16, Math.floor(FEEDER_BYTES / (16 * Math.max(1, nodes)))) });
}

/** The process's route table (one: a new network or k replaces it), and what it is for. */
let cached: { key: string; table: RouteTable } | null = null;

/**
 * Drops the process's table if it is `table`: after a run whose threads were terminated, one may
 * have died holding a claim or the lock, and the next run must not wait for it.
 */
export function forgetRouteTable(table: RouteTable | null): void {
  if (table !== null && cached?.table === table) cached = null;
}

/**
 * The route table of `paths` for this process: every run on the same network (topology
 * fingerprint) and k shares one, so a study's runs (the five policies of `reproduce table1`)
 * load each pair once. Only a PathTable's routes are a function of (topology, k); any other
 * provider (a test's) gets a table of its own.
 */
export function routeTableFor(topology: CompiledTopology, paths: PathProvider): RouteTable {
  const nodes = topology.nodeIds.length;
  if (!(paths instanceof PathTable) || paths.topology !== topology || nodes * nodes > DENSE_PAIRS) return RouteTable.create(nodes, paths.k, topology.linkCount);
  const key = `${topologyHash(topology)}:${paths.k}`;
  if (cached?.key !== key) cached = { key, table: RouteTable.create(nodes, paths.k, topology.linkCount) };
  return cached.table;
}
