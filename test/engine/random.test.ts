/**
 * hashUniform's split forms (hashPrefix + hashUniformFrom; hashSeedWord + hashPrefixFrom;
 * hashWordFrom), which the counter-based arrivals use to hash an arrival's ten words from one
 * common part, and the seed derivation: each must give exactly the number its definition
 * gives, or the generated traffic (and every draw) of every seed would change.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deriveSeed, deriveSeed4, deriveSeed4OfSecond, hashPrefix, hashPrefixFrom, hashSeedWord, hashUniform, hashUniformFrom, hashWordFrom } from "../../src/engine/random.js";

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
      expect(hashUniformFrom(hashPrefixFrom(hashSeedWord(seed), a), b, c)).toBe(expected);
      expect(hashWordFrom(hashPrefix(seed, a), b, c)).toBe(expected * 2 ** 32);
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

/** The seed derivation as defined: each part's low and high 32-bit words mixed into the state. */
function referenceSeed(parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) h = fmix(h ^ fmix(part >>> 0) ^ fmix(Math.floor(part / 4294967296) >>> 0));
  return h;
}

describe("deriveSeed and deriveSeed4", () => {
  it("give the defined seed for any numbers: 32-bit words, negatives, fractions, and parts of 2^32 and above", () => {
    const part = fc.oneof(fc.nat(), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer(), fc.double({ noNaN: true }), fc.constantFrom(0, -0, -1, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -(2 ** 32), 0.5, NaN, Infinity));
    fc.assert(fc.property(part, part, part, part, (a, b, c, d) => {
      const expected = referenceSeed([a, b, c, d]);
      expect(deriveSeed4(a, b, c, d)).toBe(expected);
      expect(deriveSeed(a, b, c, d)).toBe(expected);
      expect(deriveSeed(a, b)).toBe(referenceSeed([a, b]));
    }), { numRuns: 2000 });
  });
});

describe("deriveSeed4OfSecond", () => {
  it("is deriveSeed4 with the first, third and fourth parts fixed", () => {
    const part = fc.oneof(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer(), fc.constantFrom(-0, 2 ** 32, 2 ** 40 + 3, -1, 0.5, 2 ** 53 - 1));
    fc.assert(fc.property(part, part, part, fc.array(part, { minLength: 1, maxLength: 5 }), (a, c, d, bs) => {
      const of = deriveSeed4OfSecond(a, c, d);
      for (const b of bs) expect(of(b)).toBe(deriveSeed4(a, b, c, d));
    }));
  });
});
