/**
 * The interfaces the engine's parts share: the coordinator (simulation.ts), the flow shard
 * (flow-shard.ts), its in-thread host (local-shards.ts), the route store, and the worker hosts
 * of parallel/. They live here, importing nothing of those files, so that no import goes in a
 * circle.
 */
import type { UserStrategy } from "../agents/strategy.js";
import type { TrafficSpec } from "../mechanisms/pricing/counter-arrivals.js";
import type { CompiledTopology } from "../model/topology.js";
import type { ArrivalList, FlowColumnsView } from "./flows.js";
import type { EndedFlowTotals } from "./flow-totals.js";
import type { Batches, HopContext, LinkInputs, LinkTotals } from "./pipeline.js";
import type { BeaconPrices } from "../security/beacon-board.js";
import type { PriceUpdate } from "../security/price-update.js";

/** One offered path: its nodes and directed links, from the payer to the payee. */
export interface OfferedPathLike {
  readonly nodes: Int32Array;
  readonly links: Int32Array;
}

/** The bounded set of paths an access ISP offers (edge-directed routing). */
export interface PathProvider {
  /** Most routes offered per (source, destination). */
  readonly k: number;
  /** The routes offered from `src` to `dst`, best first (empty when unreachable). */
  offered(src: number, dst: number): readonly OfferedPathLike[];
}

/** A user strategy with its checked parameters: flows name their agent by index. */
export interface UserAgent {
  strategy: UserStrategy;
  params: unknown;
  /** Where the strategy was loaded from (a built-in id or a file path with `#export`), so a worker can load it too. */
  source?: { ref: string; baseDir: string };
  /** The strategy is a built-in: its passes run without the watchdog (see strategy-guard.ts). */
  builtIn?: boolean;
}

/** What a shard's flows sent and got in a round, for the run's totals. */
export interface ShardRoundCounts {
  acksSent: number;
  acksDelivered: number;
  /** Batch-hops of both legs (path links of every batch). */
  batchHops: number;
  /**
   * Over the flows that sent this round: Σ data packets delivered × payment per packet, and
   * Σ data packets delivered × bits per data packet. Sums of whole numbers (bits a multiple of
   * the packet size), exact in doubles below 2^53, so the shards' sums add up to the same total
   * in any order: the per-flow reporters' numbers without a pass over the flows.
   */
  paid: number;
  deliveredBits: number;
  /**
   * Partials (ExactSum) of Σ active seconds × ln(1 + Mbit delivered / active seconds) over the
   * flows that sent (the pricing paper's log utility without its weight), and how many terms.
   */
  logUtility: number[];
  utilityTerms: number;
  /** The flows that ended this round (by its end), added up. */
  ended: EndedFlowTotals;
  /** What the flows governed by a digital secretary paid, and to whom (only with a secretary). */
  billing?: ShardBilling;
  /** What the ASes booked from the authenticated payment fields, and what they refused (only with `security.payments`). */
  payments?: ShardPayments;
  /**
   * The links of the routes user-OADs steered packets onto for the first time this round, in
   * the order of their index (flow column `lastRoute`); the host keeps them for the observers
   * (FlowColumnsView.steeredLinks). Absent when there is none.
   */
  steered?: Int32Array[];
}

/** The engine's part of the scenario's `security.payments` (see payment-desk.ts). */
export interface PaymentSetup {
  /** Seconds a field stays valid after the source stamps it. */
  expirySeconds: number;
}

/** What a shard's payment desk did in a round, as flat numbers (cheap to post from a worker). */
export interface ShardPayments {
  /** [slot, units] pairs, slots ascending: what the receiving AS booked from that neighbour (see payment-desk.ts `ledgerSlot`). */
  booked: number[];
  /** HMAC-SHA-256 computations per field: the source's MAC, the AS's key derivation and MAC (the sources' one-time key fetches are left out). */
  macs: number;
  /** Payment fields an AS checked. */
  checked: number;
  /** Packets refused, per verdict (in payment-desk.ts FIELD_VERDICTS order), and the batches refused. */
  refusedPackets: number[];
  refusedBatches: number;
}

/** The digital secretaries' part that the shards apply (engine/secretary-desk.ts keeps the rest). */
export interface ShardSecretary {
  /** Per user agent: the willingness to pay per packet of its flow's application class, or -1 where no secretary governs it. */
  willingness: Float64Array;
}

/** One round of a shard's flows that a secretary governs, as flat numbers (cheap to post from a worker). */
export interface ShardBilling {
  /** [agent, node, amount] triples: what `node` kept of the payments in `agent`'s packets this round. */
  kept: number[];
  /** [agent, packets that left the host, cap (0 none, 1 willingness, 2 budget)] per governed flow that sent. */
  flows: number[];
}

/** What one shard needs to play a round (the worker's round task carries exactly this). */
export interface ShardRound {
  round: number;
  /** Simulated time at the start of the round. */
  time: number;
  /** Bumped whenever an ISP changes a tariff (announced path prices are then recomputed). */
  tariffVersion: number;
  /** Flows that ended by this time are removed first (null: none). */
  endedBy: number | null;
  /** This shard's arrivals, with their uids. */
  arrivals: ArrivalList;
  /**
   * The round's generated flows, uids `base` to `base + count − 1`: each shard draws those that
   * are its own (uid mod shards) itself (see mechanisms/pricing/counter-arrivals.ts). Null: none.
   */
  generated: { base: number; count: number } | null;
  /** Premium packets first (payment scheduling) rather than FIFO. */
  byPayment: boolean;
  /** Add up the flows that ended and the log-utility terms (ShardRoundCounts), for observers that read them. */
  flowTotals: boolean;
  /** Per user agent: what its flow may spend this round (its share of its host's budget; Infinity: no budget). Absent without a secretary. */
  allowances?: Float64Array | undefined;
  /** The segment prices of the latest beacon interval, when one was played since the last round (scenario `security.beacons`). */
  beacons?: BeaconPrices | undefined;
}

/** What the shards need to play a round: a ShardRound with each shard's arrivals. */
export interface RoundInputs extends Omit<ShardRound, "arrivals"> {
  /** Each shard's arrivals. */
  arrivals: readonly ArrivalList[];
}

/** What a shard needs to play the security protocols (plain data, sent to workers); see shard-security.ts. */
export interface ShardSecurityOptions {
  /** Packet size, bits, whose price the beacons carry: every flow must send packets of it. */
  packetBits: number;
  /** Seconds an in-path price update stays valid; absent: no in-path updates. */
  inPathValiditySeconds?: number | undefined;
}

/** An attacker between the ASes of a flow's route and its source, rewriting the echoed updates (in-thread runs only: tests). */
export type OnPathAttacker = (updates: readonly PriceUpdate[], uid: number, round: number) => PriceUpdate[];

/** The run's `security` section as the engine plays it (src/scenario/security-plan.ts builds it). */
export interface SecurityPlan {
  /** Price beacons on the coordinator (security/beacon-board.ts). */
  beacons: { intervalSeconds: number; perLink: number; warmup?: boolean; onLink?: (bytes: Uint8Array, link: number, time: number) => Uint8Array };
  /** The shards' part. */
  shards: ShardSecurityOptions;
  /** See OnPathAttacker (in-thread runs only). */
  onPath?: OnPathAttacker | undefined;
}

/** What a set of flow shards is built from. */
export interface FlowShardSetup {
  topology: CompiledTopology;
  paths: PathProvider;
  seed: number;
  roundSeconds: number;
  userAgents: readonly UserAgent[];
  /** The coordinator's link inputs (tariffs, standing, capacity); admission shares are written into them. */
  links: LinkInputs;
  /** Generated traffic, drawn by the shards themselves. */
  traffic?: TrafficSpec | undefined;
  /** See SimulationOptions.strategyTimeoutMs. */
  strategyTimeoutMs?: number;
  /** The digital secretaries' caps (absent: none). */
  secretary?: ShardSecretary | undefined;
  /** Authenticated payments on the paying leg (absent: off). */
  payments?: PaymentSetup | undefined;
  /** Beacons and in-path updates on the shards' side (absent: no `security.beacons`). */
  security?: ShardSecurityOptions | undefined;
  /** See OnPathAttacker (the in-thread shard only). */
  onPath?: OnPathAttacker | undefined;
}

/**
 * The flows of a run, split into shards: flow uid `u` lives in shard `u % count`. The
 * coordinator (Simulation) plays each round through `playRound`, which may return a promise.
 */
export interface FlowShards {
  /** Number of shards. */
  readonly count: number;
  /**
   * One round of the flows (FlowShard.playRound on every shard), the hops of each leg run over
   * all shards' batches. What crossed each link is added into `totals`; returns the shards'
   * counts summed.
   */
  playRound(inputs: RoundInputs, totals: LinkTotals): ShardRoundCounts | Promise<ShardRoundCounts>;
  /** Each shard's flow table (rows in ascending uid), valid until the next round. */
  tables(): readonly FlowColumnsView[];
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

/**
 * How a host runs the hops of a leg its shard built (`longest`: the shard's longest path on
 * it): the one step in which the in-thread host and the worker hosts differ.
 */
export type LegHops = (leg: 0 | 1, built: Leg, longest: number) => void;

/** Runs the two passes of each hop over all batches of a leg, in the calling thread. */
export interface HopRunner {
  runLeg(
    links: LinkInputs, batches: Batches, totals: LinkTotals, pathPool: Int32Array,
    ctx: Omit<HopContext, "hop" | "pathPool">, byPayment: boolean, longest: number,
  ): void;
}
