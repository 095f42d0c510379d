import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TollwayError } from "../../src/errors.js";
import { bootstrapMeanInterval, intervalFor, meanConfidenceInterval, normalQuantile, wilsonInterval } from "../../src/metrics/stats.js";

/**
 * The exact bootstrap distribution of the mean, by enumerating all n^n resamples (each equally
 * likely), and its type-7 quantile — an independent computation of what the Monte Carlo
 * bootstrap estimates.
 */
function exactBootstrapQuantile(values: number[], p: number): number {
  const n = values.length;
  const means: number[] = [];
  const index = new Array<number>(n).fill(0);
  for (;;) {
    means.push(index.reduce((s, i) => s + values[i]!, 0) / n);
    let k = 0;
    while (k < n && ++index[k]! === n) index[k++] = 0;
    if (k === n) break;
  }
  means.sort((a, b) => a - b);
  const h = (means.length - 1) * p;
  const lo = Math.floor(h);
  return means[lo]! + (h - lo) * (means[Math.min(lo + 1, means.length - 1)]! - means[lo]!);
}

describe("bootstrapMeanInterval", () => {
  it("a count with one busy replication: [0, 9], where the t interval reaches below zero", () => {
    // Mean = 3 K with K ~ Binomial(5, 1/5) picks of the 15: P(K = 0) = 0.328 > 2.5%, so the low end
    // is 0; P(K ≤ 2) = 0.942 < 97.5% ≤ P(K ≤ 3) = 0.993, so the high end is 3 · 3 = 9.
    const values = [0, 0, 0, 15, 0];
    const boot = bootstrapMeanInterval(values, { seed: 1 });
    expect(boot).toMatchObject({ estimate: 3, low: 0, high: 9, n: 5, method: "bootstrap-percentile", degenerate: false });
    expect(meanConfidenceInterval(values).low).toBeCloseTo(-5.3293, 4);
  });

  it("agrees with the exact bootstrap distribution (all n^n resamples)", () => {
    const values = [1, 4, 4, 9, 20, 2];
    const boot = bootstrapMeanInterval(values, { seed: 7, resamples: 40_000 });
    expect(Math.abs(boot.low - exactBootstrapQuantile(values, 0.025))).toBeLessThan(0.2);
    expect(Math.abs(boot.high - exactBootstrapQuantile(values, 0.975))).toBeLessThan(0.2);
  });

  it("is reproducible from its seed and moves with it", () => {
    const values = [3, 1, 4, 1, 5, 9, 2, 6];
    expect(bootstrapMeanInterval(values, { seed: 5 })).toEqual(bootstrapMeanInterval(values, { seed: 5 }));
    expect(bootstrapMeanInterval(values, { seed: 5, resamples: 200 })).not.toEqual(bootstrapMeanInterval(values, { seed: 6, resamples: 200 }));
  });

  it("one value or equal values: the interval is the point", () => {
    expect(bootstrapMeanInterval([4], { seed: 1 })).toMatchObject({ low: 4, high: 4, degenerate: true });
    expect(bootstrapMeanInterval([2, 2, 2], { seed: 1 })).toMatchObject({ low: 2, high: 2, degenerate: false });
  });

  it("always lies within the range of the data and around the mean's resamples (property)", () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 2 ** 31 }),
      (values, seed) => {
        const r = bootstrapMeanInterval(values, { seed, resamples: 300 });
        expect(r.low).toBeGreaterThanOrEqual(Math.min(...values));
        expect(r.high).toBeLessThanOrEqual(Math.max(...values));
        expect(r.low).toBeLessThanOrEqual(r.high);
      },
    ), { numRuns: 200 });
  });

  it("bad input is named", () => {
    expect(() => bootstrapMeanInterval([], { seed: 1 })).toThrow(/bootstrapMeanInterval\.values: needs at least one value/);
    expect(() => bootstrapMeanInterval([1, NaN], { seed: 1 })).toThrow(TollwayError);
    expect(() => bootstrapMeanInterval([1, 2], { seed: 1, resamples: 1 })).toThrow(/resamples: must be an integer ≥ 2/);
    expect(() => bootstrapMeanInterval([1, 2], { seed: 1, level: 1 })).toThrow(/level: must lie strictly between 0 and 1/);
  });
});

describe("wilsonInterval", () => {
  it("matches the score interval worked out by hand", () => {
    // z = 1.959964, z²/n = 0.384146 for n = 10.
    // 0/10: centre = 0.192073/1.384146 = 0.138766, half = (1.959964/1.384146)·sqrt(0.384146/40) = 0.138766 → [0, 0.277533].
    const none = wilsonInterval(0, 10);
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(0.277533, 6);
    // 5/10: centre 0.5, half = 1.416010 · sqrt(0.025 + 0.009604) = 0.263407 → [0.236593, 0.763407].
    const half = wilsonInterval(5, 10);
    expect(half.low).toBeCloseTo(0.236593, 6);
    expect(half.high).toBeCloseTo(0.763407, 6);
    expect(wilsonInterval(10, 10).high).toBe(1);
    // 3/3: z²/n = 1.280488, centre = 1.640244/2.280488 = 0.719252, half = 0.859449 · sqrt(1.280488/12) = 0.280749.
    expect(wilsonInterval(3, 3).low).toBeCloseTo(0.438503, 5);
  });

  it("stays in [0, 1] and contains the share (property)", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 500 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))), ([k, n]) => {
      const r = wilsonInterval(k, n);
      expect(r.low).toBeGreaterThanOrEqual(0);
      expect(r.high).toBeLessThanOrEqual(1);
      expect(r.low).toBeLessThanOrEqual(k / n + 1e-12);
      expect(r.high).toBeGreaterThanOrEqual(k / n - 1e-12);
    }));
  });

  it("no trials: the whole unit interval, flagged; bad counts are named", () => {
    expect(wilsonInterval(0, 0)).toMatchObject({ low: 0, high: 1, degenerate: true });
    expect(() => wilsonInterval(4, 3)).toThrow(/wilsonInterval\.successes/);
    expect(() => wilsonInterval(1, 2.5)).toThrow(/wilsonInterval\.trials/);
  });
});

describe("normalQuantile and intervalFor", () => {
  it("normal quantiles from tables", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalQuantile(0.95)).toBeCloseTo(1.644853627, 8);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963985, 8);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it("picks t for signed quantities and the bootstrap for non-negative ones", () => {
    expect(intervalFor([-2, 1, 4], "signed", { seed: 1 })).toMatchObject({ method: "student-t", estimate: 1 });
    // t(0.975, 2) = 4.302653, sd = 3: half-width 4.302653 · 3 / sqrt(3) = 7.452413.
    expect(intervalFor([-2, 1, 4], "signed", { seed: 1 }).low).toBeCloseTo(1 - 7.452413, 5);
    expect(intervalFor([0, 0, 0, 15, 0], "nonNegative", { seed: 1 })).toMatchObject({ method: "bootstrap-percentile", low: 0 });
  });
});
