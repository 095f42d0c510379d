/** The notebook tests' chart checker must catch the charts it is meant to catch. */
import { describe, expect, it } from "vitest";
import { renderSvg } from "../../src/report/charts.js";
import { intervalChart } from "../../src/report/game-specs.js";
import { histogramChart, lineChart } from "../../src/report/specs.js";
import { chartAnatomy, chartProblems, inkShare } from "../support/chart-checks.js";

const rows = [{ round: 0, price: 5, isp: "A" }, { round: 1, price: 7, isp: "A" }, { round: 0, price: 6, isp: "B" }, { round: 1, price: 4, isp: "B" }];

describe("chartProblems", () => {
  it("passes a titled chart with units and a legend, and reads its parts", async () => {
    const svg = await renderSvg(lineChart({ rows, x: "round", y: "price", color: "isp", title: "ISP Y's price", xTitle: "Round", yTitle: "Price (n$ per packet)", colorTitle: "ISP" }));
    expect(chartProblems(svg)).toEqual([]);
    const a = chartAnatomy(svg);
    expect(a.title).toBe("ISP Y's price");
    expect(a.yAxes).toEqual([{ title: "Price (n$ per packet)", scale: "linear" }]);
    expect(a.legends).toEqual(["ISP"]);
    expect(a.lineColours).toBe(2);
    expect(inkShare(svg).ink).toBeGreaterThan(0.01);
  });

  it("flags field names as axis titles, a quantity without a unit and an untitled legend", async () => {
    const svg = await renderSvg(lineChart({ rows, x: "round", y: "price", color: "isp", title: "Prices", xTitle: "round", yTitle: "Price", colorTitle: "" }));
    expect(chartProblems(svg)).toEqual([
      'axis title "round" is a field name, not words',
      'vertical axis "Price" names no unit',
      "a legend without a title",
    ]);
  });

  it("asks no unit of a category axis, and counts bars and points as marks", async () => {
    const interval = await renderSvg(intervalChart({ rows: [{ s: "honest", m: 1, lo: 0, hi: 2 }], category: "s", mean: "m", low: "lo", high: "hi", title: "Gain", categoryTitle: "Strategy", valueTitle: "Gain (n$)" }));
    expect(chartProblems(interval)).toEqual([]);
    const bars = await renderSvg(histogramChart({ rows: [{ hops: 1 }, { hops: 3 }], x: "hops", title: "Hops", xTitle: "Hops (links)", yTitle: "Paths (count)" }));
    expect(chartAnatomy(bars).marks.bar).toBe(3);
    expect(chartProblems(bars)).toEqual([]);
  });
});
