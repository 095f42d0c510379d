import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expandDesign } from "../../src/analysis/design.js";
import type { FactorSpec } from "../../src/scenario/experiment.js";
import { factorSchema } from "../../src/scenario/experiment.js";

const f = (spec: unknown): FactorSpec => factorSchema.parse(spec);

describe("designs: from factors to points", () => {
  it("a grid crosses the values, the first factor slowest, and sets every path of a factor", () => {
    const points = expandDesign([f({ path: "a", values: [1, 2] }), f({ name: "b", path: ["x.p", "y.p"], values: ["u", "v"] })], { kind: "grid" }, "e.json", "");
    expect(points.map((p) => p.values)).toEqual([{ a: 1, b: "u" }, { a: 1, b: "v" }, { a: 2, b: "u" }, { a: 2, b: "v" }]);
    expect(points[1]!.set).toEqual([["a", 1], ["x.p", "v"], ["y.p", "v"]]);
  });

  it("a range in a grid takes even steps, ends included; log steps are even in log", () => {
    const [linear] = [expandDesign([f({ path: "a", low: 0, high: 10, steps: 5 })], { kind: "grid" }, "e.json", "")];
    expect(linear.map((p) => p.values.a)).toEqual([0, 2.5, 5, 7.5, 10]);
    const log = expandDesign([f({ path: "a", low: 1, high: 100, steps: 3, scale: "log" })], { kind: "grid" }, "e.json", "");
    expect(log.map((p) => p.values.a as number).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([1, 10, 100]);
  });

  it("levels set several fields at once", () => {
    const points = expandDesign([f({ name: "captive", levels: [{ value: 0, set: { "flows.0.x": 100 } }, { value: 0.5, set: { "flows.0.x": 20, "flows.1.x": 20 } }] })], { kind: "grid" }, "e.json", "");
    expect(points.map((p) => [p.values.captive, p.set])).toEqual([[0, [["flows.0.x", 100]]], [0.5, [["flows.0.x", 20], ["flows.1.x", 20]]]]);
  });

  it("a latin hypercube uses each of the n strata of every factor exactly once", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 1000 }), (n, seed) => {
      const points = expandDesign([f({ path: "a", low: 0, high: 1 }), f({ path: "b", low: 10, high: 20 })], { kind: "latin-hypercube", points: n, seed }, "e.json", "");
      expect(points).toHaveLength(n);
      for (const [name, low, width] of [["a", 0, 1], ["b", 10, 10]] as const) {
        const strata = points.map((p) => Math.floor(((p.values[name] as number) - low) / width * n)).sort((x, y) => x - y);
        expect(strata).toEqual(Array.from({ length: n }, (_, i) => i));
      }
    }));
  });

  it("random and latin-hypercube designs are the same for the same seed and differ for another", () => {
    const factors = [f({ path: "a", low: 0, high: 1 })];
    for (const kind of ["random", "latin-hypercube"] as const) {
      const one = expandDesign(factors, { kind, points: 5, seed: 7 }, "e.json", "").map((p) => p.values.a);
      expect(expandDesign(factors, { kind, points: 5, seed: 7 }, "e.json", "").map((p) => p.values.a)).toEqual(one);
      expect(expandDesign(factors, { kind, points: 5, seed: 8 }, "e.json", "").map((p) => p.values.a)).not.toEqual(one);
      for (const v of one) expect(v).toBeGreaterThanOrEqual(0), expect(v).toBeLessThan(1);
    }
  });

  it("integer ranges round; listed values are drawn among the list", () => {
    const points = expandDesign([f({ path: "a", low: 1, high: 4, integer: true }), f({ path: "s", values: ["x", "y"] })], { kind: "random", points: 50, seed: 1 }, "e.json", "");
    for (const p of points) {
      expect(Number.isInteger(p.values.a)).toBe(true);
      expect(["x", "y"]).toContain(p.values.s);
    }
    expect(new Set(points.map((p) => p.values.s)).size).toBe(2);
  });

  it("refuses low > high, a log range from 0, a grid range without steps, and two factors of one name", () => {
    expect(() => expandDesign([f({ path: "a", low: 3, high: 1 })], { kind: "random", points: 2, seed: 1 }, "e.json", "experiment")).toThrow(/e\.json: experiment\.factors\.0\.low: low \(3\) > high \(1\)/);
    expect(() => expandDesign([f({ path: "a", low: 0, high: 1, scale: "log" })], { kind: "random", points: 2, seed: 1 }, "e.json", "")).toThrow(/factors\.0\.low: a log scale needs low > 0/);
    expect(() => expandDesign([f({ path: "a", low: 0, high: 1 })], { kind: "grid" }, "e.json", "")).toThrow(/factors\.0\.steps: a range in a grid design needs "steps"/);
    expect(() => expandDesign([f({ path: "a", values: [1] }), f({ path: "a", values: [2] })], { kind: "grid" }, "e.json", "")).toThrow(/factors\.1\.name: two factors are named "a"/);
  });
});
