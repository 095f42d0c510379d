/**
 * hashUniform's split form (hashPrefix + hashUniformFrom), which the counter-based arrivals use
 * to hash an arrival's ten words from one common part: it must give exactly the number the
 * four-step hash gives, or the generated traffic of every seed would change.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashPrefix, hashUniform, hashUniformFrom } from "../../src/engine/random.js";

/** murmur3's 32-bit finalizer, written out independently of src/engine/random.ts. */
function fmix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** The counter-based uniform as defined: the seed, then a, b and c, each folded in and mixed. */
function reference(seed: number, a: number, b: number, c: number): number {
  let h = fmix(seed ^ 0x6a09e667);
  h = fmix(h ^ a);
  h = fmix(h ^ Math.imul(b, 0x9e3779b1));
  h = fmix(h ^ Math.imul(c + 0x7f4a7c15, 0x85ebca77));
  return h / 4294967296;
}

describe("hashUniform and its split form", () => {
  it("both give the defined hash of (seed, a, b, c), for any 32-bit words", () => {
    const word = fc.integer({ min: 0, max: 2 ** 32 - 1 });
    fc.assert(fc.property(word, fc.nat(), fc.nat(64), fc.nat(64), (seed, a, b, c) => {
      const expected = reference(seed, a, b, c);
      expect(hashUniform(seed, a, b, c)).toBe(expected);
      expect(hashUniformFrom(hashPrefix(seed, a), b, c)).toBe(expected);
    }), { numRuns: 2000 });
  });

  it("is a uniform in [0, 1): h / 2^32 of a 32-bit word", () => {
    // The largest word gives (2^32 − 1) / 2^32 < 1; every value is a multiple of 2^−32.
    for (let a = 0; a < 1000; a++) {
      const u = hashUniformFrom(hashPrefix(7, a), 3, 0);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      expect(Number.isInteger(u * 2 ** 32)).toBe(true);
    }
  });
});
