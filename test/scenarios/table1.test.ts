import { describe, expect, it } from "vitest";
import { reproduceTable1, SCALES, table1Json } from "../../src/reproduce/table1.js";
import { expectGolden } from "../support/golden.js";
import { SHARED_DATA } from "../support/run.js";

/** Floats to 10 significant digits, so the golden file reads well and ignores the last bits. */
function rounded(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(10)) : v)));
}

describe("Table I reproduced at test scale (1/1000 of the paper, 10 s, seed 1, JP topology)", () => {
  it("shows every claim of the paper, and its summary matches the golden file", async () => {
    const result = await reproduceTable1({ scale: SCALES.test, seed: 1, topologyFile: `${SHARED_DATA}jp-as-rel.txt`, workers: 1 });
    const summary = table1Json(result);
    expect(summary.rows.map((r) => r.policy)).toEqual(["static", "alpha=2", "alpha=4", "alpha=6"]);
    for (const claim of summary.claims) expect(claim.holds, `${claim.id}: ${claim.detail}`).toBe(true);
    expectGolden("table1-test-scale", rounded({
      ...summary,
      probe: result.probe && { policy: result.probe.policy, unitPrice: result.probe.unitPrice, revenue: result.probe.revenue },
      flows: result.outcomes[0]!.flows,
    }));
  });
});
