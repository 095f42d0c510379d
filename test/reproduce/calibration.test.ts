import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TollwayError } from "../../src/errors.js";
import { packetShareAbove } from "../../src/mechanisms/pricing/traffic.js";
import { CALIBRATION, crossingAt, durationLawFor, fittedIds, PAPER_PACKET_SHARE } from "../../src/reproduce/calibration.js";
import { applyVariant } from "../../src/reproduce/variant.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";

describe("durationLawFor: the median that keeps 91.66% of packets in flows > 256 ms", () => {
  it("matches the closed form where the 300 s cap is negligible (σ = 1)", () => {
    // Uncapped, share(t) = Φ((μ + σ² − ln t)/σ); share = 0.9166 ⇔ (μ + σ² − ln t)/σ = Φ⁻¹(0.9166) = 1.38256,
    // so median e^μ = t · e^(1.38256 σ − σ²) = 0.256 · e^0.38256 = 0.256 · 1.46603 = 0.37530 s at σ = 1.
    // The cap sits (ln 300 − ln 0.3753)/1 = 6.7 σ above the median: it changes nothing at 4 digits.
    expect(durationLawFor(1).durationMedianSec).toBeCloseTo(0.3753, 4);
  });

  it("gives back the default law's 50 ms at σ = 2.15, the share the defaults were chosen for", () => {
    // The defaults (median 0.05, σ 2.15) give 0.91667, a hair above 0.9166, so the solved median is a hair
    // below 0.05; uncapped it would be 0.256 · e^(1.38256·2.15 − 2.15²) = 0.04916, the cap adds the rest.
    const median = durationLawFor(2.15).durationMedianSec;
    expect(median).toBeGreaterThan(0.0495);
    expect(median).toBeLessThan(0.05);
  });

  it("always solves the footnote's share (property over σ)", () => {
    fc.assert(fc.property(fc.double({ min: 0.3, max: 4, noNaN: true }), (sigma) => {
      const law = durationLawFor(sigma);
      expect(packetShareAbove(PAPER_PACKET_SHARE.thresholdSec, law)).toBeCloseTo(PAPER_PACKET_SHARE.share, 9);
      expect(law.durationSigma).toBe(sigma);
    }), { numRuns: 50 });
  });

  it("refuses σ = 0 with the field named", () => {
    expect(() => durationLawFor(0)).toThrow(TollwayError);
    expect(() => durationLawFor(0)).toThrow(/durationSigma/);
  });
});

describe("crossingAt", () => {
  it("interpolates the bracketing segment", () => {
    // From 90 at x = 4 to 70 at x = 8: 72 is 18 of the 20 points down, so x = 4 + 4 · 18/20 = 7.6.
    expect(crossingAt([{ x: 8, y: 70 }, { x: 4, y: 90 }], 72)).toBeCloseTo(7.6, 12);
    // Rising: 10 at 1, 30 at 3: 25 is at 1 + 2 · 15/20 = 2.5.
    expect(crossingAt([{ x: 1, y: 10 }, { x: 3, y: 30 }], 25)).toBeCloseTo(2.5, 12);
    // The first crossing of a curve that goes down and up again.
    expect(crossingAt([{ x: 0, y: 100 }, { x: 1, y: 50 }, { x: 2, y: 100 }], 75)).toBeCloseTo(0.5, 12);
  });

  it("returns a grid point hit exactly, and null outside the grid", () => {
    expect(crossingAt([{ x: 2, y: 80 }, { x: 4, y: 72 }], 72)).toBe(4);
    expect(crossingAt([{ x: 2, y: 99 }, { x: 4, y: 97 }], 72)).toBeNull();
    expect(crossingAt([], 72)).toBeNull();
  });
});

describe("applyVariant", () => {
  const base: ScenarioInput = {
    name: "t", seed: 1, rounds: 20, roundSeconds: 1, topology: { kind: "figure1" },
    traffic: { ratePerSec: 100, packetBits: 1e6 },
  };

  it("keeps the simulated seconds when the round changes, and sets the flow law and sources", () => {
    const s = applyVariant(base, { roundSeconds: 0.5, durationSigma: 1, demandMeanMbps: 20, sources: ["X", "Y"] });
    expect(s.rounds).toBe(40); // 20 s in rounds of 0.5 s
    expect(s.roundSeconds).toBe(0.5);
    expect(s.traffic!.flow!.durationMedianSec).toBeCloseTo(0.3753, 4);
    expect(s.traffic!.flow!.demandMeanMbps).toBe(20);
    expect(s.traffic!.nodes).toEqual(["X", "Y"]);
    expect(s.traffic!.ratePerSec).toBe(100); // the load is the caller's, not the variant's
  });

  it("swaps a CAIDA file for the generator at the same capacity per link", () => {
    const caida: ScenarioInput = { ...base, topology: { kind: "caida", file: "jp.txt", capacityBps: 5e9 } };
    expect(applyVariant(caida, { generatedNodes: 615 }).topology).toEqual({ kind: "generated", nodes: 615, capacityBps: 5e9 });
    expect(applyVariant(caida, {}).topology).toEqual(caida.topology);
  });

  it("sets the congestion price's scale on dynamic pricing only", () => {
    const dyn: ScenarioInput = { ...base, isps: { default: { strategy: "dynamic-price", params: { alpha: 4 } } } };
    expect(applyVariant(dyn, { congestionScale: 0.2 }).isps!.default).toEqual({ strategy: "dynamic-price", params: { alpha: 4, scale: 0.2 } });
    const stat: ScenarioInput = { ...base, isps: { default: { strategy: "static-price", params: {} } } };
    expect(applyVariant(stat, { congestionScale: 0.2 }).isps).toEqual(stat.isps);
  });

  it("changes nothing but the (default) flow law for an empty variant", () => {
    const s = applyVariant(base, {});
    expect(s.rounds).toBe(20);
    expect(s.roundSeconds).toBe(1);
    expect(s.traffic!.flow!.durationSigma).toBe(2.15);
    expect(s.traffic!.nodes).toBeUndefined();
  });
});

describe("fittedIds", () => {
  it("lists the numbers a run at the calibrated values was fitted on, and none elsewhere", () => {
    expect(fittedIds({ load: CALIBRATION.load.value })).toEqual(["linksUnder50Pct:static"]);
    expect(fittedIds({ load: CALIBRATION.load.value, variant: { congestionScale: CALIBRATION.congestionScale.value } })).toEqual(["linksUnder50Pct:static", "unitPrice:alpha=4"]);
    expect(fittedIds({})).toEqual([]); // the default load 4/3 was not fitted on a paper number
    expect(fittedIds({ load: 8, variant: { congestionScale: 1 } })).toEqual([]);
  });
});
