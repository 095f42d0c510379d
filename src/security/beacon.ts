/**
 * Price beacons (pricing paper Eq. 7) as bytes. A beacon starts at an origin AS and travels toward
 * customers; every AS on it appends a hop with the path price so far (cumulative, integer base
 * units), a MAC under its own local secret, and an ed25519 signature over everything before it
 * plus its own fields, so each hop's total is signed by the AS that set it.
 *
 * Layout: magic "TB" (2) · version 1 (1) · timestamp seconds u32 · hop count u8 (1–64) ·
 * per hop: AS name length u8 (1–255) · AS name UTF-8 · path price u64 · MAC (16) · signature (64).
 */
import { TollwayError } from "../errors.js";
import { MAC_BYTES, SIGNATURE_BYTES, macBytes, signBytes, verifyBytes } from "./keys.js";
import type { AsKeys, KeyDirectory } from "./keys.js";

/** One AS's entry on a beacon. */
export interface BeaconHop {
  readonly as: string;
  /** Path price from the origin up to and including this AS, in base units. */
  readonly pathPrice: bigint;
  readonly mac: Uint8Array;
  readonly signature: Uint8Array;
}

/** A decoded beacon. */
export interface Beacon {
  /** Creation time, whole seconds of simulated time. */
  readonly timestamp: number;
  readonly hops: readonly BeaconHop[];
}

/** Most hops a beacon may carry. */
export const MAX_BEACON_HOPS = 64;
const MAGIC = [0x54, 0x42];
const VERSION = 1;
const HEADER_BYTES = 2 + 1 + 4 + 1;
const MAX_PRICE = (1n << 64n) - 1n;

function bad(field: string, reason: string): TollwayError {
  return new TollwayError(reason, { field: `beacon.${field}` });
}

function hopFixed(as: string, pathPrice: bigint): Buffer {
  const name = Buffer.from(as, "utf8");
  if (name.length < 1 || name.length > 255) throw bad("as", `AS name must be 1–255 bytes, got ${name.length}`);
  if (pathPrice < 0n || pathPrice > MAX_PRICE) throw bad("pathPrice", `path price ${pathPrice} is outside 0..2^64-1`);
  const out = Buffer.alloc(1 + name.length + 8);
  out[0] = name.length;
  name.copy(out, 1);
  out.writeBigUInt64BE(pathPrice, 1 + name.length);
  return out;
}

/** Encodes a beacon to bytes; throws TollwayError on fields that do not fit the layout. */
export function encodeBeacon(beacon: Beacon): Buffer {
  if (!Number.isInteger(beacon.timestamp) || beacon.timestamp < 0 || beacon.timestamp > 0xffffffff) throw bad("timestamp", `timestamp ${beacon.timestamp} is not a u32`);
  if (beacon.hops.length < 1 || beacon.hops.length > MAX_BEACON_HOPS) throw bad("hops", `a beacon carries 1–${MAX_BEACON_HOPS} hops, got ${beacon.hops.length}`);
  const head = Buffer.alloc(HEADER_BYTES);
  head[0] = MAGIC[0]!; head[1] = MAGIC[1]!; head[2] = VERSION;
  head.writeUInt32BE(beacon.timestamp, 3);
  head[7] = beacon.hops.length;
  const parts: Buffer[] = [head];
  beacon.hops.forEach((hop, i) => {
    if (hop.mac.length !== MAC_BYTES) throw bad(`hops.${i}.mac`, `MAC must be ${MAC_BYTES} bytes, got ${hop.mac.length}`);
    if (hop.signature.length !== SIGNATURE_BYTES) throw bad(`hops.${i}.signature`, `signature must be ${SIGNATURE_BYTES} bytes, got ${hop.signature.length}`);
    parts.push(hopFixed(hop.as, hop.pathPrice), Buffer.from(hop.mac), Buffer.from(hop.signature));
  });
  return Buffer.concat(parts);
}

/** Decodes beacon bytes; malformed input gets a one-line TollwayError naming the field. */
export function decodeBeacon(bytes: Uint8Array): Beacon {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < HEADER_BYTES) throw bad("header", `need ${HEADER_BYTES} bytes, got ${buf.length}`);
  if (buf[0] !== MAGIC[0] || buf[1] !== MAGIC[1]) throw bad("magic", "not a beacon (bad magic)");
  if (buf[2] !== VERSION) throw bad("version", `unknown version ${buf[2]}`);
  const timestamp = buf.readUInt32BE(3);
  const count = buf[7]!;
  if (count < 1 || count > MAX_BEACON_HOPS) throw bad("hops", `a beacon carries 1–${MAX_BEACON_HOPS} hops, got ${count}`);
  const hops: BeaconHop[] = [];
  let at = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    const need = (n: number, what: string): void => {
      if (at + n > buf.length) throw bad(`hops.${i}.${what}`, `truncated: need ${n} bytes at offset ${at}, ${buf.length - at} left`);
    };
    need(1, "as");
    const len = buf[at]!;
    if (len === 0) throw bad(`hops.${i}.as`, "AS name is empty");
    at += 1;
    need(len, "as");
    const as = new TextDecoder("utf-8", { fatal: true });
    let name: string;
    try { name = as.decode(buf.subarray(at, at + len)); } catch { throw bad(`hops.${i}.as`, "AS name is not valid UTF-8"); }
    at += len;
    need(8, "pathPrice");
    const pathPrice = buf.readBigUInt64BE(at);
    at += 8;
    need(MAC_BYTES, "mac");
    const mac = Uint8Array.from(buf.subarray(at, at + MAC_BYTES));
    at += MAC_BYTES;
    need(SIGNATURE_BYTES, "signature");
    const signature = Uint8Array.from(buf.subarray(at, at + SIGNATURE_BYTES));
    at += SIGNATURE_BYTES;
    hops.push({ as: name, pathPrice, mac, signature });
  }
  if (at !== buf.length) throw bad("length", `${buf.length - at} trailing bytes after the last hop`);
  return { timestamp, hops };
}

/** The bytes hop `i` signs: the timestamp, every earlier hop in full, and its own name, price and MAC. */
function signedBytes(timestamp: number, hops: readonly BeaconHop[], i: number, mac: Uint8Array): Buffer {
  const ts = Buffer.alloc(4); ts.writeUInt32BE(timestamp, 0);
  const parts: Buffer[] = [ts];
  for (let j = 0; j < i; j++) parts.push(hopFixed(hops[j]!.as, hops[j]!.pathPrice), Buffer.from(hops[j]!.mac), Buffer.from(hops[j]!.signature));
  parts.push(hopFixed(hops[i]!.as, hops[i]!.pathPrice), Buffer.from(mac));
  return Buffer.concat(parts);
}

/**
 * Appends `keys.as`'s hop to `beacon` (or starts one when `beacon` is a timestamp): the new path
 * price is the last total plus `linkPrice`; the AS MACs it under its local secret and signs it.
 */
export function extendBeacon(beacon: Beacon | number, keys: AsKeys, linkPrice: bigint): Beacon {
  const base: Beacon = typeof beacon === "number" ? { timestamp: beacon, hops: [] } : beacon;
  const last = base.hops[base.hops.length - 1];
  const pathPrice = (last?.pathPrice ?? 0n) + linkPrice;
  const draft: BeaconHop = { as: keys.as, pathPrice, mac: new Uint8Array(MAC_BYTES), signature: new Uint8Array(SIGNATURE_BYTES) };
  const hops = [...base.hops, draft];
  const mac = macBytes(keys.localSecret, signedBytes(base.timestamp, hops, hops.length - 1, new Uint8Array(0)));
  const signature = signBytes(keys.privateKey, signedBytes(base.timestamp, hops, hops.length - 1, mac));
  hops[hops.length - 1] = { ...draft, mac, signature };
  return { timestamp: base.timestamp, hops };
}

/**
 * Whether every hop's signature verifies against the directory's key of that AS and path prices
 * never fall. A user takes offered paths and prices only from beacons for which this is true.
 */
export function verifyBeacon(beacon: Beacon, directory: KeyDirectory): boolean {
  let previous = 0n;
  for (let i = 0; i < beacon.hops.length; i++) {
    const hop = beacon.hops[i]!;
    const key = directory.publicKeyOf(hop.as);
    if (key === undefined || hop.pathPrice < previous) return false;
    if (!verifyBytes(key, signedBytes(beacon.timestamp, beacon.hops, i, hop.mac), hop.signature)) return false;
    previous = hop.pathPrice;
  }
  return beacon.hops.length > 0;
}
