/**
 * The offered routes of the (source, destination) pairs a shard's flows use, and their
 * announced prices, in flat typed arrays.
 *
 * A round reads the routes and prices of millions of flows over hundreds of thousands of pairs
 * in no useful order, so what matters is how many cache lines a flow touches: here a pair is a
 * slot, its routes are `k` (start, length) entries into one link pool, and its prices `k`
 * doubles, rather than a graph of arrays and objects.
 *
 * Prices are computed on first use in a round (a tariff version) and kept until the tariffs
 * change: under static prices once per run, under dynamic prices once per pair and round.
 */
import type { PathProvider } from "./types.js";

/** Pairs up to this many get a dense slot index (4 bytes a pair); beyond, a Map. */
const DENSE_PAIRS = 1 << 24;

export class RouteStore {
  /** Routes per pair at most (the path table's k). */
  readonly k: number;
  private readonly paths: PathProvider;
  private readonly nodes: number;
  private readonly denseSlot: Int32Array | null;
  private readonly sparseSlot = new Map<number, number>();
  private slots = 0;
  /**
   * One record of `stride` doubles per slot, so that a flow's lookups share one or two cache
   * lines: routes offered, the tariff version and packet size its prices are for, then per route
   * its price, its start in `links`, its length.
   */
  private readonly stride: number;
  private record = new Float64Array(0);
  private pool = new Int32Array(1024);
  private poolLength = 0;

  constructor(paths: PathProvider, nodes: number, k: number) {
    this.paths = paths;
    this.nodes = nodes;
    this.k = k;
    this.stride = 3 + 3 * k;
    this.denseSlot = nodes * nodes <= DENSE_PAIRS ? new Int32Array(nodes * nodes).fill(-1) : null;
  }

  /** The slot of (payer, payee), its routes loaded on first use. */
  slotOf(payer: number, payee: number): number {
    const pair = payer * this.nodes + payee;
    const known = this.denseSlot ? this.denseSlot[pair]! : (this.sparseSlot.get(pair) ?? -1);
    if (known >= 0) return known;
    const slot = this.addSlot(payer, payee);
    if (this.denseSlot) this.denseSlot[pair] = slot;
    else this.sparseSlot.set(pair, slot);
    return slot;
  }

  /** Routes offered for a slot's pair (0 when the destination is unreachable). */
  count(slot: number): number {
    return this.record[slot * this.stride]!;
  }

  /** Offset in `links` of route `p` of a slot. */
  start(slot: number, p: number): number {
    return this.record[slot * this.stride + 3 + this.k + p]!;
  }

  /** Links on route `p` of a slot. */
  length(slot: number, p: number): number {
    return this.record[slot * this.stride + 3 + 2 * this.k + p]!;
  }

  /** Every loaded route's directed links, addressed by `start` and `length` (reallocated as pairs are added). */
  get links(): Int32Array {
    return this.pool;
  }

  /**
   * Offset in `prices` of a slot's announced route prices for packets of `bits`, computed with
   * `linkPrice` (each link's toll on such a packet) if the slot's are not for this `version`.
   */
  pricesOf(slot: number, version: number, bits: number, linkPrice: Float64Array): number {
    const r = this.record;
    const at = slot * this.stride;
    if (r[at + 1] !== version || r[at + 2] !== bits) {
      const pool = this.pool;
      const k = this.k;
      for (let p = 0; p < r[at]!; p++) {
        const start = r[at + 3 + k + p]!;
        const end = start + r[at + 3 + 2 * k + p]!;
        let price = 0;
        for (let h = start; h < end; h++) price += linkPrice[pool[h]!]!;
        r[at + 3 + p] = price;
      }
      r[at + 1] = version;
      r[at + 2] = bits;
    }
    return this.pricesAt(slot);
  }

  /** Offset in `prices` of a slot's announced route prices, as `pricesOf` last left them. */
  pricesAt(slot: number): number {
    return slot * this.stride + 3;
  }

  /** Announced prices, addressed by `pricesOf` and `pricesAt`. */
  get prices(): Float64Array {
    return this.record;
  }

  private addSlot(payer: number, payee: number): number {
    const slot = this.slots++;
    const { stride, k } = this;
    if ((slot + 1) * stride > this.record.length) {
      const grown = new Float64Array(Math.max(1024 * stride, 2 * this.record.length));
      grown.set(this.record);
      this.record = grown;
    }
    const offered = this.paths.offered(payer, payee);
    if (offered.length > k) throw new RangeError(`RouteStore: ${offered.length} routes offered, more than k = ${k}`);
    const at = slot * stride;
    this.record[at] = offered.length;
    this.record[at + 1] = -1;
    for (let p = 0; p < offered.length; p++) {
      const links = offered[p]!.links;
      if (this.poolLength + links.length > this.pool.length) {
        const grown = new Int32Array(Math.max(2 * this.pool.length, this.poolLength + links.length));
        grown.set(this.pool.subarray(0, this.poolLength));
        this.pool = grown;
      }
      this.pool.set(links, this.poolLength);
      this.record[at + 3 + k + p] = this.poolLength;
      this.record[at + 3 + 2 * k + p] = links.length;
      this.poolLength += links.length;
    }
    return slot;
  }
}
