import { describe, expect, it } from "vitest";
import { oscillationStudy } from "../../src/analysis/oscillation-study.js";
import { wilsonInterval } from "../../src/metrics/stats.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { ROOT } from "../support/run.js";

describe("the oscillation study's intervals respect their quantities", () => {
  it("rates get bootstrap intervals inside the replications' range; the settled share a Wilson interval", async () => {
    const r = await oscillationStudy(loadScenarioFile(`${ROOT}scenarios/oscillation-smoothing.json`), { reps: 3, rounds: 6 });
    expect(r.points).toHaveLength(12);
    r.points.forEach((p, g) => {
      const rows = r.rows.slice(g * 3, (g + 1) * 3);
      const switches = rows.map((x) => x.switchesPerFlowMinute);
      expect(p.ciMethod).toBe("bootstrap-percentile");
      expect(p.switchesCi95[0]).toBeGreaterThanOrEqual(Math.min(...switches));
      expect(p.switchesCi95[1]).toBeLessThanOrEqual(Math.max(...switches));
      const vols = rows.map((x) => x.priceVolatility);
      expect(p.volatilityCi95[0]).toBeGreaterThanOrEqual(Math.min(...vols));
      expect(p.volatilityCi95[1]).toBeLessThanOrEqual(Math.max(...vols));
      const settled = rows.filter((x) => x.settleSec !== null).length;
      const wilson = wilsonInterval(settled, 3);
      expect(p).toMatchObject({ settledShare: settled / 3, settledCi95: [wilson.low, wilson.high], settledCiMethod: "wilson" });
    });
  });
});
