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
import { KIND_HOST, type CompiledTopology } from "../model/topology.js";
import type { AckReport, DuplicateRequest, OfferedPathView, PaymentTamper, UserAction, UserObservation } from "../agents/strategy.js";
import { TollwayError } from "../errors.js";
import { MAX_PAYMENT } from "../model/header.js";
import { announcedLinkToll, receiverKept } from "../mechanisms/billpay/tolls.js";
import { authorisedPayment } from "../mechanisms/billpay/secretary.js";
import { ispOadsAlong, type IspOadEcho } from "../model/oads.js";
import { copyUserOads, steerRoute, userOadsProblem, type RouteLike, type UserOadRequest } from "../model/steering.js";
import type { FilledColumn, UserColumnBuffer } from "../agents/columns.js";
import { ColumnDecisions } from "./column-decisions.js";
import { ExactSum } from "./exact-sum.js";
import { EndedFlowCounter, noEndedFlows } from "./flow-totals.js";
import { createBatches, sampleCount, type Batches, type LinkInputs } from "./pipeline.js";
import { PaymentDesk, type PaymentSetup, type ShardPayments } from "./payment-desk.js";
import { paymentTamperProblem } from "./payment-tamper.js";
import { dataLegBits, FlowTable, type ArrivalList, type FlowClasses } from "./flows.js";
import { CounterArrivals, type ArrivalDraw, type TrafficSpec } from "../mechanisms/pricing/counter-arrivals.js";
import { meanDurationSec } from "../mechanisms/pricing/traffic.js";
import { RouteStore } from "./route-store.js";
import { RouteTable, routeTableFor, type RoutePool, type RouteTableBuffers } from "./route-table.js";
import { deriveSeed, deriveSeed4OfSecond, hashUniform, STREAM } from "./random.js";
import { checkDecision, describeValue, LazyRng, strategyError } from "./strategy-calls.js";
import { CALLS_PER_CLOCK_CHECK, StrategyGuard, type Blame } from "./strategy-guard.js";
import { ShardSecurity } from "./shard-security.js";
import type { Leg, LegHops, OnPathAttacker, ShardSecurityOptions, OfferedPathLike, PathProvider, ShardBilling, ShardRound, ShardRoundCounts, ShardSecretary, UserAgent } from "./types.js";

/** What a flow shard needs; the same on every shard of a run. */
export interface FlowShardOptions {
  topology: CompiledTopology;
  paths: PathProvider;
  seed: number;
  roundSeconds: number;
  userAgents: readonly UserAgent[];
  /** Link inputs: the shard reads the tariffs in force (announced path prices) and whether a link's sender is a host. */
  links: Pick<LinkInputs, "perPacket" | "perByte" | "proportional" | "congestion" | "senderIsHost" | "oadFrom">;
  /** Allocate the flow table on SharedArrayBuffers (a shard in a worker, read by the coordinator). */
  sharedTable?: boolean;
  /** Generated traffic, whose flows this shard draws itself (its own: uid mod `shards` is `shard`). */
  traffic?: TrafficSpec | undefined;
  /** This shard's index and the number of shards (default 0 of 1). */
  shard?: number;
  shards?: number;
  /** Budget of one strategy call in ms (0: none; default DEFAULT_STRATEGY_TIMEOUT_MS); see strategy-guard.ts. */
  strategyTimeoutMs?: number;
  /** The digital secretaries' caps (absent: no flow is governed). */
  secretary?: ShardSecretary | undefined;
  /** The shared route table to attach to (a worker's shard); default: the process's (route-table.ts). */
  routeTable?: RouteTableBuffers | null | undefined;
  /** Authenticated payments on the paying leg (scenario `security.payments`; absent: off). */
  payments?: PaymentSetup | undefined;
  /** Beacons and in-path price updates (scenario `security`; absent: users see the tariffs in force). */
  security?: ShardSecurityOptions | undefined;
  /** An attacker on the in-path updates' way back (in-thread only: tests). */
  onPath?: OnPathAttacker | undefined;
  /**
   * The shard of an earlier run in this thread, whose memory this one takes over (its flow table
   * when `sharedTable` is the same, cleared; its row scratch, leg buffers and column buffers):
   * a thread playing run after run (WorkerPool) then holds one run's memory, not the last run's
   * garbage beside the next run's. That shard must not be used again.
   */
  reuse?: FlowShard | undefined;
}

/** The most rows a flow table is sized for ahead of its flows (FlowTable.expect): 2^23. */
const MOST_EXPECTED_ROWS = 2 ** 23;

/**
 * Most packets one flow may send in a round: with a payment of at most MAX_PAYMENT units, one
 * batch's money (packets × payment) stays an exact integer (2^53 / 2^24 = 2^29).
 */
export const MAX_ROUND_PACKETS = 2 ** 29;

/** The flows of one shard, their strategy states, and the legs they built this round. */
export class FlowShard {
  readonly flows: FlowTable;
  /** The seed of the packet-level draws (hop kernels, packet rounding), derived here once for every host. */
  readonly packetSeed: number;
  /** The part of the round running now, for errors ("building the paying leg", "leg 0, 5 hops", ...). */
  phase = "between rounds";
  private readonly options: FlowShardOptions;
  private readonly nodeCount: number;
  /** Offered routes and announced prices of the pairs this shard's flows use. */
  private readonly routes: RouteStore;
  /** `viewsByCount[n]`: n reused path views, handed to strategies as `observation.paths`. */
  private readonly viewsByCount: (readonly PathViewSlot[])[];
  private viewPayer = 0;
  private viewPayee = 0;
  /**
   * Per flow row: its pair's route count, and k entries of announced route prices, written by
   * the lookup pass (see buildPayingLeg).
   */
  private routeScratch = { count: new Int32Array(0), price: new Float64Array(0), index: new Int32Array(0) };
  /** Offers and prices from beacons and in-path updates (null: the tariffs in force, every route). */
  readonly security: ShardSecurity | null;
  private viewRow = 0;
  private readonly pathStatics: PairCache<PathStatics[]>;
  private readonly linkPriceCache = new Map<number, Float64Array>();
  private linkPriceVersion = -1;
  /** The coordinator's tariff version this round (bumped whenever an ISP changes a tariff). */
  private tariffVersion = 0;
  private paying: Leg | null = null;
  private returning: Leg | null = null;
  // Reused from round to round: a round allocates nothing per batch.
  private readonly payingBuffer: LegBuffer = new LegBuffer();
  private readonly returnBuffer: LegBuffer = new LegBuffer();
  private ackRow = new Int32Array(0);
  // One observation and one generator, re-aimed at each flow in turn: a strategy may read them
  // only during its call (its state must be plain data), and a round makes millions of calls.
  private readonly observation: FlowObservation;
  private readonly rng: LazyRng;
  /** The strategies that decide in column form, their flows grouped. */
  private readonly columnar: ColumnDecisions;
  private counterArrivals: CounterArrivals | undefined;
  private readonly arrivalDraw: ArrivalDraw = { src: 0, dst: 0, startSec: 0, durationSec: 0, demandMbps: 0 };
  /** Runs the strategy passes; `watched`: some user strategy is not built in (see strategy-guard.ts). */
  private readonly guard: StrategyGuard;
  private readonly watched: boolean;
  // The decision pass in progress (it may be run in parts, see StrategyGuard.run).
  private round = 0;
  private time = 0;
  private readonly action: ReadAction = { packets: 0, payment: 0, path: 0, oads: undefined, duplicate: undefined, payments: undefined };
  /** States that `init` of a strategy from a file returned (see checkOwnState). */
  private readonly initStates = new WeakSet<object>();
  private scratch = { decided: new Uint8Array(0), actPackets: new Float64Array(0), actPayment: new Float64Array(0), actPath: new Int32Array(0), actOads: [] as (readonly UserOadRequest[] | undefined)[], actDup: [] as (DuplicateRequest | undefined)[], actPayments: [] as (PaymentTamper | undefined)[] };
  /** This round's allowance per user agent (secretary budgets), and each paying batch's cap (0 none, 1 willingness, 2 budget). */
  private allowances: Float64Array | undefined;
  private caps = new Uint8Array(0);
  /** Routes that user-OADs steered packets onto (flow column `lastRoute` indexes them), each once, by its links. */
  private readonly steered: SteeredRoute[] = [];
  private readonly steeredIndex = new Map<string, number>();
  /** Steered routes already reported to the host (ShardRoundCounts.steered). */
  private steeredReported = 0;
  /** Signs, verifies and settles the paying leg's payment fields (null: payments off). */
  private readonly paymentDesk: PaymentDesk | null;
  /** Each paying batch's payment-field attack this round (undefined: honest). */
  private tamperRows: (PaymentTamper | undefined)[] = [];
  /** A sum of the route records touched ahead of use (kept so that the loads are not optimized away). */
  touched = 0;

  constructor(options: FlowShardOptions) {
    // Not kept with the options: this shard would hold the last one (and it the one before, run
    // after run), with all the memory it did not take over.
    const { reuse: last, ...kept } = options;
    this.options = kept;
    const shared = options.sharedTable ?? false;
    if (last && last.flows.shared === shared) {
      this.flows = last.flows;
      this.flows.clear();
    } else this.flows = new FlowTable(64, shared);
    const sameK = last !== undefined && last.options.paths.k === options.paths.k;
    if (last) {
      // Scratch that every round writes before it reads (see reserveRows, actionScratch, LegBuffer).
      if (sameK) this.routeScratch = last.routeScratch;
      this.scratch = last.scratch;
      this.payingBuffer = last.payingBuffer;
      this.returnBuffer = last.returnBuffer;
      this.ackRow = last.ackRow;
      this.caps = last.caps;
    }
    this.nodeCount = options.topology.nodeIds.length;
    this.packetSeed = deriveSeed(options.seed, STREAM.packet);
    const table = options.routeTable ? RouteTable.attach(options.routeTable) : routeTableFor(options.topology, options.paths);
    this.routes = new RouteStore(options.paths, this.nodeCount, options.paths.k, table);
    this.security = options.security ? new ShardSecurity(options.topology, table, options.seed, options.security, options.onPath) : null;
    // What strategies are lent cannot be grown, shrunk or given own properties: one strategy's
    // mutation must not reach the next flow's call or the engine (prices are rewritten per call).
    const views = Array.from({ length: options.paths.k }, (_, p) => Object.preventExtensions(new PathViewSlot(this, p)));
    this.viewsByCount = Array.from({ length: options.paths.k + 1 }, (_, n) => Object.freeze(views.slice(0, n)));
    this.pathStatics = pairCache(this.nodeCount);
    this.rng = Object.preventExtensions(new LazyRng(options.seed, STREAM.user, 0, 0));
    this.observation = Object.preventExtensions(new FlowObservation(this));
    this.guard = new StrategyGuard(options.strategyTimeoutMs);
    this.paymentDesk = options.payments ? new PaymentDesk(options.topology, options.links, options.seed, options.payments) : null;
    this.watched = options.userAgents.some((agent) => agent.builtIn !== true);
    this.columnar = new ColumnDecisions(options.userAgents, options.paths.k, {
      latencyMs: (i, p) => this.latencyOfRow(i, p),
      nodes: (i, p) => this.nodesOfRow(i, p),
      user: (i) => this.flows.names[i] ?? `flow ${this.flows.columns.uid[i]}`,
      lastIspOads: (i) => (this.flows.columns.hasReport[i] === 1 ? this.lastIspOadsOf(i) : []),
    }, sameK ? last.columnar.memory() : []);
  }

  get roundSeconds(): number {
    return this.options.roundSeconds;
  }

  /**
   * One round of this shard's flows, the same sequence on every host: remove the flows that
   * ended, add the arrivals, decide and build the paying leg, run its hops (`hops`: the one step
   * hosts do their own way), build and run the return leg, record each flow's outcome.
   */
  playRound(round: ShardRound, hops: LegHops): ShardRoundCounts {
    this.phase = "building the paying leg";
    if (round.endedBy !== null) this.removeEnded(round.endedBy);
    this.addArrivals(round.arrivals, round.round);
    if (round.generated !== null && round.generated.count > 0) {
      const first = this.flows.count;
      this.drawGenerated(round.round, round.time, round.generated);
      this.initStatesFrom(first, round.round);
    }
    this.allowances = round.allowances;
    if (this.security) {
      if (round.beacons) this.security.update(round.beacons);
      this.security.beginRound();
    }
    const payingHops = this.buildPayingLeg(round.round, round.time, round.tariffVersion);
    const desk = this.paymentDesk;
    if (desk) {
      this.phase = "signing and checking the payment fields";
      desk.sign(this.leg(0), this.flows.columns, this.tamperRows, round.round, round.time, this.options.roundSeconds);
      desk.verify(this.leg(0), round.time);
    }
    this.phase = `leg 0, ${payingHops} hops`;
    hops(0, this.leg(0), payingHops);
    const payments: ShardPayments | undefined = desk?.settle(this.leg(0));
    if (this.security?.options.inPathValiditySeconds !== undefined) this.collectUpdates(round.round, round.time);
    this.phase = "building the return leg";
    const returnHops = this.buildReturnLeg();
    this.phase = `leg 1, ${returnHops} hops`;
    hops(1, this.leg(1), returnHops);
    this.phase = "recording outcomes";
    const billing = this.options.secretary ? this.billRound(this.options.secretary) : undefined;
    const counts = this.recordOutcomes(round.time, round.flowTotals);
    if (billing) counts.billing = billing;
    if (payments) counts.payments = payments;
    if (this.steered.length > this.steeredReported) {
      counts.steered = this.steered.slice(this.steeredReported).map((r) => r.links);
      this.steeredReported = this.steered.length;
    }
    this.phase = "between rounds";
    return counts;
  }

  /**
   * This shard's share of the round's generated flows, drawn here by uid (counter-based, the
   * same draw on any shard) straight into new rows of the flow table, in ascending uid.
   */
  private drawGenerated(round: number, time: number, generated: { base: number; count: number }): void {
    const traffic = this.options.traffic;
    if (!traffic) throw new Error("FlowShard: generated flows in a round, but no traffic to draw them from");
    const shards = this.options.shards ?? 1;
    if (!this.counterArrivals) {
      // Generated traffic says how many flows to expect: λ · (round + mean duration) per round,
      // this shard's share (measured at small scale: about 1.1 λ per round after a few rounds).
      // Sized when the first arrive, not when the shard is made: a run built and never played
      // (runPolicies checks every policy's scenario first, each with an in-thread shard) then
      // allocates nothing, where it reserved a table for all the run's flows, in the coordinator.
      this.flows.expect(Math.min(MOST_EXPECTED_ROWS, Math.ceil((traffic.ratePerSec * (this.options.roundSeconds + meanDurationSec(traffic.flow))) / shards)));
      this.counterArrivals = new CounterArrivals(traffic);
    }
    const draws = this.counterArrivals;
    const shard = this.options.shard ?? 0;
    const { base, count } = generated;
    const { flows } = this;
    // The first index of the round whose uid is this shard's, then every `shards`-th.
    const firstIndex = (((shard - base) % shards) + shards) % shards;
    const mine = firstIndex < count ? Math.ceil((count - firstIndex) / shards) : 0;
    let i = flows.appendRows(mine);
    const c = flows.columns;
    const draw = this.arrivalDraw;
    const roundSeconds = this.options.roundSeconds;
    const { nodes, agent, packetBits } = traffic;
    // Generated pricing traffic has no return leg; the payee keeps nothing.
    const flowClass = flows.classOf(packetBits, 0, 0, 0, 0, 0);
    for (let j = firstIndex; j < count; j += shards, i++) {
      draws.draw(round, j, roundSeconds, draw);
      const startTime = time + draw.startSec;
      c.uid[i] = base + j;
      c.payer[i] = nodes[draw.src]!;
      c.payee[i] = nodes[draw.dst]!;
      c.agent[i] = agent;
      c.startTime[i] = startTime;
      c.endTime[i] = startTime + draw.durationSec;
      c.demandBps[i] = draw.demandMbps * 1e6;
      c.flowClass[i] = flowClass;
    }
  }

  /** Removes the flows that ended by `time` (their records were reported by the coordinator). */
  removeEnded(time: number): void {
    const end = this.flows.columns.endTime;
    this.flows.compact((i) => end[i]! > time);
  }

  /** Adds this round's arrivals (with the coordinator's uids), initializing their strategies. */
  addArrivals(arrivals: ArrivalList, round: number): void {
    this.initStatesFrom(this.flows.addArrivals(arrivals), round);
  }

  /** Initializes the strategy states of the flows added from row `first` on that came without one. */
  private initStatesFrom(first: number, round: number): void {
    const { flows } = this;
    const c = flows.columns;
    if (first >= flows.count) return; // no arrivals: no pass (a watched one costs a watchdog thread)
    const { userAgents } = this.options;
    let i = first;
    const { watched } = this;
    const blame = (): Blame => ({ strategy: userAgents[c.agent[i]!]!.strategy, agent: `user ${flows.names[i] ?? `flow ${c.uid[i]}`}`, round });
    // One try around the loop, not a closure per flow: millions of flows arrive per round.
    this.guard.run(this.watched, (from) => {
      try {
        for (i = from; i < flows.count; i++) {
          if ((i & (CALLS_PER_CLOCK_CHECK - 1)) === 0 && i !== from && this.guard.due()) return i;
          if (flows.states[i] !== undefined) continue;
          const agent = userAgents[c.agent[i]!]!;
          const state = agent.strategy.init(agent.params);
          if (watched && typeof state === "object" && state !== null) this.checkOwnState(state, agent.strategy, i, round);
          flows.states[i] = state;
        }
        return -1;
      } catch (error) {
        const { strategy, agent } = blame();
        throw strategyError(error, strategy, agent, round);
      }
    }, blame);
  }

  /**
   * A strategy from a file whose `init` hands several flows one mutable state object would make
   * them share it, and each worker thread holds its own copy of the module: results would
   * depend on the number of workers. Frozen states may be shared (nothing can change them).
   */
  private checkOwnState(state: object, strategy: { id: string }, row: number, round: number): void {
    if (!this.initStates.has(state)) {
      this.initStates.add(state);
      return;
    }
    if (Object.isFrozen(state)) return;
    const user = this.flows.names[row] ?? `flow ${this.flows.columns.uid[row]}`;
    throw new TollwayError(`strategy "${strategy.id}" (user ${user}) init returned in round ${round} the state object it gave another flow: each flow needs a state of its own (return a fresh object, or freeze a shared one)`);
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
    const { flows, options, routes, rng } = this;
    const c = flows.columns;
    const roundEnd = time + options.roundSeconds;
    this.reserveRows(flows.count);
    const k = options.paths.k;
    const { count: routeCount, price: routePrice, index: routeIndex } = this.routeScratch;
    const { security } = this;
    // Three passes over the flows. Their pairs' routes and prices are scattered in memory, and a
    // lookup waits for memory, not the processor: in a loop that does nothing else the waits of
    // many flows overlap, in the strategy loop they would not. So the first pass looks up each
    // flow's pair (pricing it for this round on first use) and copies its routes' count, starts,
    // lengths and prices next to its row; the second decides, the third copies each batch's
    // links. The later passes read only the row copies, in row order.
    // The first pass runs in blocks of rows, each in three loops: the slots of new flows (index
    // lookups), a touch of each row's record, then the copies. The first two are loops of
    // independent loads, so the processor has many of them waiting for memory at once; the
    // third then finds the block's records in cache (measured: the record read had been 38% of
    // this function's samples).
    let bits = NaN;
    let linkPrice: Float64Array = new Float64Array(0);
    let touched = 0;
    // Columns read into locals once (a load per row through the objects repeats their checks).
    const { payingSlot, endTime, startTime, payer, payee, flowClass, uid: uidOf } = c;
    const { payingLegBits } = c.classes;
    for (let from = 0; from < flows.count; from += LOOKUP_BLOCK) {
      const to = Math.min(flows.count, from + LOOKUP_BLOCK);
      for (let i = from; i < to; i++) {
        if (payingSlot[i]! >= 0 || Math.min(roundEnd, endTime[i]!) <= Math.max(time, startTime[i]!)) continue;
        payingSlot[i] = routes.slotOf(payer[i]!, payee[i]!);
      }
      const records = routes.links;
      for (let i = from; i < to; i++) {
        const slot = payingSlot[i]!;
        if (slot >= 0) touched += records[slot]!;
      }
      for (let i = from; i < to; i++) {
        if (Math.min(roundEnd, endTime[i]!) <= Math.max(time, startTime[i]!)) continue;
        // Flows of one run mostly share a packet size: its link prices are looked up once.
        const rowBits = payingLegBits[flowClass[i]!]!;
        if (rowBits !== bits) linkPrice = this.linkPrices((bits = rowBits));
        // The decision and batch passes read the routes and prices from here, in row order,
        // rather than from the pair's records again (by then out of cache).
        const slot = payingSlot[i]!;
        const count = (routeCount[i] = routes.priceRoutes(slot, linkPrice, routePrice, i * k));
        // With beacons: only the routes verified beacons taught, at the prices they carried.
        if (security) routeCount[i] = security.offer(slot, i * k, count, routePrice, routeIndex, linkPrice, bits, uidOf[i]!, payer[i]!, time);
      }
    }
    // The decisions, flow by flow, or for many flows at once where a strategy has the column
    // form: each flow's action lands in the row scratch (act*), its batch is built after. Both
    // run under the guard (strategy-guard.ts), and every action is checked against the engine's
    // own route counts and the header's payment range.
    const { decided, actPackets, actPayment, actPath, actOads, actDup, actPayments } = this.actionScratch(flows.count);
    const columnar = this.columnar;
    if (columnar.any) {
      columnar.reset(round, options.roundSeconds);
      columnar.reserve(c.agent, flows.count, (rows) => flows.scratchRows(rows));
    }
    this.round = round;
    this.time = time;
    if (flows.count > 0) this.guard.run(this.watched, (from) => this.decideFlows(from), () => this.decisionBlame());
    if (columnar.any) {
      columnar.fill((columns, rowsOfGroup, column) => this.fillColumn(columns, rowsOfGroup, column, time, actPackets, actPayment));
      const rngOf = (row: number): LazyRng => {
        rng.reset(c.uid[row]!, round);
        return rng;
      };
      const outcome = (row: number, packets: number, payment: number, path: number, state: unknown, group: number, at: number, given: unknown, givenDuplicate: unknown, tamper: unknown): void => {
        const count = routeCount[row]!;
        const oads = given === undefined ? undefined : copyUserOads(given);
        const duplicate = copyDuplicate(givenDuplicate);
        if (!validAction(packets, payment, path, count) || (oads !== undefined && userOadsProblem(oads) !== null) || duplicateProblem(duplicate, path, count) !== null || (tamper !== undefined && paymentTamperProblem(tamper) !== null)) {
          throw userActionError({ packets, payment, path }, { packets, payment, path, oads, duplicate, payments: tamper }, columnar.strategyOf(group).id, columnar.user(group, at), round, count);
        }
        putSparse(actDup, row, duplicate as DuplicateRequest | undefined);
        putSparse(actPayments, row, tamper as PaymentTamper | undefined);
        flows.states[row] = state;
        actPackets[row] = packets;
        actPayment[row] = Math.round(payment);
        actPath[row] = path;
        putSparse(actOads, row, oads as readonly UserOadRequest[] | undefined);
      };
      this.guard.run(this.watched, (from) => columnar.decide(round, rngOf, outcome, from, () => this.guard.due()), () => {
        const g = columnar.currentGroup;
        return { strategy: columnar.strategyOf(g), agent: columnar.agentOf(g), round };
      });
    }
    // A row per flow, and one more for each flow that sends copies on a second path.
    let duplicating = 0;
    for (let i = 0; i < flows.count; i++) if (decided[i] === 1 && actDup[i] !== undefined) duplicating++;
    const { batches, pool, rows } = this.payingBuffer.reset(flows.scratchRows(flows.count + duplicating));
    let maxHops = 0;
    const governed = options.secretary?.willingness;
    if (governed && this.caps.length < flows.count) this.caps = new Uint8Array(flows.scratchRows(flows.count));
    const { agent: agentOf, lastPath, pathSwitches, lastPayment, lastRoute } = c;
    // The kernels' output columns (dropped, ...) are zeroed by LegBuffer.finish.
    const { flow: batchFlow, packets: batchPackets, payment: batchPayment, bitsPerPacket, pathStart, pathLength } = batches;
    const { caps, paymentDesk, tamperRows } = this;
    const rounding = packetRounding(this.packetSeed, round);
    let count = batches.count;
    for (let i = 0; i < flows.count; i++) {
      if (decided[i] === 0) continue;
      const uid = uidOf[i]!;
      const path = actPath[i]!;
      const packets = roundPackets(actPackets[i]!, uid, rounding);
      let payment = actPayment[i]!;
      let cap = 0;
      // The host's digital secretary authorises the payment (mechanisms/billpay/secretary.ts).
      const willingness = governed ? governed[agentOf[i]!]! : -1;
      if (willingness >= 0) {
        const authorised = authorisedPayment(payment, packets, willingness, this.allowances?.[agentOf[i]!] ?? Infinity);
        payment = authorised.payment;
        cap = authorised.cap === "willingness" ? 1 : authorised.cap === "budget" ? 2 : 0;
      }
      // The pair's route (with beacons the offer is compacted: `path` is a position in it).
      const route = security ? routeIndex[i * k + path]! : path;
      if (lastPath[i]! >= 0 && lastPath[i] !== route) pathSwitches[i]!++;
      lastPath[i] = route;
      lastPayment[i] = payment;
      const oads = actOads[i];
      const steered = oads === undefined || oads.length === 0 ? -1 : this.steer(i, route, payment, oads);
      lastRoute[i] = steered;
      const bits = payingLegBits[flowClass[i]!]!;
      const row = count++;
      batchFlow[row] = uid;
      batchPackets[row] = packets;
      batchPayment[row] = payment;
      bitsPerPacket[row] = bits;
      // For now the route's slot and index (a steered route: -1 − its index, and its length):
      // the third pass reads the route from the slot's record and puts the leg's own start and
      // length here.
      pathStart[row] = steered < 0 ? payingSlot[i]! : -1 - steered;
      pathLength[row] = steered < 0 ? route : this.steered[steered]!.links.length;
      rows[row] = i;
      if (governed) caps[row] = cap;
      if (paymentDesk) tamperRows[row] = actPayments[i];
      const duplicate = actDup[i];
      const copies = duplicate === undefined ? 0 : Math.floor(duplicate.share * packets);
      if (copies > 0) {
        // The copies go right after their flow's batch (recordOutcomes reads them there), keyed
        // ~uid so that their drops are drawn apart from the originals'.
        this.checkDuplicate(i, duplicate!.path, route, steered, willingness >= 0);
        const copy = count++;
        batchFlow[copy] = ~uid;
        batchPackets[copy] = copies;
        batchPayment[copy] = payment;
        bitsPerPacket[copy] = bits;
        // The second path's slot and route, as for the originals (never steered).
        pathStart[copy] = payingSlot[i]!;
        pathLength[copy] = this.routeOf(i, duplicate!.path);
        rows[copy] = i;
      }
    }
    batches.count = count;
    // The records are out of cache again by now: touched a block ahead, as in the first pass.
    const links = routes.links;
    for (let first = 0; first < count; first += LOOKUP_BLOCK) {
      const last = Math.min(count, first + LOOKUP_BLOCK);
      for (let row = first; row < last; row++) {
        const from = pathStart[row]!;
        if (from >= 0) touched += links[from]!;
      }
      for (let row = first; row < last; row++) {
        const from = pathStart[row]!;
        pathStart[row] = pool.length;
        let hops = pathLength[row]!;
        if (from >= 0) {
          const path = hops;
          hops = routes.length(from, path);
          pool.append(links, routes.start(from, path), hops);
          pathLength[row] = hops;
        } else pool.append(this.steered[-1 - from]!.links, 0, hops);
        if (hops > maxHops) maxHops = hops;
      }
    }
    this.touched = touched;
    this.paying = this.payingBuffer.finish(governed !== undefined, this.paymentDesk !== null);
    this.returning = null;
    return maxHops;
  }

  /**
   * The decision pass of buildPayingLeg, from flow row `from` on: each flow whose strategy has no
   * column form decides, its action is read once, checked and put in the row scratch; flows of
   * column-form strategies are added to their groups. Returns -1 when done, or the row to go on
   * from when the guard asks for a fresh budget (see StrategyGuard.run).
   */
  private decideFlows(from: number): number {
    const { flows, options, observation, rng, round, time, action } = this;
    const c = flows.columns;
    const roundEnd = time + options.roundSeconds;
    const { decided, actPackets, actPayment, actPath, actOads, actDup, actPayments } = this.scratch;
    const columnar = this.columnar;
    // Columns read into locals once (a load per row through the objects repeats their checks).
    const { startTime, endTime, classes, flowClass, demandBps, demandedBits, agent: agentOf } = c;
    const routeCount = this.routeScratch.count;
    const { groupOf } = columnar;
    const { states } = flows;
    for (let i = from; i < flows.count; i++) {
      if ((i & (CALLS_PER_CLOCK_CHECK - 1)) === 0 && i !== from && this.guard.due()) return i;
      decided[i] = 0;
      const start = Math.max(time, startTime[i]!);
      const end = Math.min(roundEnd, endTime[i]!);
      if (end <= start) continue;
      const dataBits = dataLegBits(classes, flowClass[i]!);
      const demandBits = demandBps[i]! * (end - start);
      demandedBits[i]! += demandBits;
      const demandPackets = dataBits > 0 ? demandBits / dataBits : 0;
      // The engine trusts only its own tables: the path index is checked against the pair's
      // route count (as the lookup pass copied it), not against anything the strategy was lent.
      const count = routeCount[i]!;
      if (count === 0) continue; // unreachable under valley-free routing: nothing to decide
      decided[i] = 1;
      const group = groupOf[agentOf[i]!]!;
      if (group >= 0) {
        // Its observation is written into its group's columns after this pass; until then the
        // action scratch holds its demand and packet size.
        columnar.add(group, i, states[i]);
        actPackets[i] = demandPackets;
        actPayment[i] = dataBits;
        continue;
      }
      const views = this.pathViews(i, c.payer[i]!, c.payee[i]!);
      const agent = options.userAgents[c.agent[i]!]!;
      observation.reset(i, round, time, demandPackets, dataBits, views);
      rng.reset(c.uid[i]!, round);
      let decision;
      try {
        decision = agent.strategy.decide(observation, flows.states[i], agent.params, rng);
      } catch (error) {
        throw strategyError(error, agent.strategy, `user ${observation.user}`, round);
      }
      if (decision === null || typeof decision !== "object") checkDecision(decision, agent.strategy, `user ${observation.user}`, round);
      if (!readUserAction(decision.action, count, action)) {
        throw userActionError(decision.action, action, agent.strategy.id, observation.user, round, count);
      }
      flows.states[i] = decision.state;
      actPackets[i] = action.packets as number;
      actPayment[i] = action.payment as number;
      actPath[i] = action.path as number;
      // Read once into a plain copy by readUserAction.
      putSparse(actOads, i, action.oads as readonly UserOadRequest[] | undefined);
      putSparse(actDup, i, action.duplicate as DuplicateRequest | undefined);
      putSparse(actPayments, i, action.payments as PaymentTamper | undefined);
    }
    return -1;
  }

  /** The flow whose strategy the decision pass was calling. */
  private decisionBlame(): Blame {
    const row = this.observation.row;
    return { strategy: this.options.userAgents[this.flows.columns.agent[row]!]!.strategy, agent: `user ${this.observation.user}`, round: this.round };
  }

  /** Makes the row copies of `buildPayingLeg` (routeScratch) hold at least `rows` rows. */
  private reserveRows(rows: number): void {
    if (this.routeScratch.count.length < rows) {
      const capacity = this.flows.scratchRows(rows);
      const k = this.options.paths.k;
      this.routeScratch = { count: new Int32Array(capacity), price: new Float64Array(capacity * k), index: new Int32Array(this.security ? capacity * k : 0) };
    } else if (this.security && this.routeScratch.index.length < this.routeScratch.count.length * this.options.paths.k) {
      // A shard with beacons that took over the scratch of one without (FlowShardOptions.reuse).
      this.routeScratch.index = new Int32Array(this.routeScratch.count.length * this.options.paths.k);
    }
  }

  /** After the paying leg's hops: the payee keeps its part and returns the rest. Returns the longest path. */
  buildReturnLeg(): number {
    const paying = this.leg(0);
    const { flows, routes } = this;
    const c = flows.columns;
    // Room for the batches that have a return leg only (none in generated pricing traffic: its
    // arrays, unused, would cost as much as the paying leg's).
    let returning = 0;
    // Columns read into locals once (a load per row through the objects repeats their checks).
    const { classes, flowClass: classOf, payeeKept } = c;
    const { returnLegBits, keepPerPacket, keepFraction } = classes;
    const { rows: payingRows } = paying;
    if (!anyReturnWork(classes, flows.classRows)) {
      // Generated pricing traffic: no return leg and nothing kept by a payee, so no row has
      // anything to do here (a pass over every row of the round, for nothing).
      this.returnBuffer.reset(0);
      this.returning = this.returnBuffer.finish(this.options.secretary !== undefined);
      return 0;
    }
    const { count: payingCount, packets: payingPackets, payment: payingPayment } = paying.batches;
    for (let row = 0; row < payingCount; row++) if (returnLegBits[classOf[payingRows[row]!]!]! > 0) returning++;
    const { batches, pool, rows } = this.returnBuffer.reset(returning, flows.scratchRows(returning));
    const { returnSlot, payee, payer } = c;
    let maxHops = 0;
    let touched = 0;
    // In blocks of rows, as the paying leg's lookups (buildPayingLeg): the return slots of new
    // flows, then a touch of each block's route records (loads that wait for memory together),
    // then the batches, whose record reads then find them in cache.
    for (let from = 0; from < payingCount; from += LOOKUP_BLOCK) {
      const to = Math.min(payingCount, from + LOOKUP_BLOCK);
      for (let row = from; row < to; row++) {
        const i = payingRows[row]!;
        // No return leg (generated pricing traffic): no path lookup, a real cost per flow.
        if (returnLegBits[classOf[i]!]! > 0 && returnSlot[i]! < 0) returnSlot[i] = routes.slotOf(payee[i]!, payer[i]!);
      }
      const records = routes.links;
      for (let row = from; row < to; row++) {
        const i = payingRows[row]!;
        if (returnLegBits[classOf[i]!]! > 0) touched += records[returnSlot[i]!]!;
      }
      for (let row = from; row < to; row++) {
        const delivered = payingPackets[row]!;
        const i = payingRows[row]!;
        const remaining = payingPayment[row]!;
        const flowClass = classOf[i]!;
        const keep = receiverKept(keepPerPacket[flowClass]!, keepFraction[flowClass]!, remaining);
        payeeKept[i]! += delivered * keep;
        const bits = returnLegBits[flowClass]!;
        if (bits <= 0) continue;
        const slot = returnSlot[i]!;
        const count = routes.count(slot);
        if (count === 0) continue;
        const path = Math.min(classes.returnPath[flowClass]!, count - 1);
        const hops = routes.length(slot, path);
        const out = batches.count++;
        batches.flow[out] = paying.batches.flow[row]!;
        batches.packets[out] = delivered;
        batches.payment[out] = remaining - keep;
        batches.bitsPerPacket[out] = bits;
        batches.pathStart[out] = pool.length;
        batches.pathLength[out] = hops;
        if (hops > maxHops) maxHops = hops;
        pool.append(routes.links, routes.start(slot, path), hops);
        rows[out] = i;
      }
    }
    this.touched += touched;
    this.returning = this.returnBuffer.finish(this.options.secretary !== undefined);
    return maxHops;
  }

  /**
   * After both legs, for the flows a secretary governs: who kept what of their payments, from
   * what their packets carried over each link (`hopTransferred`, the ledger's money per flow).
   * The node that sends on hop h ≥ 1 kept what arrived minus what it passed on; the payee kept
   * what reached it minus what its acknowledgments carried back; what came back to the payer is
   * its refund. So a flow's lines sum to its net spend, and every unit is one the ledger booked.
   */
  private billRound(secretary: ShardSecretary): ShardBilling {
    const paying = this.leg(0);
    const returning = this.leg(1);
    const c = this.flows.columns;
    const { linkFrom } = this.options.topology;
    const billing: ShardBilling = { kept: [], flows: [] };
    // Return-leg batch of each governed flow-table row.
    const back = new Map<number, number>();
    for (let row = 0; row < returning.batches.count; row++) {
      const i = returning.rows[row]!;
      if (secretary.willingness[c.agent[i]!]! >= 0) back.set(i, row);
    }
    // The senders of hops 1 and on: what arrived over the link before minus what they passed on.
    const keep = (agent: number, start: number, length: number, pool: Int32Array, carried: Float64Array): void => {
      for (let h = 1; h < length; h++) {
        const amount = carried[start + h - 1]! - carried[start + h]!;
        if (amount !== 0) billing.kept.push(agent, linkFrom[pool[start + h]!]!, amount);
      }
    };
    for (let row = 0; row < paying.batches.count; row++) {
      const i = paying.rows[row]!;
      const agent = c.agent[i]!;
      if (secretary.willingness[agent]! < 0) continue;
      const b = paying.batches;
      billing.flows.push(agent, b.leftSender[row]!, this.caps[row]!);
      const start = b.pathStart[row]!;
      const length = b.pathLength[row]!;
      if (length === 0) continue;
      keep(agent, start, length, paying.pool, b.hopTransferred);
      const reached = b.hopTransferred[start + length - 1]!;
      const r = back.get(i);
      const rb = returning.batches;
      const sentBack = r === undefined || rb.pathLength[r] === 0 ? 0 : rb.hopTransferred[rb.pathStart[r]!]!;
      if (reached - sentBack !== 0) billing.kept.push(agent, c.payee[i]!, reached - sentBack);
      if (r !== undefined) keep(agent, rb.pathStart[r]!, rb.pathLength[r]!, returning.pool, rb.hopTransferred);
    }
    return billing;
  }

  /** After both legs: each flow's report for next round and its totals. */
  recordOutcomes(time: number, flowTotals: boolean): ShardRoundCounts {
    const paying = this.leg(0);
    const returning = this.leg(1);
    const c = this.flows.columns;
    const roundEnd = time + this.options.roundSeconds;
    const logUtility = new ExactSum();
    const counts: ShardRoundCounts = {
      acksSent: 0, acksDelivered: 0, batchHops: paying.pool.length + returning.pool.length, paid: 0, deliveredBits: 0,
      logUtility: [], utilityTerms: 0, ended: noEndedFlows(),
    };
    // Return-leg batch of each flow-table row, or -1.
    if (this.ackRow.length < this.flows.count) this.ackRow = new Int32Array(this.flows.scratchRows(this.flows.count));
    const ackRow = this.ackRow;
    for (let row = 0; row < paying.batches.count; row++) ackRow[paying.rows[row]!] = -1;
    for (let row = 0; row < returning.batches.count; row++) {
      counts.acksSent += returning.sent[row]!;
      counts.acksDelivered += returning.batches.packets[row]!;
      // A flow's copies (key ~uid) have their acks in the row after its own (see buildReturnLeg).
      if (returning.batches.flow[row]! >= 0) ackRow[returning.rows[row]!] = row;
    }
    // Every column read into a local once: a load per row through the leg and column objects
    // repeats their shape checks for every batch.
    const { rows: payingRows, sent: payingSent } = paying;
    const { count: payingCount, packets: payingPackets, flow: payingFlow, leftSender, refused } = paying.batches;
    const { packets: ackPackets, payment: ackPayment } = returning.batches;
    const hasRefused = refused.length > 0;
    const { classes, flowClass, lastPayment, hasReport, lastSent, lastDelivered, lastAcknowledged, lastSpent, lastRefunded } = c;
    const { cumulativeSpent, sentPackets, deliveredPackets, deliveredBits, endTime, startTime, uid } = c;
    const { dataLeg } = classes;
    const { packetSeed, round: thisRound } = this;
    let paid = 0;
    let bitsDelivered = 0;
    let utilityTerms = 0;
    for (let row = 0; row < payingCount; row++) {
      const i = payingRows[row]!;
      const sent = payingSent[row]!;
      const delivered = payingPackets[row]!;
      const back = ackRow[i]!;
      let acked = back < 0 ? 0 : ackPackets[back]!;
      let refund = back < 0 ? 0 : ackPackets[back]! * ackPayment[back]!;
      // What left the payer: the packets its access link admitted, at the payment they carried.
      // Less what came back from packets an AS refused for a bad payment field (security.payments).
      const payment = lastPayment[i]!;
      let spent = leftSender[row]! * payment - (hasRefused ? refused[row]! : 0);
      const rowClass = flowClass[i]!;
      let dataDelivered = dataLeg[rowClass] === 0 ? delivered : acked;
      if (row + 1 < payingCount && payingFlow[row + 1]! < 0) {
        // Its copies (buildPayingLeg puts them in the next row): paid and acknowledged like any
        // packet, but not counted as sent: sent and delivered count the application's packets,
        // and one counts as delivered when it or its copy arrived.
        const copy = ++row;
        spent += leftSender[copy]! * payment - (hasRefused ? refused[copy]! : 0);
        if (back >= 0) {
          const copyAck = back + 1;
          acked += ackPackets[copyAck]!;
          refund += ackPackets[copyAck]! * ackPayment[copyAck]!;
        }
        dataDelivered += copiesMakingUp(payingPackets[copy]!, sent, delivered, hashUniform(packetSeed, ~uid[i]!, thisRound, 0xd0b1e));
      }
      const dataBits = dataLegBits(classes, rowClass);
      hasReport[i] = 1;
      lastSent[i] = sent;
      lastDelivered[i] = dataDelivered;
      lastAcknowledged[i] = acked;
      lastSpent[i] = spent;
      lastRefunded[i] = refund;
      cumulativeSpent[i]! += spent - refund;
      sentPackets[i]! += sent;
      deliveredPackets[i]! += dataDelivered;
      deliveredBits[i]! += dataDelivered * dataBits;
      paid += dataDelivered * payment;
      bitsDelivered += dataDelivered * dataBits;
      const active = flowTotals ? Math.min(roundEnd, endTime[i]!) - Math.max(time, startTime[i]!) : 0;
      if (active > 0) {
        const mbps = (dataDelivered * dataBits) / BITS_PER_MBIT / active;
        // A flow that delivered nothing adds active · ln(1 + 0) = +0, which leaves a sum of
        // terms ≥ 0 as it is: skipped (about half the terms at small scale; each cost a log1p
        // and a pass over the sum's partials).
        if (mbps !== 0) logUtility.add(active * Math.log1p(mbps));
        utilityTerms++;
      }
    }
    counts.paid += paid;
    counts.deliveredBits += bitsDelivered;
    counts.utilityTerms += utilityTerms;
    this.paying = null;
    this.returning = null;
    counts.logUtility = logUtility.partials;
    // The flows that end this round (the coordinator reports them; they leave next round).
    if (flowTotals) {
      const ended = new EndedFlowCounter();
      for (let i = 0; i < this.flows.count; i++) if (endTime[i]! <= roundEnd) ended.add(c, i, roundEnd);
      counts.ended = ended.totals();
    }
    return counts;
  }

  /** Last round's acknowledgment report of the flow in row `i` (read by FlowObservation). */
  ackReportOf(i: number): AckReport {
    const c = this.flows.columns;
    return {
      sent: c.lastSent[i]!,
      delivered: c.lastDelivered[i]!,
      acknowledged: c.lastAcknowledged[i]!,
      spent: c.lastSpent[i]!,
      refunded: c.lastRefunded[i]!,
      tollPerPacket: this.lastTollPerPacket(i),
      throughputBps: this.lastThroughputBps(i),
      path: c.lastPath[i]!,
      ispOads: this.lastIspOadsOf(i),
    };
  }

  /** The ISP-OADs echoed for row i's packets last round: of the route they took (steered or offered). */
  private lastIspOadsOf(i: number): readonly IspOadEcho[] {
    const c = this.flows.columns;
    return c.lastRoute[i]! >= 0 ? this.steeredOads(c.lastRoute[i]!) : this.ispOadsOf(c.payer[i]!, c.payee[i]!, c.lastPath[i]!);
  }

  /** Units per packet of row i's last payment that did not come back (the tolls along its path). */
  private lastTollPerPacket(i: number): number {
    const c = this.flows.columns;
    return c.lastAcknowledged[i]! > 0 ? c.lastPayment[i]! - c.lastRefunded[i]! / c.lastAcknowledged[i]! : c.lastPayment[i]!;
  }

  /** Row i's delivered bits per second on its data leg last round. */
  private lastThroughputBps(i: number): number {
    const c = this.flows.columns;
    const dataBits = dataLegBits(c.classes, c.flowClass[i]!);
    return (c.lastDelivered[i]! * dataBits) / this.options.roundSeconds;
  }

  /**
   * Writes one observation column of a group's flows (flow-table rows `rows`) into its buffer:
   * what FlowObservation shows each of them, as the group's strategy first reads the column
   * (UserColumnBuffer.arm). `demand` and `bits` hold each row's demanded packets and data packet
   * size until the group has decided.
   */
  private fillColumn(columns: UserColumnBuffer, rows: Int32Array, column: FilledColumn, time: number, demand: Float64Array, bits: Float64Array): void {
    const c = this.flows.columns;
    const n = columns.count;
    switch (column) {
      case "demandPackets": {
        const out = columns.demandPackets;
        for (let at = 0; at < n; at++) out[at] = demand[rows[at]!]!;
        return;
      }
      case "packetBits": {
        const out = columns.packetBits;
        for (let at = 0; at < n; at++) out[at] = bits[rows[at]!]!;
        return;
      }
      case "age": {
        const out = columns.age;
        for (let at = 0; at < n; at++) out[at] = time - c.startTime[rows[at]!]!;
        return;
      }
      case "remainingSeconds": {
        const out = columns.remainingSeconds;
        for (let at = 0; at < n; at++) {
          const end = c.endTime[rows[at]!]!;
          out[at] = end === Infinity ? Infinity : end - time;
        }
        return;
      }
      case "cumulativeSpent": {
        const out = columns.cumulativeSpent;
        for (let at = 0; at < n; at++) out[at] = c.cumulativeSpent[rows[at]!]!;
        return;
      }
      case "pathCount": {
        const out = columns.pathCount;
        const count = this.routeScratch.count;
        for (let at = 0; at < n; at++) out[at] = count[rows[at]!]!;
        return;
      }
      case "pathPrice": {
        const { pathPrice, k } = columns;
        const { count, price } = this.routeScratch;
        const rowK = this.options.paths.k;
        for (let at = 0; at < n; ) {
          // A run of consecutive rows (all of a shard's rows, when one strategy decides them
          // all) is copied whole, k prices a row: one block copy instead of a loop per row.
          // Past a row's count the prices are unspecified (strategies/README.md) either way.
          const first = rows[at]!;
          let end = at + 1;
          while (end < n && rows[end] === first + (end - at)) end++;
          if (k === rowK && end - at >= WHOLE_RUN) {
            pathPrice.set(price.subarray(first * k, (first + end - at) * k), at * k);
            at = end;
            continue;
          }
          for (; at < end; at++) {
            const i = rows[at]!;
            const from = i * rowK;
            const to = at * k;
            for (let p = 0; p < count[i]!; p++) pathPrice[to + p] = price[from + p]!;
          }
        }
        return;
      }
      case "last": {
        const { hasLast, lastSent, lastDelivered, lastAcknowledged, lastSpent, lastRefunded, lastTollPerPacket, lastThroughputBps, lastPath } = columns;
        for (let at = 0; at < n; at++) {
          const i = rows[at]!;
          if (c.hasReport[i] !== 1) {
            hasLast[at] = 0;
            continue;
          }
          hasLast[at] = 1;
          lastSent[at] = c.lastSent[i]!;
          lastDelivered[at] = c.lastDelivered[i]!;
          lastAcknowledged[at] = c.lastAcknowledged[i]!;
          lastSpent[at] = c.lastSpent[i]!;
          lastRefunded[at] = c.lastRefunded[i]!;
          lastTollPerPacket[at] = this.lastTollPerPacket(i);
          lastThroughputBps[at] = this.lastThroughputBps(i);
          lastPath[at] = c.lastPath[i]!;
        }
        return;
      }
    }
  }

  /**
   * Refuses a duplicate request the engine cannot honour: from a flow a digital secretary
   * governs (its budget is shared per batch), in receiver-pays mode, or on a second path that
   * shares a link an ISP sends on with the route the originals take (`route` of the pair, or
   * `steered`, its index among the steered routes when ≥ 0; the payer's own access link does not
   * count, as a host has only one).
   */
  private checkDuplicate(i: number, second: number, route: number, steered: number, governed: boolean): void {
    const c = this.flows.columns;
    const { topology } = this.options;
    const agent = this.options.userAgents[c.agent[i]!]!;
    const where = `strategy "${agent.strategy.id}" (user ${this.flows.names[i] ?? `flow ${c.uid[i]}`}) in round ${this.round} chose duplicate.path ${second}`;
    if (governed) throw new TollwayError(`${where}: copies are not supported for a flow whose host has a digital secretary`);
    if (this.paymentDesk) throw new TollwayError(`${where}: copies are not supported with security.payments (a copy would need payment fields of its own)`);
    if (this.security) throw new TollwayError(`${where}: copies are not supported with security.beacons (offers are the routes that beacons reached)`);
    if (c.classes.dataLeg[c.flowClass[i]!] !== 0) throw new TollwayError(`${where}: copies are not supported in receiver-pays mode`);
    const { routes } = this;
    const slot = c.payingSlot[i]!;
    const start = routes.start(slot, route);
    const own = steered < 0 ? routes.links.subarray(start, start + routes.length(slot, route)) : this.steered[steered]!.links;
    const copyRoute = this.routeOf(i, second);
    const from = routes.start(slot, copyRoute);
    const length = routes.length(slot, copyRoute);
    for (let h = 0; h < length; h++) {
      const link = routes.links[from + h]!;
      if (topology.nodeKind[topology.linkFrom[link]!] === KIND_HOST) continue;
      if (own.includes(link)) {
        throw new TollwayError(`${where}: it shares the link ${topology.nodeIds[topology.linkFrom[link]!]}→${topology.nodeIds[topology.linkTo[link]!]} with the originals' route (copies need a path with no ISP link in common)`);
      }
    }
  }

  /**
   * The action scratch for a round of `rows` flows. Its lists of user-OADs, copies and
   * payment-field attacks are sparse (see putSparse), emptied here: most flows have none, and a
   * slot per flow, at twice the rows, was 48 bytes a live flow at paper scale.
   */
  private actionScratch(rows: number): FlowShard["scratch"] {
    if (this.scratch.decided.length < rows) {
      const n = this.flows.scratchRows(rows);
      this.scratch = { decided: new Uint8Array(n), actPackets: new Float64Array(n), actPayment: new Float64Array(n), actPath: new Int32Array(n), actOads: [], actDup: [], actPayments: [] };
    }
    const { actOads, actDup, actPayments } = this.scratch;
    actOads.length = 0;
    actDup.length = 0;
    actPayments.length = 0;
    return this.scratch;
  }

  /**
   * The route flow row i's packets take when the ISPs on offered path `path` act on its
   * user-OADs (model/steering.ts): an ISP honours a request when the packet reaches it with at
   * least the payment its policy asks (`links.oadFrom`), the packet's payment less the tolls
   * announced on the links before. Returns the steered route's index, or -1 (no ISP steered).
   */
  private steer(i: number, path: number, payment: number, oads: readonly UserOadRequest[]): number {
    const c = this.flows.columns;
    const { topology, paths, links } = this.options;
    const linkPrice = this.linkPrices(c.classes.payingLegBits[c.flowClass[i]!]!);
    const route = steerRoute(topology, paths, paths.offered(c.payer[i]!, c.payee[i]!)[path]!,
      (node) => oads.find((oad) => oad.isp === topology.nodeIds[node]),
      (_isp, link, _position, before) => {
        let arriving = payment;
        for (const l of before) arriving -= linkPrice[l]!;
        return links.oadFrom[link]! <= Math.max(0, arriving);
      });
    if (route === null) return -1;
    const key = route.links.join(",");
    let index = this.steeredIndex.get(key);
    if (index === undefined) {
      index = this.steered.push({ nodes: route.nodes, links: route.links, ispOads: null }) - 1;
      this.steeredIndex.set(key, index);
    }
    return index;
  }

  /** Node ids of route `p` of flow row i's pair (column form lookups). */
  private nodesOfRow(i: number, p: number): readonly string[] {
    const c = this.flows.columns;
    return this.pathStaticsOf(c.payer[i]!, c.payee[i]!)[this.routeOf(i, p)]!.nodes;
  }

  /** Latency of route `p` of flow row i's pair (column form lookups). */
  private latencyOfRow(i: number, p: number): number {
    const c = this.flows.columns;
    return this.pathStaticsOf(c.payer[i]!, c.payee[i]!)[this.routeOf(i, p)]!.latencyMs;
  }

  /** The pair's route at position `p` of flow row i's offer (the same unless beacons compacted it). */
  private routeOf(i: number, p: number): number {
    return this.security ? this.routeScratch.index[i * this.options.paths.k + p]! : p;
  }

  /**
   * After the paying leg's hops, with in-path updates: every flow whose packets reached their
   * destination on an offered route gets the update set of that route's ASes, echoed back.
   */
  private collectUpdates(round: number, time: number): void {
    const paying = this.leg(0);
    const c = this.flows.columns;
    const { routes } = this;
    const security = this.security!;
    for (let row = 0; row < paying.batches.count; row++) {
      const i = paying.rows[row]!;
      if (paying.batches.packets[row] === 0 || c.lastRoute[i]! >= 0) continue;
      const route = c.lastPath[i]!;
      const slot = c.payingSlot[i]!;
      security.collect(c.uid[i]!, route, routes.links, routes.start(slot, route), routes.length(slot, route), this.linkPrices(c.classes.payingLegBits[c.flowClass[i]!]!), c.payer[i]!, round, time);
    }
  }

  /**
   * The announced per-packet price of each offered path of a slot's pair (what price beacons
   * carry), as the shard's reused views (see PathViewSlot). The lookup pass of buildPayingLeg
   * has priced the slot for this round.
   */
  private pathViews(row: number, payer: number, payee: number): readonly OfferedPathView[] {
    const { count: routeCount, price } = this.routeScratch;
    const count = routeCount[row]!;
    const views = this.viewsByCount[count]!;
    if (count === 0) return views;
    const at = row * this.options.paths.k;
    for (let p = 0; p < count; p++) views[p]!.price = price[at + p]!;
    this.viewPayer = payer;
    this.viewPayee = payee;
    this.viewRow = row;
    return views;
  }

  /** Node ids and latency of route `p` of the pair whose views were handed out last. */
  pathStaticOf(p: number): PathStatics {
    return this.pathStaticsOf(this.viewPayer, this.viewPayee)[this.routeOf(this.viewRow, p)]!;
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
      const bytes = bits / 8;
      for (let l = 0; l < prices.length; l++) {
        if (senderIsHost[l] === 1) continue;
        prices[l] = announcedLinkToll(perPacket[l]!, perByte[l]!, congestion[l]!, bytes);
      }
      this.linkPriceCache.set(bits, prices);
    }
    return prices;
  }

  /** Names and latencies of a pair's offered paths: they never change during a run. */
  private pathStaticsOf(payer: number, payee: number): PathStatics[] {
    const pair = payer * this.nodeCount + payee;
    let fixed = this.pathStatics.get(pair);
    if (!fixed) {
      const { topology } = this.options;
      fixed = this.offeredOf(payer, payee).map((path) => ({
        // Lent to every flow of the pair: frozen, so that no strategy can change another's view.
        nodes: Object.freeze(Array.from(path.nodes, (n) => topology.nodeIds[n]!)),
        latencyMs: path.links.reduce((sum, l) => sum + topology.linkLatencyMs[l]!, 0),
        ispOads: null,
      }));
      this.pathStatics.set(pair, fixed);
    }
    return fixed;
  }

  /** The ISP-OADs of a steered route (see `steer`), computed the first time a sender reads them. */
  private steeredOads(index: number): readonly IspOadEcho[] {
    const route = this.steered[index]!;
    return (route.ispOads ??= Object.freeze(ispOadsAlong(this.options.topology, this.options.paths, route.nodes).map((echo) => Object.freeze(echo))));
  }

  /** The ISP-OADs of one offered path, computed the first time a sender reads its acknowledgments. */
  private ispOadsOf(payer: number, payee: number, path: number): readonly IspOadEcho[] {
    const fixed = this.pathStaticsOf(payer, payee)[path];
    if (!fixed) return [];
    return (fixed.ispOads ??= Object.freeze(ispOadsAlong(this.options.topology, this.options.paths, this.offeredOf(payer, payee)[path]!.nodes).map((echo) => Object.freeze(echo))));
  }

  /** A pair's offered paths (node lists included), from the route table: the rare reader of nodes. */
  private offeredOf(payer: number, payee: number): OfferedPathLike[] {
    return this.routes.table.offered(this.routes.slotOf(payer, payee), this.options.topology);
  }
}

/** A route user-OADs steered packets onto, and its ISP-OADs once a sender has read them. */
interface SteeredRoute extends RouteLike {
  ispOads: readonly IspOadEcho[] | null;
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

/** Sets row `i` of a sparse per-row list (emptied each round): only a value; a row left unset reads undefined. */
function putSparse<T>(list: (T | undefined)[], i: number, value: T | undefined): void {
  if (value !== undefined) list[i] = value;
}

/** Whole packets for a possibly fractional demand, rounded at random with the right mean. */
function roundPackets(packets: number, uid: number, rounding: (uid: number) => number): number {
  const whole = Math.floor(packets);
  const fraction = packets - whole;
  if (fraction === 0) return whole;
  return whole + (rounding(uid) / 4294967296 < fraction ? 1 : 0);
}

/** The word `roundPackets` draws from for flow `uid` in `round`: `deriveSeed4(seed, uid, round, 0x51ed)`. */
function packetRounding(seed: number, round: number): (uid: number) => number {
  return deriveSeed4OfSecond(seed, round, 0x51ed);
}

/**
 * How many of a flow's `copiesDelivered` copies stand for an original that was lost: the copies
 * went with the first ⌊share × n⌋ of its n originals, and on a path disjoint from theirs each
 * original was lost with chance (n − delivered) / n, so the expectation is copiesDelivered ·
 * (n − delivered) / n, rounded at random by `u` (sampleCount). It never exceeds the copies
 * delivered nor the originals lost.
 *
 * @example copiesMakingUp(50, 100, 80, 0.5) // 50 · 20/100 = 10
 */
export function copiesMakingUp(copiesDelivered: number, n: number, delivered: number, u: number): number {
  return n > 0 ? sampleCount(copiesDelivered, (n - delivered) / n, u) : 0;
}

/** A plain copy of a duplicate request (each field read once), or undefined for none or a share of 0. */
function copyDuplicate(given: unknown): DuplicateRequest | { path: unknown; share: unknown } | undefined {
  if (given === undefined) return undefined;
  if (given === null || typeof given !== "object") return { path: given, share: undefined };
  const { path, share } = given as Partial<DuplicateRequest>;
  return share === 0 ? undefined : { path, share };
}

/** What is wrong with a duplicate request, or null: its path must be another offered path, its share in [0, 1]. */
function duplicateProblem(duplicate: { path: unknown; share: unknown } | undefined, path: unknown, pathCount: number): string | null {
  if (duplicate === undefined) return null;
  const { path: second, share } = duplicate;
  if (typeof share !== "number" || !(share >= 0 && share <= 1)) return `duplicate.share ${describeValue(share)}: must be a number in [0, 1]`;
  if (typeof second !== "number" || !Number.isInteger(second) || second < 0 || second >= pathCount) {
    return `duplicate.path ${describeValue(second)}: must be an index in [0, ${pathCount - 1}] (the paths offered to it)`;
  }
  if (second === path) return `duplicate.path ${second}: must be another path than the action's own`;
  return null;
}

/**
 * Whether a user's action (from either form) is valid: packets in [0, MAX_ROUND_PACKETS], a
 * payment that rounds to whole units in [0, MAX_PAYMENT] (what the header carries), a path index
 * below `pathCount`. Payments are then rounded to whole units by the caller.
 */
function validAction(packets: unknown, payment: unknown, path: unknown, pathCount: number): boolean {
  return typeof packets === "number" && packets >= 0 && packets <= MAX_ROUND_PACKETS &&
    typeof payment === "number" && payment >= 0 && Math.round(payment) <= MAX_PAYMENT &&
    typeof path === "number" && Number.isInteger(path) && path >= 0 && path < pathCount;
}

/** A user's action as read once from what its strategy returned (a getter is read once). */
interface ReadAction {
  packets: unknown;
  payment: unknown;
  path: unknown;
  oads: unknown;
  duplicate: unknown;
  payments: unknown;
}

/** Reads a user's action into `out` and says whether it is valid (see validAction); `out.payment` is then rounded. */
function readUserAction(action: unknown, pathCount: number, out: ReadAction): boolean {
  if (action === null || typeof action !== "object") return false;
  const { packets, payment, path, oads, duplicate, payments } = action as Partial<UserAction>;
  out.packets = packets;
  out.payment = payment;
  out.path = path;
  out.oads = oads === undefined ? undefined : copyUserOads(oads);
  out.duplicate = copyDuplicate(duplicate);
  out.payments = payments;
  if (!validAction(packets, payment, path, pathCount)) return false;
  if (out.oads !== undefined && userOadsProblem(out.oads) !== null) return false;
  if (duplicateProblem(out.duplicate as { path: unknown; share: unknown } | undefined, path, pathCount) !== null) return false;
  if (payments !== undefined && paymentTamperProblem(payments) !== null) return false;
  out.payment = Math.round(payment as number);
  return true;
}

/** The error for an action `readUserAction` or `validAction` refused. */
function userActionError(action: unknown, read: ReadAction, id: string, user: string, round: number, pathCount: number): TollwayError {
  const where = `strategy "${id}" (user ${user}) in round ${round}`;
  if (action === null || typeof action !== "object") return new TollwayError(`${where} returned no action (got ${describeValue(action)})`);
  const { packets, payment, path } = read;
  if (typeof payment !== "number" || !Number.isFinite(payment) || payment < 0) {
    return new TollwayError(`${where} chose payment ${describeValue(payment)}: must be a finite number ≥ 0`);
  }
  if (Math.round(payment) > MAX_PAYMENT) {
    return new TollwayError(`${where} chose payment ${describeValue(payment)}: must be at most ${MAX_PAYMENT} units (what the Bill-Pay header's 24-bit payment field carries)`);
  }
  if (typeof packets !== "number" || !Number.isFinite(packets) || packets < 0) {
    return new TollwayError(`${where} chose packets ${describeValue(packets)}: must be a finite number ≥ 0`);
  }
  if (packets > MAX_ROUND_PACKETS) {
    return new TollwayError(`${where} chose packets ${describeValue(packets)}: must be at most ${MAX_ROUND_PACKETS} per round`);
  }
  const oadProblem = read.oads === undefined ? null : userOadsProblem(read.oads);
  if (oadProblem !== null) return new TollwayError(`${where} chose user-OADs that are invalid: ${oadProblem}`);
  if (validAction(packets, payment, path, pathCount)) {
    const problem = duplicateProblem(read.duplicate as { path: unknown; share: unknown } | undefined, path, pathCount);
    if (problem !== null) return new TollwayError(`${where} chose ${problem}`);
  }
  const tamperProblem = read.payments === undefined ? null : paymentTamperProblem(read.payments);
  if (tamperProblem !== null) return new TollwayError(`${where} chose a payment-field attack that is invalid: ${tamperProblem}`);
  return new TollwayError(`${where} chose path ${describeValue(path)}: must be an index in [0, ${pathCount - 1}] (the paths offered to it)`);
}

/**
 * What a user sees this round. One per shard, re-aimed at each flow by `reset` (this runs per
 * flow per round); the parts few strategies read (its name, last round's report) are only
 * built when read.
 */
class FlowObservation implements UserObservation {
  round = 0;
  roundSeconds: number;
  age = 0;
  remainingSeconds: number | null = null;
  cumulativeSpent = 0;
  demandPackets = 0;
  packetBits = 0;
  paths: readonly OfferedPathView[] = [];
  /** Flow-table row of the flow this observation is aimed at. */
  row = 0;
  constructor(private readonly shard: FlowShard) {
    this.roundSeconds = shard.roundSeconds;
  }
  reset(row: number, round: number, time: number, demandPackets: number, packetBits: number, paths: readonly OfferedPathView[]): void {
    const c = this.shard.flows.columns;
    this.row = row;
    this.round = round;
    this.roundSeconds = this.shard.roundSeconds;
    this.age = time - c.startTime[row]!;
    this.remainingSeconds = Number.isFinite(c.endTime[row]!) ? c.endTime[row]! - time : null;
    this.cumulativeSpent = c.cumulativeSpent[row]!;
    this.demandPackets = demandPackets;
    this.packetBits = packetBits;
    this.paths = paths;
  }
  get user(): string {
    return this.shard.flows.names[this.row] ?? `flow ${this.shard.flows.columns.uid[this.row]}`;
  }
  get last(): AckReport | null {
    return this.shard.flows.columns.hasReport[this.row] === 1 ? this.shard.ackReportOf(this.row) : null;
  }
}

/** Rows per block of buildPayingLeg's lookups: their records (a cache line or two each) fit in the core's cache. */
const LOOKUP_BLOCK = 512;
/**
 * Whether a flow of one of the first `count` classes has a return leg or a payee that keeps a
 * part of what reaches it. A class that has neither keeps receiverKept(0, 0, remaining) = 0 of
 * any payment (never negative), so its rows add +0 to payeeKept: nothing to do.
 */
function anyReturnWork(classes: FlowClasses, count: number): boolean {
  for (let k = 0; k < count; k++) {
    if (classes.returnLegBits[k]! > 0 || classes.keepPerPacket[k] !== 0 || classes.keepFraction[k] !== 0) return true;
  }
  return false;
}

/** Consecutive rows from which fillColumn copies a group's path prices as one block. */
const WHOLE_RUN = 32;
/** Bits per Mbit: the pricing paper's bandwidth unit. */
const BITS_PER_MBIT = 1e6;

/**
 * The arrays of one leg, kept from round to round and grown when the flows outgrow them. Each
 * batch's links are copied into the leg's own pool, in batch order: every pass of every hop
 * reads them, and reading them in order is what keeps the hop kernels fast.
 */
class LegBuffer {
  private batches: Batches = createBatches(64);
  private readonly pool = new PathPool(256);
  private rows = new Int32Array(64);
  private sent = new Float64Array(64);

  /** Empty batches with room for `rows` rows (grown: for `room` rows, at least twice what it had). */
  reset(rows: number, room = rows): { batches: Batches; pool: PathPool; rows: Int32Array } {
    if (this.batches.flow.length < rows) {
      const capacity = Math.max(room, this.batches.flow.length * 2);
      this.batches = createBatches(capacity);
      this.rows = new Int32Array(capacity);
      this.sent = new Float64Array(capacity);
    }
    this.batches.count = 0;
    this.pool.length = 0;
    return { batches: this.batches, pool: this.pool, rows: this.rows };
  }

  /**
   * The leg built since `reset`; the kernels' output columns start at zero, as in fresh batches.
   * With `perHop`, what each batch carries over each link is tracked (`hopTransferred`).
   */
  finish(perHop = false, payments = false): Leg {
    const { batches } = this;
    const n = batches.count;
    const hops = this.pool.length;
    if (payments) {
      // The columns the payment fields need (see payment-desk.ts): the desk writes rejectHop.
      if (batches.rejectHop.length < n) batches.rejectHop = new Int32Array(batches.flow.length);
      if (batches.refused.length < n) batches.refused = new Float64Array(batches.flow.length);
      else batches.refused.fill(0, 0, n);
      if (batches.hopPackets.length < hops) batches.hopPackets = new Float64Array(Math.max(256, 2 * hops));
      else batches.hopPackets.fill(0, 0, hops);
    }
    if (!perHop) batches.hopTransferred = EMPTY;
    else if (batches.hopTransferred.length < hops) batches.hopTransferred = new Float64Array(Math.max(256, 2 * hops));
    else batches.hopTransferred.fill(0, 0, hops);
    batches.arrivedPackets.fill(0, 0, n);
    batches.arrivedPayment.fill(0, 0, n);
    batches.premium.fill(0, 0, n);
    batches.dropped.fill(0, 0, n);
    batches.leftSender.fill(0, 0, n);
    this.sent.set(batches.packets.subarray(0, n));
    return { batches, pool: this.pool.view(), rows: this.rows, sent: this.sent };
  }
}

const EMPTY = new Float64Array(0);

/** A growable Int32Array for the links of all batch paths. */
class PathPool {
  length = 0;
  private data: Int32Array;
  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  /** Appends `count` links of `from` starting at `start`. */
  append(from: RoutePool, start: number, count: number): void {
    if (this.length + count > this.data.length) {
      const grown = new Int32Array(Math.max(this.data.length * 2, this.length + count));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    // A loop, not `set`: paths are a few links long, and `set` costs more per call than the copy.
    const data = this.data;
    let at = this.length;
    for (let h = start; h < start + count; h++) data[at++] = from[h]!;
    this.length = at;
  }
  /** The links appended so far (a view: valid until the next append after a reset). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * A path view handed to strategies: its price is set for each flow in turn, its node ids and
 * latency are looked up only if a strategy reads them.
 */
class PathViewSlot implements OfferedPathView {
  price = 0;
  constructor(private readonly shard: FlowShard, private readonly index: number) {}
  get nodes(): readonly string[] {
    return this.shard.pathStaticOf(this.index).nodes;
  }
  get latencyMs(): number {
    return this.shard.pathStaticOf(this.index).latencyMs;
  }
}
