/**
 * The digital cartographer (Bill-Pay §2.2): learns from acknowledgments which OAD choices lead to a
 * destination, what they cost and how often they deliver. A route is named by the choices the ISPs
 * marked in their echoed ISP-OADs ("X:2 Z:1"); a host keeps one cartographer, a campus pools many
 * hosts' acknowledgments into one (`CampusCartographer`). Money is exact: toll sums are BigInt.
 */
import { TollwayError } from "../../errors.js";
import type { IspOadEcho } from "../../model/oads.js";

/** What one acknowledgment (or a timeout) tells the sender about one packet. */
export interface AckObservation {
  /** Destination host id. */
  dst: string;
  /** The ISP-OADs echoed for the packet, in path order. */
  oads: readonly IspOadEcho[];
  /** Tolls the packet paid along the way (payment minus what came back), integer units. */
  toll: number;
  /** Whether the packet arrived. */
  delivered: boolean;
}

/** What the cartographer knows about one route to one destination. */
export interface RouteKnowledge {
  /** The route's name: `isp:choice` per ISP, space separated. */
  route: string;
  /** The choices, in path order. */
  choices: readonly { isp: string; choice: number }[];
  packets: number;
  delivered: number;
  /** Sum of tolls paid, integer units. */
  tollSum: bigint;
}

/** Options for `best`: the adequacy a route must show. */
export interface AdequacyOptions {
  /** Least share of packets delivered (default 1). */
  minDelivery?: number;
  /** Least packets observed on the route (default 1). */
  minPackets?: number;
}

/**
 * Whether what is known of a route shows the adequacy asked for: at least `minPackets` packets
 * observed (default 1), of which at least a `minDelivery` share (default 1) arrived.
 *
 * @example isAdequate({ route: "X:1 Y:1", choices: [], packets: 10, delivered: 9, tollSum: 20n }, { minDelivery: 0.9 }) // true
 */
export function isAdequate(r: RouteKnowledge, options: AdequacyOptions = {}): boolean {
  return r.packets >= (options.minPackets ?? 1) && r.delivered >= (options.minDelivery ?? 1) * r.packets;
}

/** The route name for a list of echoed ISP-OADs. */
export function routeName(oads: readonly IspOadEcho[]): string {
  return oads.map((o) => `${o.isp}:${o.choice}`).join(" ");
}

/**
 * What a cartographer knows, as plain data (Maps, arrays, BigInts): a user strategy keeps it in
 * its state, which survives a copy to a worker thread (`structuredClone`).
 */
export interface CartographerData {
  /** Per destination, per route name, what is known. */
  routes: Map<string, Map<string, RouteKnowledge>>;
  /** Per destination and ISP, the bitmask of alternatives that ISP has marked as offered. */
  offered: Map<string, Map<string, number>>;
}

/** A cartographer that knows nothing yet. */
export function emptyCartographerData(): CartographerData {
  return { routes: new Map(), offered: new Map() };
}

/** A per-host digital cartographer: methods over its `data`, which it updates in place. */
export class Cartographer {
  private readonly routes: CartographerData["routes"];
  private readonly offered: CartographerData["offered"];

  constructor(readonly data: CartographerData = emptyCartographerData()) {
    this.routes = data.routes;
    this.offered = data.offered;
  }

  /** Records one acknowledgment (or loss). */
  observe(ack: AckObservation): void {
    if (!Number.isSafeInteger(ack.toll) || ack.toll < 0) {
      throw new TollwayError(`toll must be a non-negative integer, got ${ack.toll}`, { field: "ack.toll" });
    }
    const name = routeName(ack.oads);
    let byRoute = this.routes.get(ack.dst);
    if (byRoute === undefined) this.routes.set(ack.dst, (byRoute = new Map()));
    let k = byRoute.get(name);
    if (k === undefined) {
      k = { route: name, choices: ack.oads.map((o) => ({ isp: o.isp, choice: o.choice })), packets: 0, delivered: 0, tollSum: 0n };
      byRoute.set(name, k);
    }
    k.packets++;
    if (ack.delivered) k.delivered++;
    k.tollSum += BigInt(ack.toll);
    let masks = this.offered.get(ack.dst);
    if (masks === undefined) this.offered.set(ack.dst, (masks = new Map()));
    for (const o of ack.oads) masks.set(o.isp, (masks.get(o.isp) ?? 0) | o.alternatives);
  }

  /** Everything known about routes to `dst`, in the order first seen. */
  known(dst: string): RouteKnowledge[] {
    return [...(this.routes.get(dst)?.values() ?? [])];
  }

  /** Choices (ISP, 1-based choice) offered toward `dst` that no observed route has used yet. */
  untried(dst: string): { isp: string; choice: number }[] {
    const used = new Set(this.known(dst).flatMap((r) => r.choices.map((c) => `${c.isp}:${c.choice}`)));
    const out: { isp: string; choice: number }[] = [];
    for (const [isp, mask] of this.offered.get(dst) ?? []) {
      for (let c = 1; c <= 31; c++) if ((mask & (1 << (c - 1))) !== 0 && !used.has(`${isp}:${c}`)) out.push({ isp, choice: c });
    }
    return out;
  }

  /**
   * The adequate route to `dst` with the least mean toll (ties: the one seen first), or undefined.
   * Means are compared exactly (cross-multiplied BigInts).
   */
  best(dst: string, options: AdequacyOptions = {}): RouteKnowledge | undefined {
    let best: RouteKnowledge | undefined;
    for (const r of this.known(dst)) {
      if (!isAdequate(r, options)) continue;
      if (best === undefined || r.tollSum * BigInt(best.packets) < best.tollSum * BigInt(r.packets)) best = r;
    }
    return best;
  }
}

/** A campus-wide cartographer: many hosts' acknowledgments pooled into one map (§2.2). */
export class CampusCartographer extends Cartographer {
  private readonly hosts = new Set<string>();

  /** Records an acknowledgment received by `host`. */
  observeFrom(host: string, ack: AckObservation): void {
    this.hosts.add(host);
    this.observe(ack);
  }

  /** Hosts that have contributed, in order of first contribution. */
  contributors(): string[] {
    return [...this.hosts];
  }
}
