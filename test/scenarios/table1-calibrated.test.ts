import { describe, expect, it } from "vitest";
import { CALIBRATION, fittedIds } from "../../src/reproduce/calibration.js";
import { predictions } from "../../src/reproduce/predictions.js";
import { reproduceTable1, SCALES, table1Json } from "../../src/reproduce/table1.js";
import { expectGolden } from "../support/golden.js";
import { SHARED_DATA } from "../support/run.js";

/** Floats to 10 significant digits, so the golden file reads well and ignores the last bits. */
function rounded(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(10)) : v)));
}

// The paper's congestion regime (docs/reproduce-table1.md, "Calibration"): load 12.4 × 4.26 M flows/s,
// fitted on static pricing's 72% of links ≤ 50% peak, and congestion-price scale 0.2, fitted on α = 4's
// 34 PU. At test scale (1/1000, 10 s) this is seed 1 of the five-seed run in the docs. It has 9.3× the
// flows of the default golden run (528,811 per policy), so it gets more than the suite's 120 s: on a
// shared 2-core machine it took longer than that; the limit is a guard against a hang, not a timing.
const GUARD_MS = 30 * 60_000;
describe("Table I at the calibrated load and congestion price (test scale, seed 1, JP topology)", () => {
  it("shows every claim of the paper, and its summary and predictions match the golden file", async () => {
    const congestionScale = CALIBRATION.congestionScale.value;
    const result = await reproduceTable1({
      scale: SCALES.test, seed: 1, topologyFile: `${SHARED_DATA}jp-as-rel.txt`, workers: 1,
      load: CALIBRATION.load.value, variant: { congestionScale },
    });
    const summary = table1Json(result);
    for (const claim of summary.claims) expect(claim.holds, `${claim.id}: ${claim.detail}`).toBe(true);
    const list = predictions(result.outcomes, fittedIds({ load: CALIBRATION.load.value, variant: { congestionScale } }));
    expect(list.filter((p) => p.fitted).map((p) => p.id)).toEqual(["linksUnder50Pct:static", "unitPrice:alpha=4"]);
    expectGolden("table1-calibrated-test-scale", rounded({
      ...summary,
      probe: result.probe && { policy: result.probe.policy, unitPrice: result.probe.unitPrice, revenue: result.probe.revenue },
      flows: result.outcomes[0]!.flows,
      predictions: list.map((p) => ({ id: p.id, ours: p.ours, paper: p.paper, ratio: p.ratio, fitted: p.fitted })),
    }));
  }, GUARD_MS);
});
