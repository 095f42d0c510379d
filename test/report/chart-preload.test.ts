/**
 * Loading the chart modules ahead (`reproduce table1` starts it while its first run plays):
 * the charts rendered after a preload are the charts rendered without one, and asking twice
 * loads once.
 */
import { describe, expect, it } from "vitest";
import { lineChart, preloadVega, renderSvg } from "../../src/report/charts.js";
import { preloadCharts } from "../../src/report/outputs.js";

const spec = lineChart({ rows: [{ round: 0, price: 5 }, { round: 1, price: 7 }], x: "round", y: "price", title: "Preloaded", xTitle: "Round", yTitle: "pUSD" });

describe("preloading the chart modules", () => {
  it("renders the same SVG as a render that loaded them itself", async () => {
    const cold = await renderSvg(spec);
    preloadCharts();
    preloadVega();
    preloadVega();
    const warm = await renderSvg(spec);
    expect(warm).toBe(cold);
    expect(warm).toContain("Preloaded");
  });
});
