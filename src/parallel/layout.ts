/**
 * Round state packed into SharedArrayBuffers with named offsets, so supervisor and workers see
 * the same memory: one buffer for the batches of a leg (and their path pool), one for the link
 * inputs, one for each shard's partial link totals. Pure functions; both sides import them.
 */
import type { Batches, LinkInputs, LinkTotals } from "../engine/pipeline.js";
import { LINK_TOTAL_KEYS } from "../engine/pipeline.js";

type Column = { name: string; type: Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor };

const BATCH_COLUMNS = [
  { name: "packets", type: Float64Array }, { name: "payment", type: Float64Array }, { name: "bitsPerPacket", type: Float64Array },
  { name: "arrivedPackets", type: Float64Array }, { name: "arrivedPayment", type: Float64Array }, { name: "dropped", type: Float64Array },
  { name: "leftSender", type: Float64Array },
  { name: "flow", type: Int32Array }, { name: "pathStart", type: Int32Array }, { name: "pathLength", type: Int32Array },
  { name: "premium", type: Uint8Array },
] as const satisfies readonly Column[];

const LINK_COLUMNS = [
  { name: "perPacket", type: Float64Array }, { name: "perByte", type: Float64Array }, { name: "proportional", type: Float64Array },
  { name: "congestion", type: Float64Array }, { name: "dropShare", type: Float64Array }, { name: "capacityBits", type: Float64Array },
  { name: "admitNormal", type: Float64Array }, { name: "admitPremium", type: Float64Array },
  { name: "senderIsHost", type: Uint8Array }, { name: "noPremium", type: Uint8Array },
] as const satisfies readonly Column[];

function bytesFor(columns: readonly Column[], rows: number): number {
  let bytes = 0;
  for (const c of columns) bytes = align8(bytes) + c.type.BYTES_PER_ELEMENT * rows;
  return align8(bytes);
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function views(buffer: SharedArrayBuffer, columns: readonly Column[], rows: number, offset = 0): Record<string, Float64Array | Int32Array | Uint8Array> {
  const out: Record<string, Float64Array | Int32Array | Uint8Array> = {};
  let at = offset;
  for (const c of columns) {
    at = align8(at);
    out[c.name] = new (c.type as Float64ArrayConstructor)(buffer, at, rows);
    at += c.type.BYTES_PER_ELEMENT * rows;
  }
  return out;
}

/** A batch buffer: `capacity` batch rows followed by a path pool of `poolCapacity` link indices. */
export interface SharedBatchBuffer {
  buffer: SharedArrayBuffer;
  capacity: number;
  poolCapacity: number;
}

export function allocateBatchBuffer(capacity: number, poolCapacity: number): SharedBatchBuffer {
  const buffer = new SharedArrayBuffer(bytesFor(BATCH_COLUMNS, capacity) + 4 * poolCapacity);
  return { buffer, capacity, poolCapacity };
}

export function batchViews(shared: SharedBatchBuffer, count: number): { batches: Batches; pool: Int32Array } {
  const columns = views(shared.buffer, BATCH_COLUMNS, shared.capacity) as unknown as Omit<Batches, "count">;
  const pool = new Int32Array(shared.buffer, bytesFor(BATCH_COLUMNS, shared.capacity), shared.poolCapacity);
  return { batches: { ...columns, count }, pool };
}

export function allocateLinkBuffer(linkCount: number): SharedArrayBuffer {
  return new SharedArrayBuffer(bytesFor(LINK_COLUMNS, linkCount));
}

export function linkViews(buffer: SharedArrayBuffer, linkCount: number): LinkInputs {
  return views(buffer, LINK_COLUMNS, linkCount) as unknown as LinkInputs;
}

/** One buffer holding every shard's partial totals, shard after shard. */
export function allocateTotalsBuffer(linkCount: number, shards: number): SharedArrayBuffer {
  return new SharedArrayBuffer(8 * LINK_TOTAL_KEYS.length * linkCount * shards);
}

export function totalsViews(buffer: SharedArrayBuffer, linkCount: number, shard: number): LinkTotals {
  const totals = {} as LinkTotals;
  LINK_TOTAL_KEYS.forEach((key, k) => {
    totals[key] = new Float64Array(buffer, 8 * linkCount * (shard * LINK_TOTAL_KEYS.length + k), linkCount);
  });
  return totals;
}

/** Copies the first `count` rows of each batch column (and the pool) between two Batches. */
export function copyBatches(from: Batches, fromPool: Int32Array, to: Batches, toPool: Int32Array, poolLength: number): void {
  const n = from.count;
  for (const { name } of BATCH_COLUMNS) {
    (to[name] as Float64Array).set((from[name] as Float64Array).subarray(0, n));
  }
  toPool.set(fromPool.subarray(0, poolLength));
}

export function copyBatchResults(from: Batches, to: Batches): void {
  const n = to.count;
  for (const name of ["packets", "payment", "dropped", "leftSender", "arrivedPackets", "premium"] as const) {
    (to[name] as Float64Array).set((from[name] as Float64Array).subarray(0, n));
  }
}

export function copyLinkInputs(from: LinkInputs, to: LinkInputs): void {
  for (const { name } of LINK_COLUMNS) (to[name] as Float64Array).set(from[name] as Float64Array);
}
