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

/**
 * UserColumns in growable typed arrays, filled row by row with `add`, kept from round to round;
 * with the action columns the strategy writes to.
 */
export class UserColumnBuffer implements UserColumns {
  count = 0;
  round = 0;
  roundSeconds = 1;
  readonly k: number;
  demandPackets = new Float64Array(0);
  packetBits = new Float64Array(0);
  age = new Float64Array(0);
  remainingSeconds = new Float64Array(0);
  cumulativeSpent = new Float64Array(0);
  pathCount = new Int32Array(0);
  pathPrice = new Float64Array(0);
  hasLast = new Uint8Array(0);
  lastSent = new Float64Array(0);
  lastDelivered = new Float64Array(0);
  lastAcknowledged = new Float64Array(0);
  lastSpent = new Float64Array(0);
  lastRefunded = new Float64Array(0);
  lastTollPerPacket = new Float64Array(0);
  lastThroughputBps = new Float64Array(0);
  lastPath = new Int32Array(0);
  /** The actions, row by row, as the strategy writes them. */
  readonly actions: UserActionColumns = { packets: new Float64Array(0), payment: new Float64Array(0), path: new Int32Array(0), oads: [] };
  /** The states, row by row: in before the call, out after it (entries past `count` are stale). */
  readonly states: unknown[] = [];
  private capacity = 0;

  constructor(k: number, private readonly lookups: ColumnLookups) {
    this.k = k;
  }

  /**
   * Takes the columns of `spare` (a buffer of the same k that will not be used again: an earlier
   * run's in the same thread), so that a thread playing run after run reuses their memory.
   */
  adopt(spare: UserColumnBuffer): void {
    if (spare.k !== this.k || spare === this) return;
    for (const key of FLOAT_COLUMNS) this[key] = spare[key];
    this.pathCount = spare.pathCount;
    this.pathPrice = spare.pathPrice;
    this.hasLast = spare.hasLast;
    this.lastPath = spare.lastPath;
    this.actions.packets = spare.actions.packets;
    this.actions.payment = spare.actions.payment;
    this.actions.path = spare.actions.path;
    this.capacity = spare.capacity;
    this.count = 0;
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

  /** Empties the buffer for a round. */
  reset(round: number, roundSeconds: number): void {
    this.count = 0;
    this.round = round;
    this.roundSeconds = roundSeconds;
    // `states` keeps its length: rows past `count` are stale, and regrowing it every round would
    // cost an allocation of the whole array.
  }

  /** A new row (its `last*` columns cleared, `hasLast` 0); returns its index. */
  add(): number {
    if (this.count === this.capacity) this.grow(Math.max(64, 2 * this.capacity));
    const i = this.count++;
    this.hasLast[i] = 0;
    this.actions.oads[i] = undefined;
    return i;
  }

  private grow(capacity: number): void {
    const f = (a: Float64Array, n = capacity) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    for (const key of FLOAT_COLUMNS) this[key] = f(this[key]);
    const pathCount = new Int32Array(capacity);
    pathCount.set(this.pathCount);
    this.pathCount = pathCount;
    this.pathPrice = f(this.pathPrice, capacity * this.k);
    const hasLast = new Uint8Array(capacity);
    hasLast.set(this.hasLast);
    this.hasLast = hasLast;
    const lastPath = new Int32Array(capacity);
    lastPath.set(this.lastPath);
    this.lastPath = lastPath;
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
