import { describe, expect, it } from "vitest";
import { oscillationStudy } from "../../src/analysis/oscillation-study.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { cli, ROOT, runFile } from "../support/run.js";
import { expectGolden } from "../support/golden.js";

const SCENARIOS = ["fake-congestion-competition", "fake-congestion-partial", "fake-congestion-monopoly", "oscillation-smoothing"];

describe("the game-theory scenarios", () => {
  it.each(SCENARIOS)("%s validates and matches its golden summary", async (name) => {
    const { status } = cli("validate", `scenarios/${name}.json`);
    expect(status).toBe(0);
    expectGolden(name, await runFile(`scenarios/${name}.json`));
  });

  it("oscillation-smoothing sweeps s × interval; the study's rows carry the hash, seed, strategy and params", async () => {
    const loaded = loadScenarioFile(`${ROOT}scenarios/oscillation-smoothing.json`);
    const r = await oscillationStudy(loaded, { reps: 1, rounds: 20 });
    expect(r.params).toEqual(["s", "interval"]);
    expect(r.points).toHaveLength(12);
    expect(r.points.map((p) => p.params)).toContainEqual({ s: 0.1, interval: 5 });
    const row = r.rows.find((x) => x.s === 1 && x.interval === 1)!;
    expect(row).toMatchObject({ scenarioHash: loaded.hash, strategy: "dynamic-price", ispParams: { s: 1, interval: 1, alpha: 4 } });
    expect(typeof row.seed).toBe("number");
    // Prices that follow their target at once and are updated every round flap at least as much
    // as prices held for five rounds.
    const flaps = (s: number, interval: number) => r.points.find((p) => p.params.s === s && p.params.interval === interval)!.switchesPerFlowMinute;
    expect(flaps(1, 1)).toBeGreaterThanOrEqual(flaps(1, 5));
  });
});
