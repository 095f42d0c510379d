import { describe, expect, it } from "vitest";
import { TollwayError } from "../../src/errors.js";
import { renderSvg } from "../../src/report/charts.js";
import { cdfChart, escapeField, histogramChart, lineChart, scatterChart } from "../../src/report/specs.js";

/** The builders return the broad TopLevelSpec union; tests read it as plain JSON. */
type Json = Record<string, any>;
const asJson = (spec: unknown) => spec as Json;

describe("lineChart", () => {
  const rows = [
    { round: 0, price: 5, isp: "A" },
    { round: 1, price: 6, isp: "A" },
    { round: 0, price: 4, isp: "B" },
  ];

  it("encodes x, y and colour with the given titles", () => {
    const spec = asJson(
      lineChart({ rows, x: "round", y: "price", color: "isp", title: "Price", xTitle: "Round", yTitle: "pUSD" }),
    );
    expect(spec.title).toBe("Price");
    expect(spec.width).toBe(480);
    expect(spec.height).toBe(300);
    expect(spec.mark).toEqual({ type: "line", point: false });
    expect(spec.data.values).toEqual(rows);
    expect(spec.encoding.x).toEqual({ field: "round", type: "quantitative", title: "Round" });
    expect(spec.encoding.y).toEqual({ field: "price", type: "quantitative", title: "pUSD", scale: { zero: true } });
    expect(spec.encoding.color).toEqual({ field: "isp", type: "nominal", title: "isp", sort: ["A", "B"] });
  });

  it("lists the legend in numeric order for numbers, in first appearance for names (static before alpha=2)", () => {
    const numbers = asJson(lineChart({ rows: [10, 2, 1].map((k) => ({ t: 0, v: k, k })), x: "t", y: "v", color: "k", title: "t", xTitle: "t", yTitle: "v" }));
    expect(numbers.encoding.color.sort).toEqual(["1", "2", "10"]);
    const names = asJson(lineChart({ rows: ["static", "alpha=2", "alpha=10"].map((p) => ({ t: 0, v: 1, p })), x: "t", y: "v", color: "p", title: "t", xTitle: "t", yTitle: "v" }));
    expect(names.encoding.color.sort).toEqual(["static", "alpha=2", "alpha=10"]);
  });

  it("leaves colour out when not asked, and honours size and type options", () => {
    const spec = asJson(
      lineChart({
        rows,
        x: "round",
        y: "price",
        title: "t",
        xTitle: "x",
        yTitle: "y",
        width: 200,
        height: 100,
        xType: "ordinal",
        yZero: false,
        points: true,
      }),
    );
    expect(spec.encoding.color).toBeUndefined();
    expect([spec.width, spec.height]).toEqual([200, 100]);
    expect(spec.encoding.x.type).toBe("ordinal");
    expect(spec.encoding.y.scale).toEqual({ zero: false });
    expect(spec.mark.point).toBe(true);
  });

  it("copies the rows rather than sharing them with the renderer", () => {
    const spec = asJson(lineChart({ rows, x: "round", y: "price", title: "t", xTitle: "x", yTitle: "y" }));
    expect(spec.data.values[0]).not.toBe(rows[0]);
  });

  it("escapes dotted column names and rejects columns no row has", () => {
    const spec = asJson(
      lineChart({ rows: [{ t: 1, "revenue.total": 2 }], x: "t", y: "revenue.total", title: "t", xTitle: "x", yTitle: "y" }),
    );
    expect(spec.encoding.y.field).toBe("revenue\\.total");
    expect(() => lineChart({ rows, x: "round", y: "cost", title: "t", xTitle: "x", yTitle: "y" })).toThrow(
      'lineChart.y: no row has a column named "cost"',
    );
  });
});

describe("cdfChart", () => {
  it("lays out each series as ordered step points starting from zero", () => {
    const spec = asJson(cdfChart({ values: { b: [2, 1, 2], a: [5] }, title: "Utility", xTitle: "pUSD" }));
    expect(spec.mark).toEqual({ type: "line", interpolate: "step-after" });
    expect(spec.data.values).toEqual([
      { series: "b", value: 1, share: 0, step: 0 },
      { series: "b", value: 1, share: 1 / 3, step: 1 },
      { series: "b", value: 2, share: 1, step: 2 },
      { series: "a", value: 5, share: 0, step: 0 },
      { series: "a", value: 5, share: 1, step: 1 },
    ]);
    expect(spec.encoding.x.title).toBe("pUSD");
    expect(spec.encoding.y).toMatchObject({ field: "share", title: "Cumulative share", scale: { domain: [0, 1] } });
    expect(spec.encoding.color).toMatchObject({ field: "series", title: "Series", scale: { domain: ["b", "a"] } });
    expect(spec.encoding.order).toEqual({ field: "step", type: "quantitative" });
  });

  it("drops empty series and takes custom titles", () => {
    const spec = asJson(
      cdfChart({ values: { none: [], one: [3] }, title: "t", xTitle: "x", yTitle: "F(x)", seriesTitle: "Mechanism" }),
    );
    expect(spec.encoding.color.scale.domain).toEqual(["one"]);
    expect(spec.encoding.color.title).toBe("Mechanism");
    expect(spec.encoding.y.title).toBe("F(x)");
  });
});

describe("histogramChart", () => {
  it("counts rows per integer category and fills gaps with zero bars", () => {
    const spec = asJson(histogramChart({ rows: [{ hops: 4 }, { hops: 2 }, { hops: 2 }], x: "hops", title: "Path length" }));
    expect(spec.mark).toEqual({ type: "bar" });
    expect(spec.data.values).toEqual([
      { category: 2, count: 2 },
      { category: 3, count: 0 },
      { category: 4, count: 1 },
    ]);
    expect(spec.encoding.x).toMatchObject({ field: "category", type: "ordinal", title: "hops" });
    expect(spec.encoding.y).toMatchObject({ field: "count", type: "quantitative", title: "Count" });
    expect(spec.encoding.y.axis).toEqual({ tickMinStep: 1, format: "d" });
  });

  it("adds up a count column, and can leave gaps out", () => {
    const rows = [
      { hops: 1, packets: 10 },
      { hops: 5, packets: 2.5 },
      { hops: 1, packets: 5 },
    ];
    const spec = asJson(histogramChart({ rows, x: "hops", count: "packets", title: "t", fillGaps: false }));
    expect(spec.data.values).toEqual([
      { category: 1, count: 15 },
      { category: 5, count: 2.5 },
    ]);
    expect(spec.encoding.y.title).toBe("packets");
    expect(spec.encoding.y.axis).toBeUndefined();
  });

  it("rejects non-integer categories and over-wide gap filling", () => {
    expect(() => histogramChart({ rows: [{ h: 1.5 }], x: "h", title: "t" })).toThrow(TollwayError);
    expect(() => histogramChart({ rows: [{ h: 1.5 }], x: "h", title: "t" })).toThrow(
      "histogramChart.rows[0].h: must be an integer (got 1.5)",
    );
    expect(() => histogramChart({ rows: [{ h: 0 }, { h: 1e6 }], x: "h", title: "t" })).toThrow("fillGaps: false");
  });
});

describe("scatterChart", () => {
  const rows = [
    { strategy: "greedy", revenue: 10, utility: 3, kind: "isp" },
    { strategy: "fair", revenue: 4, utility: 8, kind: "isp" },
  ];

  it("is a single point mark without labels", () => {
    const spec = asJson(scatterChart({ rows, x: "revenue", y: "utility", title: "R vs U" }));
    expect(spec.mark).toEqual({ type: "point", filled: true });
    expect(spec.layer).toBeUndefined();
    expect(spec.encoding.x).toEqual({
      field: "revenue",
      type: "quantitative",
      title: "revenue",
      scale: { zero: false, padding: 16 },
    });
    expect(spec.encoding.y.field).toBe("utility");
  });

  it("layers text labels over coloured points when a label column is given", () => {
    const spec = asJson(
      scatterChart({ rows, x: "revenue", y: "utility", label: "strategy", color: "kind", title: "t", xTitle: "Revenue" }),
    );
    expect(spec.mark).toBeUndefined();
    expect(spec.encoding.x.title).toBe("Revenue");
    expect(spec.layer).toHaveLength(2);
    expect(spec.layer[0].encoding.color).toEqual({ field: "kind", type: "nominal", title: "kind" });
    expect(spec.layer[1].mark.type).toBe("text");
    expect(spec.layer[1].encoding.text).toEqual({ field: "strategy", type: "nominal" });
  });
});

describe("escapeField", () => {
  it("escapes path characters only", () => {
    expect(escapeField("a.b[0]")).toBe("a\\.b\\[0\\]");
    expect(escapeField("plain_name")).toBe("plain_name");
  });
});

describe("histogramChart on a log scale (Figure 6)", () => {
  const rows = [{ n: 0, users: 56803 }, { n: 1, users: 77 }, { n: 2, users: 0 }, { n: 3, users: 1 }];

  it("uses symlog so a bar of 1 shows beside 56,803, ticks at powers of ten, and labels every bar", async () => {
    const spec = asJson(histogramChart({ rows, x: "n", count: "users", yScale: "symlog", labels: true, title: "Fig. 6" }));
    expect(spec.encoding.y.scale).toEqual({ type: "symlog" });
    expect(spec.encoding.y.axis.values).toEqual([0, 1, 10, 100, 1000, 10000, 100000]);
    expect(spec.layer.map((l: Record<string, any>) => l.mark.type)).toEqual(["bar", "text"]);
    const svg = await renderSvg(spec as never);
    for (const label of ["56,803", "77", "10,000", "1,000"]) expect(svg).toContain(`>${label}<`);
  });

  it("the linear default is unchanged", () => {
    const spec = asJson(histogramChart({ rows, x: "n", count: "users", title: "t" }));
    expect(spec.encoding.y.scale).toBeUndefined();
    expect(spec.mark).toEqual({ type: "bar" });
  });
});
