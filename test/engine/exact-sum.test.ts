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
});
