/**
 * The bench's baseline for `speedup2Workers`: what this machine gives a bare typed-array loop
 * when its flows are split across threads the way the engine splits them.
 *
 * The bare loop of bench/run.ts, sharded: the captured legs' rows go to shards round-robin (each
 * shard gets its own compact copy, as each engine worker holds only its own flows), every shard
 * runs in a worker thread of its own, and the shards meet at a barrier once per hop, where each
 * adds up all shards' offered and carried bits per link (in shard order) to get the hop's
 * admission shares. One pass per hop, as the engine's ShardHost does: the carry of hop h and the
 * offer of hop h + 1 in one loop over the rows, partial totals in two alternating slices. The
 * same code at 1 thread and at 2 gives the speedup a memory-bound loop with the engine's
 * synchronisation gets here; the engine's own speedup is read against it.
 */
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { performance } from "node:perf_hooks";
import { arriveAndWait } from "../src/parallel/barrier.js";

/** One leg of one round, as the bench captures it from the in-thread engine. */
export type BareLeg = { paths: Int32Array; starts: Int32Array; lengths: Int32Array; packets: Float64Array; bits: Float64Array };

type ShardTask = {
  shard: number;
  shards: number;
  legs: BareLeg[];
  linkCount: number;
  capacityBits: Float64Array;
  passes: number;
  /** Each leg's longest path over all shards: every shard plays that many hops, as the engine's shards agree on it. */
  hops: number[];
  /** partials[(slice * shards + shard) * 2 * L + {0: offered, L: carried} + l] */
  partials: SharedArrayBuffer;
  sync: SharedArrayBuffer;
};

/** Rows i with i % shards === shard of one leg, with their own path pool. */
function shardOf(leg: BareLeg, shard: number, shards: number): BareLeg {
  const rows: number[] = [];
  let links = 0;
  for (let i = shard; i < leg.lengths.length; i += shards) {
    rows.push(i);
    links += leg.lengths[i]!;
  }
  const out: BareLeg = {
    paths: new Int32Array(links), starts: new Int32Array(rows.length), lengths: new Int32Array(rows.length),
    packets: new Float64Array(rows.length), bits: new Float64Array(rows.length),
  };
  let at = 0;
  rows.forEach((i, r) => {
    const n = leg.lengths[i]!;
    out.paths.set(leg.paths.subarray(leg.starts[i]!, leg.starts[i]! + n), at);
    out.starts[r] = at;
    out.lengths[r] = n;
    out.packets[r] = leg.packets[i]!;
    out.bits[r] = leg.bits[i]!;
    at += n;
  });
  return out;
}

/** One shard's passes over its legs; returns its batch-hops. */
function runShard(task: ShardTask): number {
  const { shard, shards, legs, linkCount: L, capacityBits, passes } = task;
  const sync = new Int32Array(task.sync);
  const part = (slice: number, s: number, carried: 0 | 1): Float64Array =>
    new Float64Array(task.partials, ((slice * shards + s) * 2 + carried) * L * 8, L);
  const own = [0, 1].map((slice) => ({ offered: part(slice, shard, 0), carried: part(slice, shard, 1) }));
  const all = [0, 1].map((slice) => Array.from({ length: shards }, (_, s) => ({ offered: part(slice, s, 0), carried: part(slice, s, 1) })));
  const carried = new Float64Array(L);
  const share = new Float64Array(L);
  const offered = new Float64Array(L);
  let batchHops = 0;
  for (let pass = 0; pass < passes; pass++) {
    carried.fill(0);
    let slice = 0;
    for (let g = 0; g < legs.length; g++) {
      const leg = legs[g]!;
      const packets = leg.packets.slice();
      const { paths, starts, lengths, bits } = leg;
      const maxHops = task.hops[g]!;
      // Hop 0's offer on its own; then each pass carries hop h and offers hop h + 1.
      let out = own[slice]!;
      out.offered.fill(0);
      out.carried.fill(0);
      for (let i = 0; i < packets.length; i++) if (lengths[i]! > 0) out.offered[paths[starts[i]!]!]! += packets[i]! * bits[i]!;
      for (let hop = 0; hop < maxHops; hop++) {
        arriveAndWait(sync, shards);
        offered.fill(0);
        for (const totals of all[slice]!) {
          for (let l = 0; l < L; l++) {
            offered[l]! += totals.offered[l]!;
            carried[l]! += totals.carried[l]!;
          }
        }
        for (let l = 0; l < L; l++) {
          const free = Math.max(0, capacityBits[l]! - carried[l]!);
          share[l] = offered[l]! > free ? free / offered[l]! : 1;
        }
        slice ^= 1;
        out = own[slice]!;
        out.offered.fill(0);
        out.carried.fill(0);
        const { offered: next, carried: delta } = out;
        for (let i = 0; i < packets.length; i++) {
          const length = lengths[i]!;
          if (hop >= length) continue;
          const at = starts[i]! + hop;
          const link = paths[at]!;
          const n = Math.floor(packets[i]! * share[link]!);
          packets[i] = n;
          const carriedBits = n * bits[i]!;
          delta[link]! += carriedBits;
          if (hop + 1 < length) next[paths[at + 1]!]! += carriedBits;
          batchHops++;
        }
      }
      // The last hop's carried bits count towards the next leg's free capacity.
      arriveAndWait(sync, shards);
      for (const totals of all[slice]!) for (let l = 0; l < L; l++) carried[l]! += totals.carried[l]!;
      arriveAndWait(sync, shards);
    }
  }
  return batchHops;
}

if (!isMainThread && workerData?.bareShards === true) {
  const task = workerData.task as ShardTask;
  // A warm-up pass, then the timed passes from a common start.
  runShard({ ...task, passes: 1 });
  arriveAndWait(new Int32Array(task.sync), task.shards);
  const started = performance.now();
  const batchHops = runShard(task);
  parentPort!.postMessage({ seconds: (performance.now() - started) / 1000, batchHops });
}

/**
 * The sharded bare loop on `threads` worker threads, `passes` times over the legs after one
 * warm-up pass: wall seconds (the slowest shard's) and batch-hops (all shards').
 */
export async function bareLoopSharded(legs: readonly BareLeg[], linkCount: number, capacityBits: Float64Array, threads: number, passes: number): Promise<{ seconds: number; batchHops: number }> {
  const partials = new SharedArrayBuffer(2 * threads * 2 * linkCount * 8);
  const sync = new SharedArrayBuffer(16);
  const hops = legs.map((leg) => leg.lengths.reduce((m, n) => Math.max(m, n), 0));
  const workers = Array.from({ length: threads }, (_, shard) => {
    const task: ShardTask = { shard, shards: threads, legs: legs.map((leg) => shardOf(leg, shard, threads)), linkCount, capacityBits, passes, hops, partials, sync };
    return new Worker(new URL(import.meta.url), { workerData: { bareShards: true, task } });
  });
  try {
    const results = await Promise.all(workers.map((worker) => new Promise<{ seconds: number; batchHops: number }>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`bench: a bare-loop shard exited with code ${code}`)));
    })));
    return { seconds: Math.max(...results.map((r) => r.seconds)), batchHops: results.reduce((sum, r) => sum + r.batchHops, 0) };
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
