/**
 * Round state packed into SharedArrayBuffers with named offsets, so supervisor and workers see
 * the same memory: one buffer for the link inputs, one for the shards' partial link totals (and
 * one for the round's totals). Pure functions; both sides import them. Each worker keeps its
 * batches to itself; flow tables are shared column by column (engine/flows.ts).
 */
import type { LinkInputs, LinkTotals } from "../engine/pipeline.js";
import { LINK_TOTAL_KEYS } from "../engine/pipeline.js";

type Column = { name: string; type: Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor };

const LINK_COLUMNS = [
  { name: "perPacket", type: Float64Array }, { name: "perByte", type: Float64Array }, { name: "proportional", type: Float64Array },
  { name: "congestion", type: Float64Array }, { name: "dropShare", type: Float64Array }, { name: "capacityBits", type: Float64Array }, { name: "oadFrom", type: Float64Array },
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

/** A buffer for the link inputs of `linkCount` links. */
export function allocateLinkBuffer(linkCount: number): SharedArrayBuffer {
  return new SharedArrayBuffer(bytesFor(LINK_COLUMNS, linkCount));
}

/** The link inputs in a buffer from `allocateLinkBuffer`. */
export function linkViews(buffer: SharedArrayBuffer, linkCount: number): LinkInputs {
  return views(buffer, LINK_COLUMNS, linkCount) as unknown as LinkInputs;
}

/** Slices of link totals per shard in the partials buffer: two for passes (they alternate), one for the round. */
export const PARTIAL_SLICES = 3;

/** One buffer holding `shards` slices of link totals, one after the other. */
export function allocateTotalsBuffer(linkCount: number, shards: number): SharedArrayBuffer {
  return new SharedArrayBuffer(8 * LINK_TOTAL_KEYS.length * linkCount * shards);
}

/** Slice `shard` of a buffer from `allocateTotalsBuffer`. */
export function totalsViews(buffer: SharedArrayBuffer, linkCount: number, shard: number): LinkTotals {
  const totals = {} as LinkTotals;
  LINK_TOTAL_KEYS.forEach((key, k) => {
    totals[key] = new Float64Array(buffer, 8 * linkCount * (shard * LINK_TOTAL_KEYS.length + k), linkCount);
  });
  return totals;
}

/** Copies every link input column. */
export function copyLinkInputs(from: LinkInputs, to: LinkInputs): void {
  for (const { name } of LINK_COLUMNS) (to[name] as Float64Array).set(from[name] as Float64Array);
}
