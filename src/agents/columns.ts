/**
 * Columns of user observations (the column form of the strategy contract, see UserColumns in
 * strategy.ts): a growable buffer the engine fills flow by flow, the same built from per-flow
 * observations (the conformance kit compares the two forms with it), and helpers strategies
 * share for reading the columns.
 */
import type { IspOadEcho } from "../model/oads.js";
import type { UserActionColumns, UserColumns, UserObservation } from "./strategy.js";

/** Index of flow i's cheapest offered path (ties: the first offered), as `cheapestPath` on its paths. */
export function cheapestPathOf(columns: UserColumns, i: number): number {
  const { pathPrice, k } = columns;
  const at = i * k;
  const count = columns.pathCount[i]!;
  let best = 0;
  for (let p = 1; p < count; p++) if (pathPrice[at + p]! < pathPrice[at + best]!) best = p;
  return best;
}

/** Writes flow i's `payCheapest` action (paths.ts) into `actions`: its demand on its cheapest path, at that path's price. */
export function payCheapestOf(columns: UserColumns, i: number, actions: UserActionColumns): void {
  const path = cheapestPathOf(columns, i);
  actions.packets[i] = columns.demandPackets[i]!;
  actions.payment[i] = columns.pathPrice[i * columns.k + path]!;
  actions.path[i] = path;
}

/** Index of flow i's offered path visiting exactly `nodes`, or -1, as `findPath` on its paths. */
export function findPathOf(columns: UserColumns, i: number, nodes: readonly string[]): number {
  for (let p = 0; p < columns.pathCount[i]!; p++) {
    const path = columns.nodes(i, p);
    if (path.length === nodes.length && path.every((n, h) => n === nodes[h])) return p;
  }
  return -1;
}

/** Where the rarely read parts of flow i come from (its paths' latency and nodes, its name). */
export interface ColumnLookups {
  latencyMs(i: number, p: number): number;
  nodes(i: number, p: number): readonly string[];
  user(i: number): string;
  lastIspOads(i: number): readonly IspOadEcho[];
}

const FLOAT_COLUMNS = [
  "demandPackets", "packetBits", "age", "remainingSeconds", "cumulativeSpent", "lastSent", "lastDelivered",
  "lastAcknowledged", "lastSpent", "lastRefunded", "lastTollPerPacket", "lastThroughputBps",
] as const;
type FloatColumn = (typeof FLOAT_COLUMNS)[number];

/**
 * The observation columns a filler writes one at a time: each of the first seven alone, and
 * `last` for `hasLast` and every `last*` column together (they are read together).
 */
export type FilledColumn = "demandPackets" | "packetBits" | "age" | "remainingSeconds" | "cumulativeSpent" | "pathCount" | "pathPrice" | "last";
const FILLED: readonly FilledColumn[] = ["demandPackets", "packetBits", "age", "remainingSeconds", "cumulativeSpent", "pathCount", "pathPrice", "last"];
const BIT = Object.fromEntries(FILLED.map((column, b) => [column, 1 << b])) as Record<FilledColumn, number>;
const ALL = (1 << FILLED.length) - 1;

/**
 * Writes one observation column (rows 0 to `count`) of a buffer when a strategy first reads
 * it in a call: the engine's (FlowShard), so that a column no strategy reads costs neither the
 * time to fill it nor the memory it would make resident.
 */
export type ColumnFiller = (columns: UserColumnBuffer, column: FilledColumn) => void;

/**
 * UserColumns in growable typed arrays, filled row by row with `add` (the conformance kit's
 * `columnsOf`), or column by column by a filler as a strategy reads them (`reset` with a
 * filler: the engine), kept from round to round; with the action columns the strategy writes to.
 */
export class UserColumnBuffer implements UserColumns {
  count = 0;
  round = 0;
  roundSeconds = 1;
  readonly k: number;
  /** The actions, row by row, as the strategy writes them. */
  readonly actions: UserActionColumns = { packets: new Float64Array(0), payment: new Float64Array(0), path: new Int32Array(0), oads: [], duplicate: [], payments: [] };
  /** The states, row by row: in before the call, out after it (entries past `count` are stale). */
  states: unknown[] = [];
  private capacity = 0;
  private float = Object.fromEntries(FLOAT_COLUMNS.map((key) => [key, new Float64Array(0)])) as Record<FloatColumn, Float64Array>;
  private counts: Int32Array = new Int32Array(0);
  private prices: Float64Array = new Float64Array(0);
  private has: Uint8Array = new Uint8Array(0);
  private paths: Int32Array = new Int32Array(0);
  private filler: ColumnFiller | null = null;
  /** Set by `reset`: the observation columns of this round are written by a filler after the rows are added. */
  private filled = false;
  /** Columns (BIT) the filler has not written yet this round. */
  private stale = 0;

  constructor(k: number, private readonly lookups: ColumnLookups) {
    this.k = k;
  }

  get demandPackets(): Float64Array {
    if (this.stale & BIT.demandPackets) this.fill("demandPackets");
    return this.float.demandPackets;
  }
  get packetBits(): Float64Array {
    if (this.stale & BIT.packetBits) this.fill("packetBits");
    return this.float.packetBits;
  }
  get age(): Float64Array {
    if (this.stale & BIT.age) this.fill("age");
    return this.float.age;
  }
  get remainingSeconds(): Float64Array {
    if (this.stale & BIT.remainingSeconds) this.fill("remainingSeconds");
    return this.float.remainingSeconds;
  }
  get cumulativeSpent(): Float64Array {
    if (this.stale & BIT.cumulativeSpent) this.fill("cumulativeSpent");
    return this.float.cumulativeSpent;
  }
  get pathCount(): Int32Array {
    if (this.stale & BIT.pathCount) this.fill("pathCount");
    return this.counts;
  }
  get pathPrice(): Float64Array {
    if (this.stale & BIT.pathPrice) this.fill("pathPrice");
    return this.prices;
  }
  get hasLast(): Uint8Array {
    if (this.stale & BIT.last) this.fill("last");
    return this.has;
  }
  get lastSent(): Float64Array {
    return this.last("lastSent");
  }
  get lastDelivered(): Float64Array {
    return this.last("lastDelivered");
  }
  get lastAcknowledged(): Float64Array {
    return this.last("lastAcknowledged");
  }
  get lastSpent(): Float64Array {
    return this.last("lastSpent");
  }
  get lastRefunded(): Float64Array {
    return this.last("lastRefunded");
  }
  get lastTollPerPacket(): Float64Array {
    return this.last("lastTollPerPacket");
  }
  get lastThroughputBps(): Float64Array {
    return this.last("lastThroughputBps");
  }
  get lastPath(): Int32Array {
    if (this.stale & BIT.last) this.fill("last");
    return this.paths;
  }

  private last(key: FloatColumn): Float64Array {
    if (this.stale & BIT.last) this.fill("last");
    return this.float[key];
  }

  /** Has the filler write `column` (marked fresh first: the filler reads the buffer's own columns). */
  private fill(column: FilledColumn): void {
    this.stale &= ~BIT[column];
    this.filler?.(this, column);
  }

  latencyMs(i: number, p: number): number {
    return this.lookups.latencyMs(i, p);
  }
  nodes(i: number, p: number): readonly string[] {
    return this.lookups.nodes(i, p);
  }
  user(i: number): string {
    return this.lookups.user(i);
  }
  lastIspOads(i: number): readonly IspOadEcho[] {
    return this.lookups.lastIspOads(i);
  }

  /**
   * Takes the columns of `spare` (a buffer of the same k that will not be used again: an earlier
   * run's in the same thread), so that a thread playing run after run reuses their memory.
   */
  adopt(spare: UserColumnBuffer): void {
    if (spare.k !== this.k || spare === this) return;
    this.float = spare.float;
    this.counts = spare.counts;
    this.prices = spare.prices;
    this.has = spare.has;
    this.paths = spare.paths;
    this.actions.packets = spare.actions.packets;
    this.actions.payment = spare.actions.payment;
    this.actions.path = spare.actions.path;
    // The states' memory too (cleared: the earlier run's states are not kept alive).
    this.states = spare.states.fill(undefined);
    this.capacity = spare.capacity;
    this.count = 0;
  }

  /**
   * Empties the buffer for a round: its rows are added (`add`) and their columns written by the
   * caller, or by a filler (`arm`). `filled`: a filler will write them (the engine), so growing
   * the buffer while rows are added need not keep what the observation columns held (it would
   * make resident what the filler overwrites or no strategy reads: at paper scale about 50 bytes
   * a live flow).
   */
  reset(round: number, roundSeconds: number, filled = false): void {
    this.count = 0;
    this.filled = filled;
    this.round = round;
    this.roundSeconds = roundSeconds;
    this.filler = null;
    this.stale = 0;
    // Sparse: a row nobody writes reads undefined, and costs nothing (most flows send no
    // user-OADs, copies or payment-field attacks; a slot per flow was 24 bytes a live flow).
    this.actions.oads.length = 0;
    this.actions.duplicate.length = 0;
    this.actions.payments.length = 0;
    // `states` keeps its length: rows past `count` are stale, and regrowing it every round would
    // cost an allocation of the whole array.
  }

  /**
   * Once this round's rows are added: each observation column is written by `filler` when a
   * strategy first reads it (until the next `reset`).
   */
  arm(filler: ColumnFiller): void {
    this.filler = filler;
    this.stale = ALL;
  }

  /** Before the rows are added: room for `rows` of them (grown: for `room` rows). */
  reserve(rows: number, room = rows): void {
    if (this.capacity < rows) this.grow(Math.max(rows, room));
  }

  /** A new row (its `last*` columns cleared, `hasLast` 0); returns its index. */
  add(): number {
    if (this.count === this.capacity) this.grow(Math.max(64, 2 * this.capacity));
    const i = this.count++;
    this.has[i] = 0;
    return i;
  }

  private grow(capacity: number): void {
    const keep = !this.filled;
    const f = (a: Float64Array, n = capacity): Float64Array => {
      const b = new Float64Array(n);
      if (keep) b.set(a);
      return b;
    };
    for (const key of FLOAT_COLUMNS) this.float[key] = f(this.float[key]);
    const counts = new Int32Array(capacity);
    if (keep) counts.set(this.counts);
    this.counts = counts;
    this.prices = f(this.prices, capacity * this.k);
    const has = new Uint8Array(capacity);
    has.set(this.has);
    this.has = has;
    const paths = new Int32Array(capacity);
    if (keep) paths.set(this.paths);
    this.paths = paths;
    this.actions.packets = new Float64Array(capacity);
    this.actions.payment = new Float64Array(capacity);
    this.actions.path = new Int32Array(capacity);
    this.capacity = capacity;
  }
}

/**
 * The columns of these per-flow observations (all of one round), with `states` as the flows'
 * states: what the column form of a strategy sees where `decide` would see each observation.
 */
export function columnsOf(observations: readonly UserObservation[], states: readonly unknown[]): UserColumnBuffer {
  const k = Math.max(1, ...observations.map((o) => o.paths.length));
  const columns = new UserColumnBuffer(k, {
    latencyMs: (i, p) => observations[i]!.paths[p]!.latencyMs,
    nodes: (i, p) => observations[i]!.paths[p]!.nodes,
    user: (i) => observations[i]!.user,
    lastIspOads: (i) => observations[i]!.last?.ispOads ?? [],
  });
  columns.reset(observations[0]?.round ?? 0, observations[0]?.roundSeconds ?? 1);
  observations.forEach((o, n) => {
    const i = columns.add();
    columns.demandPackets[i] = o.demandPackets;
    columns.packetBits[i] = o.packetBits;
    columns.age[i] = o.age;
    columns.remainingSeconds[i] = o.remainingSeconds ?? Infinity;
    columns.cumulativeSpent[i] = o.cumulativeSpent;
    columns.pathCount[i] = o.paths.length;
    o.paths.forEach((path, p) => (columns.pathPrice[i * k + p] = path.price));
    if (o.last) {
      columns.hasLast[i] = 1;
      columns.lastSent[i] = o.last.sent;
      columns.lastDelivered[i] = o.last.delivered;
      columns.lastAcknowledged[i] = o.last.acknowledged;
      columns.lastSpent[i] = o.last.spent;
      columns.lastRefunded[i] = o.last.refunded;
      columns.lastTollPerPacket[i] = o.last.tollPerPacket;
      columns.lastThroughputBps[i] = o.last.throughputBps;
      columns.lastPath[i] = o.last.path;
    }
    columns.states.push(states[n]);
  });
  return columns;
}
