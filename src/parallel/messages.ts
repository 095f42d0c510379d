/** Every message between the supervisor and its flow-shard workers (one worker per shard). */
import type { SharedColumns } from "../engine/flows.js";
import type { TrafficSpec } from "../mechanisms/pricing/counter-arrivals.js";
import type { PaymentSetup } from "../engine/payment-desk.js";
import type { ShardRound, ShardRoundCounts, ShardSecretary, ShardSecurityOptions } from "../engine/types.js";
import type { CompiledTopology } from "../model/topology.js";
import type { RouteTableBuffers } from "../engine/route-table.js";

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
  /** Offered paths per (source, destination): the worker computes the pairs the route table lacks. */
  pathsK: number;
  /** The shared route table (engine/route-table.ts); null: the worker keeps one of its own (a graph past 2^24 pairs). */
  routes: RouteTableBuffers | null;
  seed: number;
  roundSeconds: number;
  agents: AgentSource[];
  /** Generated traffic, whose flows the worker draws itself. */
  traffic: TrafficSpec | undefined;
  /** Link inputs (tariffs, standing, capacity, admission shares), written by the supervisor. */
  links: SharedArrayBuffer;
  linkCount: number;
  /** Every shard's partial link totals, two slices per shard (passes alternate between them). */
  partials: SharedArrayBuffer;
  /** The round's link totals so far, written by shard 0 at the end of each leg. */
  totals: SharedArrayBuffer;
  /** The barrier between the shards' passes (see parallel/barrier.ts). */
  sync: SharedArrayBuffer;
  /** Each shard's hop count for each leg (2 × shards Int32), to agree on the longest. */
  hops: SharedArrayBuffer;
  /** Budget of one strategy call in ms (left out: the engine's default); see engine/strategy-guard.ts. */
  strategyTimeoutMs?: number;
  /** The digital secretaries' caps (left out: none). */
  secretary?: ShardSecretary;
  /** Authenticated payments on the paying leg (left out: off). */
  payments?: PaymentSetup;
  /** Beacons and in-path updates, the shard's part (left out: none). */
  security?: ShardSecurityOptions;
}

/**
 * One round of this shard's flows (FlowShard.playRound). The shards meet at a barrier to agree
 * on each leg's hop count and after each hop's pass.
 */
export interface RoundTask extends ShardRound {
  op: "round";
}

/** Any task a worker runs. */
export type ShardTask = InitTask | RoundTask;

/** What a worker answers to a round. */
export interface ShardReply {
  /** The round's counts. */
  counts?: ShardRoundCounts;
  /** Rows in the shard's flow table. */
  count?: number;
  /** The table's column buffers, when they were (re)allocated since last sent. */
  columns?: SharedColumns;
  /** Seconds this shard spent in the hop passes of the round (barrier waits included). */
  hopSeconds?: number;
  /** What went wrong, and in which part of the round: the shard then raised the barrier's abort flag. */
  failure?: { phase: string; message: string };
}
