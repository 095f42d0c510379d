import { describe, expect, it } from "vitest";
import { renderSvg } from "../../src/report/charts.js";
import fc from "fast-check";
import { cellLabel, cellRegion, cellsOf, claimsMapChart, regionOf } from "../../src/reproduce/claims-map.js";
import type { PolicyOutcome } from "../../src/reproduce/outcome.js";

describe("regionOf", () => {
  it("names which of the paper's two wins a policy has", () => {
    expect(regionOf({ revenueVsStaticPct: 8.7, priceVsStaticPct: -2.9 })).toBe("both better"); // the paper's α = 4
    expect(regionOf({ revenueVsStaticPct: 29.2, priceVsStaticPct: 14.3 })).toBe("more revenue only"); // its α = 2
    expect(regionOf({ revenueVsStaticPct: -10.7, priceVsStaticPct: -20 })).toBe("lower price only"); // its α = 6
    expect(regionOf({ revenueVsStaticPct: -1, priceVsStaticPct: 1 })).toBe("neither");
    // Equal to static is no win: neither strictly more revenue nor strictly lower price.
    expect(regionOf({ revenueVsStaticPct: 0, priceVsStaticPct: 0 })).toBe("neither");
  });
});

describe("cellRegion: a cell over seeds", () => {
  it("is regionOf for one seed", () => {
    expect(cellRegion([8.7], [-2.9])).toBe("both better");
    expect(cellRegion([29.2], [14.3])).toBe("more revenue only");
  });

  it("is both better only beyond the seed-to-seed spread of min(revenue gain, price cut)", () => {
    // m = min(3, 2) = 2 and min(5, 4) = 4: mean 3, sd √2 = 1.41; 3 > 1.41.
    expect(cellRegion([3, 5], [-2, -4])).toBe("both better");
    // m = 0.5, −0.3, 0.4: mean 0.2, sd 0.436; |0.2| ≤ 0.436.
    expect(cellRegion([0.5, 2, 0.4], [-1, 0.3, -1])).toBe("not distinguishable");
    // m = −1, −2: mean −1.5, sd 0.71, fails; the mean changes (+3.5% revenue, +1.5% price) say which side wins.
    expect(cellRegion([3, 4], [1, 2])).toBe("more revenue only");
    expect(cellRegion([-3, -4], [-1, -2])).toBe("lower price only");
    expect(cellRegion([-3, -4], [1, 2])).toBe("neither");
    // m = min(10, −1) = −1 and min(−1, 10) = −1: fails on both seeds, yet the means (+4.5%, −4.5%) look better on both.
    expect(cellRegion([10, -1], [1, -10])).toBe("not distinguishable");
  });

  it("agrees with regionOf whenever every seed is on the same side by a wide margin (property)", () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.double({ min: 1, max: 2, noNaN: true }), fc.double({ min: 1, max: 2, noNaN: true })), { minLength: 2, maxLength: 10 }), (seeds) => {
      // Every seed: revenue +10–20%, price −10–20%: m ≥ 10 with a spread under 10/√2 on any sample.
      expect(cellRegion(seeds.map(([r]) => 10 * r), seeds.map(([, p]) => -10 * p))).toBe("both better");
    }));
  });
});

describe("the map", () => {
  const stat = { linksUnder50Pct: 72 } as PolicyOutcome;
  const points = [
    { alpha: 2, revenue: 0, unitPrice: 0, avgBandwidthMbps: 9.1, revenueVsStaticPct: 29.2, priceVsStaticPct: 14.3, mutuallyBeneficial: false },
    { alpha: 4, revenue: 0, unitPrice: 0, avgBandwidthMbps: 9.1, revenueVsStaticPct: 8.7, priceVsStaticPct: -2.9, mutuallyBeneficial: true },
  ];
  const outcomes = [{ linksUnder50Pct: 52 } as PolicyOutcome, { linksUnder50Pct: 51 } as PolicyOutcome];
  const cells = cellsOf(1, [{ static: stat, points, outcomes }]);

  it("makes one cell per alpha with its region and link shares", () => {
    expect(cells.map((c) => [c.load, c.alpha, c.region, c.staticLinksUnder50Pct, c.linksUnder50Pct, c.seeds, c.revenueCi95])).toEqual([
      [1, 2, "more revenue only", 72, 52, 1, null],
      [1, 4, "both better", 72, 51, 1, null],
    ]);
  });

  it("over two seeds gives means, 95% CIs and the verdict of the both-margin", () => {
    const other = points.map((p) => ({ ...p, revenueVsStaticPct: p.revenueVsStaticPct + 2, priceVsStaticPct: p.priceVsStaticPct - 2 }));
    const [, alpha4] = cellsOf(1, [{ static: stat, points, outcomes }, { static: { linksUnder50Pct: 70 } as PolicyOutcome, points: other, outcomes }]);
    // Revenue 8.7 and 10.7: mean 9.7, sd √2, CI 12.706 · √2 / √2 = 12.706. Margins min(8.7, 2.9) = 2.9 and min(10.7, 4.9) = 4.9: mean 3.9, sd √2.
    expect(alpha4!.revenueVsStaticPct).toBeCloseTo(9.7, 10);
    expect(alpha4!.revenueCi95).toBeCloseTo(12.706, 10);
    expect(alpha4!.priceVsStaticPct).toBeCloseTo(-3.9, 10);
    expect(alpha4!.bothMargin).toBeCloseTo(3.9, 10);
    expect(alpha4!.bothMarginSd).toBeCloseTo(Math.SQRT2, 10);
    expect(alpha4!.staticLinksUnder50Pct).toBe(71);
    expect(alpha4!.region).toBe("both better");
    expect(cellLabel(alpha4!)).toBe("rev +9.7 ± 12.7%\nprice −3.9 ± 12.7%");
  });

  it("draws as an SVG with a labelled rectangle per cell", async () => {
    const svg = await renderSvg(claimsMapChart(cells));
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("+9% / −3%"); // α = 4: revenue +8.7% and price −2.9%, rounded
    expect(svg).toContain("both better");
  });

  it("over seeds, draws the CIs and the not-distinguishable cells", async () => {
    const cell = { ...cells[1]!, seeds: 10, revenueCi95: 1.2, priceCi95: 0.8, region: "not distinguishable" as const };
    const svg = await renderSvg(claimsMapChart([cell]));
    expect(svg).toContain("rev +8.7 ± 1.2%");
    expect(svg).toContain("price −2.9 ± 0.8%");
    expect(svg).toContain("not distinguishable");
    expect(svg).toContain("over 10 seeds");
  });
});
