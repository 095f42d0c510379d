/**
 * The frame a host's digital secretary hands to the trusted edge router (Bill-Pay §2.4), as real
 * bytes: the secretary's checksum, its sequence number, the destination address and the
 * packet's Bill-Pay header (src/model/header.ts, which holds the nanopayment). This is the link a
 * man in the middle on the hijacked host can read and rewrite.
 *
 * | offset   | size | field                                                            |
 * |----------|------|------------------------------------------------------------------|
 * | 0        | 16   | checksum: the MAC of (source, destination, payment, seq), host-mac.ts |
 * | 16       | 4    | seq, unsigned 32-bit big-endian                                  |
 * | 20       | 1    | L = length of the destination in bytes, 1–255                    |
 * | 21       | L    | destination address, UTF-8                                       |
 * | 21 + L   | rest | Bill-Pay header (4 bytes without OADs; payment in bytes 1–3)     |
 *
 * The source is not in the frame: the router knows which host's port a frame arrived on. The
 * header comes last so that `decodeHeader` reads exactly the remaining bytes. The checksum covers
 * the payment and the destination, as the paper asks, but not the OADs (routing hints, not money).
 * A frame with a 12-byte destination and no OADs is 16 + 4 + 1 + 12 + 4 = 37 bytes.
 */
import { TollwayError } from "../errors.js";
import { decodeHeader, encodeHeader, type BillPayHeader } from "../model/header.js";
import { HOST_MAC_BYTES, type HostPacketFields } from "./host-mac.js";

/** One decoded secretary-to-router frame. */
export interface HostFrame {
  /** The secretary's checksum, HOST_MAC_BYTES long (zeros when no MACs are in use). */
  mac: Uint8Array;
  /** The secretary's per-host sequence number. */
  seq: number;
  /** Destination address, 1–255 bytes of UTF-8. */
  destination: string;
  /** The packet's Bill-Pay header; `header.payment` is the nanopayment. */
  header: BillPayHeader;
}

/** Bytes before the destination: checksum, seq and the destination's length. */
export const FRAME_FIXED_BYTES = HOST_MAC_BYTES + 4 + 1;

/**
 * The frame as bytes (layout above). Throws a `TollwayError` naming the field when the MAC has
 * the wrong length, seq is not a u32, the destination is empty or longer than 255 bytes, or the
 * header is invalid (`header.payment: ...`).
 *
 * @example encodeHostFrame({ mac: new Uint8Array(16), seq: 1, destination: "B", header: { version: 1, payment: 20, ispOads: [], userOads: [] } }).length // 26
 */
export function encodeHostFrame(frame: HostFrame): Uint8Array {
  if (frame.mac.length !== HOST_MAC_BYTES) fieldError("mac", `must be ${HOST_MAC_BYTES} bytes (got ${frame.mac.length})`);
  if (!Number.isInteger(frame.seq) || frame.seq < 0 || frame.seq > 0xffffffff) fieldError("seq", `must be an integer in [0, 2^32) (got ${String(frame.seq)})`);
  const destination = Buffer.from(frame.destination, "utf8");
  if (destination.length === 0 || destination.length > 0xff) fieldError("destination", `must be 1 to 255 bytes of UTF-8 (got ${destination.length})`);
  const header = encodeHeader(frame.header);
  const out = Buffer.alloc(FRAME_FIXED_BYTES + destination.length + header.length);
  out.set(frame.mac, 0);
  out.writeUInt32BE(frame.seq, HOST_MAC_BYTES);
  out[HOST_MAC_BYTES + 4] = destination.length;
  destination.copy(out, FRAME_FIXED_BYTES);
  out.set(header, FRAME_FIXED_BYTES + destination.length);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/**
 * Reads a frame from exactly `bytes`. Throws a `TollwayError` that says what is wrong: too short
 * for the fixed part, a zero destination length, a destination cut short or not UTF-8, or a malformed header
 * (the header codec's own message). A frame that decodes re-encodes to the same bytes.
 */
export function decodeHostFrame(bytes: Uint8Array): HostFrame {
  if (bytes.length < FRAME_FIXED_BYTES) bytesError(`too short: need at least ${FRAME_FIXED_BYTES} bytes, got ${bytes.length}`);
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const length = view[HOST_MAC_BYTES + 4]!;
  if (length === 0) fieldError("destination", "length must be 1 to 255 (got 0)");
  const headerAt = FRAME_FIXED_BYTES + length;
  if (bytes.length < headerAt) bytesError(`truncated: a ${length}-byte destination needs ${headerAt} bytes before the header, got ${bytes.length}`);
  return {
    mac: Uint8Array.from(view.subarray(0, HOST_MAC_BYTES)),
    seq: view.readUInt32BE(HOST_MAC_BYTES),
    destination: utf8(view.subarray(FRAME_FIXED_BYTES, headerAt)),
    header: decodeHeader(bytes.subarray(headerAt)),
  };
}

/** The fields the checksum covers, for a frame that arrived on `source`'s port. */
export function frameFields(frame: HostFrame, source: string): HostPacketFields {
  return { source, destination: frame.destination, payment: BigInt(frame.header.payment), seq: frame.seq };
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function utf8(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    return fieldError("destination", "is not valid UTF-8");
  }
}

function fieldError(field: string, reason: string): never {
  throw new TollwayError(reason, { field: `hostFrame.${field}` });
}

function bytesError(reason: string): never {
  throw new TollwayError(reason, { field: "hostFrame" });
}
