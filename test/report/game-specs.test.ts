import { describe, expect, it } from "vitest";
import { renderSvg } from "../../src/report/charts.js";
import { intervalChart, pairedBarChart, sweepChart } from "../../src/report/game-specs.js";

type Json = Record<string, any>;

describe("intervalChart", () => {
  const rows = [
    { strategy: "honest", mean: 10, low: 8, high: 12 },
    { strategy: "fake", mean: -3, low: -5, high: -1 },
  ];

  it("draws a zero rule, a whisker from low to high and a dot at the mean, categories in row order", () => {
    const spec = intervalChart({ rows, category: "strategy", mean: "mean", low: "low", high: "high", title: "Ranking" }) as Json;
    expect(spec.layer).toHaveLength(3);
    expect(spec.layer[0].encoding.x).toEqual({ datum: 0, type: "quantitative" });
    expect(spec.layer[1].encoding.x.field).toBe("low");
    expect(spec.layer[1].encoding.x2).toEqual({ field: "high" });
    expect(spec.layer[2].encoding.y.sort).toEqual(["honest", "fake"]);
    expect(spec.data.values[0]).not.toBe(rows[0]);
  });

  it("renders to SVG", async () => {
    const svg = await renderSvg(intervalChart({ rows, category: "strategy", mean: "mean", low: "low", high: "high", title: "Ranking" }));
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain("honest");
  });

  it("names a missing column", () => {
    expect(() => intervalChart({ rows, category: "strategy", mean: "average", low: "low", high: "high", title: "t" })).toThrow(/intervalChart\.mean: no row has a column named "average"/);
  });
});

describe("sweepChart", () => {
  const rows = [
    { s: 0.5, interval: 1, flaps: 40, vol: 100 },
    { s: 1, interval: 1, flaps: 50, vol: 300 },
    { s: 1, interval: 5, flaps: 10, vol: 200 },
  ];

  it("folds the measures into one panel each, one line per value of the second parameter", () => {
    const spec = sweepChart({ rows, x: "s", color: "interval", title: "Sweep", measures: [{ field: "flaps", title: "Switches" }, { field: "vol", title: "Volatility" }] }) as Json;
    expect(spec.data.values).toHaveLength(6);
    expect(spec.data.values[0]).toEqual({ x: 0.5, series: "1", measure: "Switches", value: 40 });
    expect(spec.facet.column.sort).toEqual(["Switches", "Volatility"]);
    expect(spec.resolve).toEqual({ scale: { y: "independent" } });
    expect(spec.spec.encoding.color.title).toBe("interval");
  });

  it("renders to SVG", async () => {
    const svg = await renderSvg(sweepChart({ rows, x: "s", title: "Sweep", measures: [{ field: "flaps", title: "Switches" }] }));
    expect(svg).toContain("Switches");
  });

  it("needs a measure and known columns", () => {
    expect(() => sweepChart({ rows, x: "s", title: "t", measures: [] })).toThrow(/sweepChart\.measures: needs at least one measure/);
    expect(() => sweepChart({ rows, x: "k", title: "t", measures: [{ field: "flaps", title: "f" }] })).toThrow(/sweepChart\.x: no row has a column named "k"/);
  });
});

describe("charts that read right", () => {
  it("an interval is drawn as an error bar with end ticks", () => {
    const spec = intervalChart({ rows: [{ s: "a", m: 1, lo: 0, hi: 2 }], category: "s", mean: "m", low: "lo", high: "hi", title: "t" }) as Json;
    expect(spec.layer[1].mark).toMatchObject({ type: "errorbar", ticks: { size: 10 } });
  });

  it("sweep legends are in numeric order, not text order (1, 2, 10)", () => {
    const rows = [10, 2, 1].map((interval) => ({ s: 0.5, interval, flaps: interval }));
    const spec = sweepChart({ rows, x: "s", color: "interval", title: "t", measures: [{ field: "flaps", title: "Switches" }] }) as Json;
    expect(spec.spec.encoding.color.sort).toEqual(["1", "2", "10"]);
    expect(spec.spec.encoding.color.scale.domain).toEqual(["1", "2", "10"]);
    // Text values keep the order they first appear in.
    const named = sweepChart({ rows: [{ s: 1, k: "b", f: 1 }, { s: 1, k: "a", f: 2 }], x: "s", color: "k", title: "t", measures: [{ field: "f", title: "F" }] }) as Json;
    expect(named.spec.encoding.color.sort).toEqual(["b", "a"]);
  });

  it("a sweep measure with an interval gets error bars beside its line", () => {
    const rows = [{ s: 0.5, f: 3, lo: 1, hi: 4 }, { s: 1, f: 5, lo: 4, hi: 7 }];
    const spec = sweepChart({ rows, x: "s", title: "t", measures: [{ field: "f", title: "F", low: "lo", high: "hi" }] }) as Json;
    expect(spec.spec.layer.map((l: Json) => l.mark.type)).toEqual(["line", "errorbar"]);
    expect(spec.data.values[1]).toEqual({ x: 1, measure: "F", value: 5, low: 4, high: 7 });
    expect(() => sweepChart({ rows, x: "s", title: "t", measures: [{ field: "f", title: "F", low: "nope", high: "hi" }] })).toThrow(/sweepChart\.measures\.0\.low/);
  });

  it("paired replications are stems and dots side by side, never a line across replications", async () => {
    const rows = [0, 1, 2].flatMap((rep) => [{ rep, arm: "baseline", revenue: 10 }, { rep, arm: "deviation", revenue: 0 }]);
    const spec = pairedBarChart({ rows, unit: "rep", arm: "arm", value: "revenue", arms: ["baseline", "deviation"], title: "Revenue" }) as Json;
    expect(spec.layer.map((l: Json) => l.mark.type)).toEqual(["rule", "point"]);
    expect(JSON.stringify(spec)).not.toContain('"line"');
    expect(spec.encoding.xOffset.field).toBe("arm");
    expect(spec.encoding.x.type).toBe("ordinal");
    expect(spec.encoding.color.scale.domain).toEqual(["baseline", "deviation"]);
    expect(await renderSvg(spec)).toContain("deviation");
  });
});
