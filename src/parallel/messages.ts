/** Every message between the supervisor and its flow-shard workers (one worker per shard). */
import type { ArrivalList, SharedColumns } from "../engine/flows.js";
import type { ShardRoundCounts } from "../engine/flow-shard.js";
import type { CompiledTopology } from "../model/topology.js";

/** Where a worker loads a user strategy from, and its checked params. */
export interface AgentSource {
  /** A built-in id, or a file path with an optional `#export`. */
  ref: string;
  /** Directory a relative path is resolved against. */
  baseDir: string;
  params: unknown;
}

/** Sets the worker up as shard `shard` of `shards`: sent once, before the first round. */
export interface InitTask {
  op: "init";
  shard: number;
  shards: number;
  topology: CompiledTopology;
  /** Offered paths per (source, destination): the worker builds its own path table. */
  pathsK: number;
  seed: number;
  roundSeconds: number;
  agents: AgentSource[];
  /** Link inputs (tariffs, standing, capacity, admission shares), written by the supervisor. */
  links: SharedArrayBuffer;
  linkCount: number;
  /** Every shard's partial link totals, two slices per shard (passes alternate between them). */
  partials: SharedArrayBuffer;
  /** The round's link totals so far, written by shard 0 at the end of each leg. */
  totals: SharedArrayBuffer;
  /** The barrier between the shards' passes (see parallel/barrier.ts). */
  sync: SharedArrayBuffer;
}

/** Removes ended flows, adds this shard's arrivals, and builds the paying leg. */
export interface BeginTask {
  op: "begin";
  round: number;
  time: number;
  tariffVersion: number;
  /** Flows that ended by this time are removed first (null: none). */
  endedBy: number | null;
  arrivals: ArrivalList;
}

/**
 * Every hop of a leg over this shard's batches: the shards meet at a barrier after each pass,
 * and each adds up all partial totals and computes the admission shares itself.
 */
export interface LegTask {
  op: "leg";
  leg: 0 | 1;
  round: number;
  /** The longest path over all shards: every shard runs this many hops. */
  maxHops: number;
  byPayment: boolean;
}

/** Builds the return leg from what the paying leg delivered. */
export interface ReturnTask {
  op: "return";
  round: number;
}

/** Records the round's outcome of each flow. */
export interface OutcomesTask {
  op: "outcomes";
  round: number;
}

/** Any task a worker runs. */
export type ShardTask = InitTask | BeginTask | LegTask | ReturnTask | OutcomesTask;

/** What a worker answers. */
export interface ShardReply {
  /** Longest path of the leg just built (begin, return). */
  maxHops?: number;
  /** The round's counts (outcomes). */
  counts?: ShardRoundCounts;
  /** Rows in the shard's flow table (outcomes). */
  count?: number;
  /** The table's column buffers, when they were (re)allocated since last sent. */
  columns?: SharedColumns;
}
