import { describe, expect, it } from "vitest";
import { TollwayError } from "../../src/errors.js";
import {
  dominantPeriod,
  ecdf,
  meanConfidenceInterval,
  studentTCdf,
  studentTQuantile,
  timeToSettle,
  volatility,
} from "../../src/metrics/stats.js";

/** A fixed pseudo-random sequence in [-1, 1): the ANSI C LCG, so the test needs no seed plumbing. */
function lcgNoise(length: number, seed: number): number[] {
  let state = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out.push(((state >>> 1) / 2 ** 31) * 2 - 1);
  }
  return out;
}

describe("studentTQuantile", () => {
  it("matches printed t tables to 4 decimals", () => {
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.7764, 4);
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.2622, 4);
    expect(studentTQuantile(0.975, 29)).toBeCloseTo(2.0452, 4);
    expect(studentTQuantile(0.995, 10)).toBeCloseTo(3.1693, 4);
    expect(studentTQuantile(0.95, 5)).toBeCloseTo(2.015, 4);
  });

  it("matches an independent implementation (SciPy t.ppf) to 1e-10 relative", () => {
    const reference: [p: number, df: number, t: number][] = [
      [0.975, 1, 12.706204736174694],
      [0.975, 4, 2.7764451051977934],
      [0.9, 2.5, 1.7302509288071766],
      [0.999999, 3, 103.29946777942898],
      [0.025, 7, -2.3646242515927844],
      [0.975, 1000, 1.9623390808264083],
      [0.6, 0.5, 0.3979754267847907],
    ];
    for (const [p, df, t] of reference) {
      expect(Math.abs(studentTQuantile(p, df) / t - 1)).toBeLessThan(1e-10);
    }
  });

  it("agrees with the closed forms for 1 and 2 degrees of freedom", () => {
    const relativeError = (got: number, want: number) => Math.abs(got / want - 1);
    for (const p of [0.01, 0.1, 0.3, 0.55, 0.8, 0.95, 0.999]) {
      expect(relativeError(studentTQuantile(p, 1), Math.tan(Math.PI * (p - 0.5)))).toBeLessThan(1e-10);
      expect(relativeError(studentTQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)))).toBeLessThan(1e-10);
    }
  });

  it("is symmetric, zero at the median, and inverts the CDF", () => {
    expect(studentTQuantile(0.5, 3)).toBe(0);
    expect(studentTQuantile(0.1, 6)).toBeCloseTo(-studentTQuantile(0.9, 6), 12);
    for (const df of [1, 3.5, 12]) {
      for (const p of [0.05, 0.4, 0.75, 0.99]) expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 10);
    }
    expect(studentTCdf(1.3, 6)).toBeCloseTo(0.8793474126886069, 10);
  });

  it("rejects probabilities outside (0, 1) and bad degrees of freedom", () => {
    expect(() => studentTQuantile(1, 4)).toThrow(TollwayError);
    expect(() => studentTQuantile(0, 4)).toThrow("studentTQuantile.p: must lie strictly between 0 and 1 (got 0)");
    expect(() => studentTQuantile(0.9, 0)).toThrow(TollwayError);
    expect(() => studentTQuantile(0.9, Number.NaN)).toThrow(TollwayError);
  });
});

describe("meanConfidenceInterval", () => {
  it("gives the hand-computed 95% interval for [1, 2, 3, 4, 5]", () => {
    // sd = sqrt(10/4) = 1.5811; half-width = 2.7764 * 1.5811 / sqrt(5) = 1.9632
    const ci = meanConfidenceInterval([1, 2, 3, 4, 5]);
    expect(ci.mean).toBe(3);
    expect(ci.n).toBe(5);
    expect(ci.sd).toBeCloseTo(1.5811, 4);
    expect(ci.halfWidth).toBeCloseTo(1.9632, 4);
    expect(ci.low).toBeCloseTo(1.0368, 4);
    expect(ci.high).toBeCloseTo(4.9632, 4);
    expect(ci.level).toBe(0.95);
    expect(ci.degenerate).toBe(false);
  });

  it("narrows at a lower level: 90% half-width is t(0.95, 4) * 1.5811 / sqrt(5) = 1.5074", () => {
    expect(meanConfidenceInterval([5, 4, 3, 2, 1], 0.9).halfWidth).toBeCloseTo(1.5074, 4);
  });

  it("flags a single value and collapses the interval onto it", () => {
    expect(meanConfidenceInterval([7.5])).toEqual({
      mean: 7.5,
      low: 7.5,
      high: 7.5,
      halfWidth: 0,
      n: 1,
      sd: 0,
      level: 0.95,
      degenerate: true,
    });
  });

  it("gives a zero-width, non-degenerate interval for identical values", () => {
    const ci = meanConfidenceInterval([2, 2, 2]);
    expect([ci.low, ci.high, ci.degenerate]).toEqual([2, 2, false]);
  });

  it("names the argument when the input is unusable", () => {
    expect(() => meanConfidenceInterval([])).toThrow("meanConfidenceInterval.values: needs at least one value");
    expect(() => meanConfidenceInterval([1, Number.NaN])).toThrow(
      "meanConfidenceInterval.values[1]: must be a finite number (got NaN)",
    );
    expect(() => meanConfidenceInterval([1, 2], 95)).toThrow("meanConfidenceInterval.level");
  });
});

describe("dominantPeriod", () => {
  const sine = (length: number, period: number) =>
    Array.from({ length }, (_, i) => 3 + Math.sin((2 * Math.PI * i) / period));

  it("finds period 16 in a sine over 256 samples, holding all the variance", () => {
    const found = dominantPeriod(sine(256, 16));
    expect(found?.period).toBe(16);
    expect(found?.power).toBeCloseTo(1, 10);
  });

  it("still finds period 16 under a fixed noise sequence as large as the wave", () => {
    const noise = lcgNoise(256, 2024);
    const noisy = sine(256, 16).map((v, i) => v + noise[i]!);
    const found = dominantPeriod(noisy);
    expect(found?.period).toBe(16);
    expect(found!.power).toBeGreaterThan(0.3);
    expect(found!.power).toBeLessThan(0.9);
  });

  it("handles lengths that are not powers of two and scales by the sample interval", () => {
    expect(dominantPeriod(sine(240, 12))?.period).toBeCloseTo(12, 9);
    expect(dominantPeriod(sine(256, 16), 0.5)?.period).toBe(8);
  });

  it("reports the hand-worked cases: alternation has period 2, a quarter-turn cycle period 4", () => {
    expect(dominantPeriod([1, -1, 1, -1])).toEqual({ period: 2, power: 1 });
    const four = dominantPeriod([1, 0, -1, 0, 1, 0, -1, 0]);
    expect(four?.period).toBe(4);
    expect(four?.power).toBeCloseTo(1, 12);
  });

  it("returns null for constant or too-short series", () => {
    expect(dominantPeriod([4, 4, 4, 4])).toBeNull();
    expect(dominantPeriod([0.1, 0.1, 0.1])).toBeNull();
    expect(dominantPeriod([5])).toBeNull();
    expect(dominantPeriod([])).toBeNull();
  });

  it("rejects a non-positive sample interval", () => {
    expect(() => dominantPeriod([1, 2], 0)).toThrow("dominantPeriod.sampleInterval");
  });
});

describe("timeToSettle", () => {
  // 5 + 8 * (-1/2)^k for k = 0..8, all exact in binary.
  const damped = [13, 1, 7, 4, 5.5, 4.75, 5.125, 4.9375, 5.03125];

  it("finds the first index after which the series stays in the band (worked by hand)", () => {
    // distances from 5.03125: 7.97, 4.03, 1.97, 1.03, 0.47, 0.28, 0.094, 0.094, 0
    expect(timeToSettle(damped, 2)).toBe(2);
    expect(timeToSettle(damped, 1.5)).toBe(3);
    expect(timeToSettle(damped, 0.5)).toBe(4);
    expect(timeToSettle(damped, 0.1)).toBe(6);
    expect(timeToSettle(damped, 0.09375)).toBe(6); // the band is inclusive
    expect(timeToSettle(damped, 0.09)).toBe(8);
    expect(timeToSettle(damped, 100)).toBe(0);
  });

  it("does not count an early visit to the band that is later left", () => {
    expect(timeToSettle([0, 10, 0, 0], 1)).toBe(2);
  });

  it("returns null for an empty series and rejects a negative epsilon", () => {
    expect(timeToSettle([], 1)).toBeNull();
    expect(() => timeToSettle([1], -1)).toThrow("timeToSettle.epsilon");
  });
});

describe("volatility", () => {
  it("is the standard deviation of successive differences (worked by hand)", () => {
    // differences 2, -1, 3; mean 4/3; squared deviations 4/9 + 49/9 + 25/9 = 78/9; / 3 → 78/27
    expect(volatility([1, 3, 2, 5])).toBeCloseTo(Math.sqrt(78 / 27), 12);
    expect(volatility([1, 3, 2, 5])).toBeCloseTo(1.6997, 4);
  });

  it("is zero for a steady trend and for too-short series, and the jump size for a flip-flop", () => {
    expect(volatility([0, 1, 2, 3])).toBe(0);
    expect(volatility([7])).toBe(0);
    expect(volatility([])).toBe(0);
    expect(volatility([0, 2, 0, 2, 0])).toBe(2);
  });
});

describe("ecdf", () => {
  it("gives the share of values at or below each distinct value", () => {
    expect(ecdf([3, 1, 2, 2])).toEqual([
      { x: 1, p: 0.25 },
      { x: 2, p: 0.75 },
      { x: 3, p: 1 },
    ]);
    expect(ecdf([])).toEqual([]);
  });

  it("does not reorder the caller's array and rejects non-finite values", () => {
    const values = [2, 1];
    ecdf(values);
    expect(values).toEqual([2, 1]);
    expect(() => ecdf([1, Infinity])).toThrow("ecdf.values[1]");
  });
});
