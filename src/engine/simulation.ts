/**
 * The round engine. Each round: ISP strategies set tariffs from what they saw last round; new
 * flows arrive; user strategies choose rate, payment and path; the packets of the paying leg
 * cross their paths hop by hop (tolls, congestion drops, capacity), the payee keeps its part and
 * returns the rest in acknowledgments along the return leg; the bilateral ledger records what
 * crossed each link and settles; every agent then observes only what it could know.
 *
 * No I/O and no threads here: the hop passes are the pure kernels of pipeline.ts, run through a
 * `HopRunner` that the parallel layer can replace with one that shards them across workers.
 */
import type { CompiledTopology } from "../model/topology.js";
import { KIND_HOST, TO_CUSTOMER, TO_PEER } from "../model/topology.js";
import { FREE_TARIFF, invalidTariffField, type Tariff } from "../mechanisms/billpay/tolls.js";
import { BilateralLedger, type Settlement } from "../mechanisms/billpay/ledger.js";
import type { AckReport, IspAction, IspObservation, IspStrategy, OfferedPathView, UserAction, UserObservation, UserStrategy } from "../agents/strategy.js";
import { TollwayError } from "../errors.js";
import { FlowTable, type FlowInit } from "./flows.js";
import { ispOadsAlong, type IspOadEcho } from "../model/oads.js";
import {
  computeAdmission, createBatches, createLinkTotals, hopForward, hopLocal, LINK_TOTAL_KEYS,
  type Batches, type HopContext, type LinkInputs, type LinkTotals,
} from "./pipeline.js";
import { createRng, deriveSeed, STREAM, type Rng } from "./random.js";

export interface OfferedPathLike {
  readonly nodes: Int32Array;
  readonly links: Int32Array;
}

/** The bounded set of paths an access ISP offers (edge-directed routing). */
export interface PathProvider {
  offered(src: number, dst: number): readonly OfferedPathLike[];
}

export interface IspAgent {
  node: number;
  strategy: IspStrategy;
  params: unknown;
}

export interface UserAgent {
  strategy: UserStrategy;
  params: unknown;
}

/** Adds the flows that start within [startTime, endTime) of a round. */
export interface FlowSource {
  arrivals(round: number, startTime: number, endTime: number, add: (flow: FlowInit) => void): void;
}

export interface SettlementPolicy {
  /** Open balance (units) at which neighbours settle; the paper's "$100". */
  threshold: bigint;
  /** Rounds per billing cycle, at whose end every open balance is settled. */
  billingCycleRounds: number;
  /** Nodes that refuse to pay what they owe. */
  defaulters: ReadonlySet<number>;
}

export interface SimulationOptions {
  topology: CompiledTopology;
  paths: PathProvider;
  seed: number;
  roundSeconds: number;
  scheduling: "fifo" | "payment";
  ispAgents: readonly IspAgent[];
  userAgents: readonly UserAgent[];
  flowSources: readonly FlowSource[];
  settlement: SettlementPolicy;
  /** Replaces the in-thread hop runner (the parallel layer shards hops across workers). */
  hopRunner?: HopRunner;
}

/** Runs the two passes of each hop over all batches. */
export interface HopRunner {
  runLeg(links: LinkInputs, batches: Batches, totals: LinkTotals, pathPool: Int32Array, ctx: Omit<HopContext, "hop" | "pathPool">, byPayment: boolean): void | Promise<void>;
}

/** The in-thread runner: both passes over every batch, hop after hop. */
export const serialHopRunner: HopRunner = {
  runLeg(links, batches, totals, pathPool, base, byPayment) {
    const maxHops = maxPathLength(batches);
    for (let hop = 0; hop < maxHops; hop++) {
      const ctx: HopContext = { ...base, hop, pathPool };
      hopLocal(links, batches, totals, ctx, 0, batches.count);
      computeAdmission(links, totals, byPayment);
      hopForward(links, batches, totals, ctx, 0, batches.count);
    }
  },
};

export function maxPathLength(batches: Batches): number {
  let max = 0;
  for (let i = 0; i < batches.count; i++) if (batches.pathLength[i]! > max) max = batches.pathLength[i]!;
  return max;
}

/** What one round produced, handed to metrics reporters. */
export interface RoundReport {
  round: number;
  /** Simulated time at the start of the round, seconds. */
  time: number;
  links: Readonly<LinkTotals>;
  tariffs: Readonly<Record<keyof Tariff, Float64Array>>;
  /** Units kept this round per node (ISPs: tolls and drops). */
  kept: Float64Array;
  activeFlows: number;
  settlements: readonly Settlement[];
}

/** A flow's life, reported when it ends (or when the run ends). */
export interface FlowRecord {
  uid: number;
  name: string | undefined;
  agent: number;
  payer: number;
  payee: number;
  durationSec: number;
  demandedBits: number;
  deliveredBits: number;
  sentPackets: number;
  deliveredPackets: number;
  spent: number;
  pathSwitches: number;
}

export interface SimulationObserver {
  onRound?(report: RoundReport, simulation: Simulation): void;
  onFlowEnd?(record: FlowRecord): void;
}

const TARIFF_KEYS = ["perPacket", "perByte", "proportional", "congestion", "dropShare"] as const;

export class Simulation {
  readonly topology: CompiledTopology;
  readonly flows = new FlowTable();
  readonly ledger: BilateralLedger;
  round = 0;
  /** Simulated seconds per round. */
  get roundSeconds(): number {
    return this.options.roundSeconds;
  }
  /** Return-leg packets (acknowledgments or mirrored data) sent and delivered so far. */
  acksSent = 0;
  /** Work done so far: batch-hops (one batch crossing one link: the kernel's unit of work) and
   * packet-hops (packets carried over links). */
  readonly work = { batchHops: 0, packetHops: 0 };
  acksDelivered = 0;
  private readonly options: SimulationOptions;
  private readonly links: LinkInputs;
  private readonly tariffs: Record<keyof Tariff, Float64Array>;
  private readonly ispStates: unknown[];
  private readonly ispLinks: number[][];
  private readonly lastTotals: LinkTotals;
  private readonly cumulativeKept: Float64Array;
  private readonly observers: SimulationObserver[] = [];
  private readonly hopRunner: HopRunner;
  private readonly packetSeed: number;
  /** This round's announced path prices, by (payer, payee, packet bits). */
  private readonly pathViewCache: PairCache<{ version: number; bits: number; views: OfferedPathView[] }>;
  /** Bumped whenever an ISP changes a tariff, so announced path prices are recomputed. */
  private tariffVersion = 0;
  private tariffChanged = false;
  private readonly linkPriceCache = new Map<number, Float64Array>();
  private linkPriceVersion = -1;
  private readonly pathStatics: PairCache<PathStatics[]>;

  constructor(options: SimulationOptions) {
    this.options = options;
    const topology = (this.topology = options.topology);
    const L = topology.linkCount;
    this.hopRunner = options.hopRunner ?? serialHopRunner;
    this.pathViewCache = pairCache(topology.nodeIds.length);
    this.pathStatics = pairCache(topology.nodeIds.length);
    this.packetSeed = deriveSeed(options.seed, STREAM.packet);
    this.tariffs = Object.fromEntries(TARIFF_KEYS.map((k) => [k, new Float64Array(L)])) as Record<keyof Tariff, Float64Array>;
    const senderIsHost = new Uint8Array(L);
    const capacityBits = new Float64Array(L);
    for (let l = 0; l < L; l++) {
      senderIsHost[l] = topology.nodeKind[topology.linkFrom[l]!] === KIND_HOST ? 1 : 0;
      capacityBits[l] = topology.linkCapacityBps[l]! * options.roundSeconds;
    }
    this.links = {
      ...this.tariffs, senderIsHost, noPremium: new Uint8Array(L), capacityBits,
      admitNormal: new Float64Array(L), admitPremium: new Float64Array(L),
    };
    this.lastTotals = createLinkTotals(L);
    this.cumulativeKept = new Float64Array(topology.nodeIds.length);
    this.ispLinks = options.ispAgents.map((agent) => {
      const out: number[] = [];
      for (let i = topology.outStart[agent.node]!; i < topology.outStart[agent.node + 1]!; i++) out.push(topology.outLinks[i]!);
      return out;
    });
    this.ispStates = options.ispAgents.map((agent) =>
      callStrategy(agent.strategy, "isp " + topology.nodeIds[agent.node], 0, () => agent.strategy.init(agent.params)),
    );
    this.ledger = new BilateralLedger(topology, {
      settlementThreshold: options.settlement.threshold,
      billingCycleRounds: options.settlement.billingCycleRounds,
      willSettle: (debtor) => !options.settlement.defaulters.has(debtor),
    });
  }

  observe(observer: SimulationObserver): this {
    this.observers.push(observer);
    return this;
  }

  /** Runs `rounds` rounds, then `finish`. */
  async run(rounds: number): Promise<void> {
    for (let r = 0; r < rounds; r++) await this.step();
    this.finish();
  }

  /** Reports the flows still alive as ended (call once, after the last round). */
  finish(): void {
    this.endFlows(() => true);
  }

  /** One round. */
  async step(): Promise<RoundReport> {
    const round = this.round;
    const { roundSeconds } = this.options;
    const time = round * roundSeconds;
    this.decideTariffs(round);
    if (this.tariffChanged) this.tariffVersion++;
    for (const source of this.options.flowSources) {
      source.arrivals(round, time, time + roundSeconds, (flow) => {
        const i = this.flows.add(flow);
        if (flow.state === undefined) {
          const agent = this.options.userAgents[flow.agent]!;
          this.flows.states[i] = callStrategy(agent.strategy, `user ${flow.name ?? `flow ${this.flows.columns.uid[i]}`}`, round, () => agent.strategy.init(agent.params));
        }
      });
    }

    const totals = createLinkTotals(this.topology.linkCount);
    const paying = this.buildPayingLeg(round, time);
    const base = { seed: this.packetSeed, round };
    const byPayment = this.options.scheduling === "payment";
    await this.hopRunner.runLeg(this.links, paying.batches, totals, paying.pool, { ...base, leg: 0 }, byPayment);
    const returning = this.buildReturnLeg(paying);
    await this.hopRunner.runLeg(this.links, returning.batches, totals, returning.pool, { ...base, leg: 1 }, byPayment);
    this.recordOutcomes(paying, returning);
    this.work.batchHops += paying.pool.length + returning.pool.length;
    for (let l = 0; l < this.topology.linkCount; l++) this.work.packetHops += totals.carriedPackets[l]!;

    this.ledger.record(totals.transferred, round);
    const settlements = this.ledger.settle(round);
    this.updateStanding();

    const kept = new Float64Array(this.topology.nodeIds.length);
    for (let l = 0; l < this.topology.linkCount; l++) {
      if (this.links.senderIsHost[l] === 0) kept[this.topology.linkFrom[l]!]! += totals.kept[l]!;
    }
    for (let n = 0; n < kept.length; n++) this.cumulativeKept[n]! += kept[n]!;
    for (const key of LINK_TOTAL_KEYS) this.lastTotals[key].set(totals[key]);

    const report: RoundReport = {
      round, time, links: totals, tariffs: this.tariffs, kept, activeFlows: this.flows.count, settlements,
    };
    for (const observer of this.observers) observer.onRound?.(report, this);
    this.round++;
    const end = time + roundSeconds;
    this.endFlows((i) => this.flows.columns.endTime[i]! <= end);
    return report;
  }

  /** Units kept by each node since the start of the run. */
  cumulativeRevenue(): Float64Array {
    return this.cumulativeKept;
  }

  // -------------------------------------------------------------------------------------------

  private decideTariffs(round: number): void {
    const { topology, tariffs } = this;
    this.tariffChanged = false;
    this.options.ispAgents.forEach((agent, a) => {
      const isp = topology.nodeIds[agent.node]!;
      const links = this.ispLinks[a]!;
      const observation: IspObservation = {
        round, isp, roundSeconds: this.options.roundSeconds,
        links: links.map((l) => this.linkObservation(l)),
        revenue: links.reduce((sum, l) => sum + this.lastTotals.kept[l]!, 0),
        cumulativeRevenue: this.cumulativeKept[agent.node]!,
      };
      const rng = new LazyRng(this.options.seed, STREAM.isp, agent.node, round);
      const decision = callStrategy(agent.strategy, `isp ${isp}`, round, () =>
        agent.strategy.decide(observation, this.ispStates[a], agent.params, rng),
      );
      const action = decision.action as IspAction;
      if (!action || !Array.isArray(action.tariffs) || action.tariffs.length !== links.length) {
        throw new TollwayError(
          `strategy "${agent.strategy.id}" (isp ${isp}) returned ${action?.tariffs?.length ?? "no"} tariffs in round ${round}, expected ${links.length} (one per link)`,
        );
      }
      this.ispStates[a] = decision.state;
      links.forEach((l, j) => {
        const tariff = { ...FREE_TARIFF, ...action.tariffs[j] };
        const bad = invalidTariffField(tariff);
        if (bad !== null) {
          throw new TollwayError(
            `strategy "${agent.strategy.id}" (isp ${isp}) set ${bad} = ${String(tariff[bad])} on its link to ${topology.nodeIds[topology.linkTo[l]!]} in round ${round}: must be a finite number ≥ 0${bad === "proportional" || bad === "dropShare" ? " and ≤ 1" : ""}`,
            { field: `tariffs.${j}.${bad}` },
          );
        }
        for (const key of TARIFF_KEYS) {
          if (tariffs[key][l] !== tariff[key]) {
            tariffs[key][l] = tariff[key];
            this.tariffChanged = true;
          }
        }
      });
    });
  }

  private linkObservation(l: number): IspObservation["links"][number] {
    const { topology, lastTotals } = this;
    const capacity = this.links.capacityBits[l]!;
    const carriedBits = lastTotals.carriedBits[l]!;
    const offeredBits = lastTotals.arrivedBits[l]!;
    const relation = topology.linkRelation[l];
    return {
      link: l,
      to: topology.nodeIds[topology.linkTo[l]!]!,
      relation: relation === TO_CUSTOMER ? "customer" : relation === TO_PEER ? "peer" : "provider",
      capacityBitsPerRound: capacity,
      offeredBits,
      carriedBits,
      carriedPackets: lastTotals.carriedPackets[l]!,
      droppedPackets: lastTotals.droppedPackets[l]!,
      utilization: capacity > 0 ? Math.min(1, carriedBits / capacity) : 0,
      load: capacity > 0 ? offeredBits / capacity : 0,
      revenue: lastTotals.kept[l]!,
      tariff: {
        perPacket: this.tariffs.perPacket[l]!, perByte: this.tariffs.perByte[l]!, proportional: this.tariffs.proportional[l]!,
        congestion: this.tariffs.congestion[l]!, dropShare: this.tariffs.dropShare[l]!,
      },
    };
  }

  /** The announced per-packet price of each offered path (what price beacons carry). */
  private pathViews(payer: number, payee: number, bits: number): OfferedPathView[] {
    const pair = payer * this.topology.nodeIds.length + payee;
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
      const { perPacket, perByte, congestion } = this.tariffs;
      prices = new Float64Array(this.topology.linkCount);
      for (let l = 0; l < prices.length; l++) {
        if (this.links.senderIsHost[l] === 1) continue;
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
      fixed = offered.map((path) => ({
        nodes: Array.from(path.nodes, (n) => this.topology.nodeIds[n]!),
        latencyMs: path.links.reduce((sum, l) => sum + this.topology.linkLatencyMs[l]!, 0),
        ispOads: null,
      }));
      this.pathStatics.set(pair, fixed);
    }
    return fixed;
  }

  /** The ISP-OADs of one offered path, computed the first time a sender reads its acknowledgments. */
  private ispOadsOf(payer: number, payee: number, path: number): readonly IspOadEcho[] {
    const offered = this.options.paths.offered(payer, payee);
    const fixed = this.pathStaticsOf(payer * this.topology.nodeIds.length + payee, offered)[path];
    if (!fixed) return [];
    return (fixed.ispOads ??= ispOadsAlong(this.topology, this.options.paths, offered[path]!.nodes));
  }

  private buildPayingLeg(round: number, time: number): Leg {
    const { flows, options } = this;
    const c = flows.columns;
    const { roundSeconds } = options;
    const batches = createBatches(Math.max(1, flows.count));
    const pool = new PathPool(flows.count * 4);
    const rows: number[] = [];
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
      pool.append(path.links);
      rows.push(i);
    }
    return { batches, pool: pool.toArray(), rows, sent: batches.packets.slice(0, batches.count) };
  }

  private buildReturnLeg(paying: Leg): Leg {
    const { flows, options } = this;
    const c = flows.columns;
    const batches = createBatches(Math.max(1, paying.batches.count));
    const pool: number[] = [];
    const rows: number[] = [];
    paying.batches.packets.slice(0, paying.batches.count).forEach((delivered, row) => {
      const i = paying.rows[row]!;
      const remaining = paying.batches.payment[row]!;
      const keep = Math.min(remaining, Math.max(0, Math.round(c.keepPerPacket[i]! + c.keepFraction[i]! * remaining)));
      c.payeeKept[i]! += delivered * keep;
      const bits = c.returnLegBits[i]!;
      // No return leg (generated pricing traffic): skip the path lookup, a real cost per flow.
      if (bits <= 0) return;
      const paths = options.paths.offered(c.payee[i]!, c.payer[i]!);
      const path = paths[Math.min(c.returnPath[i]!, paths.length - 1)];
      if (!path) return;
      const out = batches.count++;
      batches.flow[out] = c.uid[i]!;
      batches.packets[out] = delivered;
      batches.payment[out] = remaining - keep;
      batches.bitsPerPacket[out] = bits;
      batches.pathStart[out] = pool.length;
      batches.pathLength[out] = path.links.length;
      for (const l of path.links) pool.push(l);
      rows.push(i);
    });
    return { batches, pool: Int32Array.from(pool), rows, sent: batches.packets.slice(0, batches.count) };
  }

  private recordOutcomes(paying: Leg, returning: Leg): void {
    const c = this.flows.columns;
    const acked = new Map<number, { packets: number; refund: number }>();
    returning.rows.forEach((i, row) => {
      this.acksSent += returning.sent[row]!;
      this.acksDelivered += returning.batches.packets[row]!;
      acked.set(i, { packets: returning.batches.packets[row]!, refund: returning.batches.packets[row]! * returning.batches.payment[row]! });
    });
    paying.rows.forEach((i, row) => {
      const sent = paying.sent[row]!;
      const delivered = paying.batches.packets[row]!;
      const ack = acked.get(i) ?? { packets: 0, refund: 0 };
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
    });
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

  /** Debtors that refused to settle get no preferential service from their creditor. */
  private updateStanding(): void {
    const { topology } = this;
    for (let l = 0; l < topology.linkCount; l++) {
      this.links.noPremium[l] = this.ledger.isDelinquent(topology.linkFrom[l]!, topology.linkTo[l]!) ? 1 : 0;
    }
  }

  private endFlows(ended: (i: number) => boolean): void {
    const { flows, observers } = this;
    const c = flows.columns;
    flows.compact((i) => {
      if (!ended(i)) return true;
      const record: FlowRecord = {
        uid: c.uid[i]!, name: flows.names[i], agent: c.agent[i]!, payer: c.payer[i]!, payee: c.payee[i]!,
        durationSec: Math.min(c.endTime[i]!, this.round * this.options.roundSeconds) - c.startTime[i]!,
        demandedBits: c.demandedBits[i]!, deliveredBits: c.deliveredBits[i]!,
        sentPackets: c.sentPackets[i]!, deliveredPackets: c.deliveredPackets[i]!,
        spent: c.cumulativeSpent[i]!, pathSwitches: c.pathSwitches[i]!,
      };
      for (const observer of observers) observer.onFlowEnd?.(record);
      return false;
    });
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

interface Leg {
  batches: Batches;
  pool: Int32Array;
  /** Flow-table row of each batch. */
  rows: number[];
  /** Packets each batch started with. */
  sent: Float64Array;
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

/** Calls strategy code; anything it throws is reported with the strategy, agent and round. */
export function callStrategy<T>(strategy: { id: string }, agent: string, round: number, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw strategyError(error, strategy, agent, round);
  }
}

function strategyError(error: unknown, strategy: { id: string }, agent: string, round: number): TollwayError {
  if (error instanceof TollwayError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TollwayError(`strategy "${strategy.id}" (${agent}) threw in round ${round}: ${message}`, {}, { cause: error });
}

/** An Rng for (seed, stream, agent, round), seeded only if the strategy draws from it. */
class LazyRng implements Rng {
  private rng: Rng | undefined;
  constructor(private readonly seed: number, private readonly stream: number, private readonly agent: number, private readonly round: number) {}
  private get generator(): Rng {
    return (this.rng ??= createRng(deriveSeed(this.seed, this.stream, this.agent, this.round)));
  }
  random(): number {
    return this.generator.random();
  }
  int(n: number): number {
    return this.generator.int(n);
  }
  state(): number[] {
    return this.generator.state();
  }
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
    private readonly simulation: Simulation,
    private readonly row: number,
    readonly round: number,
    time: number,
    readonly demandPackets: number,
    readonly packetBits: number,
    readonly paths: readonly OfferedPathView[],
  ) {
    const c = simulation.flows.columns;
    this.roundSeconds = simulation.roundSeconds;
    this.age = time - c.startTime[row]!;
    this.remainingSeconds = Number.isFinite(c.endTime[row]!) ? c.endTime[row]! - time : null;
    this.cumulativeSpent = c.cumulativeSpent[row]!;
  }
  get user(): string {
    return this.simulation.flows.names[this.row] ?? `flow ${this.simulation.flows.columns.uid[this.row]}`;
  }
  get last(): AckReport | null {
    return this.simulation.flows.columns.hasReport[this.row] === 1 ? this.simulation.ackReportOf(this.row) : null;
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
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}
