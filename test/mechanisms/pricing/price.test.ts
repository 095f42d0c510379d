import { describe, expect, it } from "vitest";
import { TollwayError } from "../../../src/errors.js";
import {
  basePrice,
  congestionPrice,
  crossingUtilization,
  DEFAULT_CONGESTION,
  dynamicPrice,
  ispRevenue,
  logUtility,
  PAPER_PRICING,
  preferredBandwidth,
  smoothedPrice,
  staticPrice,
  userUtility,
} from "../../../src/mechanisms/pricing/price.js";

// Hand values, P_static = 35 (Table I), k = 5, θ = 0.5, c = 1:
//   x = (u − 0.5) / 0.5;  F(u) = e^(5x) − 1 above θ, 0 at or below it.
//   u = 0.30: x < 0            → F = 0
//   u = 0.50: x = 0            → F = e^0 − 1 = 0
//   u = 0.75: x = 0.5, 5x = 2.5 → F = e^2.5 − 1 = 12.182493960703473 − 1 = 11.182493960703473
//   u = 1.00: x = 1,   5x = 5   → F = e^5 − 1   = 148.4131591025766  − 1 = 147.4131591025766
//   B = 35 − α = 33, 31, 29 for α = 2, 4, 6; dynamic = B + F.
const F = { 0.3: 0, 0.5: 0, 0.75: 11.182493960703473, 1: 147.4131591025766 } as const;
const DYNAMIC: Record<number, Record<number, number>> = {
  2: { 0.3: 33, 0.5: 33, 0.75: 44.182493960703473, 1: 180.4131591025766 },
  4: { 0.3: 31, 0.5: 31, 0.75: 42.182493960703473, 1: 178.4131591025766 },
  6: { 0.3: 29, 0.5: 29, 0.75: 40.182493960703473, 1: 176.4131591025766 },
};
const UTILIZATIONS = [0.3, 0.5, 0.75, 1] as const;

describe("static, congestion and dynamic prices", () => {
  it("static price is P_static at every utilization", () => {
    expect(staticPrice(35)).toBe(35);
    expect(staticPrice(0)).toBe(0);
  });

  it("F(u) matches the hand values", () => {
    for (const u of UTILIZATIONS) expect(congestionPrice(u)).toBeCloseTo(F[u], 12);
  });

  it("B + F(u) matches the hand values for alpha = 2, 4, 6", () => {
    for (const alpha of [2, 4, 6]) {
      expect(basePrice(35, alpha)).toBe(35 - alpha);
      for (const u of UTILIZATIONS) {
        expect(dynamicPrice({ utilization: u, pStatic: 35, alpha })).toBeCloseTo(DYNAMIC[alpha]![u]!, 12);
      }
    }
  });

  it("at full use the dynamic price is far above static for alpha up to 8", () => {
    for (const alpha of [0, 2, 4, 6, 8]) {
      // B + F(1) − P_static = 147.41 − alpha ≥ 139.
      expect(dynamicPrice({ utilization: 1, pStatic: 35, alpha }) - 35).toBeGreaterThan(139);
    }
  });

  it("below the threshold the dynamic price is B, i.e. alpha below static", () => {
    expect(dynamicPrice({ utilization: 0, pStatic: 12, alpha: 4 })).toBe(8);
    expect(dynamicPrice({ utilization: 0.5, pStatic: 12, alpha: 4 })).toBe(8);
  });

  it("F is continuous at the threshold and increasing above it", () => {
    expect(congestionPrice(0.5 + 1e-12)).toBeLessThan(1e-10);
    let last = 0;
    for (let u = 0.51; u <= 1; u += 0.01) {
      const f = congestionPrice(u);
      expect(f).toBeGreaterThan(last);
      last = f;
    }
  });

  it("clamps utilization above 1 to the price at full use", () => {
    expect(congestionPrice(1.7)).toBe(congestionPrice(1));
  });

  it("honours k, threshold and scale", () => {
    // θ = 0.6, k = 2, c = 3 at u = 0.8: x = 0.2 / 0.4 = 0.5 → 3 (e^1 − 1) = 5.154845485377136.
    expect(congestionPrice(0.8, { threshold: 0.6, k: 2, scale: 3 })).toBeCloseTo(5.154845485377136, 12);
    expect(congestionPrice(0.9, { scale: 0 })).toBe(0);
  });

  it("the paper's constants are the defaults", () => {
    expect(DEFAULT_CONGESTION).toEqual({ k: 5, threshold: 0.5, scale: 1 });
    expect(PAPER_PRICING.pStatic).toBe(35);
    expect(PAPER_PRICING.alphas).toEqual([2, 4, 6]);
    expect(PAPER_PRICING.capacityBps * PAPER_PRICING.threshold).toBe(250e9);
  });
});

describe("crossing point B + F(u*) = P_static", () => {
  // u* = 0.5 + 0.5 · ln(1 + alpha) / 5:
  //   alpha 2: ln 3 = 1.0986122886681098 → u* = 0.5 + 0.10986122886681098 = 0.6098612288668110
  //   alpha 4: ln 5 = 1.6094379124341003 → u* = 0.5 + 0.16094379124341003 = 0.6609437912434100
  //   alpha 6: ln 7 = 1.9459101490553132 → u* = 0.5 + 0.19459101490553132 = 0.6945910149055313
  //   alpha 8: ln 9 = 2.1972245773362196 → u* = 0.5 + 0.21972245773362196 = 0.7197224577336220
  const HAND = { 2: 0.609861228866811, 4: 0.66094379124341, 6: 0.6945910149055313, 8: 0.719722457733622 };

  it("matches the hand values and the price function", () => {
    for (const [a, expected] of Object.entries(HAND)) {
      const alpha = Number(a);
      const u = crossingUtilization({ alpha });
      expect(u).toBeCloseTo(expected, 12);
      expect(dynamicPrice({ utilization: u!, pStatic: 35, alpha })).toBeCloseTo(35, 10);
    }
  });

  it("agrees with bisection on the price function", () => {
    for (const alpha of [1, 2, 4, 6, 8]) {
      let lo = 0.5;
      let hi = 1;
      for (let i = 0; i < 80; i++) {
        const mid = (lo + hi) / 2;
        if (dynamicPrice({ utilization: mid, pStatic: 15, alpha }) < 15) lo = mid;
        else hi = mid;
      }
      expect(crossingUtilization({ alpha })).toBeCloseTo(lo, 10);
    }
  });

  it("is the threshold for alpha = 0 and null when F(1) < alpha", () => {
    expect(crossingUtilization({ alpha: 0 })).toBe(0.5);
    expect(crossingUtilization({ alpha: 200 })).toBeNull(); // F(1) = 147.41
    expect(crossingUtilization({ alpha: 2, scale: 0 })).toBeNull();
  });
});

describe("Eq. 11 smoothing", () => {
  it("s = 0 keeps the previous price, s = 1 jumps to the target, s = 0.5 averages", () => {
    // (1 − s) · 40 + s · 30: s = 0 → 40; s = 0.5 → 20 + 15 = 35; s = 1 → 30.
    expect(smoothedPrice(40, 30, 0)).toBe(40);
    expect(smoothedPrice(40, 30, 0.5)).toBe(35);
    expect(smoothedPrice(40, 30, 1)).toBe(30);
  });

  it("approaches a fixed target geometrically: P_t = T − (T − P_0)(1 − s)^t", () => {
    // From P_0 = 35 toward T = 42.182493960703473 (alpha 4, u = 0.75) with s = 0.5:
    //   P_1 = 38.591246980351737, P_2 = 40.386870470527605, P_3 = 41.284682215615539.
    const target = dynamicPrice({ utilization: 0.75, pStatic: 35, alpha: 4 });
    let p = 35;
    const hand = [38.591246980351737, 40.386870470527605, 41.284682215615539];
    for (let t = 1; t <= 3; t++) {
      p = smoothedPrice(p, target, 0.5);
      expect(p).toBeCloseTo(hand[t - 1]!, 12);
      expect(p).toBeCloseTo(target - (target - 35) * 0.5 ** t, 12);
    }
  });
});

describe("Eq. 1 and Eq. 2 terms", () => {
  it("default utility is 1000 ln(1 + x)", () => {
    // 1000 · ln 10 = 2302.585092994046.
    expect(logUtility(9)).toBeCloseTo(2302.585092994046, 9);
    expect(logUtility(0)).toBe(0);
  });

  it("user utility is F(x) − x p, possibly negative", () => {
    // 2302.585092994046 − 9 · 100 = 1402.585092994046.
    expect(userUtility(9, 100)).toBeCloseTo(1402.585092994046, 9);
    // 2302.585092994046 − 9 · 300 = −397.414907005954.
    expect(userUtility(9, 300)).toBeCloseTo(-397.414907005954, 9);
    // A custom F(x) = 2√x: 2 · 2 − 4 · 1 = 0.
    expect(userUtility(4, 1, (x) => 2 * Math.sqrt(x))).toBe(0);
  });

  it("preferred bandwidth maximizes the default user utility", () => {
    const p = 105;
    const x = preferredBandwidth(p); // 1000/105 − 1 = 8.523809523809524
    expect(x).toBeCloseTo(8.523809523809524, 12);
    expect(userUtility(x, p)).toBeGreaterThan(userUtility(x + 0.01, p));
    expect(userUtility(x, p)).toBeGreaterThan(userUtility(x - 0.01, p));
    expect(preferredBandwidth(2000)).toBe(0);
  });

  it("ISP revenue is x p", () => {
    expect(ispRevenue(9, 35)).toBe(315);
    expect(ispRevenue(0, 35)).toBe(0);
  });
});

describe("validation names the field", () => {
  const cases: Array<[() => unknown, string]> = [
    [() => basePrice(35, -1), "alpha: must be ≥ 0 (got -1)"],
    [() => basePrice(35, 40), "alpha: must be ≤ pStatic (35)"],
    [() => staticPrice(-2), "pStatic: must be ≥ 0 (got -2)"],
    [() => staticPrice(Number.NaN), "pStatic: must be a finite number (got NaN)"],
    [() => congestionPrice(-0.1), "utilization: must be ≥ 0 (got -0.1)"],
    [() => congestionPrice(0.7, { k: 0 }), "k: must be > 0 (got 0)"],
    [() => congestionPrice(0.7, { threshold: 1 }), "threshold: must be in [0, 1) (got 1)"],
    [() => congestionPrice(0.7, { scale: -1 }), "scale: must be ≥ 0 (got -1)"],
    [() => smoothedPrice(30, 40, 1.5), "s: must be ≤ 1 (got 1.5)"],
    [() => smoothedPrice(30, 40, -0.5), "s: must be ≥ 0 (got -0.5)"],
    [() => userUtility(-1, 3), "bandwidth: must be ≥ 0 (got -1)"],
    [() => ispRevenue(1, -3), "pricePerUnit: must be ≥ 0 (got -3)"],
  ];
  it.each(cases.map(([call, message]) => ({ call, message })))("$message", ({ call, message }) => {
    expect(call).toThrow(TollwayError);
    expect(call).toThrow(message);
  });

  it("records the field in the error's place", () => {
    try {
      dynamicPrice({ utilization: 0.6, pStatic: 35, alpha: -3 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TollwayError);
      expect((error as TollwayError).place.field).toBe("alpha");
    }
  });
});
