import { describe, expect, it } from "vitest";
import { createRng, deriveSeed, STREAM } from "../../../src/engine/random.js";
import { TollwayError } from "../../../src/errors.js";
import {
  createArrivalBuffers,
  DEFAULT_FLOW,
  flowShareAbove,
  generateArrivals,
  meanDemandMbps,
  meanDurationSec,
  packetShareAbove,
  PAPER_TRAFFIC,
  sampleFlow,
} from "../../../src/mechanisms/pricing/traffic.js";
import type { FlowParams } from "../../../src/mechanisms/pricing/traffic.js";

const SEED = 615;
const PAPER_SHARE = 0.9166; // Trammell & Schatzmann via the paper's footnote 1.

/**
 * E[min(X, c); min(X, c) > t] / E[min(X, c)] for X ~ LogNormal(μ, σ) by Simpson's rule over
 * y = ln x, using only the normal density: independent of the erfc-based closed form.
 */
function shareByQuadrature(t: number, p: FlowParams): number {
  const mu = Math.log(p.durationMedianSec);
  const sigma = p.durationSigma;
  const lnC = Math.log(p.maxDurationSec);
  const density = (y: number) => Math.exp(-0.5 * ((y - mu) / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI));
  const simpson = (f: (y: number) => number, a: number, b: number, n = 20_000) => {
    const h = (b - a) / n;
    let s = f(a) + f(b);
    for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
    return (s * h) / 3;
  };
  const lo = mu - 12 * sigma;
  const hi = Math.max(mu + 12 * sigma, lnC + 1);
  const capMass = p.maxDurationSec * simpson(density, lnC, hi);
  const above = simpson((y) => Math.exp(y) * density(y), Math.log(t), lnC) + capMass;
  const all = simpson((y) => Math.exp(y) * density(y), lo, lnC) + capMass;
  return above / all;
}

describe("flow-duration law", () => {
  it("flows over 256 ms carry 91.66% ± 1% of packets (closed form)", () => {
    const share = packetShareAbove(0.256);
    expect(Math.abs(share - PAPER_SHARE)).toBeLessThan(0.01);
    // The defaults were tuned to 0.91667.
    expect(share).toBeCloseTo(0.91667, 4);
  });

  it("the closed form agrees with numerical integration", () => {
    for (const t of [0.01, 0.256, 2, 60]) {
      expect(packetShareAbove(t)).toBeCloseTo(shareByQuadrature(t, DEFAULT_FLOW), 6);
    }
    const other: FlowParams = { ...DEFAULT_FLOW, durationMedianSec: 0.2, durationSigma: 1.3, maxDurationSec: 30 };
    expect(packetShareAbove(0.256, other)).toBeCloseTo(shareByQuadrature(0.256, other), 6);
  });

  it("1e6 sampled flows from a fixed seed reproduce the share, the flow shares and the mean", () => {
    const rng = createRng(deriveSeed(SEED, STREAM.traffic));
    const n = 1_000_000;
    let total = 0;
    let long = 0;
    let longCount = 0;
    let over2s = 0;
    let demand = 0;
    let capped = 0;
    let outOfRange = 0;
    for (let i = 0; i < n; i++) {
      const { durationSec, demandMbps } = sampleFlow(rng);
      if (!(durationSec > 0 && durationSec <= 300)) outOfRange++;
      total += durationSec;
      demand += demandMbps;
      if (durationSec > 0.256) {
        long += durationSec;
        longCount++;
      }
      if (durationSec > 2) over2s++;
      if (durationSec === 300) capped++;
    }
    expect(outOfRange).toBe(0);
    const share = long / total;
    expect(Math.abs(share - PAPER_SHARE)).toBeLessThan(0.01);
    expect(Math.abs(share - packetShareAbove(0.256))).toBeLessThan(0.005);
    expect(longCount / n).toBeCloseTo(flowShareAbove(0.256), 2); // ≈ 0.2237
    expect(over2s / n).toBeCloseTo(flowShareAbove(2), 2); // ≈ 0.0431
    expect(total / n / meanDurationSec()).toBeGreaterThan(0.97);
    expect(total / n / meanDurationSec()).toBeLessThan(1.03);
    expect(demand / n).toBeGreaterThan(9.9);
    expect(demand / n).toBeLessThan(10.1);
    expect(capped).toBeLessThan(100); // expected 26
  });

  it("the documented summary numbers hold", () => {
    expect(meanDurationSec()).toBeCloseTo(0.4976, 3);
    expect(1 - flowShareAbove(0.256)).toBeCloseTo(0.776, 3);
    expect(flowShareAbove(2)).toBeCloseTo(0.0431, 3);
    expect(meanDemandMbps()).toBeCloseTo(10, 4);
    // Flows in progress at once at paper scale (Little's law): ≈ 2.12 million.
    expect(PAPER_TRAFFIC.ratePerSec * meanDurationSec()).toBeCloseTo(2_119_600, -4);
  });

  it("degenerate laws (σ = 0) are point masses", () => {
    const fixed: FlowParams = { ...DEFAULT_FLOW, durationMedianSec: 1, durationSigma: 0, demandSigma: 0 };
    expect(packetShareAbove(0.256, fixed)).toBe(1);
    expect(packetShareAbove(2, fixed)).toBe(0);
    expect(meanDurationSec(fixed)).toBe(1);
    expect(meanDemandMbps(fixed)).toBeCloseTo(10, 12); // e^(ln 10) rounds to 10.000000000000002
    const flow = sampleFlow(createRng(1), fixed);
    expect(flow.durationSec).toBe(1);
    expect(flow.demandMbps).toBeCloseTo(10, 12);
  });

  it("rejects bad parameters, naming the field", () => {
    expect(() => packetShareAbove(-1)).toThrow("thresholdSec: must be a finite number ≥ 0 (got -1)");
    expect(() => meanDurationSec({ ...DEFAULT_FLOW, durationSigma: -1 })).toThrow(TollwayError);
    expect(() => meanDurationSec({ ...DEFAULT_FLOW, durationSigma: -1 })).toThrow("durationSigma:");
    expect(() => sampleFlow(createRng(1), { ...DEFAULT_FLOW, maxDemandMbps: 0 })).toThrow("maxDemandMbps:");
  });
});

describe("PAPER_TRAFFIC", () => {
  it("follows the derivation of section IV-A", () => {
    const blocks = PAPER_TRAFFIC.hosts / PAPER_TRAFFIC.hostsPerSlash16; // 1420.01
    const [low, high] = PAPER_TRAFFIC.flowsPerSlash16;
    expect(blocks * low).toBeCloseTo(14_200_110, -1); // paper: 14,200,100
    expect(blocks * high).toBeCloseTo(28_400_221, -1); // paper: 28,400,220
    expect(PAPER_TRAFFIC.flowsPerWindow).toBeGreaterThan(blocks * low);
    expect(PAPER_TRAFFIC.flowsPerWindow).toBeLessThan(blocks * high);
    expect(PAPER_TRAFFIC.flowsPerWindow / PAPER_TRAFFIC.windowSec).toBe(PAPER_TRAFFIC.ratePerSec);
    expect(PAPER_TRAFFIC.ratePerSec).toBe(4_260_000);
    expect(PAPER_TRAFFIC.nodes).toBe(615);
  });
});

describe("generateArrivals", () => {
  const params = { ratePerSec: 200_000, slotSec: 0.5, nodes: 7 };

  it("writes one slot's flows with valid fields", () => {
    const batch = generateArrivals(createRng(deriveSeed(SEED, STREAM.traffic, 1)), params);
    // Poisson(100,000): within 5 sd (5 × 316).
    expect(Math.abs(batch.count - 100_000)).toBeLessThan(1_600);
    const perNode = new Array<number>(7).fill(0);
    const bad = { endpoints: 0, start: 0, order: 0, duration: 0, demand: 0 };
    for (let i = 0; i < batch.count; i++) {
      const s = batch.src[i]!;
      const d = batch.dst[i]!;
      if (!(s >= 0 && s < 7 && d >= 0 && d < 7 && s !== d)) bad.endpoints++;
      perNode[s]!++;
      perNode[d]!++;
      const start = batch.startSec[i]!;
      if (!(start >= 0 && start < 0.5)) bad.start++;
      if (i > 0 && start < batch.startSec[i - 1]!) bad.order++;
      if (!(batch.durationSec[i]! > 0 && batch.durationSec[i]! <= 300)) bad.duration++;
      if (!(batch.demandMbps[i]! > 0 && batch.demandMbps[i]! <= 1000)) bad.demand++;
    }
    expect(bad).toEqual({ endpoints: 0, start: 0, order: 0, duration: 0, demand: 0 });
    // Each node is an endpoint of 2/7 of the flows.
    for (const c of perNode) expect(Math.abs(c / batch.count - 2 / 7)).toBeLessThan(0.01);
    // Sorted uniform offsets: mean ≈ slot/2, and about a quarter in the first quarter.
    let sum = 0;
    let early = 0;
    for (let i = 0; i < batch.count; i++) {
      sum += batch.startSec[i]!;
      if (batch.startSec[i]! < 0.125) early++;
    }
    expect(sum / batch.count).toBeCloseTo(0.25, 2);
    expect(early / batch.count).toBeCloseTo(0.25, 2);
  });

  it("is deterministic: the same seed gives identical arrays, another seed different ones", () => {
    const a = generateArrivals(createRng(deriveSeed(SEED, STREAM.traffic, 2)), params);
    const b = generateArrivals(createRng(deriveSeed(SEED, STREAM.traffic, 2)), params);
    const c = generateArrivals(createRng(deriveSeed(SEED, STREAM.traffic, 3)), params);
    expect(b.count).toBe(a.count);
    for (const key of ["src", "dst", "startSec", "durationSec", "demandMbps"] as const) {
      expect(Buffer.from(b[key].buffer).equals(Buffer.from(a[key].buffer))).toBe(true);
    }
    expect(c.count === a.count && c.durationSec.every((x, i) => x === a.durationSec[i])).toBe(false);
  });

  it("reuses a large enough buffer and grows a small one", () => {
    const big = createArrivalBuffers(200_000);
    const out = generateArrivals(createRng(5), params, big);
    expect(out).toBe(big);
    const small = createArrivalBuffers(10);
    const grown = generateArrivals(createRng(5), params, small);
    expect(grown).not.toBe(small);
    expect(grown.src.length).toBeGreaterThanOrEqual(grown.count);
    // Same draws either way.
    expect(grown.count).toBe(out.count);
    expect(grown.durationSec.subarray(0, grown.count)).toEqual(out.durationSec.subarray(0, out.count));
  });

  it("handles an empty slot", () => {
    const batch = generateArrivals(createRng(5), { ratePerSec: 0, slotSec: 1, nodes: 2 });
    expect(batch.count).toBe(0);
  });

  it("rejects bad parameters, naming the field", () => {
    const rng = createRng(1);
    expect(() => generateArrivals(rng, { ...params, nodes: 1 })).toThrow("nodes: must be an integer from 2");
    expect(() => generateArrivals(rng, { ...params, slotSec: 0 })).toThrow("slotSec: must be a finite number > 0");
    expect(() => generateArrivals(rng, { ...params, ratePerSec: -5 })).toThrow("ratePerSec:");
    expect(() => generateArrivals(rng, { ...params, flow: { ...DEFAULT_FLOW, demandMeanMbps: 0 } })).toThrow(
      "demandMeanMbps:",
    );
  });

  it("makes a paper-scale slot (4.26 million flows) in typed arrays", () => {
    const batch = generateArrivals(createRng(deriveSeed(SEED, STREAM.traffic, 4)), {
      ratePerSec: PAPER_TRAFFIC.ratePerSec,
      slotSec: 1,
      nodes: PAPER_TRAFFIC.nodes,
    });
    // Poisson(4.26e6): sd ≈ 2,064.
    expect(Math.abs(batch.count - 4_260_000)).toBeLessThan(10_400);
    let total = 0;
    let long = 0;
    for (let i = 0; i < batch.count; i++) {
      const d = batch.durationSec[i]!;
      total += d;
      if (d > 0.256) long += d;
    }
    expect(Math.abs(long / total - PAPER_SHARE)).toBeLessThan(0.01);
  });
});
