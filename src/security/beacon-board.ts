/**
 * The coordinator's side of price beacons in a run (issue 15 item 2): two beacon processes of
 * dissemination.ts on the run's topology, played interval by interval as simulated time passes,
 * and what they have taught the ASes, as the path-segment prices users may be offered.
 *
 * A route the engine offers is valley-free: up from the source over customer→provider links to
 * some AS T, then at most one peer link, then down over provider→customer links to the
 * destination. SCION builds such a path from an up-segment (the source learned it from a beacon
 * that T sent down to it) and a down-segment (the destination learned it from a beacon and
 * registered it). Their prices run in opposite directions, so two beacon processes run:
 *
 * - `up`: a beacon that travels P→C carries the price of the link C→P: the total a receiver
 *   holds is the price of its data path up to the origin (the pricing paper's Eq. 7:
 *   Price_{AS_i→Dst}, signed by the AS that set it);
 * - `down`: a beacon that travels P→C carries the price of P→C itself, and an ISP also sends its
 *   own beacon to its peers: the total is the price of the data path from the origin down to the
 *   receiver (at most one peer link, first).
 *
 * Every beacon is bytes with real ed25519 signatures, verified by its receiver; only beacons
 * that verify are stored. The keys come from the run's seed (keys.ts).
 *
 * Time: before the first round the ASes have been beaconing for a while (a study does not start
 * at the birth of the network): `advance` first plays warm-up intervals at the first round's
 * prices until two in a row teach no AS a new path (at most MAX_WARMUP_INTERVALS). Then an
 * interval is played at simulated second 0, intervalSeconds, 2·intervalSeconds, … — by the
 * round that contains it, before the users decide. A beacon's hops are one interval apart, so a
 * price a user sees is as old as its beacon: up to minutes (docs/security.md).
 */
import { TollwayError } from "../errors.js";
import { KIND_ISP, type CompiledTopology } from "../model/topology.js";
import { Beaconing, type IntervalStats } from "./dissemination.js";
import { buildKeyRing } from "./keys.js";

/** Most warm-up intervals before the first round. */
export const MAX_WARMUP_INTERVALS = 20;

/**
 * The segment prices the ASes have learned from verified beacons: what flow shards offer paths
 * from. Plain data (Maps of strings to numbers), posted to worker threads as it is.
 */
export interface BeaconPrices {
  /** Beacon intervals played so far (warm-up included): bumped whenever the prices may have changed. */
  version: number;
  /** Up-segments: node indices "src,…,T" (data direction) → price per packet of the run's packet size. */
  up: Map<string, number>;
  /** Down-segments: node indices "T,…,dst" (data direction, a peer link first at most) → price. */
  down: Map<string, number>;
}

/** How a run's beacons are played. */
export interface BeaconBoardOptions {
  /** The run's seed: the ASes' keys derive from it. */
  seed: number;
  intervalSeconds: number;
  perLink: number;
  /** The announced toll of directed link `link` now, in whole money units (hosts' links: 0). */
  linkToll: (link: number) => bigint;
  /** Play warm-up intervals before the first round (default true; false: the network starts cold). */
  warmup?: boolean;
  /** What an attacker on a link makes of a beacon's bytes (tests); default: nothing. */
  onLink?: (bytes: Uint8Array, link: number, time: number) => Uint8Array;
}

/** Beacon totals over a run. */
export interface BeaconTotals {
  intervals: number;
  warmupIntervals: number;
  sent: number;
  signatures: number;
  verifications: number;
  rejected: number;
  bytes: number;
}

export class BeaconBoard {
  private readonly up: Beaconing;
  private readonly down: Beaconing;
  private readonly interval: number;
  private warmup = 0;
  private started = false;
  private readonly warm: boolean;
  readonly totals: BeaconTotals = { intervals: 0, warmupIntervals: 0, sent: 0, signatures: 0, verifications: 0, rejected: 0, bytes: 0 };

  constructor(private readonly topology: CompiledTopology, options: BeaconBoardOptions) {
    const isps = topology.nodeIds.filter((_, n) => topology.nodeKind[n] === KIND_ISP);
    const ring = buildKeyRing(options.seed, isps);
    const reverse = reverseLinks(topology);
    const common = { ring, intervalSeconds: options.intervalSeconds, perLink: options.perLink, ...(options.onLink ? { onLink: options.onLink } : {}) };
    this.interval = options.intervalSeconds;
    this.warm = options.warmup ?? true;
    this.up = new Beaconing(topology, { ...common, linkPrice: (link) => options.linkToll(reverse[link]!) });
    this.down = new Beaconing(topology, { ...common, peers: true, linkPrice: (link) => options.linkToll(link) });
  }

  /**
   * Plays the intervals due by simulated second `time` (warm-up first, on the first call) and
   * returns the segment prices when any interval was played, else null.
   */
  advance(time: number): BeaconPrices | null {
    let played = false;
    if (!this.started) {
      this.started = true;
      let quiet = 0, held = 0;
      while (this.warm && this.warmup < MAX_WARMUP_INTERVALS && quiet < 2) {
        this.step();
        this.warmup++;
        const now = this.up.ages().length + this.down.ages().length;
        quiet = now === held ? quiet + 1 : 0;
        held = now;
      }
      this.totals.warmupIntervals = this.warmup;
      played = true;
    }
    while (this.up.time <= time + this.warmup * this.interval) {
      this.step();
      played = true;
    }
    return played ? this.prices() : null;
  }

  /** Age in seconds of every segment price the ASes hold (both processes), at the next interval. */
  ages(): number[] {
    return [...this.up.ages(), ...this.down.ages()];
  }

  private step(): void {
    for (const stats of [this.up.step(), this.down.step()]) add(this.totals, stats);
    this.totals.intervals++;
  }

  private prices(): BeaconPrices {
    const { topology } = this;
    const index = (as: string): number => topology.nodeIndex.get(as)!;
    const up = new Map<string, number>();
    const down = new Map<string, number>();
    for (let n = 0; n < topology.nodeIds.length; n++) {
      if (topology.nodeKind[n] !== KIND_ISP) continue;
      const as = topology.nodeIds[n]!;
      for (const path of this.up.learned(as)) up.set([n, ...path.via.map(index)].join(","), Number(path.price));
      for (const path of this.down.learned(as)) down.set([...path.via.map(index).reverse(), n].join(","), Number(path.price));
    }
    return { version: this.totals.intervals, up, down };
  }
}

function add(totals: BeaconTotals, stats: IntervalStats): void {
  totals.sent += stats.sent;
  totals.signatures += stats.signatures;
  totals.verifications += stats.verifications;
  totals.rejected += stats.rejected;
  totals.bytes += stats.bytes;
}

/** Per directed link, the link in the other direction. */
function reverseLinks(topology: CompiledTopology): Int32Array {
  const reverse = new Int32Array(topology.linkCount).fill(-1);
  for (let l = 0; l < topology.linkCount; l++) {
    const from = topology.linkTo[l]!;
    for (let i = topology.outStart[from]!; i < topology.outStart[from + 1]!; i++) {
      const back = topology.outLinks[i]!;
      if (topology.linkTo[back] === topology.linkFrom[l]) reverse[l] = back;
    }
    if (reverse[l]! < 0) throw new TollwayError(`link ${l} has no reverse link`, { field: "topology" });
  }
  return reverse;
}
