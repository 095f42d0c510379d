/**
 * The per-flow part of a round, for a subset of the flows: each user's strategy decides its
 * rate, payment and path from what it can observe; its batch rows and path pool are built;
 * after the hop passes the outcome of each batch is recorded in the flow's columns.
 *
 * A shard depends only on the topology, the offered paths, the tariffs in force and its own
 * flows, and every random draw is keyed by (seed, flow uid, round): so a flow gets the same
 * result on any shard, and the coordinator (Simulation) can run one shard in its own thread or
 * one per worker thread. No I/O, no threads here.
 */
import type { CompiledTopology } from "../model/topology.js";
import type { AckReport, OfferedPathView, UserAction, UserObservation } from "../agents/strategy.js";
import { TollwayError } from "../errors.js";
import { ispOadsAlong, type IspOadEcho } from "../model/oads.js";
import { createBatches, type Batches, type LinkInputs } from "./pipeline.js";
import { FlowTable, forEachArrival, type ArrivalList } from "./flows.js";
import { deriveSeed, STREAM } from "./random.js";
import { callStrategy, LazyRng, strategyError } from "./strategy-calls.js";
import type { OfferedPathLike, PathProvider, UserAgent } from "./simulation.js";

/** What a flow shard needs; the same on every shard of a run. */
export interface FlowShardOptions {
  topology: CompiledTopology;
  paths: PathProvider;
  seed: number;
  roundSeconds: number;
  userAgents: readonly UserAgent[];
  /** Link inputs: the shard reads the tariffs in force (announced path prices) and whether a link's sender is a host. */
  links: Pick<LinkInputs, "perPacket" | "perByte" | "congestion" | "senderIsHost">;
  /** Allocate the flow table on SharedArrayBuffers (a shard in a worker, read by the coordinator). */
  sharedTable?: boolean;
}

/** One leg of a round as built by a shard: batch rows, their path pool, and who sent them. */
export interface Leg {
  batches: Batches;
  pool: Int32Array;
  /** Flow-table row of each batch. */
  rows: Int32Array;
  /** Packets each batch started with. */
  sent: Float64Array;
}

/** What a shard's flows sent and got in a round, for the run's totals. */
export interface ShardRoundCounts {
  acksSent: number;
  acksDelivered: number;
  /** Batch-hops of both legs (path links of every batch). */
  batchHops: number;
}

/** The flows of one shard, their strategy states, and the legs they built this round. */
export class FlowShard {
  readonly flows: FlowTable;
  private readonly options: FlowShardOptions;
  private readonly packetSeed: number;
  private readonly nodeCount: number;
  /** This round's announced path prices, by (payer, payee, packet bits). */
  private readonly pathViewCache: PairCache<{ version: number; bits: number; views: OfferedPathView[] }>;
  private readonly pathStatics: PairCache<PathStatics[]>;
  private readonly linkPriceCache = new Map<number, Float64Array>();
  private linkPriceVersion = -1;
  /** The coordinator's tariff version this round (bumped whenever an ISP changes a tariff). */
  private tariffVersion = 0;
  private paying: Leg | null = null;
  private returning: Leg | null = null;
  // Reused from round to round: a round allocates nothing per batch.
  private readonly payingBuffer = new LegBuffer();
  private readonly returnBuffer = new LegBuffer();
  private ackRow = new Int32Array(0);

  constructor(options: FlowShardOptions) {
    this.options = options;
    this.flows = new FlowTable(64, options.sharedTable ?? false);
    this.nodeCount = options.topology.nodeIds.length;
    this.packetSeed = deriveSeed(options.seed, STREAM.packet);
    this.pathViewCache = pairCache(this.nodeCount);
    this.pathStatics = pairCache(this.nodeCount);
  }

  get roundSeconds(): number {
    return this.options.roundSeconds;
  }

  /** Removes the flows that ended by `time` (their records were reported by the coordinator). */
  removeEnded(time: number): void {
    const end = this.flows.columns.endTime;
    this.flows.compact((i) => end[i]! > time);
  }

  /** Adds this round's arrivals (with the coordinator's uids), initializing their strategies. */
  addArrivals(arrivals: ArrivalList, round: number): void {
    const { flows } = this;
    forEachArrival(arrivals, (flow, uid, name) => {
      const i = flows.add(flow, uid);
      flows.names[i] = name;
      if (flow.state === undefined) {
        const agent = this.options.userAgents[flow.agent]!;
        flows.states[i] = callStrategy(agent.strategy, `user ${name ?? `flow ${uid}`}`, round, () => agent.strategy.init(agent.params));
      }
    });
  }

  /** The batches of a leg built this round (0: paying, 1: return). */
  leg(leg: 0 | 1): Leg {
    const built = leg === 0 ? this.paying : this.returning;
    if (!built) throw new Error(`FlowShard: leg ${leg} not built this round`);
    return built;
  }

  /** Each flow's strategy decides; its paying-leg batch is built. Returns the longest path. */
  buildPayingLeg(round: number, time: number, tariffVersion: number): number {
    this.tariffVersion = tariffVersion;
    const { flows, options } = this;
    const c = flows.columns;
    const { roundSeconds } = options;
    const buffer = this.payingBuffer;
    const { batches, pool, rows } = buffer.reset(flows.count);
    let maxHops = 0;
    for (let i = 0; i < flows.count; i++) {
      const start = Math.max(time, c.startTime[i]!);
      const end = Math.min(time + roundSeconds, c.endTime[i]!);
      if (end <= start) continue;
      const bits = c.payingLegBits[i]!;
      const dataBits = c.dataLeg[i] === 0 ? bits : c.returnLegBits[i]!;
      const demandBits = c.demandBps[i]! * (end - start);
      c.demandedBits[i]! += demandBits;
      const demandPackets = dataBits > 0 ? demandBits / dataBits : 0;
      const views = this.pathViews(c.payer[i]!, c.payee[i]!, bits);
      if (views.length === 0) continue; // unreachable under valley-free routing: nothing to decide
      const agent = options.userAgents[c.agent[i]!]!;
      const observation = new FlowObservation(this, i, round, time, demandPackets, dataBits, views);
      const rng = new LazyRng(options.seed, STREAM.user, c.uid[i]!, round);
      let decision;
      try {
        decision = agent.strategy.decide(observation, flows.states[i], agent.params, rng);
      } catch (error) {
        throw strategyError(error, agent.strategy, `user ${observation.user}`, round);
      }
      const action = checkUserAction(decision.action, agent.strategy.id, observation, views.length);
      flows.states[i] = decision.state;
      const packets = roundPackets(action.packets, c.uid[i]!, round, this.packetSeed);
      const payment = Math.round(action.payment);
      if (c.lastPath[i]! >= 0 && c.lastPath[i] !== action.path) c.pathSwitches[i]!++;
      c.lastPath[i] = action.path;
      c.lastPayment[i] = payment;
      const path = options.paths.offered(c.payer[i]!, c.payee[i]!)[action.path]!;
      const row = batches.count++;
      batches.flow[row] = c.uid[i]!;
      batches.packets[row] = packets;
      batches.payment[row] = payment;
      batches.bitsPerPacket[row] = bits;
      batches.pathStart[row] = pool.length;
      batches.pathLength[row] = path.links.length;
      batches.dropped[row] = 0;
      if (path.links.length > maxHops) maxHops = path.links.length;
      pool.append(path.links);
      rows[row] = i;
    }
    this.paying = buffer.finish();
    this.returning = null;
    return maxHops;
  }

  /** After the paying leg's hops: the payee keeps its part and returns the rest. Returns the longest path. */
  buildReturnLeg(): number {
    const paying = this.leg(0);
    const { flows, options } = this;
    const c = flows.columns;
    const buffer = this.returnBuffer;
    const { batches, pool, rows } = buffer.reset(paying.batches.count);
    let maxHops = 0;
    for (let row = 0; row < paying.batches.count; row++) {
      const delivered = paying.batches.packets[row]!;
      const i = paying.rows[row]!;
      const remaining = paying.batches.payment[row]!;
      const keep = Math.min(remaining, Math.max(0, Math.round(c.keepPerPacket[i]! + c.keepFraction[i]! * remaining)));
      c.payeeKept[i]! += delivered * keep;
      const bits = c.returnLegBits[i]!;
      // No return leg (generated pricing traffic): skip the path lookup, a real cost per flow.
      if (bits <= 0) continue;
      const paths = options.paths.offered(c.payee[i]!, c.payer[i]!);
      const path = paths[Math.min(c.returnPath[i]!, paths.length - 1)];
      if (!path) continue;
      const out = batches.count++;
      batches.flow[out] = c.uid[i]!;
      batches.packets[out] = delivered;
      batches.payment[out] = remaining - keep;
      batches.bitsPerPacket[out] = bits;
      batches.pathStart[out] = pool.length;
      batches.pathLength[out] = path.links.length;
      if (path.links.length > maxHops) maxHops = path.links.length;
      pool.append(path.links);
      rows[out] = i;
    }
    this.returning = buffer.finish();
    return maxHops;
  }

  /** After both legs: each flow's report for next round and its totals. */
  recordOutcomes(): ShardRoundCounts {
    const paying = this.leg(0);
    const returning = this.leg(1);
    const c = this.flows.columns;
    const counts: ShardRoundCounts = { acksSent: 0, acksDelivered: 0, batchHops: paying.pool.length + returning.pool.length };
    // Return-leg batch of each flow-table row, or -1.
    if (this.ackRow.length < this.flows.count) this.ackRow = new Int32Array(Math.max(64, this.flows.count * 2));
    const ackRow = this.ackRow;
    for (let row = 0; row < paying.batches.count; row++) ackRow[paying.rows[row]!] = -1;
    for (let row = 0; row < returning.batches.count; row++) {
      counts.acksSent += returning.sent[row]!;
      counts.acksDelivered += returning.batches.packets[row]!;
      ackRow[returning.rows[row]!] = row;
    }
    for (let row = 0; row < paying.batches.count; row++) {
      const i = paying.rows[row]!;
      const sent = paying.sent[row]!;
      const delivered = paying.batches.packets[row]!;
      const back = ackRow[i]!;
      const ack = back < 0 ? NO_ACK : { packets: returning.batches.packets[back]!, refund: returning.batches.packets[back]! * returning.batches.payment[back]! };
      // What left the payer: the packets its access link admitted, at the payment they carried.
      const spent = paying.batches.leftSender[row]! * c.lastPayment[i]!;
      const dataDelivered = c.dataLeg[i] === 0 ? delivered : ack.packets;
      const dataBits = c.dataLeg[i] === 0 ? c.payingLegBits[i]! : c.returnLegBits[i]!;
      c.hasReport[i] = 1;
      c.lastSent[i] = sent;
      c.lastDelivered[i] = dataDelivered;
      c.lastAcknowledged[i] = ack.packets;
      c.lastSpent[i] = spent;
      c.lastRefunded[i] = ack.refund;
      c.cumulativeSpent[i]! += spent - ack.refund;
      c.sentPackets[i]! += sent;
      c.deliveredPackets[i]! += dataDelivered;
      c.deliveredBits[i]! += dataDelivered * dataBits;
    }
    this.paying = null;
    this.returning = null;
    return counts;
  }

  /** Last round's acknowledgment report of the flow in row `i` (read by FlowObservation). */
  ackReportOf(i: number): AckReport {
    const c = this.flows.columns;
    const sent = c.lastSent[i]!;
    const dataBits = c.dataLeg[i] === 0 ? c.payingLegBits[i]! : c.returnLegBits[i]!;
    return {
      sent,
      delivered: c.lastDelivered[i]!,
      acknowledged: c.lastAcknowledged[i]!,
      spent: c.lastSpent[i]!,
      refunded: c.lastRefunded[i]!,
      tollPerPacket: c.lastAcknowledged[i]! > 0 ? c.lastPayment[i]! - c.lastRefunded[i]! / c.lastAcknowledged[i]! : c.lastPayment[i]!,
      throughputBps: (c.lastDelivered[i]! * dataBits) / this.options.roundSeconds,
      path: c.lastPath[i]!,
      ispOads: this.ispOadsOf(c.payer[i]!, c.payee[i]!, c.lastPath[i]!),
    };
  }

  /** The announced per-packet price of each offered path (what price beacons carry). */
  private pathViews(payer: number, payee: number, bits: number): OfferedPathView[] {
    const pair = payer * this.nodeCount + payee;
    // One cache slot per pair, valid while no tariff changes and for one packet size: this runs
    // once per flow per round, and under static prices the answer never changes.
    const cached = this.pathViewCache.get(pair);
    if (cached && cached.version === this.tariffVersion && cached.bits === bits) return cached.views;
    const offered = this.options.paths.offered(payer, payee);
    const fixed = this.pathStaticsOf(pair, offered);
    const linkPrice = this.linkPrices(bits);
    const views: OfferedPathView[] = new Array(offered.length);
    for (let p = 0; p < offered.length; p++) {
      const links = offered[p]!.links;
      let price = 0;
      for (let h = 0; h < links.length; h++) price += linkPrice[links[h]!]!;
      views[p] = { nodes: fixed[p]!.nodes, price, latencyMs: fixed[p]!.latencyMs };
    }
    this.pathViewCache.set(pair, { version: this.tariffVersion, bits, views });
    return views;
  }

  /** Each link's announced toll on a packet of `bits`, for the tariffs in force (hosts charge none). */
  private linkPrices(bits: number): Float64Array {
    if (this.linkPriceVersion !== this.tariffVersion) {
      this.linkPriceCache.clear();
      this.linkPriceVersion = this.tariffVersion;
    }
    let prices = this.linkPriceCache.get(bits);
    if (!prices) {
      const { perPacket, perByte, congestion, senderIsHost } = this.options.links;
      prices = new Float64Array(this.options.topology.linkCount);
      for (let l = 0; l < prices.length; l++) {
        if (senderIsHost[l] === 1) continue;
        prices[l] = Math.max(0, Math.round(perPacket[l]! + (perByte[l]! * bits) / 8)) + congestion[l]!;
      }
      this.linkPriceCache.set(bits, prices);
    }
    return prices;
  }

  /** Names and latencies of a pair's offered paths: they never change during a run. */
  private pathStaticsOf(pair: number, offered: readonly OfferedPathLike[]): PathStatics[] {
    let fixed = this.pathStatics.get(pair);
    if (!fixed) {
      const { topology } = this.options;
      fixed = offered.map((path) => ({
        nodes: Array.from(path.nodes, (n) => topology.nodeIds[n]!),
        latencyMs: path.links.reduce((sum, l) => sum + topology.linkLatencyMs[l]!, 0),
        ispOads: null,
      }));
      this.pathStatics.set(pair, fixed);
    }
    return fixed;
  }

  /** The ISP-OADs of one offered path, computed the first time a sender reads its acknowledgments. */
  private ispOadsOf(payer: number, payee: number, path: number): readonly IspOadEcho[] {
    const offered = this.options.paths.offered(payer, payee);
    const fixed = this.pathStaticsOf(payer * this.nodeCount + payee, offered)[path];
    if (!fixed) return [];
    return (fixed.ispOads ??= ispOadsAlong(this.options.topology, this.options.paths, offered[path]!.nodes));
  }
}

/** A cache keyed by (source, destination) pair index. */
interface PairCache<T> {
  get(pair: number): T | undefined;
  set(pair: number, value: T): void;
}

/**
 * A dense array for topologies up to a few thousand nodes (a sparse JS array or a Map with
 * hundreds of thousands of integer keys is several times slower here); a Map beyond.
 */
function pairCache<T>(nodes: number): PairCache<T> {
  if (nodes * nodes > 1 << 24) return new Map<number, T>();
  const slots = new Array<T | undefined>(nodes * nodes).fill(undefined);
  return { get: (pair) => slots[pair], set: (pair, value) => void (slots[pair] = value) };
}

/** What never changes about an offered path during a run. */
interface PathStatics {
  nodes: readonly string[];
  latencyMs: number;
  /** Computed on first use (see ispOadsOf). */
  ispOads: readonly IspOadEcho[] | null;
}

/** Whole packets for a possibly fractional demand, rounded at random with the right mean. */
function roundPackets(packets: number, uid: number, round: number, seed: number): number {
  const whole = Math.floor(packets);
  const fraction = packets - whole;
  if (fraction === 0) return whole;
  return whole + (deriveSeed(seed, uid, round, 0x51ed) / 4294967296 < fraction ? 1 : 0);
}

/** Checks a user's action; payments are then rounded to whole units by the caller. */
function checkUserAction(action: UserAction, id: string, observation: UserObservation, pathCount: number): UserAction {
  if (
    action && typeof action === "object" && Number.isFinite(action.payment) && action.payment >= 0 &&
    Number.isFinite(action.packets) && action.packets >= 0 && Number.isInteger(action.path) && action.path >= 0 && action.path < pathCount
  ) {
    return action;
  }
  const where = `strategy "${id}" (user ${observation.user}) in round ${observation.round}`;
  if (!action || typeof action !== "object") throw new TollwayError(`${where} returned no action`);
  if (!Number.isFinite(action.payment) || action.payment < 0) {
    throw new TollwayError(`${where} chose payment ${String(action.payment)}: must be a finite number ≥ 0`, { field: "payment" });
  }
  if (!Number.isFinite(action.packets) || action.packets < 0) {
    throw new TollwayError(`${where} chose packets ${String(action.packets)}: must be a finite number ≥ 0`, { field: "packets" });
  }
  if ((!Number.isInteger(action.path) || action.path < 0 || action.path >= pathCount)) {
    throw new TollwayError(`${where} chose path ${String(action.path)}: must be an index in [0, ${pathCount - 1}]`, { field: "path" });
  }
  throw new TollwayError(`${where} returned an invalid action`);
}

/**
 * What a user sees this round. A class rather than a literal so that the parts few strategies
 * read (its name, last round's report) are only built when read: this runs per flow per round.
 */
class FlowObservation implements UserObservation {
  readonly roundSeconds: number;
  readonly age: number;
  readonly remainingSeconds: number | null;
  readonly cumulativeSpent: number;
  constructor(
    private readonly shard: FlowShard,
    private readonly row: number,
    readonly round: number,
    time: number,
    readonly demandPackets: number,
    readonly packetBits: number,
    readonly paths: readonly OfferedPathView[],
  ) {
    const c = shard.flows.columns;
    this.roundSeconds = shard.roundSeconds;
    this.age = time - c.startTime[row]!;
    this.remainingSeconds = Number.isFinite(c.endTime[row]!) ? c.endTime[row]! - time : null;
    this.cumulativeSpent = c.cumulativeSpent[row]!;
  }
  get user(): string {
    return this.shard.flows.names[this.row] ?? `flow ${this.shard.flows.columns.uid[this.row]}`;
  }
  get last(): AckReport | null {
    return this.shard.flows.columns.hasReport[this.row] === 1 ? this.shard.ackReportOf(this.row) : null;
  }
}

const NO_ACK = { packets: 0, refund: 0 } as const;

/** The arrays of one leg, kept from round to round and grown when the flows outgrow them. */
class LegBuffer {
  private batches: Batches = createBatches(64);
  private readonly pool = new PathPool(256);
  private rows = new Int32Array(64);
  private sent = new Float64Array(64);

  /** Empty batches with room for `rows` rows. */
  reset(rows: number): { batches: Batches; pool: PathPool; rows: Int32Array } {
    if (this.batches.flow.length < rows) {
      const capacity = Math.max(rows, this.batches.flow.length * 2);
      this.batches = createBatches(capacity);
      this.rows = new Int32Array(capacity);
      this.sent = new Float64Array(capacity);
    }
    this.batches.count = 0;
    this.pool.length = 0;
    return { batches: this.batches, pool: this.pool, rows: this.rows };
  }

  /** The leg built since `reset`; the kernels' output columns start at zero, as in fresh batches. */
  finish(): Leg {
    const { batches } = this;
    const n = batches.count;
    batches.arrivedPackets.fill(0, 0, n);
    batches.arrivedPayment.fill(0, 0, n);
    batches.premium.fill(0, 0, n);
    batches.dropped.fill(0, 0, n);
    batches.leftSender.fill(0, 0, n);
    this.sent.set(batches.packets.subarray(0, n));
    return { batches, pool: this.pool.view(), rows: this.rows, sent: this.sent };
  }
}

/** A growable Int32Array for the links of all batch paths. */
class PathPool {
  length = 0;
  private data: Int32Array;
  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  append(links: Int32Array): void {
    if (this.length + links.length > this.data.length) {
      const grown = new Int32Array(Math.max(this.data.length * 2, this.length + links.length));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    this.data.set(links, this.length);
    this.length += links.length;
  }
  /** The links appended so far (a view: valid until the next append after a reset). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}
