/** Dealing a sweep's runs into shards: run k goes to shard k mod N, so every shard gets a mix of points. */
import type { Point } from "../analysis/points.js";

/**
 * The runs of shard `shard` of `shards`.
 *
 * @example shardRuns([r0, r1, r2, r3, r4], 1, 2) // [r1, r3]
 */
export function shardRuns<T>(runs: readonly Point<T>[], shard: number, shards: number): Point<T>[] {
  return runs.filter((_, k) => k % shards === shard);
}
