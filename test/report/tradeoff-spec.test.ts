import { describe, expect, it } from "vitest";
import { renderSvg } from "../../src/report/charts.js";
import { tradeoffChart } from "../../src/report/tradeoff-spec.js";

type Json = Record<string, any>;

const rows = [
  { rule: 10, name: "step 10", spent: 300, spentLow: 280, spentHigh: 320, mbps: 9, mbpsLow: 8.5, mbpsHigh: 9.5 },
  { rule: 2, name: "step 2", spent: 200, spentLow: 190, spentHigh: 210, mbps: 7, mbpsLow: 6.8, mbpsHigh: 7.2 },
  { rule: "fixed", name: "fixed 10", spent: 250, spentLow: 250, spentHigh: 250, mbps: 8, mbpsLow: 8, mbpsHigh: 8 },
];
const options = {
  rows, series: "rule", label: "name", title: "Throughput against spend",
  x: { mean: "spent", low: "spentLow", high: "spentHigh", title: "Spend" },
  y: { mean: "mbps", low: "mbpsLow", high: "mbpsHigh", title: "Throughput (Mbps)" },
};

describe("tradeoffChart", () => {
  it("draws an interval along each axis, a point at the means and a label, coloured by series", () => {
    const spec = tradeoffChart(options) as Json;
    expect(spec.layer.map((l: Json) => l.mark.type)).toEqual(["rule", "rule", "point", "text"]);
    // The horizontal bar spans the x interval at the y mean; the vertical one the y interval at the x mean.
    expect(spec.layer[0].encoding.x.field).toBe("spentLow");
    expect(spec.layer[0].encoding.x2).toEqual({ field: "spentHigh" });
    expect(spec.layer[0].encoding.y.field).toBe("mbps");
    expect(spec.layer[1].encoding.y.field).toBe("mbpsLow");
    expect(spec.layer[1].encoding.y2).toEqual({ field: "mbpsHigh" });
    expect(spec.layer[3].encoding.text).toEqual({ field: "name" });
    // Series as strings, in first-seen order when not all are numbers.
    expect(spec.layer[2].encoding.color.scale.domain).toEqual(["10", "2", "fixed"]);
    expect(spec.data.values.map((v: Json) => v.rule)).toEqual(["10", "2", "fixed"]);
  });

  it("orders numeric series numerically (2 before 10)", () => {
    const spec = tradeoffChart({ ...options, rows: rows.slice(0, 2) }) as Json;
    expect(spec.layer[2].encoding.color.scale.domain).toEqual(["2", "10"]);
  });

  it("renders to SVG with its labels", async () => {
    const svg = await renderSvg(tradeoffChart(options));
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain("fixed 10");
    expect(svg).toContain("Throughput (Mbps)");
  });

  it("takes the series' colours in series order", () => {
    const spec = tradeoffChart({ ...options, colors: ["#111", "#222", "#333"] }) as Json;
    expect(spec.layer[2].encoding.color.scale).toEqual({ domain: ["10", "2", "fixed"], range: ["#111", "#222", "#333"] });
  });

  it("names a missing column", () => {
    expect(() => tradeoffChart({ ...options, label: "title" })).toThrow(/tradeoffChart\.label: no row has a column named "title"/);
  });
});
