/**
 * The round engine. Each round: ISP strategies set tariffs from what they saw last round; new
 * flows arrive; user strategies choose rate, payment and path; the packets of the paying leg
 * cross their paths hop by hop (tolls, congestion drops, capacity), the payee keeps its part and
 * returns the rest in acknowledgments along the return leg; the bilateral ledger records what
 * crossed each link and settles; every agent then observes only what it could know.
 *
 * Simulation is the coordinator: ISP decisions and tariffs, arrivals (uids in arrival order),
 * the link totals, the ledger and the observers. The per-flow work (user strategies, batches,
 * outcomes) is done by flow shards (flow-shard.ts): one in this thread (local-shards.ts), or,
 * through the `flowShards` option, one per worker thread (parallel/), flow uid `u` in shard
 * `u % W`. The interfaces these parts share are in types.ts.
 * Every per-flow computation depends only on (seed, uid, round) and the tariffs, and observers
 * visit flows in ascending uid across shards, so results are the same for any number of shards.
 *
 * No I/O and no threads here: the hop passes are the pure kernels of pipeline.ts.
 */
import type { CompiledTopology } from "../model/topology.js";
import { KIND_HOST, TO_CUSTOMER, TO_PEER } from "../model/topology.js";
import { firstInvalidTariffRow, FREE_TARIFF, invalidTariffField, TARIFF_KEYS, type Tariff } from "../mechanisms/billpay/tolls.js";
import { BilateralLedger, type Settlement } from "../mechanisms/billpay/ledger.js";
import type { IspAction, IspActionColumns, IspLinkColumns, IspObservation, IspStrategy, TariffColumns } from "../agents/strategy.js";
import { ispActionColumns, ispLinkColumns, linkObservationOf, resetIspActions } from "../agents/isp-columns.js";
import { TollwayError } from "../errors.js";
import { ArrivalBuffer, type FlowColumns, type FlowColumnsView, type FlowInit } from "./flows.js";
import { ExactSum } from "./exact-sum.js";
import { EndedFlowCounter, type EndedFlowTotals } from "./flow-totals.js";
import { LocalFlowShards } from "./local-shards.js";
import { createLinkTotals, LINK_TOTAL_KEYS, type LinkInputs, type LinkTotals } from "./pipeline.js";
import { STREAM } from "./random.js";
import { callStrategy, checkDecision, LazyRng } from "./strategy-calls.js";
import type { FlowShards, FlowShardSetup, HopRunner, PathProvider, RoundInputs, SecurityPlan, UserAgent } from "./types.js";
import { BeaconBoard } from "../security/beacon-board.js";
import { announcedLinkToll } from "../mechanisms/billpay/tolls.js";
import { arrivalCount, type TrafficSpec } from "../mechanisms/pricing/counter-arrivals.js";
import { StrategyGuard, type Blame } from "./strategy-guard.js";
import { PublicPrices } from "./public-prices.js";
import { SecretaryDesk, type SecretaryPlan } from "./secretary-desk.js";
import type { PaymentSetup } from "./payment-desk.js";
import { PaymentLedger, type RoundPayments } from "./payment-ledger.js";

export { callStrategy } from "./strategy-calls.js";

/** An ISP strategy with its checked parameters, playing for one node. */
export interface IspAgent {
  node: number;
  strategy: IspStrategy;
  params: unknown;
  /** The strategy is a built-in: its passes run without the watchdog (see strategy-guard.ts). */
  builtIn?: boolean;
}

/**
 * Adds the flows that start within [startTime, endTime) of a round. A source that knows how many
 * it will add may say so first through `expect`, so the engine sizes its buffers once.
 */
export interface FlowSource {
  arrivals(round: number, startTime: number, endTime: number, add: (flow: FlowInit) => void, expect?: (count: number) => void): void;
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
  /** Generated traffic: each round the coordinator draws how many flows arrive, and the shards draw the flows. */
  traffic?: TrafficSpec | undefined;
  settlement: SettlementPolicy;
  /** Replaces the in-thread hop runner of the in-thread flow shard (benchmarks time it). */
  hopRunner?: HopRunner;
  /** Where the per-flow work runs: left out, one in-thread shard; the parallel layer gives one per worker. */
  flowShards?: (setup: FlowShardSetup) => FlowShards;
  /**
   * Budget of one call of a strategy loaded from a file, in ms (default 5000; 0: no limit): a
   * call that takes longer ends the run with an error naming it (see engine/strategy-guard.ts).
   */
  strategyTimeoutMs?: number;
  /** The hosts' digital secretaries (absent: no flow is governed); see secretary-desk.ts. */
  secretary?: SecretaryPlan | undefined;
  /** Authenticated payments on the paying leg (scenario `security.payments`; absent: off); see payment-desk.ts. */
  payments?: PaymentSetup | undefined;
  /** Price beacons and in-path updates (scenario `security`; absent: users see the tariffs in force). */
  security?: SecurityPlan | undefined;
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
  /**
   * Over all flows that sent this round, added up by their shards (exact: see ShardRoundCounts):
   * Σ data packets delivered × payment per packet, and Σ × bits per data packet.
   */
  flows: {
    paid: number;
    deliveredBits: number;
    /**
     * Σ active seconds × ln(1 + Mbit delivered / active seconds), exact then rounded once, over
     * `utilityTerms` flows; added up only when an observer `readsFlowTotals` (otherwise 0).
     */
    logUtility: number;
    utilityTerms: number;
  };
  /** The authenticated payments' round (only with `security.payments`): what each AS booked, the checks, the refusals. */
  payments?: RoundPayments;
}

/**
 * A flow's life, reported when it ends (or when the run ends). The engine passes one object
 * for every flow: an observer copies the fields it keeps, never the object.
 */
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

/**
 * Follows a run. `onFlowEnd` gets every flow that ends, one by one on the coordinator;
 * `onFlowsEnded` gets the same flows added up by their shards (EndedFlowTotals), once a round
 * and once at the end of the run, so an observer that needs only totals costs no pass over
 * the flows.
 */
export interface SimulationObserver {
  onRound?(report: RoundReport, simulation: Simulation): void;
  onFlowEnd?(record: FlowRecord): void;
  onFlowsEnded?(totals: EndedFlowTotals): void;
  /** True when `onRound` reads `report.flows.logUtility` (the shards add it up only then). */
  readonly readsFlowTotals?: boolean;
}

/** How a caller follows and stops `Simulation.run`. */
export interface RunControl {
  /** Stops the run (Ctrl-C): at the end of the current round, or at once while a round waits for workers. */
  signal?: AbortSignal | undefined;
  /** Called after each round with (rounds done, rounds in all). */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/** How often (ms) the round loop lets the event loop run, so that a signal handler (Ctrl-C) is heard. */
const YIELD_EVERY_MS = 50;

export class Simulation {
  readonly topology: CompiledTopology;
  readonly ledger: BilateralLedger;
  /** The hosts' digital secretaries and their statements (null without a `secretary` plan). */
  readonly secretary: SecretaryDesk | null;
  /** Each AS's settlement counters from authentic payment fields, one per neighbour (null without `security.payments`). */
  readonly payments: PaymentLedger | null;
  /** The run's price beacons, played every beacon interval before the users decide (null without `security.beacons`). */
  readonly beacons: BeaconBoard | null;
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
  /**
   * Per ISP agent: what it observes of its links, as columns refilled every round (a strategy
   * without a column form gets them as one object per link), and its column form's actions.
   */
  private readonly ispColumns: { links: IspLinkColumns; actions: IspActionColumns }[];
  /** The tariff the column form's row is checked and set from (one object, reused). */
  private readonly lastTotals: LinkTotals;
  private readonly cumulativeKept: Float64Array;
  private readonly observers: SimulationObserver[] = [];
  /** Runs the ISP strategies' passes; `ispsWatched`: some are not built in (strategy-guard.ts). */
  private readonly ispGuard: StrategyGuard;
  private readonly ispsWatched: boolean;
  /** The ISP agent whose strategy is being called (for errors), and the round. */
  private currentIsp = 0;
  private ispRound = 0;
  private readonly shards: FlowShards;
  private readonly arrivalBuffers: ArrivalBuffer[];
  /** Names of the named flows alive, by uid (generated flows have none). */
  private readonly names = new Map<number, string>();
  private nextUid = 0;
  /** Flows that ended by this time were reported but are still in the shards' tables. */
  private endedBy: number | null = null;
  /** Bumped whenever an ISP changes a tariff, so announced path prices are recomputed. */
  private tariffVersion = 0;
  private tariffChanged = false;
  /** Last round's announced tariffs, as ISPs read their neighbours' and rivals' prices. */
  private readonly publicPrices: PublicPrices;

  constructor(options: SimulationOptions) {
    this.options = options;
    const topology = (this.topology = options.topology);
    const L = topology.linkCount;
    this.tariffs = Object.fromEntries(TARIFF_KEYS.map((k) => [k, new Float64Array(L)])) as Record<keyof Tariff, Float64Array>;
    const senderIsHost = new Uint8Array(L);
    const capacityBits = new Float64Array(L);
    for (let l = 0; l < L; l++) {
      senderIsHost[l] = topology.nodeKind[topology.linkFrom[l]!] === KIND_HOST ? 1 : 0;
      capacityBits[l] = topology.linkCapacityBps[l]! * options.roundSeconds;
    }
    this.links = {
      ...this.tariffs, senderIsHost, noPremium: new Uint8Array(L), capacityBits, oadFrom: new Float64Array(L).fill(Infinity),
      admitNormal: new Float64Array(L), admitPremium: new Float64Array(L),
    };
    this.lastTotals = createLinkTotals(L);
    this.publicPrices = new PublicPrices(topology, options.paths);
    this.cumulativeKept = new Float64Array(topology.nodeIds.length);
    this.ispLinks = options.ispAgents.map((agent) => {
      const out: number[] = [];
      for (let i = topology.outStart[agent.node]!; i < topology.outStart[agent.node + 1]!; i++) out.push(topology.outLinks[i]!);
      return out;
    });
    this.ispColumns = this.ispLinks.map((links) => ({
      links: ispLinkColumns(links, links.map((l) => topology.nodeIds[topology.linkTo[l]!]!), links.map((l) => relationOf(topology, l))),
      actions: ispActionColumns(links.length),
    }));
    this.ispGuard = new StrategyGuard(options.strategyTimeoutMs);
    this.ispsWatched = options.ispAgents.some((agent) => agent.builtIn !== true);
    const ispStates: unknown[] = (this.ispStates = []);
    this.ispGuard.run(this.ispsWatched, () => {
      options.ispAgents.forEach((agent, a) => {
        this.currentIsp = a;
        ispStates.push(callStrategy(agent.strategy, "isp " + topology.nodeIds[agent.node], 0, () => agent.strategy.init(agent.params)));
      });
      return -1;
    }, () => this.ispBlame());
    this.ledger = new BilateralLedger(topology, {
      settlementThreshold: options.settlement.threshold,
      billingCycleRounds: options.settlement.billingCycleRounds,
      willSettle: (debtor) => !options.settlement.defaulters.has(debtor),
    });
    this.secretary = options.secretary ? new SecretaryDesk(options.secretary, topology.nodeIds) : null;
    this.payments = options.payments ? new PaymentLedger(topology) : null;
    const security = options.security;
    const bytes = (security?.shards.packetBits ?? 0) / 8;
    // Beacons carry each link's announced toll on a packet of the size the run's flows send.
    this.beacons = security ? new BeaconBoard(topology, {
      seed: options.seed, ...security.beacons,
      linkToll: (l) => senderIsHost[l] === 1 ? 0n : BigInt(Math.round(announcedLinkToll(this.tariffs.perPacket[l]!, this.tariffs.perByte[l]!, this.tariffs.congestion[l]!, bytes))),
    }) : null;
    const setup: FlowShardSetup = {
      topology, paths: options.paths, seed: options.seed, roundSeconds: options.roundSeconds,
      userAgents: options.userAgents, links: this.links, traffic: options.traffic,
      ...(options.secretary ? { secretary: { willingness: options.secretary.willingness } } : {}),
      ...(security ? { security: security.shards, onPath: security.onPath } : {}),
      ...(options.strategyTimeoutMs !== undefined ? { strategyTimeoutMs: options.strategyTimeoutMs } : {}),
      ...(options.payments ? { payments: options.payments } : {}),
    };
    this.shards = options.flowShards ? options.flowShards(setup) : new LocalFlowShards(setup, options.hopRunner);
    this.arrivalBuffers = Array.from({ length: this.shards.count }, () => new ArrivalBuffer());
  }

  observe(observer: SimulationObserver): this {
    this.observers.push(observer);
    return this;
  }

  /**
   * Runs `rounds` rounds, reporting each through `onProgress`, then `finish`: the one loop every
   * way of running a scenario goes through. Once `signal` is aborted the run ends with a
   * TollwayError saying how far it got: at the next round boundary, or at once while a round
   * waits (for workers: the caller then shuts them down). The loop lets the event loop run every
   * few tens of milliseconds, since rounds that stay in this thread never wait for anything, so
   * that a signal handler (Ctrl-C) is heard.
   */
  async run(rounds: number, options: RunControl = {}): Promise<void> {
    const { signal } = options;
    let done = 0;
    const interrupted = (): TollwayError => new TollwayError(`interrupted after ${done} of ${rounds} rounds`);
    let onAbort = (): void => undefined;
    const aborted = new Promise<never>((_, reject) => (onAbort = () => reject(interrupted())));
    aborted.catch(() => undefined);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      let yielded = performance.now();
      for (; done < rounds; done++) {
        if (signal?.aborted) throw interrupted();
        if (signal) await Promise.race([this.step(), aborted]);
        else await this.step();
        options.onProgress?.(done + 1, rounds);
        if (performance.now() - yielded > YIELD_EVERY_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          yielded = performance.now();
        }
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
    this.finish();
  }

  /** Reports the flows still alive as ended (call once, after the last round). */
  finish(): void {
    this.endFlows(Infinity, true);
  }

  /** The routes offered per (payer, payee): a flow's `lastPath` indexes them (metrics/queueing-delay.ts). */
  get offeredPaths(): PathProvider {
    return this.options.paths;
  }

  /**
   * Per link, 1 when the receiver gives the sender's packets no preferential service (unpaid
   * debts). Set after each round for the next one, so during `onRound` it holds next round's.
   */
  premiumDenied(): Readonly<Uint8Array> {
    return this.links.noPremium;
  }

  /** Each shard's flow table (rows in ascending uid within a table); valid during `onRound`. */
  flowTables(): readonly FlowColumnsView[] {
    return this.shards.tables();
  }

  /**
   * Visits every flow alive in this round in ascending uid, across shards: observers that add
   * up floating-point figures per flow get the same sums for any number of shards.
   */
  forEachFlow(visit: (columns: FlowColumns, row: number, table: FlowColumnsView) => void): void {
    forEachInUidOrder(this.shards.tables(), visit);
  }

  /** Flows alive this round (before those that end in it are removed). */
  get flowCount(): number {
    let count = 0;
    for (const table of this.shards.tables()) count += table.count;
    return count;
  }

  /** One round. */
  async step(): Promise<RoundReport> {
    const round = this.round;
    const { roundSeconds } = this.options;
    const time = round * roundSeconds;
    this.decideTariffs(round);
    if (this.tariffChanged) this.tariffVersion++;
    const beacons = this.beacons?.advance(time) ?? null;
    const shardCount = this.shards.count;
    const add = (flow: FlowInit): void => {
      const uid = this.nextUid++;
      if (flow.name !== undefined) this.names.set(uid, flow.name);
      this.arrivalBuffers[uid % shardCount]!.push(flow, uid);
    };
    const expect = (count: number): void => {
      for (const buffer of this.arrivalBuffers) buffer.reserve(Math.ceil(count / shardCount));
    };
    for (const source of this.options.flowSources) source.arrivals(round, time, time + roundSeconds, add, expect);
    const arrivals = this.arrivalBuffers.map((buffer) => buffer.take());
    // Generated flows: only their count is drawn here; each shard draws its own.
    let generated: RoundInputs["generated"] = null;
    if (this.options.traffic) {
      generated = { base: this.nextUid, count: arrivalCount(this.options.traffic, round, roundSeconds) };
      this.nextUid += generated.count;
    }

    const totals = createLinkTotals(this.topology.linkCount);
    const byPayment = this.options.scheduling === "payment";
    const allowances = this.secretary?.allowances(time, time + roundSeconds);
    const counts = await this.shards.playRound({ round, time, tariffVersion: this.tariffVersion, arrivals, generated, endedBy: this.endedBy, byPayment, flowTotals: this.observers.some((o) => o.onFlowsEnded !== undefined || o.readsFlowTotals === true), ...(allowances ? { allowances } : {}), ...(beacons ? { beacons } : {}) }, totals);
    this.secretary?.book(counts.billing);
    this.endedBy = null;
    this.acksSent += counts.acksSent;
    this.acksDelivered += counts.acksDelivered;
    this.work.batchHops += counts.batchHops;
    for (let l = 0; l < this.topology.linkCount; l++) this.work.packetHops += totals.carriedPackets[l]!;

    this.ledger.record(totals.transferred, round);
    const settlements = this.ledger.settle(round);
    this.updateStanding();

    const kept = new Float64Array(this.topology.nodeIds.length);
    for (let l = 0; l < this.topology.linkCount; l++) {
      if (this.links.senderIsHost[l] === 0) kept[this.topology.linkFrom[l]!]! += totals.kept[l]!;
    }
    const payments = this.payments?.book(counts.payments);
    if (payments && counts.acksSent === 0) checkBooked(payments.booked, kept, this.topology.nodeIds, round);
    for (let n = 0; n < kept.length; n++) this.cumulativeKept[n]! += kept[n]!;
    for (const key of LINK_TOTAL_KEYS) this.lastTotals[key].set(totals[key]);

    const report: RoundReport = {
      round, time, links: totals, tariffs: this.tariffs, kept, activeFlows: this.flowCount, settlements,
      flows: { paid: counts.paid, deliveredBits: counts.deliveredBits, logUtility: sumOf(counts.logUtility), utilityTerms: counts.utilityTerms },
      ...(payments ? { payments } : {}),
    };
    for (const observer of this.observers) observer.onRound?.(report, this);
    this.round++;
    const end = time + roundSeconds;
    this.endFlows(end, false, counts.ended);
    return report;
  }

  /** Units kept by each node since the start of the run. */
  cumulativeRevenue(): Float64Array {
    return this.cumulativeKept;
  }

  // -------------------------------------------------------------------------------------------

  /** Every ISP's strategy sets its tariffs, in one guarded pass (see strategy-guard.ts). */
  private decideTariffs(round: number): void {
    this.ispRound = round;
    this.ispGuard.run(this.ispsWatched, () => (this.decideTariffsUnguarded(round), -1), () => this.ispBlame());
  }

  /** The ISP whose strategy the current pass was calling. */
  private ispBlame(): Blame {
    const agent = this.options.ispAgents[this.currentIsp]!;
    return { strategy: agent.strategy, agent: `isp ${this.topology.nodeIds[agent.node]}`, round: this.ispRound };
  }

  private decideTariffsUnguarded(round: number): void {
    this.tariffChanged = false;
    this.publicPrices.announce(this.tariffs);
    this.options.ispAgents.forEach((agent, a) => {
      this.currentIsp = a;
      const isp = this.topology.nodeIds[agent.node]!;
      const links = this.ispLinks[a]!;
      const rng = new LazyRng(this.options.seed, STREAM.isp, agent.node, round);
      const columns = this.ispColumns[a]!;
      this.fillIspColumns(links, columns.links);
      if (agent.strategy.decideColumns) {
        resetIspActions(columns.actions);
        const observation = this.ispObservation(agent.node, round, isp, links, columns.links);
        this.ispStates[a] = callStrategy(agent.strategy, `isp ${isp}`, round, () =>
          agent.strategy.decideColumns!(observation, this.ispStates[a], agent.params, columns.actions, rng),
        );
        this.setOadFrom(agent.strategy, isp, links, columns.actions.honourOadsFrom, round);
        this.setTariffColumns(agent.strategy, isp, links, columns.actions.tariffs, round);
        return;
      }
      const observation: IspObservation = this.ispObservation(agent.node, round, isp, links, links.map((_, j) => linkObservationOf(columns.links, j)));
      const decision = checkDecision(callStrategy(agent.strategy, `isp ${isp}`, round, () =>
        agent.strategy.decide(observation, this.ispStates[a], agent.params, rng),
      ), agent.strategy, `isp ${isp}`, round);
      const action = decision.action as IspAction;
      if (!action || !Array.isArray(action.tariffs) || action.tariffs.length !== links.length) {
        throw new TollwayError(
          `strategy "${agent.strategy.id}" (isp ${isp}) returned ${action?.tariffs?.length ?? "no"} tariffs in round ${round}, expected ${links.length} (one per link)`,
        );
      }
      this.ispStates[a] = decision.state;
      this.setOadFrom(agent.strategy, isp, links, action.honourOadsFrom ?? Infinity, round);
      links.forEach((l, j) => this.setTariff(agent.strategy, isp, l, j, { ...FREE_TARIFF, ...action.tariffs[j] }, round));
    });
  }

  /** What ISP `isp` (node `node`) observes in `round`, with its links as `linkView` (objects or columns). */
  private ispObservation<Links>(node: number, round: number, isp: string, links: readonly number[], linkView: Links): Omit<IspObservation, "links"> & { links: Links } {
    const prices = this.publicPrices;
    let neighbours: IspObservation["neighbours"] | undefined;
    let rivals: IspObservation["rivals"] | undefined;
    return {
      round, isp, roundSeconds: this.options.roundSeconds,
      links: linkView,
      revenue: links.reduce((sum, l) => sum + this.lastTotals.kept[l]!, 0),
      cumulativeRevenue: this.cumulativeKept[node]!,
      // Read on demand: most strategies never look at their rivals' prices.
      get neighbours() {
        return (neighbours ??= prices.neighboursOf(node));
      },
      get rivals() {
        return (rivals ??= prices.rivalsOf(node));
      },
    };
  }

  /** Checks and sets the user-OAD threshold an ISP's strategy chose for all its links. */
  private setOadFrom(strategy: IspStrategy, isp: string, links: readonly number[], oadFrom: number, round: number): void {
    if (typeof oadFrom !== "number" || !(oadFrom >= 0)) {
      throw new TollwayError(
        `strategy "${strategy.id}" (isp ${isp}) set honourOadsFrom = ${String(oadFrom)} in round ${round}: must be a number ≥ 0 (Infinity: ignore user-OADs)`,
        { field: "honourOadsFrom" },
      );
    }
    for (const l of links) this.links.oadFrom[l] = oadFrom;
  }

  /** Checks and sets the tariff an ISP's strategy chose for link `l`, its `j`-th. */
  private setTariff(strategy: IspStrategy, isp: string, l: number, j: number, tariff: Readonly<Tariff>, round: number): void {
    const { topology, tariffs } = this;
    const bad = invalidTariffField(tariff);
    if (bad !== null) {
      throw new TollwayError(
        `strategy "${strategy.id}" (isp ${isp}) set ${bad} = ${String(tariff[bad])} on its link to ${topology.nodeIds[topology.linkTo[l]!]} in round ${round}: must be a finite number ≥ 0${bad === "proportional" || bad === "dropShare" ? " and ≤ 1" : ""}`,
        { field: `tariffs.${j}.${bad}` },
      );
    }
    for (const key of TARIFF_KEYS) {
      if (tariffs[key][l] !== tariff[key]) {
        tariffs[key][l] = tariff[key];
        this.tariffChanged = true;
      }
    }
  }

  /**
   * Checks and sets the tariffs an ISP's column form wrote, row `j` for link `links[j]`: a
   * field at a time over all its links. A bad row is reported by `setTariff`, as in the per-link form.
   */
  private setTariffColumns(strategy: IspStrategy, isp: string, links: readonly number[], columns: TariffColumns, round: number): void {
    const bad = firstInvalidTariffRow(columns, links.length);
    if (bad >= 0) {
      const tariff = { ...FREE_TARIFF };
      for (const key of TARIFF_KEYS) tariff[key] = columns[key][bad]!;
      this.setTariff(strategy, isp, links[bad]!, bad, tariff, round);
    }
    for (const key of TARIFF_KEYS) {
      const from = columns[key];
      const to = this.tariffs[key];
      for (let j = 0; j < links.length; j++) {
        const l = links[j]!;
        if (to[l] !== from[j]) {
          to[l] = from[j]!;
          this.tariffChanged = true;
        }
      }
    }
  }

  /** What the ISP owning `links` observes of them after last round, into the rows of `columns`. */
  private fillIspColumns(links: readonly number[], columns: IspLinkColumns): void {
    const { lastTotals, tariffs } = this;
    for (let j = 0; j < links.length; j++) {
      const l = links[j]!;
      const capacity = this.links.capacityBits[l]!;
      columns.link[j] = l;
      columns.capacityBitsPerRound[j] = capacity;
      columns.offeredBits[j] = lastTotals.arrivedBits[l]!;
      columns.carriedBits[j] = lastTotals.carriedBits[l]!;
      columns.carriedPackets[j] = lastTotals.carriedPackets[l]!;
      columns.droppedPackets[j] = lastTotals.droppedPackets[l]!;
      columns.utilization[j] = capacity > 0 ? Math.min(1, lastTotals.carriedBits[l]! / capacity) : 0;
      columns.load[j] = capacity > 0 ? lastTotals.arrivedBits[l]! / capacity : 0;
      columns.revenue[j] = lastTotals.kept[l]!;
    }
    for (const key of TARIFF_KEYS) {
      const from = tariffs[key];
      const to = columns.tariff[key];
      for (let j = 0; j < links.length; j++) to[j] = from[links[j]!]!;
    }
  }

  /** Debtors that refused to settle get no preferential service from their creditor. */
  private updateStanding(): void {
    const { topology } = this;
    for (let l = 0; l < topology.linkCount; l++) {
      this.links.noPremium[l] = this.ledger.isDelinquent(topology.linkFrom[l]!, topology.linkTo[l]!) ? 1 : 0;
    }
  }

  /**
   * Reports the flows that end by `end` (all of them with `all`), in ascending uid; the shards
   * remove them at the start of the next round.
   */
  private endFlows(end: number, all: boolean, shardTotals?: EndedFlowTotals): void {
    const { observers } = this;
    const until = this.round * this.options.roundSeconds;
    // Flows that ended by `endedBy` were reported last round and are still in the tables.
    const reported = this.endedBy;
    if (!all) this.endedBy = end;
    if (observers.some((o) => o.onFlowsEnded)) {
      // The shards added up the flows that ended this round; those still running at the end
      // of the run are added up here, once.
      let totals = shardTotals;
      if (!totals) {
        const counter = new EndedFlowCounter();
        for (const { columns, count } of this.shards.tables()) {
          for (let i = 0; i < count; i++) if (reported === null || columns.endTime[i]! > reported) counter.add(columns, i, until);
        }
        totals = counter.totals();
      }
      for (const observer of observers) observer.onFlowsEnded?.(totals);
    }
    // One by one only for observers that want each flow (and to forget the names of named flows).
    if (!observers.some((o) => o.onFlowEnd) && this.names.size === 0) return;
    if (!all && !this.anyEndsBy(end, reported)) return;
    // One record for all: observers copy what they keep (millions of flows end per round).
    const record: FlowRecord = {
      uid: 0, name: undefined, agent: 0, payer: 0, payee: 0, durationSec: 0, demandedBits: 0, deliveredBits: 0,
      sentPackets: 0, deliveredPackets: 0, spent: 0, pathSwitches: 0,
    };
    forEachInUidOrder(this.shards.tables(), (c, i) => {
      if (reported !== null && c.endTime[i]! <= reported) return;
      if (!all && !(c.endTime[i]! <= end)) return;
      const uid = c.uid[i]!;
      record.uid = uid;
      record.name = this.names.size === 0 ? undefined : this.names.get(uid);
      record.agent = c.agent[i]!;
      record.payer = c.payer[i]!;
      record.payee = c.payee[i]!;
      record.durationSec = Math.min(c.endTime[i]!, until) - c.startTime[i]!;
      record.demandedBits = c.demandedBits[i]!;
      record.deliveredBits = c.deliveredBits[i]!;
      record.sentPackets = c.sentPackets[i]!;
      record.deliveredPackets = c.deliveredPackets[i]!;
      record.spent = c.cumulativeSpent[i]!;
      record.pathSwitches = c.pathSwitches[i]!;
      if (record.name !== undefined) this.names.delete(uid);
      for (const observer of observers) observer.onFlowEnd?.(record);
    });
  }

  /** Whether a flow not yet reported ends by `end`: one tight pass over the end times, cheaper than visiting the flows. */
  private anyEndsBy(end: number, reported: number | null): boolean {
    for (const { columns, count } of this.shards.tables()) {
      const endTime = columns.endTime;
      for (let i = 0; i < count; i++) {
        const t = endTime[i]!;
        if (t <= end && (reported === null || t > reported)) return true;
      }
    }
    return false;
  }
}

/**
 * With authenticated payments and no return leg, what each AS booked from authentic fields is
 * all it kept: the hop kernel's money and the settlement counters must agree to the unit.
 */
function checkBooked(booked: Float64Array, kept: Float64Array, ids: readonly string[], round: number): void {
  for (let n = 0; n < kept.length; n++) {
    if (booked[n] !== kept[n]) throw new Error(`security.payments: in round ${round} ${ids[n]} booked ${booked[n]} units from authentic fields but kept ${kept[n]}`);
  }
}

/** The value of an exact sum's partials. */
function sumOf(partials: readonly number[]): number {
  const sum = new ExactSum();
  sum.merge(partials);
  return sum.value();
}

/** Visits the rows of several tables, each in ascending uid, in ascending uid overall (a k-way merge). */
export function forEachInUidOrder(tables: readonly FlowColumnsView[], visit: (columns: FlowColumns, row: number, table: FlowColumnsView) => void): void {
  if (tables.length === 1) {
    const table = tables[0]!;
    for (let i = 0; i < table.count; i++) visit(table.columns, i, table);
    return;
  }
  const next = new Int32Array(tables.length);
  for (;;) {
    let best = -1;
    let bestUid = 0;
    for (let t = 0; t < tables.length; t++) {
      const table = tables[t]!;
      if (next[t]! >= table.count) continue;
      const uid = table.columns.uid[next[t]!]!;
      if (best < 0 || uid < bestUid) {
        best = t;
        bestUid = uid;
      }
    }
    if (best < 0) return;
    const row = next[best]!++;
    visit(tables[best]!.columns, row, tables[best]!);
  }
}

/** What link `l` is to its sender: the receiver is its customer, peer or provider. */
function relationOf(topology: CompiledTopology, l: number): "customer" | "peer" | "provider" {
  const relation = topology.linkRelation[l];
  return relation === TO_CUSTOMER ? "customer" : relation === TO_PEER ? "peer" : "provider";
}
