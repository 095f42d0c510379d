/**
 * Small statistics for summarising runs: confidence intervals over seeds, the dominant period of a
 * price or revenue series, how long a series takes to settle, how jumpy it is, and the empirical CDF.
 *
 * Which interval fits which quantity ({@link intervalFor}): a mean of something that can take
 * any sign (a revenue gain, a utility) gets the Student t interval; a mean of something that
 * cannot be negative (a count, a rate, a revenue, a volatility) gets the bootstrap percentile
 * interval, whose ends are resampled means and so lie within the range of the data; a share of
 * successes among trials gets the Wilson score interval, which stays within [0, 1]. (A t interval
 * of a count can reach below zero: five runs with 0, 0, 0, 15, 0 switches give [-5.33, 11.33].)
 *
 * Every function checks its input and throws a {@link TollwayError} naming the function and the
 * argument, e.g. `meanConfidenceInterval.values[3]: must be a finite number (got NaN)`.
 */
import { erf, fft, lgamma } from "./mathjs-lazy.js";
import type { Complex } from "mathjs";
import { createRng } from "../engine/random.js";
import { TollwayError } from "../errors.js";

/** A mean with its two-sided Student t confidence interval. */
export interface MeanInterval {
  /** Arithmetic mean of the values. */
  mean: number;
  /** Lower end of the interval, `mean - halfWidth`. */
  low: number;
  /** Upper end of the interval, `mean + halfWidth`. */
  high: number;
  /** `t(1 - (1 - level) / 2, n - 1) * sd / sqrt(n)`; 0 when `degenerate`. */
  halfWidth: number;
  /** Number of values. */
  n: number;
  /** Sample standard deviation (divisor `n - 1`); 0 when `degenerate`. */
  sd: number;
  /** The confidence level the interval was computed for, e.g. 0.95. */
  level: number;
  /**
   * True when there was a single value, so no spread can be estimated: `low = high = mean` and
   * `sd = halfWidth = 0` stand in for "unknown", not for "no uncertainty".
   */
  degenerate: boolean;
}

/**
 * Mean of `values` with a two-sided confidence interval from Student's t distribution with
 * `n - 1` degrees of freedom — the usual interval for a mean over independent runs (seeds) when
 * the spread is estimated from the same runs.
 *
 * @param values the observations, e.g. one summary number per seed; at least one, all finite.
 * @param level the confidence level, strictly between 0 and 1 (default 0.95).
 * @example
 * meanConfidenceInterval([1, 2, 3, 4, 5]);
 * // { mean: 3, sd: 1.5811, halfWidth: 1.9632, low: 1.0368, high: 4.9632, n: 5, ... }
 * // since t(0.975, 4) = 2.7764 and 2.7764 * 1.5811 / sqrt(5) = 1.9632
 */
export function meanConfidenceInterval(values: readonly number[], level = 0.95): MeanInterval {
  const where = "meanConfidenceInterval";
  checkFiniteArray(values, `${where}.values`);
  if (values.length === 0) throw new TollwayError("needs at least one value (got none)", { field: `${where}.values` });
  if (!(level > 0 && level < 1)) {
    throw new TollwayError(`must lie strictly between 0 and 1 (got ${String(level)})`, { field: `${where}.level` });
  }
  const n = values.length;
  const mean = arithmeticMean(values);
  if (n === 1) return { mean, low: mean, high: mean, halfWidth: 0, n, sd: 0, level, degenerate: true };
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const sd = Math.sqrt(squares / (n - 1));
  const halfWidth = (studentTQuantile(1 - (1 - level) / 2, n - 1) * sd) / Math.sqrt(n);
  return { mean, low: mean - halfWidth, high: mean + halfWidth, halfWidth, n, sd, level, degenerate: false };
}

/** How an interval was computed; every table with intervals says which. */
export type IntervalMethod = "student-t" | "bootstrap-percentile" | "wilson";

/** An estimate with a two-sided confidence interval, and how it was made. */
export interface ConfidenceInterval {
  /** The mean (or, for {@link wilsonInterval}, the observed share). */
  estimate: number;
  low: number;
  high: number;
  /** Number of values (or trials). */
  n: number;
  /** The confidence level, e.g. 0.95. */
  level: number;
  method: IntervalMethod;
  /** True when the data cannot show any spread (one value, or no trials): then low = high = estimate. */
  degenerate: boolean;
}

/** Options of {@link bootstrapMeanInterval}. */
export interface BootstrapOptions {
  /** Confidence level, strictly between 0 and 1 (default 0.95). */
  level?: number;
  /** Resamples drawn (default 4000). */
  resamples?: number;
  /** Seed of the resampling stream (Tollway's seeded generator, so the interval is reproducible). */
  seed: number;
}

/**
 * Mean of `values` with a bootstrap percentile interval (Efron & Tibshirani, An Introduction to
 * the Bootstrap, 1993, ch. 13): draw `resamples` samples of size n with replacement, take each
 * one's mean, and report the (1 − level)/2 and (1 + level)/2 quantiles of those means (linear
 * interpolation between order statistics, Hyndman & Fan type 7). Every resampled mean lies
 * between the smallest and the largest value, so the interval does too: a count's interval never
 * goes below zero. The draws come from `createRng(seed)`, so the same values and seed give the
 * same interval on every machine.
 *
 * With few values the percentile interval is narrower than it should be (it cannot reach beyond
 * the data); read it as "what these replications show", and add replications for more.
 *
 * @param values the observations, e.g. one number per replication; at least one, all finite.
 * @example
 * bootstrapMeanInterval([0, 0, 0, 15, 0], { seed: 1 });
 * // { estimate: 3, low: 0, high: 9, method: "bootstrap-percentile", ... } (a t interval: [-5.33, 11.33])
 */
export function bootstrapMeanInterval(values: readonly number[], options: BootstrapOptions): ConfidenceInterval {
  const where = "bootstrapMeanInterval";
  checkFiniteArray(values, `${where}.values`);
  if (values.length === 0) throw new TollwayError("needs at least one value (got none)", { field: `${where}.values` });
  const level = checkLevel(options.level ?? 0.95, `${where}.level`);
  const resamples = options.resamples ?? 4000;
  if (!Number.isInteger(resamples) || resamples < 2) {
    throw new TollwayError(`must be an integer ≥ 2 (got ${String(resamples)})`, { field: `${where}.resamples` });
  }
  if (!Number.isInteger(options.seed)) throw new TollwayError(`must be an integer (got ${String(options.seed)})`, { field: `${where}.seed` });
  const n = values.length;
  const mean = arithmeticMean(values);
  const first = values[0]!;
  if (n === 1 || values.every((v) => v === first)) {
    return { estimate: mean, low: mean, high: mean, n, level, method: "bootstrap-percentile", degenerate: n === 1 };
  }
  const rng = createRng(options.seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[rng.int(n)]!;
    means[b] = sum / n;
  }
  means.sort();
  const tail = (1 - level) / 2;
  return {
    estimate: mean, low: sortedQuantile(means, tail), high: sortedQuantile(means, 1 - tail),
    n, level, method: "bootstrap-percentile", degenerate: false,
  };
}

/**
 * The Wilson score interval of a share: `successes` out of `trials` (Wilson 1927; Agresti &
 * Coull 1998 recommend it over the Wald interval p ± z·sqrt(p(1−p)/n), which leaves [0, 1] and
 * collapses to a point at 0 and n successes). With z the normal quantile of (1 + level)/2:
 *
 *   centre = (p + z²/2n) / (1 + z²/n),   half = z / (1 + z²/n) · sqrt(p(1−p)/n + z²/4n²).
 *
 * @returns estimate = successes / trials; with no trials, the whole of [0, 1] (degenerate, estimate NaN).
 * @example
 * wilsonInterval(0, 10);  // low 0, high 0.2775
 * wilsonInterval(5, 10);  // low 0.2366, high 0.7634
 */
export function wilsonInterval(successes: number, trials: number, level = 0.95): ConfidenceInterval {
  const where = "wilsonInterval";
  if (!Number.isInteger(trials) || trials < 0) throw new TollwayError(`must be an integer ≥ 0 (got ${String(trials)})`, { field: `${where}.trials` });
  if (!Number.isInteger(successes) || successes < 0 || successes > trials) {
    throw new TollwayError(`must be an integer from 0 to trials (${trials}) (got ${String(successes)})`, { field: `${where}.successes` });
  }
  checkLevel(level, `${where}.level`);
  if (trials === 0) return { estimate: Number.NaN, low: 0, high: 1, n: 0, level, method: "wilson", degenerate: true };
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials));
  // At 0 or n successes one end is exactly 0 or 1; rounding must not move it past.
  const low = successes === 0 ? 0 : Math.max(0, centre - half);
  const high = successes === trials ? 1 : Math.min(1, centre + half);
  return { estimate: p, low, high, n: trials, level, method: "wilson", degenerate: false };
}

/** What a mean measures, for {@link intervalFor}: any sign, or never negative. */
export type Quantity = "signed" | "nonNegative";

/**
 * The interval that fits the quantity: Student t for a mean of a signed quantity (a gain, a
 * utility), bootstrap percentile for a mean of one that cannot be negative (a count, a rate, a
 * revenue), so its lower end never falls below zero.
 *
 * @example
 * intervalFor([0, 0, 0, 15, 0], "nonNegative", { seed: 1 }).low; // 0 (bootstrap)
 * intervalFor([-2, 1, 4], "signed", { seed: 1 }).method;        // "student-t"
 */
export function intervalFor(values: readonly number[], quantity: Quantity, options: BootstrapOptions): ConfidenceInterval {
  if (quantity === "nonNegative") return bootstrapMeanInterval(values, options);
  const t = meanConfidenceInterval(values, options.level ?? 0.95);
  return { estimate: t.mean, low: t.low, high: t.high, n: t.n, level: t.level, method: "student-t", degenerate: t.degenerate };
}

/**
 * The quantile function of the standard normal distribution: the z with Φ(z) = p, found by
 * bisection on Φ(z) = (1 + erf(z/√2)) / 2 (mathjs `erf`) until the bracket cannot be split.
 *
 * @example
 * normalQuantile(0.975); // 1.959963984540054
 * normalQuantile(0.5);   // 0
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new TollwayError(`must lie strictly between 0 and 1 (got ${String(p)})`, { field: "normalQuantile.p" });
  if (p === 0.5) return 0;
  const q = p > 0.5 ? p : 1 - p;
  let lo = 0;
  let hi = 40;
  for (;;) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if ((1 + erf(mid / Math.SQRT2)) / 2 < q) lo = mid;
    else hi = mid;
  }
  const z = lo + (hi - lo) / 2;
  return p > 0.5 ? z : -z;
}

/**
 * The cumulative distribution function of Student's t distribution with `df` degrees of freedom,
 * P(T <= t).
 *
 * Computed from the regularized incomplete beta function (Abramowitz & Stegun 26.7.1):
 * P(T > t) = I_x(df/2, 1/2) / 2 with x = df / (df + t^2), for t >= 0, and by symmetry otherwise.
 *
 * @param df degrees of freedom, a positive finite number (need not be an integer).
 * @example
 * studentTCdf(2.7764451, 4); // 0.975
 * studentTCdf(0, 7);         // 0.5
 */
export function studentTCdf(t: number, df: number): number {
  checkDegreesOfFreedom(df, "studentTCdf.df");
  if (Number.isNaN(t)) throw new TollwayError("must be a number (got NaN)", { field: "studentTCdf.t" });
  const tail = upperTail(Math.abs(t), df);
  return t >= 0 ? 1 - tail : tail;
}

/**
 * The quantile function (inverse CDF) of Student's t distribution: the `t` with
 * P(T <= t) = `p` for `df` degrees of freedom.
 *
 * Found by bisection on {@link studentTCdf}'s upper tail until the bracket can no longer be split
 * in double precision, so the result is as accurate as the CDF (relative error below 1e-11, set
 * by mathjs `lgamma`).
 * Checked against tables and against the closed forms for 1 and 2 degrees of freedom.
 *
 * @param p a probability strictly between 0 and 1.
 * @param df degrees of freedom, a positive finite number (need not be an integer).
 * @example
 * studentTQuantile(0.975, 4);  // 2.7764
 * studentTQuantile(0.975, 9);  // 2.2622
 * studentTQuantile(0.975, 29); // 2.0452
 */
export function studentTQuantile(p: number, df: number): number {
  checkDegreesOfFreedom(df, "studentTQuantile.df");
  if (!(p > 0 && p < 1)) {
    throw new TollwayError(`must lie strictly between 0 and 1 (got ${String(p)})`, { field: "studentTQuantile.p" });
  }
  if (p === 0.5) return 0;
  // Solve P(T > t) = q for t > 0 on the smaller tail, then restore the sign.
  const q = p > 0.5 ? 1 - p : p;
  let lo = 0;
  let hi = 1;
  while (upperTail(hi, df) > q) {
    lo = hi;
    hi *= 2;
    if (!Number.isFinite(hi)) return p > 0.5 ? Infinity : -Infinity;
  }
  for (;;) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (upperTail(mid, df) > q) lo = mid;
    else hi = mid;
  }
  const t = lo + (hi - lo) / 2;
  return p > 0.5 ? t : -t;
}

/** The strongest periodic component of a series. */
export interface Periodicity {
  /** Length of one cycle, in the units of `sampleInterval` (samples when it is 1). */
  period: number;
  /**
   * Share of the series' variance carried by this frequency, between 0 and 1: near 1 for a clean
   * oscillation, small when the series is mostly noise or spread over many frequencies.
   */
  power: number;
}

/**
 * The period of the strongest oscillation in a series, from the discrete Fourier transform
 * (mathjs `fft`) of the series with its mean removed.
 *
 * Frequency bins k = 1 … floor(n/2) are compared by the share of the variance they carry
 * (Parseval: bin k and its mirror n-k together hold 2|X_k|^2 / n of the sum of squared
 * deviations; the Nyquist bin k = n/2 has no mirror). The zero frequency, which only holds the
 * mean, is ignored. The period is `n * sampleInterval / k`, so only periods n/1, n/2, n/3, …
 * can be reported: choose a length that is a multiple of the cycle you look for when you can.
 * Ties go to the longer period.
 *
 * @param series equally spaced samples, all finite.
 * @param sampleInterval time between samples (default 1, so the period is in samples).
 * @returns null when there are fewer than two samples or the series is constant (to rounding).
 * @example
 * const wave = Array.from({ length: 256 }, (_, i) => Math.sin((2 * Math.PI * i) / 16));
 * dominantPeriod(wave);      // { period: 16, power: 1 } (to rounding)
 * dominantPeriod(wave, 0.5); // { period: 8, ... } when samples are half a second apart
 */
export function dominantPeriod(series: readonly number[], sampleInterval = 1): Periodicity | null {
  checkFiniteArray(series, "dominantPeriod.series");
  if (!(sampleInterval > 0 && Number.isFinite(sampleInterval))) {
    throw new TollwayError(`must be a positive finite number (got ${String(sampleInterval)})`, {
      field: "dominantPeriod.sampleInterval",
    });
  }
  const n = series.length;
  if (n < 2) return null;
  const mean = arithmeticMean(series);
  const deviations = series.map((v) => v - mean);
  let largest = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    largest = Math.max(largest, Math.abs(series[i]!));
    total += deviations[i]! ** 2;
  }
  // Subtracting the mean of equal values can leave rounding dust; treat that as constant.
  const dust = 8 * Number.EPSILON * largest;
  if (deviations.every((d) => Math.abs(d) <= dust)) return null;

  // mathjs types fft as returning its input type; for real input it returns complex numbers.
  const spectrum = fft(deviations) as unknown as Complex[];
  let bestBin = 0;
  let bestShare = -1;
  for (let k = 1; k <= Math.floor(n / 2); k++) {
    const bin = spectrum[k]!;
    const mirrored = 2 * k === n ? 1 : 2;
    const share = (mirrored * (bin.re * bin.re + bin.im * bin.im)) / (n * total);
    if (share > bestShare) {
      bestShare = share;
      bestBin = k;
    }
  }
  return { period: (n * sampleInterval) / bestBin, power: Math.min(1, bestShare) };
}

/**
 * The first index from which a series stays within ±`epsilon` of its final value to the end
 * (inclusive bounds). It measures how long a dynamic — prices, routes, revenues — takes to settle.
 *
 * The final sample is always within its own band, so a result of `series.length - 1` means the
 * series only met the band at its last sample: read that as "not settled in the horizon".
 *
 * @param series the samples in time order, all finite.
 * @param epsilon half-width of the band, a non-negative finite number.
 * @returns the index, or null for an empty series.
 * @example
 * // 5 + 8 * (-1/2)^k: 13, 1, 7, 4, 5.5, 4.75, 5.125, 4.9375, 5.03125
 * timeToSettle([13, 1, 7, 4, 5.5, 4.75, 5.125, 4.9375, 5.03125], 0.5); // 4
 */
export function timeToSettle(series: readonly number[], epsilon: number): number | null {
  checkFiniteArray(series, "timeToSettle.series");
  if (!(epsilon >= 0 && Number.isFinite(epsilon))) {
    throw new TollwayError(`must be a non-negative finite number (got ${String(epsilon)})`, {
      field: "timeToSettle.epsilon",
    });
  }
  if (series.length === 0) return null;
  const last = series.length - 1;
  const final = series[last]!;
  let index = last;
  while (index > 0 && Math.abs(series[index - 1]! - final) <= epsilon) index--;
  return index;
}

/**
 * Volatility of a series: the standard deviation of its successive differences
 * `series[i+1] - series[i]`, with divisor the number of differences (population form, so a
 * two-sample series is defined). A steady trend has volatility 0; a price that flips between
 * two levels has volatility equal to the jump size.
 *
 * @param series the samples in time order, all finite.
 * @returns 0 for a series of fewer than two samples (no movement observed).
 * @example
 * volatility([1, 3, 2, 5]); // differences 2, -1, 3 → sqrt(78/27) ≈ 1.6997
 * volatility([0, 1, 2, 3]); // 0
 */
export function volatility(series: readonly number[]): number {
  checkFiniteArray(series, "volatility.series");
  if (series.length < 2) return 0;
  const differences: number[] = [];
  for (let i = 1; i < series.length; i++) differences.push(series[i]! - series[i - 1]!);
  const mean = arithmeticMean(differences);
  let squares = 0;
  for (const d of differences) squares += (d - mean) ** 2;
  return Math.sqrt(squares / differences.length);
}

/** One step of an empirical CDF: the share `p` of values that are `<= x`. */
export interface EcdfPoint {
  x: number;
  p: number;
}

/**
 * The empirical cumulative distribution function: for each distinct value `x`, in ascending
 * order, the share of values that are `<= x`. The last point has `p = 1`.
 *
 * @param values the sample, all finite; may be empty (gives an empty array).
 * @example
 * ecdf([3, 1, 2, 2]); // [{ x: 1, p: 0.25 }, { x: 2, p: 0.75 }, { x: 3, p: 1 }]
 */
export function ecdf(values: readonly number[]): EcdfPoint[] {
  checkFiniteArray(values, "ecdf.values");
  const sorted = [...values].sort((a, b) => a - b);
  const points: EcdfPoint[] = [];
  const n = sorted.length;
  for (let i = 0; i < n; i++) {
    if (i + 1 < n && sorted[i + 1] === sorted[i]) continue;
    points.push({ x: sorted[i]!, p: (i + 1) / n });
  }
  return points;
}

/** Hyndman & Fan type 7: h = (n − 1)p, interpolated between the order statistics around h. */
function sortedQuantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const below = Math.floor(h);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (h - below) * (sorted[above]! - sorted[below]!);
}

function checkLevel(level: number, field: string): number {
  if (!(level > 0 && level < 1)) throw new TollwayError(`must lie strictly between 0 and 1 (got ${String(level)})`, { field });
  return level;
}

function arithmeticMean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function checkFiniteArray(values: readonly number[], field: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new TollwayError(`must be a finite number (got ${String(v)})`, { field: `${field}[${i}]` });
    }
  }
}

function checkDegreesOfFreedom(df: number, field: string): void {
  if (!(df > 0 && Number.isFinite(df))) {
    throw new TollwayError(`degrees of freedom must be a positive finite number (got ${String(df)})`, { field });
  }
}

/** P(T > t) for t >= 0, with x and 1 - x formed separately so neither tail loses digits. */
function upperTail(t: number, df: number): number {
  const t2 = t * t;
  return regularizedBeta(df / 2, 0.5, df / (df + t2), t2 / (df + t2)) / 2;
}

/**
 * I_x(a, b), the regularized incomplete beta function, given x and y = 1 - x. Uses the continued
 * fraction of Numerical Recipes (3rd ed., §6.4), on whichever side of the mean it converges fast.
 */
function regularizedBeta(a: number, b: number, x: number, y: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const front = Math.exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log(y));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, y)) / b;
}

/** The continued fraction for I_x(a, b), evaluated by the modified Lentz method. */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) <= Number.EPSILON) return h;
  }
  return h;
}
