/**
 * The scenario file format, checked with zod. Every field has a doc comment and a default where
 * one makes sense; unknown fields are errors (a typo should not silently do nothing).
 */
import { z } from "zod";
import { topologyJsonSchema } from "../model/loaders/json.js";
import { DEFAULT_FLOW } from "../mechanisms/pricing/traffic.js";
import { MAX_PAYMENT } from "../model/header.js";
import { MIN_CAPACITY_BPS } from "../model/topology.js";

/**
 * Most ISPs a generated topology may have. The AS-level Internet has about 75,000 ASes. Measured
 * with `tollway validate` on a busy 2-core machine: 100,000 ISPs take 2.5 s, 100,000 ISPs with
 * 100,000 hosts 11 s (0.5 GB); 300,000 ISPs took 10 s and 10^6 hosts 22 s, so 10^6–10^9 would
 * run for minutes.
 */
export const MAX_GENERATED_NODES = 100_000;
/** Most end hosts a generated topology may attach (see MAX_GENERATED_NODES for the timings). */
export const MAX_GENERATED_HOSTS = 100_000;
/**
 * Most data packets one flow may want per round. Packet counts are added up in doubles, exact
 * up to 2^53 ≈ 9·10^15: this leaves room for nine million flow-rounds at the maximum.
 */
export const MAX_PACKETS_PER_ROUND = 1e9;
/**
 * Most generated flows expected to arrive in one round (traffic.ratePerSec × roundSeconds); each
 * round's arrivals are drawn into arrays of that length. The pricing paper's 4.26 million per
 * second with 1 s rounds fits.
 */
export const MAX_ARRIVALS_PER_ROUND = 1e7;
/** Longest simulated round, a year: round start times stay finite and exact. */
export const MAX_ROUND_SECONDS = 365 * 86_400;
/**
 * Bits one generated packet may stand for, from 1 to 10^9: fewer than one bit makes packet
 * counts overflow, and a gigabit packet already makes per-packet prices huge.
 */
export const MAX_PACKET_BITS = 1e9;
/**
 * Largest log-scale spread of a generated flow's duration or demand: e^(20·z) already spans
 * any range the caps allow, and a larger σ overflows the draw to infinity (and NaN packets).
 */
export const MAX_LOG_SIGMA = 20;
/** Largest settlement threshold in dollars (a trillion); in picodollars it is still an exact BigInt. */
export const MAX_THRESHOLD_DOLLARS = 1e12;
import { experimentSchema } from "./experiment.js";
import { secretarySchema } from "./secretary-schema.js";
import { securitySchema } from "./security-schema.js";

/** Money units a scenario can count in; amounts in the scenario and the results are integers of it. */
export const MONEY_UNITS = {
  nanodollar: 1e9,
  picodollar: 1e12,
  microdollar: 1e6,
  /** The pricing paper's abstract "price unit" (PU); no dollar value. */
  "price-unit": null,
  /**
   * A thousandth of a price unit: pricing runs count in it, so that the per-packet toll
   * price × packet size rounds to a whole unit with negligible error (1000 per PU).
   */
  "milli-price-unit": null,
} as const;
export type MoneyUnit = keyof typeof MONEY_UNITS;

/** A strategy by id (or file path) and its parameters. */
export const strategyChoiceSchema = z.strictObject({
  /** Built-in id (see `tollway strategies`) or a path to a .ts/.js file, optionally `#exportName`. */
  strategy: z.string().min(1),
  /** Parameters, checked against the strategy's own schema; missing ones take its defaults. */
  params: z.record(z.string(), z.unknown()).default({}),
});
export type StrategyChoice = z.infer<typeof strategyChoiceSchema>;

const capacityAndLatency = {
  /** Capacity of every link, bit/s; at least MIN_CAPACITY_BPS. */
  capacityBps: z.number().min(MIN_CAPACITY_BPS).optional(),
  /** One-way latency of every link, ms. */
  latencyMs: z.number().min(0).optional(),
};

export const topologySourceSchema = z.discriminatedUnion("kind", [
  /** The Bill-Pay paper's Figure 1: hosts A and B, ISPs X, Y and Z. */
  z.strictObject({ kind: z.literal("figure1") }),
  /** An Internet-like AS graph from the built-in generator. */
  z.strictObject({
    kind: z.literal("generated"),
    /** ISPs, 2 to MAX_GENERATED_NODES. */
    nodes: z.number().int().min(2).max(MAX_GENERATED_NODES),
    /**
     * Seed of the generator; the scenario's seed when left out. The network is structure: it is
     * the same in every replication of a study (a run seed such as `--seed` or a replication's
     * never redraws it); vary this field to study other networks.
     */
    seed: z.number().int().min(0).optional(),
    /** End hosts attached to random ISPs. */
    hosts: z.number().int().min(0).max(MAX_GENERATED_HOSTS).default(0),
    ...capacityAndLatency,
  }),
  /** A CAIDA AS-relationship file (serial-1 or serial-2), optionally cut to one country. */
  z.strictObject({
    kind: z.literal("caida"),
    /** Path, relative to the scenario file. */
    file: z.string().min(1),
    /** Keep the ASes of this country code, listed in `delegationFile`. */
    country: z.string().length(2).optional(),
    /** An RIR delegation file (`registry|cc|asn|start|count|date|status`). */
    delegationFile: z.string().optional(),
    largestComponent: z.boolean().default(true),
    ...capacityAndLatency,
  }),
  /** A topology in Tollway's JSON format, in a file or inline. */
  z.strictObject({ kind: z.literal("json"), file: z.string().min(1) }),
  z.strictObject({ kind: z.literal("inline"), ...topologyJsonSchema.shape }),
]);
export type TopologySource = z.infer<typeof topologySourceSchema>;

export const flowSchema = z.strictObject({
  /** Name used in summaries; `from->to` when left out. */
  id: z.string().optional(),
  /** Node id of the data sender. */
  from: z.string(),
  /** Node id of the data receiver. */
  to: z.string(),
  /** The paying user's strategy (the sender, or the receiver in receiver-pays mode). */
  strategy: z.string().min(1),
  params: z.record(z.string(), z.unknown()).default({}),
  /** Data packets the application wants to send per round, 0 to MAX_PACKETS_PER_ROUND. */
  packetsPerRound: z.number().min(0).max(MAX_PACKETS_PER_ROUND).default(1),
  packetBytes: z.number().int().positive().default(1500),
  /** Size of an acknowledgment (or, in receiver-pays mode, of a request); 0 for no return packets. */
  ackBytes: z.number().int().min(0).default(40),
  /**
   * `sender-pays`: the sender pays in data packets and the receiver returns the rest in acks.
   * `receiver-pays` (Bill-Pay §2): the client (`to`) pays in its requests and the server (`from`)
   * mirrors what remains into the data packets it sends back.
   */
  mode: z.enum(["sender-pays", "receiver-pays"]).default("sender-pays"),
  /** What the payee keeps from each packet that reaches it: `perPacket + fraction × remaining`. */
  receiverKeeps: z.strictObject({
    /** Money units per packet, at most what the header's payment field carries (MAX_PAYMENT). */
    perPacket: z.number().min(0).max(MAX_PAYMENT).default(0),
    fraction: z.number().min(0).max(1).default(0),
  }).default({ perPacket: 0, fraction: 0 }),
  /** Node ids of the return path (payee to payer); the first offered one when left out. */
  returnPath: z.array(z.string()).optional(),
  startRound: z.number().int().min(0).default(0),
  /** First round the flow no longer sends in; it runs to the end when left out. */
  endRound: z.number().int().min(1).optional(),
  /** Application class (a key of `secretary.classes`): the paying host's digital secretary then caps its payments. */
  application: z.string().min(1).optional(),
  /** The delay a data packet must arrive within, ms: the share delivered later is the flow's `late_share` (metrics/queueing-delay.ts). */
  deadlineMs: z.number().positive().optional(),
});
export type FlowConfig = z.infer<typeof flowSchema>;

/**
 * What users' bandwidth is worth and what carrying traffic costs ISPs, for the game-theory
 * measures (docs/game-theory.md). Optional: left out, the defaults of `resolveEconomics` apply.
 */
export const economicsSchema = z.strictObject({
  /** Users' value of bandwidth, F(x) = weight · ln(1 + x / bandwidthUnitBps) per second (Eq. 1 of the pricing paper). */
  utility: z.strictObject({
    /** Money units per second that ln(1 + x) is worth; the pricing model's w (default 1000). */
    weight: z.number().min(0).default(1000),
    /** Bandwidth unit of x in bit/s (default 1e6: x in Mbps). */
    bandwidthUnitBps: z.number().positive().default(1e6),
  }).optional(),
  /** An ISP's costs: a cost per megabit it carries on its own links plus a fixed cost per link. */
  costs: z.strictObject({
    /** Money units per megabit carried on one of the ISP's outgoing links (default 0). */
    perMegabit: z.number().min(0).default(0),
    /** Money units per second for each of the ISP's outgoing links, carried traffic or not (default 0). */
    perLinkPerSecond: z.number().min(0).default(0),
  }).optional(),
});
export type Economics = z.infer<typeof economicsSchema>;

/** A unilateral deviation to study with `tollway deviation`: one ISP switches to another strategy. */
export const deviationSchema = z.strictObject({
  /** Node id of the deviating ISP. */
  isp: z.string().min(1),
  /** Strategy it deviates to (built-in id or file path). */
  to: z.string().min(1),
  /**
   * Parameters of the new strategy: its own defaults plus these (nothing carries over from the
   * ISP's current strategy, so give every parameter that should differ from the defaults).
   */
  params: z.record(z.string(), z.unknown()).optional(),
});
export type DeviationSpec = z.infer<typeof deviationSchema>;

/** A grid over ISP strategy parameters, run point by point by `tollway oscillation`. */
export const sweepSchema = z.strictObject({
  /** ISPs whose parameters are swept; the scenario's players when left out. */
  isps: z.array(z.string().min(1)).min(1).optional(),
  /** Parameter name → values to try; every combination is one point of the grid. */
  params: z.record(z.string(), z.array(z.union([z.number(), z.string(), z.boolean()])).min(1)),
});
export type SweepSpec = z.infer<typeof sweepSchema>;

/**
 * Generated traffic (pricing paper, section IV-A): flows arrive as a Poisson process over the
 * whole network, between a source and a destination drawn uniformly from the ISPs, each with a
 * heavy-tailed duration and a demanded rate (src/mechanisms/pricing/traffic.ts). Every
 * generated flow is a user running `user`; it sends in data packets of `packetBits` and has no
 * return leg (the pricing paper settles per link, not through acknowledgments).
 */
export const trafficSchema = z.strictObject({
  /**
   * Poisson arrival rate of new flows over the whole network, flows per second (paper:
   * 4,260,000); times roundSeconds at most MAX_ARRIVALS_PER_ROUND.
   */
  ratePerSec: z.number().min(0),
  /** The flow law; every field left out takes its default (DEFAULT_FLOW). */
  flow: z.strictObject({
    /** Median flow duration, seconds. */
    durationMedianSec: z.number().positive().default(DEFAULT_FLOW.durationMedianSec),
    /** Log-scale spread of the duration, at most MAX_LOG_SIGMA. */
    durationSigma: z.number().min(0).max(MAX_LOG_SIGMA).default(DEFAULT_FLOW.durationSigma),
    /** Longest flow, seconds. */
    maxDurationSec: z.number().positive().default(DEFAULT_FLOW.maxDurationSec),
    /** Mean demanded rate, Mbps. */
    demandMeanMbps: z.number().positive().default(DEFAULT_FLOW.demandMeanMbps),
    /** Log-scale spread of the demanded rate, at most MAX_LOG_SIGMA. */
    demandSigma: z.number().min(0).max(MAX_LOG_SIGMA).default(DEFAULT_FLOW.demandSigma),
    /** Highest demanded rate, Mbps. */
    maxDemandMbps: z.number().positive().default(DEFAULT_FLOW.maxDemandMbps),
  }).prefault({}),
  /** Packet granularity: bits one simulated packet stands for (1 Mbit at paper scale). */
  packetBits: z.number().min(1).max(MAX_PACKET_BITS).default(1e6),
  /** The user strategy of every generated flow, and its parameters. */
  user: strategyChoiceSchema.prefault({ strategy: "cheapest-path" }),
  /** Node ids sources and destinations are drawn from; every ISP when left out. */
  nodes: z.array(z.string()).min(2).optional(),
});
export type TrafficConfig = z.infer<typeof trafficSchema>;

export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().default(""),
  /** Money unit of every amount in the scenario and its results. */
  unit: z.enum(Object.keys(MONEY_UNITS) as [MoneyUnit, ...MoneyUnit[]]).default("nanodollar"),
  seed: z.number().int().min(0).default(1),
  rounds: z.number().int().min(1).default(10),
  /** Simulated seconds per round, at most MAX_ROUND_SECONDS. */
  roundSeconds: z.number().positive().max(MAX_ROUND_SECONDS).default(1),
  topology: topologySourceSchema,
  /** Routes each access ISP offers per destination (edge-directed routing). */
  paths: z.strictObject({ k: z.number().int().min(1).max(8).default(4) }).default({ k: 4 }),
  /** Order of service at a full link: arrival order, or packets that paid their tolls first. */
  scheduling: z.enum(["fifo", "payment"]).default("fifo"),
  isps: z.strictObject({
    /** Strategy of every ISP not listed in `byNode`. */
    default: strategyChoiceSchema.default({ strategy: "fixed-toll", params: {} }),
    byNode: z.record(z.string(), strategyChoiceSchema).default({}),
  }).default({ default: { strategy: "fixed-toll", params: {} }, byNode: {} }),
  flows: z.array(flowSchema).default([]),
  /** Generated flows (Poisson arrivals), in addition to the listed `flows`. */
  traffic: trafficSchema.optional(),
  settlement: z.strictObject({
    /**
     * Settle a link when its open balance reaches this many dollars (Bill-Pay §2.3: "say $100"),
     * at most MAX_THRESHOLD_DOLLARS and at least one money unit.
     */
    thresholdDollars: z.number().positive().max(MAX_THRESHOLD_DOLLARS).default(100),
    /** Threshold in money units; required when the unit has no dollar value. */
    threshold: z.number().int().positive().optional(),
    /** Rounds per billing cycle ("the end of each month"). */
    billingCycleRounds: z.number().int().positive().default(1000),
    /** Node ids that do not pay what they owe (they lose preferential service). */
    defaulters: z.array(z.string()).default([]),
  }).default({ thresholdDollars: 100, billingCycleRounds: 1000, defaulters: [] }),
  /** The strategic ISPs of tournaments and equilibria (node ids); the ISPs listed in `isps.byNode` when left out. */
  players: z.array(z.string().min(1)).min(1).optional(),
  /** The deviation `tollway deviation` studies when no --isp/--to is given. */
  deviation: deviationSchema.optional(),
  /** Value of bandwidth and ISP costs for utility, profit and welfare. */
  economics: economicsSchema.optional(),
  /** Parameter grid for `tollway oscillation`. */
  sweep: sweepSchema.optional(),
  /** Factors, design and replications for `tollway sweep` (src/scenario/experiment.ts). */
  experiment: experimentSchema.optional(),
  /** The hosts' digital secretaries (Bill-Pay §2.3): willingness to pay per application, budgets, billing statements. */
  secretary: secretarySchema.optional(),
  /** The pricing paper's §III protocols played with real bytes and keys (src/scenario/security-schema.ts); off when left out. */
  security: securitySchema.optional(),
});
export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
