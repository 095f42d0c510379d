import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ExactSum } from "../../src/engine/exact-sum.js";

const sumOf = (xs: readonly number[]) => {
  const s = new ExactSum();
  for (const x of xs) s.add(x);
  return s;
};

describe("ExactSum", () => {
  it("keeps what a plain sum loses: 1e16 + 1 − 1e16 = 1, 0.1 × 10 = 1", () => {
    expect(sumOf([1e16, 1, -1e16]).value()).toBe(1);
    expect(1e16 + 1 - 1e16).toBe(0);
    expect(sumOf(Array(10).fill(0.1)).value()).toBe(1);
    expect(sumOf([]).value()).toBe(0);
  });

  it("rounds the exact sum once: terms on a grid of 2^-30 agree with a BigInt sum (property)", () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), { maxLength: 60 }), (units) => {
      const exact = units.reduce((a, u) => a + BigInt(u), 0n);
      // Every partial sum of these terms is a multiple of 2^-30 far below 2^53 units: exactly representable.
      expect(sumOf(units.map((u) => u / 2 ** 30)).value()).toBe(Number(exact) / 2 ** 30);
    }));
  });

  it("does not depend on the order of the terms nor on how they are split and merged (property)", () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -1e12, max: 1e12, noNaN: true }), { minLength: 1, maxLength: 60 }), fc.nat(), (xs, cut) => {
      const whole = sumOf(xs).value();
      expect(sumOf([...xs].reverse()).value()).toBe(whole);
      const at = cut % (xs.length + 1);
      const merged = sumOf(xs.slice(0, at));
      merged.merge(sumOf(xs.slice(at)).partials);
      expect(merged.value()).toBe(whole);
    }));
  });

  it("rounds the exact sum once for doubles of any exponent and sign, zeros included: a BigInt sum says so (property)", () => {
    const term = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }),
      fc.double({ noNaN: true, min: -1e-300, max: 1e-300 }),
      fc.constantFrom(0, -0, 5e-324, -5e-324, 2 ** -1022, 1, -1, 0.1, 2 ** 52 + 1),
    );
    fc.assert(fc.property(fc.array(term, { maxLength: 40 }), fc.nat(), (xs, cut) => {
      const expected = exactlyRounded(xs);
      const at = cut % (xs.length + 1);
      const merged = sumOf(xs.slice(0, at));
      merged.merge(sumOf(xs.slice(at)).partials);
      expect(Object.is(sumOf(xs).value(), expected) && Object.is(merged.value(), expected), `${xs} → ${sumOf(xs).value()}, ${merged.value()}, expected ${expected}`).toBe(true);
    }), { numRuns: 500 });
  });

  it("a sum of −0 alone is −0; with any nonzero terms that cancel, +0", () => {
    expect(Object.is(sumOf([-0, -0]).value(), -0)).toBe(true);
    expect(Object.is(sumOf([-0, 1, -1]).value(), 0)).toBe(true);
    expect(Object.is(sumOf([1, -1, -0]).value(), 0)).toBe(true);
    expect(Object.is(sumOf([-1.5, 1.5]).value(), 0)).toBe(true);
  });

  it("stays exact past a million terms (the digits are flushed into the partials on the way)", () => {
    const s = new ExactSum();
    for (let i = 0; i < 1_100_000; i++) s.add(i % 2 === 0 ? 0.1 : 2 ** 52);
    // 550,000 × 0.1 (the double) + 550,000 × 2^52, rounded once.
    expect(s.value()).toBe(exactlyRounded([...Array(550_000).fill(0.1), ...Array(550_000).fill(2 ** 52)]));
  });
});

/** The sum of `xs` computed exactly with BigInt (in units of 2^-1074), rounded once to the nearest double (ties to even). */
function exactlyRounded(xs: readonly number[]): number {
  if (xs.every((x) => Object.is(x, -0))) return xs.length === 0 ? 0 : -0;
  const view = new DataView(new ArrayBuffer(8));
  let units = 0n;
  for (const x of xs) {
    view.setFloat64(0, x);
    const bits = view.getBigUint64(0);
    const biased = Number((bits >> 52n) & 0x7ffn);
    const mantissa = (bits & ((1n << 52n) - 1n)) | (biased === 0 ? 0n : 1n << 52n);
    const scaled = mantissa << BigInt(Math.max(biased, 1) - 1);
    units += bits >> 63n === 1n ? -scaled : scaled;
  }
  // Kept to 60 bits, the bits shifted out in a sticky last bit, so that Number(bigint) (nearest,
  // ties to even) rounds as the whole would; scaling by a power of two is then exact (a result
  // below 2^-1022 comes from fewer than 2^53 units, which Number holds exactly).
  const negative = units < 0n;
  let magnitude = negative ? -units : units;
  const shift = Math.max(0, magnitude.toString(2).length - 60);
  if (shift > 0) magnitude = (magnitude >> BigInt(shift)) | ((magnitude & ((1n << BigInt(shift)) - 1n)) === 0n ? 0n : 1n);
  const rounded = Number(magnitude) * 2 ** (shift - 1074);
  return negative ? -rounded : rounded;
}
