/** Every message between the supervisor and its workers. */

/** The two passes of a hop (see engine/pipeline.ts). */
export type HopPass = "local" | "forward";

export interface HopTask {
  pass: HopPass;
  /** Shard index: which rows to process and which partial totals to add to. */
  shard: number;
  from: number;
  to: number;
  hop: number;
  leg: number;
  round: number;
  seed: number;
  batches: SharedArrayBuffer;
  batchCapacity: number;
  poolCapacity: number;
  links: SharedArrayBuffer;
  linkCount: number;
  totals: SharedArrayBuffer;
}

/** What a worker answers: rows processed (a cheap check that the shard ran). */
export interface HopResult {
  shard: number;
  rows: number;
}
