import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkClaims } from "../../src/reproduce/claims.js";
import { acrossSeeds, claimMargins, paperValue, predictions, summarize, verdictOf } from "../../src/reproduce/predictions.js";
import { outcome, PAPER } from "../support/table1-outcomes.js";

describe("paperValue", () => {
  it("reads Table I and turns revenues into changes against static", () => {
    // (607,486 − 470,272) / 470,272 = 137,214 / 470,272 = 29.178%; (420,047 − 470,272) / 470,272 = −10.680%.
    expect(paperValue("revenueVsStaticPct", "alpha=2")).toBeCloseTo(29.178, 3);
    expect(paperValue("revenueVsStaticPct", "alpha=6")).toBeCloseTo(-10.680, 3);
    expect(paperValue("revenueVsStaticPct", "static")).toBeNull();
    expect(paperValue("usersNeverSwitched", "static")).toBeNull();
    expect(paperValue("linksUnder50Pct", "alpha=4")).toBe(52);
    expect(paperValue("unitPrice", "alpha=3.5")).toBeNull();
  });
});

describe("predictions", () => {
  it("puts each of our numbers beside the paper's with the ratio, and marks the fitted ones", () => {
    const ours = [outcome(null, 9.0, 35.4, 1000, 72.5, 100), outcome(2, 9.9, 40.3, 1170, 60, 95), outcome(4, 9.8, 34.5, 1002, 61, 95), outcome(6, 9.7, 28.7, 832, 62, 95)];
    const list = predictions(ours, ["linksUnder50Pct:static"]);
    const by = (id: string) => list.find((p) => p.id === id)!;
    // 5 measures × 4 policies, less static's never-switched and revenue change: 18.
    expect(list).toHaveLength(18);
    expect(by("avgBandwidthMbps:alpha=2").ratio).toBeCloseTo(9.9 / 9.1, 12); // 1.0879
    expect(by("linksUnder50Pct:static")).toMatchObject({ ours: 72.5, paper: 72, fitted: true });
    expect(by("linksUnder50Pct:alpha=4").fitted).toBe(false);
    // Revenue +17.0% against the paper's +29.18%: ratio 17 / 29.178 = 0.5826.
    expect(by("revenueVsStaticPct:alpha=2").ours).toBeCloseTo(17, 10);
    expect(by("revenueVsStaticPct:alpha=2").ratio).toBeCloseTo(17 / 29.178, 3);
    expect(by("usersNeverSwitched:alpha=6").ratio).toBeCloseTo(95 / 90, 12);
  });

  it("leaves out policies the paper has no column for (a probe)", () => {
    expect(predictions([...PAPER, outcome(3.5, 9, 33, 500_000, 52, 90)]).some((p) => p.policy === "alpha=3.5")).toBe(false);
  });
});

describe("claimMargins", () => {
  it("on the paper's own Table I", () => {
    const m = claimMargins(PAPER);
    expect(m["dynamic-more-bandwidth"]).toBeCloseTo((100 * 0.8) / 8.2, 10); // α = 6: 9.0 vs 8.2, +9.756%
    // Smallest fall: unit price 40 → 34, 6/34 = 17.647% (revenue falls 18.83% and 21.71%, price 34 → 28 21.43%).
    expect(m["alpha-lowers-revenue-and-price"]).toBeCloseTo((100 * 6) / 34, 10);
    // α = 2's smallest lead: its price over static's, (40 − 35)/35 = 14.286%.
    expect(m["smallest-alpha-highest"]).toBeCloseTo((100 * 5) / 35, 10);
    // α = 4: revenue +8.71%, price −(34 − 35)/35 = 2.857%; min 2.857%, the best of the three.
    expect(m["some-alpha-beats-static"]).toBeCloseTo((100 * 1) / 35, 10);
    expect(m["fewer-links-under-50pct"]).toBe(20); // 72 − 52 points
    expect(m["most-users-never-switch"]).toBe(10); // tolerance 10 − |90 − 90|
  });

  it("is positive exactly when checkClaims says the claim holds (property)", () => {
    const value = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true });
    const row = fc.tuple(value(5, 12), value(20, 50), value(1e5, 1e6), value(40, 100), value(70, 100));
    fc.assert(fc.property(fc.tuple(row, row, row, row), (rows) => {
      const outs = rows.map((r, i) => outcome(i === 0 ? null : 2 * i, ...r));
      const margins = claimMargins(outs);
      for (const claim of checkClaims(outs)) {
        const margin = margins[claim.id]!;
        if (margin !== 0) expect(margin > 0, `${claim.id} margin ${margin}`).toBe(claim.holds);
      }
    }), { numRuns: 300 });
  });
});

describe("summarize and verdictOf", () => {
  it("works the sample statistics by hand", () => {
    // [1, 2, 3]: mean 2, squares 1 + 0 + 1 over n − 1 = 2: sd 1; CI 4.303 · 1 / √3 = 2.4843.
    const s = summarize([1, 2, 3]);
    expect(s).toMatchObject({ n: 3, mean: 2, sd: 1 });
    expect(s.ci95).toBeCloseTo(2.4843, 4);
    expect(summarize([5])).toEqual({ n: 1, mean: 5, sd: 0, ci95: null });
    expect(() => summarize([])).toThrow();
  });

  it("calls a claim that holds by less than its seed-to-seed spread not distinguishable", () => {
    // mean 0.2; deviations 0.3, −0.5, 0.2: (0.09 + 0.25 + 0.04)/2 = 0.19, sd 0.436 > 0.2.
    expect(verdictOf([0.5, -0.3, 0.4]).verdict).toBe("not distinguishable");
    // Holds on both seeds, 0.1 and 1.9: mean 1, sd √(0.81 + 0.81) = 1.273 > 1, not distinguishable.
    expect(verdictOf([0.1, 1.9]).verdict).toBe("not distinguishable");
    // 0.9 and 1.1: mean 1, sd √(0.01 + 0.01) = 0.141: holds; the mirror image fails.
    expect(verdictOf([0.9, 1.1])).toMatchObject({ verdict: "holds", mean: 1 });
    expect(verdictOf([-0.9, -1.1]).verdict).toBe("fails");
    // One seed: the sign decides, 0 included (checkClaims' tolerance is ≤).
    expect(verdictOf([0]).verdict).toBe("holds");
    expect(verdictOf([-0.01]).verdict).toBe("fails");
  });
});

describe("acrossSeeds", () => {
  it("averages each prediction over the seeds that have it", () => {
    const a = predictions([outcome(null, 8, 35, 100, 70, 100), outcome(2, 9, 40, 130, 50, 90)]);
    const b = predictions([outcome(null, 9, 36, 100, 74, 100), outcome(2, 10, 40, 126, 54, 92)]);
    const seeds = acrossSeeds([a, b]);
    const bw = seeds.find((p) => p.id === "avgBandwidthMbps:static")!;
    // 8 and 9: mean 8.5, sd √(0.25 + 0.25) = 0.7071, CI 12.706 · 0.7071 / √2 = 6.353; ratio 8.5 / 8.2.
    expect(bw.ours.mean).toBe(8.5);
    expect(bw.ours.sd).toBeCloseTo(Math.SQRT1_2, 12);
    expect(bw.ours.ci95).toBeCloseTo(6.353, 3);
    expect(bw.ratio).toBeCloseTo(8.5 / 8.2, 12);
    expect(seeds.find((p) => p.id === "revenueVsStaticPct:alpha=2")!.ours.mean).toBeCloseTo(28, 10); // +30% and +26%
  });
});
