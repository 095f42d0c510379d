/**
 * Bill-Pay §2.4, hijacked hosts: a digital secretary outside the end host MACs each packet's
 * payment and destination with a key it shares with the trusted edge router; the router
 * recomputes the MAC and drops packets whose MAC fails. HMAC-SHA-256 from node:crypto.
 */
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { TollwayError } from "../errors.js";

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

/** Length in bytes of the per-packet checksum (HMAC-SHA-256). */
export const HOST_MAC_BYTES = 32;

/**
 * The key the edge router of an AS shares with the secretary of `hostId`, derived on the fly
 * from the AS's local secret (HKDF-SHA-256), never stored per host. Stand-in until
 * src/security/keys.ts (DRKey-style derivation) lands on main.
 */
export function deriveEdgeKey(asSecret: Uint8Array, hostId: string): Buffer {
  if (asSecret.length < 16) throw new TollwayError("AS secret must be at least 16 bytes", { field: "security.asSecret" });
  if (hostId.length === 0) throw new TollwayError("host id must not be empty", { field: "source" });
  return Buffer.from(hkdfSync("sha256", asSecret, "tollway/edge-mac", hostId, HOST_MAC_BYTES));
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

/** The secretary's per-packet checksum: HMAC-SHA-256 over the canonical fields. */
export function secretaryChecksum(key: Uint8Array, fields: HostPacketFields): Buffer {
  return createHmac("sha256", key).update(encodeHostPacket(fields)).digest();
}

/** The edge router's check: true only when `mac` is the checksum of exactly these fields. */
export function edgeVerify(key: Uint8Array, fields: HostPacketFields, mac: Uint8Array): boolean {
  if (mac.length !== HOST_MAC_BYTES) return false;
  return timingSafeEqual(secretaryChecksum(key, fields), mac);
}
