import { describe, expect, it } from "vitest";
import { createRng, deriveSeed, STREAM } from "../../../src/engine/random.js";
import { TollwayError } from "../../../src/errors.js";
import { poissonCount } from "../../../src/mechanisms/pricing/poisson.js";
import { erfc, lnGamma, normalCdf } from "../../../src/mechanisms/pricing/special.js";

const SEED = 20240601;

function moments(mean: number, draws: number, seed: number): { mean: number; variance: number } {
  const rng = createRng(deriveSeed(seed, STREAM.traffic, Math.round(mean * 1000)));
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < draws; i++) {
    const n = poissonCount(rng, mean);
    sum += n;
    sumSq += n * n;
  }
  const m = sum / draws;
  return { mean: m, variance: (sumSq - draws * m * m) / (draws - 1) };
}

describe("poissonCount", () => {
  // Inversion below 10, PTRS from 10 up, and the paper's 4.26 million per second.
  const cases: Array<[number, number]> = [
    [0.5, 200_000],
    [3, 200_000],
    [9.99, 200_000],
    [10, 200_000],
    [37.5, 200_000],
    [1000, 100_000],
    [4_260_000, 40_000],
  ];
  it.each(cases)("mean and variance match λ = %d", (lambda, draws) => {
    const { mean, variance } = moments(lambda, draws, SEED);
    // Standard errors: mean √(λ/n); sample variance √((λ + 2λ²)/n) (Poisson μ₄ = λ + 3λ²).
    const seMean = Math.sqrt(lambda / draws);
    const seVar = Math.sqrt((lambda + 2 * lambda * lambda) / draws);
    expect(Math.abs(mean - lambda)).toBeLessThan(5 * seMean);
    expect(Math.abs(variance - lambda)).toBeLessThan(5 * seVar);
  });

  it.each([4.5, 12, 60])("frequencies follow the pmf at λ = %d", (lambda) => {
    const draws = 300_000;
    const rng = createRng(deriveSeed(SEED, STREAM.traffic, 99));
    const counts = new Map<number, number>();
    for (let i = 0; i < draws; i++) {
      const n = poissonCount(rng, lambda);
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    let checked = 0;
    for (let n = 0; n < 4 * lambda + 20; n++) {
      const expected = draws * Math.exp(-lambda + n * Math.log(lambda) - lnGamma(n + 1));
      if (expected < 50) continue;
      checked++;
      expect(Math.abs((counts.get(n) ?? 0) - expected)).toBeLessThan(5 * Math.sqrt(expected));
    }
    expect(checked).toBeGreaterThan(5);
  });

  it("is deterministic and returns non-negative integers", () => {
    const a = createRng(7);
    const b = createRng(7);
    for (const lambda of [0, 0.1, 5, 50, 5e5]) {
      for (let i = 0; i < 100; i++) {
        const x = poissonCount(a, lambda);
        expect(x).toBe(poissonCount(b, lambda));
        expect(Number.isInteger(x) && x >= 0).toBe(true);
      }
    }
    expect(poissonCount(a, 0)).toBe(0);
  });

  it("rejects a bad mean, naming it", () => {
    expect(() => poissonCount(createRng(1), -1)).toThrow(TollwayError);
    expect(() => poissonCount(createRng(1), -1)).toThrow("mean: must be a finite number ≥ 0 (got -1)");
    expect(() => poissonCount(createRng(1), Number.POSITIVE_INFINITY)).toThrow("mean:");
  });
});

describe("special functions", () => {
  it("lnGamma matches factorials and Γ(1/2) = √π", () => {
    expect(lnGamma(1)).toBe(0);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(lnGamma(11)).toBeCloseTo(Math.log(3628800), 12);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    // ln 100! = 363.73937555556347 (sum of ln k, k = 2..100).
    let lnFact = 0;
    for (let k = 2; k <= 100; k++) lnFact += Math.log(k);
    expect(lnGamma(101)).toBeCloseTo(lnFact, 10);
  });

  it("normalCdf matches reference values", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 7);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 7);
    expect(normalCdf(-6) / 9.865876450376946e-10).toBeCloseTo(1, 5);
    expect(erfc(Number.POSITIVE_INFINITY)).toBe(0);
    expect(erfc(Number.NEGATIVE_INFINITY)).toBe(2);
  });
});
