import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { TollwayError } from "../../src/errors.js";
import { buildKeyRing, deriveAsKeys, KeyDirectory } from "../../src/security/keys.js";
import { decodeBeacon, encodeBeacon, extendBeacon, verifyBeacon } from "../../src/security/beacon.js";
import type { Beacon } from "../../src/security/beacon.js";

const ring = buildKeyRing(1, ["A", "B", "C"]);
const keys = (as: string) => ring.byAs.get(as)!;

/** A→B→C with link prices 3, 4, 5: path totals 3, 7, 12. */
function chain(): Beacon {
  return extendBeacon(extendBeacon(extendBeacon(900, keys("A"), 3n), keys("B"), 4n), keys("C"), 5n);
}

describe("beacon codec", () => {
  it("round-trips and has the hand-counted size (8 header + 90 per one-letter hop)", () => {
    const b = chain();
    expect(b.hops.map((h) => h.pathPrice)).toEqual([3n, 7n, 12n]);
    const bytes = encodeBeacon(b);
    expect(bytes.length).toBe(8 + 3 * 90);
    const back = decodeBeacon(bytes);
    expect(back.timestamp).toBe(900);
    expect(back.hops.map((h) => [h.as, h.pathPrice])).toEqual([["A", 3n], ["B", 7n], ["C", 12n]]);
    expect(encodeBeacon(back).equals(bytes)).toBe(true);
  });

  it("names the field on malformed input", () => {
    const bytes = encodeBeacon(chain());
    expect(() => decodeBeacon(bytes.subarray(0, 5))).toThrow("beacon.header: need 8 bytes, got 5");
    const magic = Buffer.from(bytes); magic[0] = 0;
    expect(() => decodeBeacon(magic)).toThrow("beacon.magic: not a beacon (bad magic)");
    const version = Buffer.from(bytes); version[2] = 9;
    expect(() => decodeBeacon(version)).toThrow("beacon.version: unknown version 9");
    expect(() => decodeBeacon(bytes.subarray(0, bytes.length - 1))).toThrow("beacon.hops.2.signature: truncated");
    expect(() => decodeBeacon(Buffer.concat([bytes, Buffer.from([0])]))).toThrow("beacon.length: 1 trailing bytes after the last hop");
    const zero = Buffer.from(bytes); zero[7] = 0;
    expect(() => decodeBeacon(zero)).toThrow("beacon.hops: a beacon carries 1–64 hops, got 0");
  });

  it("fuzz: any bytes decode or fail with a TollwayError, never anything else", () => {
    const valid = encodeBeacon(chain());
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), fc.nat(), fc.nat(255), (noise, pos, val) => {
      for (const input of [noise, (() => { const m = Buffer.from(valid); m[pos % m.length] = val; return m; })(), valid.subarray(0, pos % valid.length)]) {
        try { decodeBeacon(input); } catch (e) { expect(e).toBeInstanceOf(TollwayError); expect(String((e as Error).message)).not.toContain("\n"); }
      }
    }), { numRuns: 300 });
  });
});

describe("beacon signatures", () => {
  it("verifies an honest chain", () => {
    expect(verifyBeacon(chain(), ring.directory)).toBe(true);
    expect(verifyBeacon(decodeBeacon(encodeBeacon(chain())), ring.directory)).toBe(true);
  });

  it("rejects a lowered price, an altered timestamp, an unknown signer, a forged key, a dropped hop", () => {
    const b = chain();
    const lowered: Beacon = { ...b, hops: b.hops.map((h, i) => (i === 2 ? { ...h, pathPrice: 8n } : h)) };
    expect(verifyBeacon(lowered, ring.directory)).toBe(false);
    expect(verifyBeacon({ ...b, timestamp: 901 }, ring.directory)).toBe(false);
    expect(verifyBeacon(b, new KeyDirectory())).toBe(false);
    // C re-signed by an impostor holding another seed's key for "C".
    const forged = extendBeacon({ ...b, hops: b.hops.slice(0, 2) }, deriveAsKeys(99, "C"), 1n);
    expect(verifyBeacon(forged, ring.directory)).toBe(false);
    // removing B breaks C's signature, which covers B's hop
    expect(verifyBeacon({ ...b, hops: [b.hops[0]!, b.hops[2]!] }, ring.directory)).toBe(false);
  });

  it("every single-bit flip of an honest encoding is caught (decode error or failed verification)", () => {
    const bytes = encodeBeacon(chain());
    fc.assert(fc.property(fc.nat(bytes.length * 8 - 1), (bit) => {
      const m = Buffer.from(bytes); m[bit >> 3]! ^= 1 << (bit & 7);
      let ok: boolean;
      try { ok = verifyBeacon(decodeBeacon(m), ring.directory); } catch (e) { expect(e).toBeInstanceOf(TollwayError); ok = false; }
      expect(ok).toBe(false);
    }), { numRuns: 200 });
  });
});
