import { describe, expect, it } from "vitest";
import { renderSvg } from "../../src/report/charts.js";
import { cdfChart } from "../../src/report/specs.js";
import { figure5PaperPoints, withPaperPoints } from "../../src/reproduce/paper-marks.js";

describe("the paper's points on our charts", () => {
  it("Figure 5: 72% (static) and 52% (dynamic) of links at or under 50% peak", () => {
    // Section V: 1,478 of 2,052 links (72%) static, 1,057 (52%) dynamic.
    expect(figure5PaperPoints()).toEqual([
      { x: 0.5, y: 0.72, label: "paper, static: 72%" },
      { x: 0.5, y: 0.52, label: "paper, dynamic: 52%" },
    ]);
  });

  it("layers the points over the chart, keeping its title, and draws them", async () => {
    const base = cdfChart({ values: { static: [0.1, 0.3, 0.7] }, title: "Fig. 5", xTitle: "Peak" });
    const spec = withPaperPoints(base, figure5PaperPoints()) as { title?: unknown; layer?: { data?: { values?: unknown[] } }[] };
    expect(spec.title).toBe("Fig. 5");
    expect(spec.layer).toHaveLength(3);
    // The points are written in the chart's own fields (value, share), so they share its axes.
    expect(spec.layer![1]!.data!.values).toEqual([
      { value: 0.5, share: 0.72, label: "paper, static: 72%" },
      { value: 0.5, share: 0.52, label: "paper, dynamic: 52%" },
    ]);
    const svg = await renderSvg(spec as Parameters<typeof renderSvg>[0]);
    expect(svg).toContain("paper, static: 72%");
  });

  it("refuses a spec that is not a single view", () => {
    const layered = withPaperPoints(cdfChart({ values: { a: [1] }, title: "t", xTitle: "x" }), []);
    expect(() => withPaperPoints(layered, [])).toThrow(/single-view/);
  });
});
