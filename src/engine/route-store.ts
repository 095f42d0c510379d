/**
 * A shard's view of the offered routes of the (source, destination) pairs its flows use, and
 * their announced prices, in flat typed arrays.
 *
 * A round reads the routes and prices of millions of flows over hundreds of thousands of pairs
 * in no useful order, so what matters is how many cache lines a flow touches: a pair is a slot
 * of the route table (route-table.ts: the routes, held once per process and shared by every
 * shard), its prices `k` doubles of this shard's own, rather than a graph of arrays and objects.
 *
 * Prices are computed on first use in a round (a tariff version) and kept until the tariffs
 * change: under static prices once per run, under dynamic prices once per pair and round. They
 * are the shard's own because the tariffs are the run's (a shared table outlives a run).
 */
import { RouteTable } from "./route-table.js";
import type { PathProvider } from "./types.js";

export class RouteStore {
  /** Routes per pair at most (the path table's k). */
  readonly k: number;
  /** The routes, shared with the other shards (and runs) on the same network. */
  readonly table: RouteTable;
  private readonly paths: PathProvider;
  /**
   * One record of `stride` doubles per table slot: the tariff version and packet size its prices
   * are for, then per route its price. Slots this shard never used stay at version −1.
   */
  private readonly stride: number;
  private record = new Float64Array(0);

  /**
   * `paths` computes the routes of a pair the table does not hold yet; `table` is the shared
   * route table (default: one of this store's own).
   */
  constructor(paths: PathProvider, nodes: number, k: number, table: RouteTable = RouteTable.create(nodes, k)) {
    if (table.k !== k || table.nodes !== nodes) throw new RangeError(`RouteStore: a route table for ${table.nodes} nodes and k = ${table.k}, not ${nodes} and ${k}`);
    this.paths = paths;
    this.k = k;
    this.table = table;
    this.stride = 2 + k;
  }

  /** The slot of (payer, payee), its routes loaded on first use. */
  slotOf(payer: number, payee: number): number {
    const slot = this.table.slotOf(payer, payee, this.paths);
    if ((slot + 1) * this.stride > this.record.length) {
      const grown = new Float64Array(Math.max(1024 * this.stride, 2 * this.record.length, (slot + 1) * this.stride)).fill(-1);
      grown.set(this.record);
      this.record = grown;
    }
    return slot;
  }

  /** Routes offered for a slot's pair (0 when the destination is unreachable). */
  count(slot: number): number {
    return this.table.count(slot);
  }

  /** Offset in `links` of route `p` of a slot. */
  start(slot: number, p: number): number {
    return this.table.start(slot, p);
  }

  /** Links on route `p` of a slot. */
  length(slot: number, p: number): number {
    return this.table.length(slot, p);
  }

  /** Every loaded route's directed links, addressed by `start` and `length` (a new array as pairs are added). */
  get links(): Int32Array {
    return this.table.links;
  }

  /**
   * Offset in `prices` of a slot's announced route prices for packets of `bits`, computed with
   * `linkPrice` (each link's toll on such a packet) if the slot's are not for this `version`.
   */
  pricesOf(slot: number, version: number, bits: number, linkPrice: Float64Array): number {
    const r = this.record;
    const at = slot * this.stride;
    if (r[at] !== version || r[at + 1] !== bits) {
      const routes = this.table.records;
      const pool = this.table.links;
      const k = this.k;
      const base = slot * this.table.stride;
      const count = routes[base]!;
      for (let p = 0; p < count; p++) {
        const start = routes[base + 1 + p]!;
        const end = start + routes[base + 1 + k + p]!;
        let price = 0;
        for (let h = start; h < end; h++) price += linkPrice[pool[h]!]!;
        r[at + 2 + p] = price;
      }
      r[at] = version;
      r[at + 1] = bits;
    }
    return at + 2;
  }

  /** Copies a slot's route starts and lengths into `starts` and `lengths` from `at` on; returns how many routes. */
  routesOf(slot: number, starts: Int32Array, lengths: Int32Array, at: number): number {
    const routes = this.table.records;
    const base = slot * this.table.stride;
    const count = routes[base]!;
    const k = this.k;
    for (let p = 0; p < count; p++) {
      starts[at + p] = routes[base + 1 + p]!;
      lengths[at + p] = routes[base + 1 + k + p]!;
    }
    return count;
  }

  /** Offset in `prices` of a slot's announced route prices, as `pricesOf` last left them. */
  pricesAt(slot: number): number {
    return slot * this.stride + 2;
  }

  /** Announced prices, addressed by `pricesOf` and `pricesAt`. */
  get prices(): Float64Array {
    return this.record;
  }
}
