/**
 * Crypto cost of the security protocols (issue 15 item 7): ed25519 signatures and verifications
 * per second on this machine beside the pricing paper's 109,000 / 71,000, and 16-byte
 * HMAC-SHA-256 MACs per second, and the header room (bytes per packet on a 4-AS path). Figures, never assertions. Engine throughput with security on
 * against off is not measured yet (security is not in the engine).
 */
import { performance } from "node:perf_hooks";
import { headerRoom } from "../src/security/header-extension.js";
import { deriveAsKeys, macBytes, signBytes, verifyBytes } from "../src/security/keys.js";

/** The figures of the security bench. */
export interface SecurityBench {
  ed25519SignPerSec: number;
  ed25519VerifyPerSec: number;
  paperSignPerSec: number;
  paperVerifyPerSec: number;
  hmacSha256MacsPerSec: number;
  /** Bytes per packet on a 4-AS path (src/security/header-extension.ts `headerRoom`). */
  headerBytes4AsNoOads: number;
  headerBytes4AsOads: number;
  headerBytes4AsPayments: number;
  headerBytes4AsPaymentsAndUpdates: number;
}

/** Operations per second of `op`, run for about `seconds`. */
function rate(op: () => void, seconds: number): number {
  for (let i = 0; i < 200; i++) op();
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (let i = 0; i < 200; i++) op();
    n += 200;
    elapsed = performance.now() - start;
  }
  return Math.round(n / (elapsed / 1000));
}

/** Measures signing, verifying and MACing a 100-byte message, one thread. */
export function securityBench(seconds = 1): SecurityBench {
  const keys = deriveAsKeys(1, "A");
  const message = Buffer.alloc(100, 7);
  const signature = signBytes(keys.privateKey, message);
  const macKey = keys.localSecret;
  return {
    ed25519SignPerSec: rate(() => signBytes(keys.privateKey, message), seconds),
    ed25519VerifyPerSec: rate(() => verifyBytes(keys.publicKey, message, signature), seconds),
    paperSignPerSec: 109_000,
    paperVerifyPerSec: 71_000,
    hmacSha256MacsPerSec: rate(() => macBytes(macKey, message), seconds),
    ...headerBytes(),
  };
}

/** The header-room figures for a 4-AS path, named for the bench's table. */
function headerBytes(): Pick<SecurityBench, "headerBytes4AsNoOads" | "headerBytes4AsOads" | "headerBytes4AsPayments" | "headerBytes4AsPaymentsAndUpdates"> {
  const [noOads, oads, payments, both] = headerRoom(4).map((row) => row.bytes);
  return { headerBytes4AsNoOads: noOads!, headerBytes4AsOads: oads!, headerBytes4AsPayments: payments!, headerBytes4AsPaymentsAndUpdates: both! };
}
