/**
 * A flow shard's side of the pricing paper's §III price dissemination (scenario `security`):
 * which of a pair's routes its users are offered and at what price.
 *
 * - **Beacons** (`security.beacons`): a route is offered only when verified beacons have taught
 *   its segments (security/beacon-board.ts: the up-segment from the source to the top of the
 *   route, the down-segment from there, a peer link first at most, to the destination), and its
 *   price is the sum of the totals those beacons carried: as old as the beacons, not the
 *   tariffs in force. Routes no verified beacon reached are left out of the offer (the offer is
 *   compacted; `index` maps a position in it back to the pair's route).
 * - **In-path updates** (`security.inPathUpdates`, Eq. 8–9): once per round per flow that
 *   delivered packets (not per packet: one update set stands for the round's packets, which
 *   all carry the same prices), every AS that sends on the flow's route stamps its current
 *   link price with a validity time and a MAC under its DRKey with the source, derived on the
 *   fly; the destination echoes the set; next round the source keeps only the authentic and
 *   current updates (price-update.ts). When every priced link of its current route has one, that
 *   route's price is their sum; otherwise, and for every other route, the beacons' price.
 *
 * Everything here depends only on the segment prices (the same on every shard), the shard's
 * flows and the seed, so results do not depend on the number of shards.
 */
import { TollwayError } from "../errors.js";
import { KIND_HOST, TO_CUSTOMER, TO_PEER, TO_PROVIDER, type CompiledTopology } from "../model/topology.js";
import type { BeaconPrices } from "../security/beacon-board.js";
import { deriveAsKeys, drkey, type AsKeys } from "../security/keys.js";
import { acceptPriceUpdates, makePriceUpdate, type PriceUpdate } from "../security/price-update.js";
import type { RoutePool, RouteTable } from "./route-table.js";
import type { OnPathAttacker, ShardSecurityOptions } from "./types.js";

export type { OnPathAttacker, ShardSecurityOptions } from "./types.js";


/** What the shard's in-path updates did. */
export interface InPathCounts {
  /** Updates the ASes made (one per priced link per flow that delivered, per round). */
  made: number;
  /** Echoed updates the sources kept (authentic and current), and those they ignored. */
  accepted: number;
  ignored: number;
  /** Flow-rounds whose current route was priced from in-path updates, and from beacons instead. */
  pricedInPath: number;
  pricedByBeacons: number;
}

interface Echo {
  route: number;
  packetId: bigint;
  updates: readonly PriceUpdate[];
}

export class ShardSecurity {
  readonly counts: InPathCounts = { made: 0, accepted: 0, ignored: 0, pricedInPath: 0, pricedByBeacons: 0 };
  private prices: BeaconPrices | null = null;
  /** Per table slot: the beacon version its cached prices are for (−1: none). */
  private slotVersion = new Int32Array(0);
  /** Per slot and route: the beacons' price (NaN: no verified beacon taught it), and its access link to a host (−1: none). */
  private slotPrice = new Float64Array(0);
  private slotAccess = new Int32Array(0);
  private readonly keys = new Map<string, AsKeys>();
  /** The source side's DRKeys, by source node then AS (a source fetches its keys once). */
  private readonly sourceKeys = new Map<number, Map<string, Buffer>>();
  /** Echoes that reached their sources last round, and those collected this round. */
  private echoes = new Map<number, Echo>();
  private fresh = new Map<number, Echo>();

  constructor(
    private readonly topology: CompiledTopology,
    private readonly table: RouteTable,
    private readonly seed: number,
    readonly options: ShardSecurityOptions,
    private readonly onPath?: OnPathAttacker,
  ) {}

  /** Takes the segment prices of the latest beacon interval. */
  update(prices: BeaconPrices): void {
    this.prices = prices;
  }

  /** At the start of a round: last round's echoes have reached their sources. */
  beginRound(): void {
    this.echoes = this.fresh;
    this.fresh = new Map();
  }

  /**
   * Compacts the `count` routes of a flow row (prices at `at` in the row scratch) to those its
   * user is offered, with their prices; `index` gets each offered route's index among the
   * pair's routes (slot `slot` of the route table, which holds their links). Returns how many
   * are offered.
   */
  offer(slot: number, at: number, count: number, price: Float64Array, index: Int32Array,
    linkPrice: Float64Array, bits: number, uid: number, payer: number, time: number): number {
    if (bits !== this.options.packetBits) {
      throw new TollwayError(`a flow sends packets of ${bits} bits, but beacons carry prices for ${this.options.packetBits}-bit packets (the generated traffic's size): every flow must use it`, { field: "security.beacons" });
    }
    const k = this.table.k;
    this.priceSlot(slot, count);
    const echo = this.options.inPathValiditySeconds === undefined ? undefined : this.echoes.get(uid);
    let offered = 0;
    for (let p = 0; p < count; p++) {
      const beacon = this.slotPrice[slot * k + p]!;
      if (Number.isNaN(beacon)) continue;
      const access = this.slotAccess[slot * k + p]!;
      let routePrice = beacon + (access >= 0 ? linkPrice[access]! : 0);
      if (echo !== undefined && echo.route === p) {
        const fresh = this.inPathPrice(echo, this.table.start(slot, p), this.table.length(slot, p), payer, time);
        if (fresh === null) this.counts.pricedByBeacons++;
        else {
          this.counts.pricedInPath++;
          routePrice = fresh;
        }
      }
      price[at + offered] = routePrice;
      index[at + offered] = p;
      offered++;
    }
    return offered;
  }

  /**
   * A flow's packets crossed route `route` (links `links[from, from + hops)`) this round and
   * reached the destination: each AS that sent on it stamps its current price (`linkPrice`),
   * valid for the configured seconds, MACed under its DRKey with the source; the destination
   * echoes the set to the source (which reads it next round).
   */
  collect(uid: number, route: number, links: RoutePool, from: number, hops: number, linkPrice: Float64Array, payer: number, round: number, time: number): void {
    const validity = this.options.inPathValiditySeconds;
    if (validity === undefined) return;
    const { topology } = this;
    const source = topology.nodeIds[payer]!;
    const packetId = packetIdOf(uid, round);
    const validUntil = Math.floor(time + validity);
    const updates: PriceUpdate[] = [];
    for (let h = from; h < from + hops; h++) {
      const link = links[h]!;
      const sender = topology.linkFrom[link]!;
      if (topology.nodeKind[sender] === KIND_HOST) continue;
      const as = topology.nodeIds[sender]!;
      // The AS derives K_{AS→source} on the fly from its local secret: nothing stored per flow.
      updates.push(makePriceUpdate(drkey(this.keysOf(as), source), packetId, as, BigInt(Math.round(linkPrice[link]!)), validUntil));
    }
    this.counts.made += updates.length;
    this.fresh.set(uid, { route, packetId, updates: this.onPath ? this.onPath(updates, uid, round) : updates });
  }

  /** The price of an echo's route from its authentic, current updates, or null when a priced link has none. */
  private inPathPrice(echo: Echo, from: number, hops: number, payer: number, time: number): number | null {
    const { topology } = this;
    const accepted = acceptPriceUpdates(echo.updates, echo.packetId, time, (as) => this.sourceKey(payer, as));
    this.counts.accepted += accepted.size;
    this.counts.ignored += echo.updates.length - accepted.size;
    const links = this.table.links;
    let sum = 0;
    for (let h = from; h < from + hops; h++) {
      const sender = topology.linkFrom[links[h]!]!;
      if (topology.nodeKind[sender] === KIND_HOST) continue;
      const update = accepted.get(topology.nodeIds[sender]!);
      if (update === undefined) return null;
      sum += Number(update);
    }
    return sum;
  }

  /** The beacons' price of each route of a slot, for the current beacon version (cached). */
  private priceSlot(slot: number, count: number): void {
    const prices = this.prices;
    if (prices === null) throw new Error("ShardSecurity: a round before any beacon prices arrived");
    const k = this.table.k;
    if (slot >= this.slotVersion.length) {
      const slots = Math.max(1024, 2 * this.slotVersion.length, slot + 1);
      const version = new Int32Array(slots).fill(-1);
      version.set(this.slotVersion);
      const price = new Float64Array(slots * k);
      price.set(this.slotPrice);
      const access = new Int32Array(slots * k);
      access.set(this.slotAccess);
      this.slotVersion = version;
      this.slotPrice = price;
      this.slotAccess = access;
    }
    if (this.slotVersion[slot] === prices.version) return;
    for (let p = 0; p < count; p++) {
      const { price, access } = this.segmentPrice(this.table.start(slot, p), this.table.length(slot, p), prices);
      this.slotPrice[slot * k + p] = price;
      this.slotAccess[slot * k + p] = access;
    }
    this.slotVersion[slot] = prices.version;
  }

  /**
   * A route's price from beacons: its up-segment's plus its down-segment's total (NaN when
   * either is unknown, or the route is not valley-free). A host's link to its ISP is free and
   * an ISP's link to a host (`access`) is priced by the ISP directly, not by beacons.
   */
  private segmentPrice(from: number, hops: number, prices: BeaconPrices): { price: number; access: number } {
    const { topology } = this;
    const links = this.table.links;
    let h = from;
    let end = from + hops;
    while (h < end && topology.nodeKind[topology.linkFrom[links[h]!]!] === KIND_HOST) h++;
    let access = -1;
    if (end > h && topology.nodeKind[topology.linkTo[links[end - 1]!]!] === KIND_HOST) access = links[--end]!;
    let top = h;
    while (top < end && topology.linkRelation[links[top]!] === TO_PROVIDER) top++;
    let price = 0;
    if (top > h) {
      const up = prices.up.get(segmentKey(topology, links, h, top));
      if (up === undefined) return { price: NaN, access };
      price += up;
    }
    if (end > top) {
      for (let d = top; d < end; d++) {
        const relation = topology.linkRelation[links[d]!];
        if (relation !== TO_CUSTOMER && !(relation === TO_PEER && d === top)) return { price: NaN, access };
      }
      const down = prices.down.get(segmentKey(topology, links, top, end));
      if (down === undefined) return { price: NaN, access };
      price += down;
    }
    return { price, access };
  }

  private keysOf(as: string): AsKeys {
    let keys = this.keys.get(as);
    if (keys === undefined) this.keys.set(as, (keys = deriveAsKeys(this.seed, as)));
    return keys;
  }

  /** K_{AS→source} as the source holds it (fetched once from the AS, by DRKey). */
  private sourceKey(payer: number, as: string): Buffer | undefined {
    let bySource = this.sourceKeys.get(payer);
    if (bySource === undefined) this.sourceKeys.set(payer, (bySource = new Map()));
    let key = bySource.get(as);
    if (key === undefined) {
      if (!this.topology.nodeIndex.has(as) || this.topology.nodeKind[this.topology.nodeIndex.get(as)!] === KIND_HOST) return undefined;
      bySource.set(as, (key = drkey(this.keysOf(as), this.topology.nodeIds[payer]!)));
    }
    return key;
  }
}

/** The packet id an update set is bound to: the flow and the round. */
export function packetIdOf(uid: number, round: number): bigint {
  return (BigInt(uid) << 24n) + BigInt(round);
}

/** "a,b,c": the nodes of links[from, to), in data direction (as beacon-board.ts keys them). */
function segmentKey(topology: CompiledTopology, links: RoutePool, from: number, to: number): string {
  let key = String(topology.linkFrom[links[from]!]!);
  for (let h = from; h < to; h++) key += "," + topology.linkTo[links[h]!]!;
  return key;
}
