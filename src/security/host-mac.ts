/**
 * Bill-Pay §2.4, hijacked hosts: a digital secretary outside the end host MACs each packet's
 * payment and destination with a key it shares with the trusted edge router; the router
 * recomputes the MAC and drops packets whose MAC fails. The key is the edge AS's DRKey for the
 * host and the MAC is the project's one MAC rule (HMAC-SHA-256 cut to 16 bytes), both from
 * keys.ts, so every protocol derives and checks keys the same way.
 */
import { TollwayError } from "../errors.js";
import { drkey, MAC_BYTES, macBytes, macValid } from "./keys.js";

/** The fields a secretary vouches for in one packet. */
export interface HostPacketFields {
  /** Sending host id. */
  source: string;
  /** Destination host id. */
  destination: string;
  /** Payment carried by the packet, in the scenario's integer unit. */
  payment: bigint;
  /** Per-source sequence number (stops replaying one vouched packet). */
  seq: number;
}

/** Length in bytes of the per-packet checksum (the project's MAC, HMAC-SHA-256 cut to 16 bytes). */
export const HOST_MAC_BYTES = MAC_BYTES;

/**
 * The key the edge router of an AS shares with the secretary of `hostId`: the AS's DRKey
 * K_{AS→host} ({@link drkey}), derived on the fly from the AS's local secret and never stored
 * per host.
 */
export function deriveEdgeKey(asSecret: Uint8Array, hostId: string): Buffer {
  if (asSecret.length < 16) throw new TollwayError("AS secret must be at least 16 bytes", { field: "security.asSecret" });
  if (hostId.length === 0) throw new TollwayError("host id must not be empty", { field: "source" });
  return drkey({ localSecret: Buffer.from(asSecret) }, hostId);
}

/**
 * Canonical bytes of the vouched fields: u16 length + UTF-8 source, u16 length + UTF-8
 * destination, payment as u64 big-endian, seq as u32 big-endian.
 */
export function encodeHostPacket(fields: HostPacketFields): Buffer {
  const { source, destination, payment, seq } = fields;
  if (source.length === 0) throw new TollwayError("must not be empty", { field: "source" });
  if (destination.length === 0) throw new TollwayError("must not be empty", { field: "destination" });
  if (payment < 0n || payment >= 1n << 64n) throw new TollwayError("must be an integer in [0, 2^64)", { field: "payment" });
  if (!Number.isInteger(seq) || seq < 0 || seq > 0xffffffff) throw new TollwayError("must be an integer in [0, 2^32)", { field: "seq" });
  const src = Buffer.from(source, "utf8");
  const dst = Buffer.from(destination, "utf8");
  if (src.length > 0xffff) throw new TollwayError("longer than 65535 bytes", { field: "source" });
  if (dst.length > 0xffff) throw new TollwayError("longer than 65535 bytes", { field: "destination" });
  const out = Buffer.alloc(2 + src.length + 2 + dst.length + 8 + 4);
  let at = out.writeUInt16BE(src.length, 0);
  at += src.copy(out, at);
  at = out.writeUInt16BE(dst.length, at);
  at += dst.copy(out, at);
  at = out.writeBigUInt64BE(payment, at);
  out.writeUInt32BE(seq, at);
  return out;
}

/** The secretary's per-packet checksum: the MAC ({@link macBytes}) over the canonical fields. */
export function secretaryChecksum(key: Uint8Array, fields: HostPacketFields): Buffer {
  return macBytes(key, encodeHostPacket(fields));
}

/** The edge router's check: true only when `mac` is the checksum of exactly these fields. */
export function edgeVerify(key: Uint8Array, fields: HostPacketFields, mac: Uint8Array): boolean {
  return macValid(key, encodeHostPacket(fields), mac);
}
