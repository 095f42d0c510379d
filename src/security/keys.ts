/**
 * Key material for the security protocols (pricing paper §III): per-AS ed25519 key pairs derived
 * deterministically from the run's seed, a public-key directory standing in for RPKI, and
 * DRKey-style symmetric keys that an AS derives on the fly from its local secret and the source
 * (a PRF, HMAC-SHA-256), never stored per flow. Everything is node:crypto; nothing is hand-made.
 */
import { createHmac, createPrivateKey, createPublicKey, hkdfSync, sign, timingSafeEqual, verify } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { TollwayError } from "../errors.js";

/** Bytes of an ed25519 signature. */
export const SIGNATURE_BYTES = 64;
/** Bytes of a MAC as carried in beacons and headers (HMAC-SHA-256 truncated, as SCION does). */
export const MAC_BYTES = 16;

/** The fixed PKCS#8 DER prefix of an ed25519 private key (RFC 8410); the 32-byte seed follows it. */
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** An AS's key material: its signing pair and the local secret its DRKeys derive from. */
export interface AsKeys {
  readonly as: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** 32-byte secret known only to this AS (DRKey's SV_A). */
  readonly localSecret: Buffer;
}

/** Builds an ed25519 private key from its 32-byte seed (RFC 8032 §5.1.5) via the PKCS#8 wrapper. */
export function ed25519FromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new TollwayError(`ed25519 seed must be 32 bytes, got ${seed.length}`, { field: "seed" });
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
}

/** 32 bytes derived with HKDF-SHA-256 from the run seed for one purpose of one AS. */
function derive(runSeed: number | string, purpose: string, as: string): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(String(runSeed), "utf8"), Buffer.from("tollway-security", "utf8"), Buffer.from(`${purpose}\0${as}`, "utf8"), 32));
}

/** Derives an AS's keys from the run seed: the same seed and AS always give the same keys. */
export function deriveAsKeys(runSeed: number | string, as: string): AsKeys {
  const privateKey = ed25519FromSeed(derive(runSeed, "ed25519", as));
  return { as, privateKey, publicKey: createPublicKey(privateKey), localSecret: derive(runSeed, "drkey-sv", as) };
}

/** Public keys by AS (the RPKI stand-in): who signed what is checked only against this. */
export class KeyDirectory {
  private readonly keys = new Map<string, KeyObject>();

  /** Registers `as`'s public key; a second, different key for the same AS is refused. */
  register(as: string, publicKey: KeyObject): void {
    const old = this.keys.get(as);
    if (old !== undefined && !old.equals(publicKey)) throw new TollwayError(`AS ${as} already has a different public key`, { field: "as" });
    this.keys.set(as, publicKey);
  }

  /** The public key of `as`, or undefined when the directory does not know it. */
  publicKeyOf(as: string): KeyObject | undefined {
    return this.keys.get(as);
  }

  /** The ASes the directory knows. */
  get size(): number {
    return this.keys.size;
  }
}

/** Keys for every AS of a run plus the directory of their public keys. */
export interface KeyRing {
  readonly byAs: ReadonlyMap<string, AsKeys>;
  readonly directory: KeyDirectory;
}

/** Derives keys for all `ases` from the run seed and publishes their public keys. */
export function buildKeyRing(runSeed: number | string, ases: Iterable<string>): KeyRing {
  const byAs = new Map<string, AsKeys>();
  const directory = new KeyDirectory();
  for (const as of ases) {
    const keys = deriveAsKeys(runSeed, as);
    byAs.set(as, keys);
    directory.register(as, keys.publicKey);
  }
  return { byAs, directory };
}

/** The DRKey K_{A→S}: the key AS `asKeys.as` shares with source `source`, derived on the fly (PRF). */
export function drkey(asKeys: Pick<AsKeys, "localSecret">, source: string): Buffer {
  return createHmac("sha256", asKeys.localSecret).update(Buffer.from(source, "utf8")).digest();
}

/** An ed25519 signature over `data`. */
export function signBytes(privateKey: KeyObject, data: Uint8Array): Buffer {
  return sign(null, data, privateKey);
}

/** Whether `signature` is `publicKey`'s ed25519 signature over `data`. */
export function verifyBytes(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== SIGNATURE_BYTES) return false;
  return verify(null, data, publicKey, signature);
}

/** HMAC-SHA-256 of `data` under `key`, truncated to MAC_BYTES. */
export function macBytes(key: Uint8Array, data: Uint8Array): Buffer {
  return createHmac("sha256", key).update(data).digest().subarray(0, MAC_BYTES);
}

/** Whether `mac` is the MAC of `data` under `key` (constant-time comparison). */
export function macValid(key: Uint8Array, data: Uint8Array, mac: Uint8Array): boolean {
  if (mac.length !== MAC_BYTES) return false;
  return timingSafeEqual(macBytes(key, data), mac);
}
