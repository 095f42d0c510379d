import { describe, expect, it } from "vitest";
import { renderSvg } from "../../src/report/charts.js";
import { cellsOf, claimsMapChart, regionOf } from "../../src/reproduce/claims-map.js";
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

describe("the map", () => {
  const stat = { linksUnder50Pct: 72 } as PolicyOutcome;
  const points = [
    { alpha: 2, revenue: 0, unitPrice: 0, avgBandwidthMbps: 9.1, revenueVsStaticPct: 29.2, priceVsStaticPct: 14.3, mutuallyBeneficial: false },
    { alpha: 4, revenue: 0, unitPrice: 0, avgBandwidthMbps: 9.1, revenueVsStaticPct: 8.7, priceVsStaticPct: -2.9, mutuallyBeneficial: true },
  ];
  const cells = cellsOf(1, stat, points, [{ linksUnder50Pct: 52 } as PolicyOutcome, { linksUnder50Pct: 51 } as PolicyOutcome]);

  it("makes one cell per alpha with its region and link shares", () => {
    expect(cells.map((c) => [c.load, c.alpha, c.region, c.staticLinksUnder50Pct, c.linksUnder50Pct])).toEqual([
      [1, 2, "more revenue only", 72, 52],
      [1, 4, "both better", 72, 51],
    ]);
  });

  it("draws as an SVG with a labelled rectangle per cell", async () => {
    const svg = await renderSvg(claimsMapChart(cells));
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("+9% / −3%"); // α = 4: revenue +8.7% and price −2.9%, rounded
    expect(svg).toContain("both better");
  });
});
