import { describe, expect, it } from "vitest";
import { closestPath, editDistance, scenarioPaths, setPath } from "../../src/scenario/scenario-paths.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { ROOT } from "../support/run.js";

describe("scenario paths", () => {
  it("edit distance counts insertions, deletions and substitutions", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("perPackt", "perPacket")).toBe(1);
    expect(editDistance("same", "same")).toBe(0);
  });

  it("lists the scenario's fields with defaults and each strategy's parameters", async () => {
    const paths = await scenarioPaths(loadScenarioFile(ROOT + "scenarios/billpay-figure1.json"));
    for (const p of ["seed", "rounds", "paths.k", "isps.byNode.Y.params.perPacket", "isps.default.strategy", "flows.0.params.payment", "flows.0.receiverKeeps.perPacket", "settlement.thresholdDollars"]) {
      expect(paths.has(p), p).toBe(true);
    }
    expect(paths.has("traffic.ratePerSec")).toBe(false);
    expect(closestPath("isps.byNode.Y.params.perPackt", paths)).toBe("isps.byNode.Y.params.perPacket");
    expect(closestPath("flows.0.params.paymnt", paths)).toBe("flows.0.params.payment");
  });

  it("sets a value at a path, creating missing objects but not list positions", () => {
    const target: Record<string, unknown> = { a: { b: 1 }, list: [{ x: 1 }] };
    setPath(target, "a.b", 2);
    setPath(target, "list.0.x", 3);
    setPath(target, "a.c.d", true);
    expect(target).toEqual({ a: { b: 2, c: { d: true } }, list: [{ x: 3 }] });
    expect(() => setPath(target, "list.4.x", 1)).toThrow(/no position 4/);
  });
});
