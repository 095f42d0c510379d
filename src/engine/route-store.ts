/**
 * A shard's view of the offered routes of the (source, destination) pairs its flows use, and
 * their announced prices.
 *
 * A round reads the routes of millions of flows over hundreds of thousands of pairs in no useful
 * order, so what matters is how many cache lines a flow touches: a pair is a slot of the route
 * table (route-table.ts: the routes, held once per process and shared by every shard), rather
 * than a graph of arrays and objects. Prices are the sum of the tariffs in force over a route's
 * links, computed when a flow's routes are read (`routesOf`).
 */
import { RouteTable, type RoutePool } from "./route-table.js";
import type { PathProvider } from "./types.js";

export class RouteStore {
  /** Routes per pair at most (the path table's k). */
  readonly k: number;
  /** The routes, shared with the other shards (and runs) on the same network. */
  readonly table: RouteTable;
  private readonly paths: PathProvider;
  /**
   * `paths` computes the routes of a pair the table does not hold yet; `table` is the shared
   * route table (default: one of this store's own).
   */
  constructor(paths: PathProvider, nodes: number, k: number, table: RouteTable = RouteTable.create(nodes, k)) {
    if (table.k !== k || table.nodes !== nodes) throw new RangeError(`RouteStore: a route table for ${table.nodes} nodes and k = ${table.k}, not ${nodes} and ${k}`);
    this.paths = paths;
    this.k = k;
    this.table = table;
  }

  /** The slot of (payer, payee), its routes loaded on first use. */
  slotOf(payer: number, payee: number): number {
    return this.table.slotOf(payer, payee, this.paths);
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

  /** The route table's pool, whose links `start` and `length` address (a new array as pairs are added). */
  get links(): RoutePool {
    return this.table.links;
  }

  /**
   * Writes each route's announced price (the sum of `linkPrice` over its links, in path order)
   * into `prices` from `at` on; returns how many routes (RouteTable.priceRoutes). Computed for
   * every call, not kept: with most flows in a pair no other flow of the round uses, a kept
   * price cost a cache miss on its record for nearly every flow, more than the few additions
   * it saved.
   */
  priceRoutes(slot: number, linkPrice: Float64Array, prices: Float64Array, at: number): number {
    return this.table.priceRoutes(slot, linkPrice, prices, at);
  }
}
