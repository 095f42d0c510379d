/**
 * Price dissemination by signed beacons (pricing paper §III-C, Eq. 7), interval by interval, as
 * real bytes with real signatures.
 *
 * Every beacon interval (15 s in the paper) each ISP starts a beacon for the paths to itself and
 * sends beacons to each of its customers: on every provider→customer link it forwards at most
 * `perLink` (5 in the paper) of the beacons it knows, its own included, extended with that link's
 * current price and signed (`extendBeacon`). A receiver decodes the bytes, verifies every hop's
 * signature against the key directory (`verifyBeacon`) and stores only beacons that verify, the
 * newest per path. Beacons sent in one interval are stored at its end and forwarded from the next.
 *
 * Which 5? The paper says only that each AS forwards at most 5, and that the bound is why "the
 * time required to update a PCB for a particular path may be in the order of minutes". Tollway
 * rotates: on each link it sends the candidates it has sent least recently there (never sent
 * first; ties: fewer hops, then the path's AS names), so every path is refreshed in turn and the
 * age of what a user knows grows with the number of paths competing for a link. That age is the
 * staleness that in-path price updates (price-update.ts) remove.
 *
 * Only ISPs take part (hosts learn from their ISP). A path is loop-free: a beacon is not sent to
 * a customer already on it.
 */
import { TollwayError } from "../errors.js";
import { KIND_ISP, TO_CUSTOMER, TO_PEER, type CompiledTopology } from "../model/topology.js";
import { decodeBeacon, encodeBeacon, extendBeacon, verifyBeacon, type Beacon } from "./beacon.js";
import type { KeyRing } from "./keys.js";

/** How beaconing runs. */
export interface BeaconingOptions {
  /** Keys of every ISP and the directory beacons are verified against. */
  readonly ring: KeyRing;
  /** The price of directed link `link` at simulated second `time`, in base units (≥ 0). */
  readonly linkPrice: (link: number, time: number) => bigint;
  /** Seconds between beacon rounds; default 15 (the paper's). */
  readonly intervalSeconds?: number;
  /** Most beacons an AS sends per link per interval; default 5 (the paper's). */
  readonly perLink?: number;
  /**
   * What travels on a link: the sender's bytes, or what an attacker on that link makes of them.
   * Default: the bytes unchanged.
   */
  readonly onLink?: (bytes: Uint8Array, link: number, time: number) => Uint8Array;
  /**
   * Also send each ISP's own beacon (and only that one) to its peers, which forward it to their
   * customers like any other: the paths that start with one peer link and then go down
   * (valley-free). Default false.
   */
  readonly peers?: boolean;
}

/** What one beacon interval cost and carried. */
export interface IntervalStats {
  /** Simulated second at which the interval's beacons were made. */
  readonly time: number;
  /** Beacons sent (each one signature by its sender). */
  readonly sent: number;
  readonly signatures: number;
  /** Signature checks done by receivers (one per hop of every beacon received). */
  readonly verifications: number;
  /** Beacons that arrived but did not decode or verify; stored nowhere. */
  readonly rejected: number;
  /** Bytes of all beacons sent. */
  readonly bytes: number;
}

/** A path an ISP has learned from a verified beacon. */
export interface LearnedPath {
  /** The AS the path leads to (the beacon's origin). */
  readonly origin: string;
  /** The ASes from the learning AS's provider to the origin, in forwarding order. */
  readonly via: readonly string[];
  /** The path price the beacon carries (the sum of its links' prices when they were signed). */
  readonly price: bigint;
  /** When the beacon was started, and so how old its first link's price is. */
  readonly timestamp: number;
}

interface Stored {
  readonly beacon: Beacon;
  readonly key: string;
}

/** Beaconing over a topology; `step()` plays one interval. */
export class Beaconing {
  private readonly interval: number;
  private readonly perLink: number;
  /** Verified beacons per ISP node index, by path key. */
  private readonly stores: Map<string, Stored>[];
  /** Per directed link: interval at which each candidate path was last sent on it. */
  private readonly lastSent = new Map<number, Map<string, number>>();
  private readonly customerLinks: number[][];
  private done = 0;

  constructor(private readonly topology: CompiledTopology, private readonly options: BeaconingOptions) {
    this.interval = options.intervalSeconds ?? 15;
    this.perLink = options.perLink ?? 5;
    if (!(this.interval > 0)) throw new TollwayError(`the beacon interval must be > 0 s (got ${this.interval})`, { field: "intervalSeconds" });
    if (!Number.isInteger(this.perLink) || this.perLink < 1) throw new TollwayError(`beacons per link must be an integer ≥ 1 (got ${this.perLink})`, { field: "perLink" });
    const n = topology.nodeIds.length;
    this.stores = Array.from({ length: n }, () => new Map<string, Stored>());
    this.customerLinks = Array.from({ length: n }, (_, node) => {
      const links: number[] = [];
      if (topology.nodeKind[node] !== KIND_ISP) return links;
      for (let i = topology.outStart[node]!; i < topology.outStart[node + 1]!; i++) {
        const link = topology.outLinks[i]!;
        const relation = topology.linkRelation[link];
        if ((relation === TO_CUSTOMER || (options.peers === true && relation === TO_PEER)) && topology.nodeKind[topology.linkTo[link]!] === KIND_ISP) links.push(link);
      }
      return links;
    });
    for (let node = 0; node < n; node++) {
      if (topology.nodeKind[node] === KIND_ISP && !options.ring.byAs.has(topology.nodeIds[node]!)) {
        throw new TollwayError(`no keys for AS ${topology.nodeIds[node]}`, { field: "ring" });
      }
    }
  }

  /** Simulated second of the next interval. */
  get time(): number {
    return this.done * this.interval;
  }

  /** Plays one interval: every ISP sends, then every receiver verifies and stores. */
  step(): IntervalStats {
    const time = this.time;
    const { topology, options } = this;
    const inbox: [number, Uint8Array][] = [];
    let sent = 0, bytes = 0;
    for (let node = 0; node < topology.nodeIds.length; node++) {
      const links = this.customerLinks[node]!;
      if (links.length === 0) continue;
      const keys = options.ring.byAs.get(topology.nodeIds[node]!)!;
      const own: Stored = { beacon: { timestamp: time, hops: [] }, key: "" };
      const candidates = [own, ...this.stores[node]!.values()];
      for (const link of links) {
        const customer = topology.nodeIds[topology.linkTo[link]!]!;
        const history = this.historyOf(link);
        // Over a peer link only the sender's own beacon goes (a path crosses one peer link, first).
        const chosen = (topology.linkRelation[link] === TO_PEER ? [own] : candidates)
          .filter((c) => !c.beacon.hops.some((h) => h.as === customer))
          .sort((a, b) => (history.get(a.key) ?? -1) - (history.get(b.key) ?? -1) || a.beacon.hops.length - b.beacon.hops.length || compare(a.key, b.key))
          .slice(0, this.perLink);
        for (const c of chosen) {
          history.set(c.key, this.done);
          const price = options.linkPrice(link, time);
          const beacon = extendBeacon(c.beacon.hops.length === 0 ? time : c.beacon, keys, price);
          const wire = encodeBeacon(beacon);
          sent++;
          bytes += wire.length;
          inbox.push([topology.linkTo[link]!, options.onLink ? options.onLink(wire, link, time) : wire]);
        }
      }
    }
    let verifications = 0, rejected = 0;
    for (const [node, wire] of inbox) {
      let beacon: Beacon;
      try {
        beacon = decodeBeacon(wire);
      } catch {
        rejected++;
        continue;
      }
      verifications += beacon.hops.length;
      if (!verifyBeacon(beacon, options.ring.directory)) {
        rejected++;
        continue;
      }
      const key = beacon.hops.map((h) => h.as).join(" ");
      const store = this.stores[node]!;
      const old = store.get(key);
      if (old === undefined || old.beacon.timestamp <= beacon.timestamp) store.set(key, { beacon, key });
    }
    this.done++;
    return { time, sent, signatures: sent, verifications, rejected, bytes };
  }

  /** The paths ISP `as` has learned so far, by origin then path. */
  learned(as: string): LearnedPath[] {
    const node = this.topology.nodeIndex.get(as);
    if (node === undefined) throw new TollwayError(`unknown AS ${as}`, { field: "as" });
    return [...this.stores[node]!.values()]
      .map(({ beacon }) => ({
        origin: beacon.hops[0]!.as,
        via: beacon.hops.map((h) => h.as).reverse(),
        price: beacon.hops[beacon.hops.length - 1]!.pathPrice,
        timestamp: beacon.timestamp,
      }))
      .sort((a, b) => compare(a.origin, b.origin) || compare(a.via.join(" "), b.via.join(" ")));
  }

  /** Every ISP's learned paths with the age of their beacons at the start of the next interval, in seconds. */
  ages(): number[] {
    const now = this.time;
    return this.stores.flatMap((store) => [...store.values()].map((s) => now - s.beacon.timestamp));
  }

  private historyOf(link: number): Map<string, number> {
    let history = this.lastSent.get(link);
    if (history === undefined) this.lastSent.set(link, (history = new Map()));
    return history;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
