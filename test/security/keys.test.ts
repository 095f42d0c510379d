import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { TollwayError } from "../../src/errors.js";
import {
  buildKeyRing, deriveAsKeys, drkey, ed25519FromSeed, KeyDirectory, macBytes, macValid, signBytes, verifyBytes, MAC_BYTES,
} from "../../src/security/keys.js";
import { createPublicKey } from "node:crypto";

const raw = (k: import("node:crypto").KeyObject): string => k.export({ format: "der", type: "spki" }).subarray(-32).toString("hex");

describe("ed25519 keys", () => {
  it("matches RFC 8032 test 1 (seed → public key → signature of the empty message)", () => {
    const priv = ed25519FromSeed(Buffer.from("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "hex"));
    expect(raw(createPublicKey(priv))).toBe("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    expect(signBytes(priv, new Uint8Array(0)).toString("hex")).toBe(
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  });

  it("refuses a seed that is not 32 bytes", () => {
    expect(() => ed25519FromSeed(new Uint8Array(31))).toThrow(TollwayError);
    expect(() => ed25519FromSeed(new Uint8Array(31))).toThrow("ed25519 seed must be 32 bytes, got 31");
  });

  it("derives the same keys from the same seed and different ones per AS and per seed", () => {
    const a1 = deriveAsKeys(1, "A"), a1again = deriveAsKeys(1, "A"), b1 = deriveAsKeys(1, "B"), a2 = deriveAsKeys(2, "A");
    expect(raw(a1.publicKey)).toBe(raw(a1again.publicKey));
    expect(a1.localSecret.equals(a1again.localSecret)).toBe(true);
    expect(raw(a1.publicKey)).not.toBe(raw(b1.publicKey));
    expect(raw(a1.publicKey)).not.toBe(raw(a2.publicKey));
    expect(a1.localSecret.equals(b1.localSecret)).toBe(false);
  });

  it("verifies a signature only with the signer's key and only over the signed bytes", () => {
    const ring = buildKeyRing(7, ["A", "B"]);
    const data = Buffer.from("price 42");
    const sig = signBytes(ring.byAs.get("A")!.privateKey, data);
    expect(verifyBytes(ring.directory.publicKeyOf("A")!, data, sig)).toBe(true);
    expect(verifyBytes(ring.directory.publicKeyOf("B")!, data, sig)).toBe(false);
    expect(verifyBytes(ring.directory.publicKeyOf("A")!, Buffer.from("price 43"), sig)).toBe(false);
    const flipped = Buffer.from(sig); flipped[0]! ^= 1;
    expect(verifyBytes(ring.directory.publicKeyOf("A")!, data, flipped)).toBe(false);
    expect(verifyBytes(ring.directory.publicKeyOf("A")!, data, sig.subarray(0, 63))).toBe(false);
  });
});

describe("key directory", () => {
  it("knows registered ASes only and refuses a second, different key", () => {
    const dir = new KeyDirectory();
    const a = deriveAsKeys(1, "A");
    dir.register("A", a.publicKey);
    dir.register("A", a.publicKey);
    expect(dir.size).toBe(1);
    expect(dir.publicKeyOf("Z")).toBeUndefined();
    expect(() => dir.register("A", deriveAsKeys(1, "B").publicKey)).toThrow("AS A already has a different public key");
  });
});

describe("DRKey and MACs", () => {
  it("HMAC-SHA-256 matches RFC 4231 test case 2 (truncated to 16 bytes)", () => {
    expect(macBytes(Buffer.from("Jefe"), Buffer.from("what do ya want for nothing?")).toString("hex")).toBe("5bdcc146bf60754e6a042426089575c7");
    expect(MAC_BYTES).toBe(16);
  });

  it("derives K_{A→S} from A's local secret and S alone: per source distinct, recomputable", () => {
    const a = deriveAsKeys(3, "A");
    expect(drkey(a, "S1").equals(drkey({ localSecret: Buffer.from(a.localSecret) }, "S1"))).toBe(true);
    expect(drkey(a, "S1").equals(drkey(a, "S2"))).toBe(false);
    expect(drkey(a, "S1").length).toBe(32);
  });

  it("accepts exactly the MAC of the data (property)", () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), (data, bit) => {
      const key = drkey(deriveAsKeys(5, "X"), "S");
      const mac = macBytes(key, data);
      expect(macValid(key, data, mac)).toBe(true);
      const altered = Buffer.from(data); const i = bit % (altered.length * 8); altered[i >> 3]! ^= 1 << (i & 7);
      expect(macValid(key, altered, mac)).toBe(false);
      expect(macValid(key, data, mac.subarray(1))).toBe(false);
    }), { numRuns: 50 });
  });
});
