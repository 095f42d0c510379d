/**
 * Counter-based arrivals (counter-arrivals.ts) follow the laws of section IV-A: a large draw is
 * checked against the definitions, with tolerances from the sample size (Kolmogorov–Smirnov for
 * the start times, five standard errors for the moments).
 */
import { describe, expect, it } from "vitest";
import { createRng, deriveSeed, STREAM } from "../../../src/engine/random.js";
import { arrivalCount, CounterArrivals, type ArrivalDraw } from "../../../src/mechanisms/pricing/counter-arrivals.js";
import { DEFAULT_FLOW, generateArrivals, meanDemandMbps, packetShareAbove } from "../../../src/mechanisms/pricing/traffic.js";

const NODES = Int32Array.from({ length: 40 }, (_, i) => 100 + i);
const SPEC = { seed: 11, ratePerSec: 2000, flow: DEFAULT_FLOW, nodes: NODES, packetBits: 1e6, agent: 0 };
const N = 200_000;

function drawMany(n: number, round = 3): ArrivalDraw[] {
  const draws = new CounterArrivals(SPEC);
  return Array.from({ length: n }, (_, j) => {
    const out = { src: 0, dst: 0, startSec: 0, durationSec: 0, demandMbps: 0 };
    draws.draw(round, j, 1, out);
    return out;
  });
}

describe("counter-based arrivals", () => {
  const sample = drawMany(N);

  it("the round's count is the Poisson count of its own stream, as generateArrivals draws it", () => {
    for (const round of [0, 1, 7]) {
      const sequential = generateArrivals(createRng(deriveSeed(SPEC.seed, STREAM.traffic, round)), { ratePerSec: 2000, slotSec: 1, nodes: NODES.length });
      expect(arrivalCount(SPEC, round, 1)).toBe(sequential.count);
    }
    expect(arrivalCount(SPEC, 0, 1)).toBeGreaterThan(2000 - 5 * Math.sqrt(2000));
    expect(arrivalCount(SPEC, 0, 1)).toBeLessThan(2000 + 5 * Math.sqrt(2000));
  });

  it("arrival j depends only on (seed, round, j): the same whatever was drawn before, other rounds differ", () => {
    const alone = { src: 0, dst: 0, startSec: 0, durationSec: 0, demandMbps: 0 };
    new CounterArrivals(SPEC).draw(3, 12_345, 1, alone);
    expect(alone).toEqual(sample[12_345]);
    const other = { ...alone };
    new CounterArrivals(SPEC).draw(4, 12_345, 1, other);
    expect(other).not.toEqual(alone);
  });

  it("start times are uniform over the slot (Kolmogorov–Smirnov, 1% level)", () => {
    const starts = sample.map((a) => a.startSec).sort((a, b) => a - b);
    let d = 0;
    starts.forEach((x, i) => (d = Math.max(d, Math.abs((i + 1) / N - x), Math.abs(x - i / N))));
    expect(starts[0]!).toBeGreaterThanOrEqual(0);
    expect(starts[N - 1]!).toBeLessThan(1);
    expect(d).toBeLessThan(1.628 / Math.sqrt(N));
  });

  it("sources and destinations are distinct and uniform over the nodes (each count within 5 σ)", () => {
    expect(sample.every((a) => a.src !== a.dst && a.src >= 0 && a.src < NODES.length && a.dst >= 0 && a.dst < NODES.length)).toBe(true);
    const p = 1 / NODES.length;
    const sigma = Math.sqrt(N * p * (1 - p));
    for (const key of ["src", "dst"] as const) {
      const counts = new Array<number>(NODES.length).fill(0);
      for (const a of sample) counts[a[key]]!++;
      for (const c of counts) expect(Math.abs(c - N * p)).toBeLessThan(5 * sigma);
    }
  });

  it("flows over 256 ms carry 91.67% of the packets, as packetShareAbove says (within 5 standard errors)", () => {
    const d = sample.map((a) => a.durationSec);
    const mean = d.reduce((s, x) => s + x, 0) / N;
    const share = d.reduce((s, x) => s + (x > 0.256 ? x : 0), 0) / (mean * N);
    // Delta method: the ratio's standard error from the terms D·1{D > t} − share·D.
    const terms = d.map((x) => (x > 0.256 ? x : 0) - share * x);
    const se = Math.sqrt(terms.reduce((s, x) => s + x * x, 0) / N / N) / mean;
    expect(packetShareAbove(0.256)).toBeCloseTo(0.9167, 4);
    expect(Math.abs(share - packetShareAbove(0.256))).toBeLessThan(5 * se);
    expect(d.every((x) => x > 0 && x <= DEFAULT_FLOW.maxDurationSec)).toBe(true);
  });

  it("demanded rates have the law's mean, 10 Mbps (within 5 standard errors)", () => {
    const r = sample.map((a) => a.demandMbps);
    const mean = r.reduce((s, x) => s + x, 0) / N;
    const sd = Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / (N - 1));
    expect(Math.abs(mean - meanDemandMbps())).toBeLessThan((5 * sd) / Math.sqrt(N));
    expect(r.every((x) => x > 0 && x <= DEFAULT_FLOW.maxDemandMbps)).toBe(true);
  });
});
