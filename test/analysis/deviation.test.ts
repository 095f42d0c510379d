import { describe, expect, it } from "vitest";
import { deviationStudy } from "../../src/analysis/deviation.js";
import { replicationSeed } from "../../src/analysis/points.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { cli, ROOT } from "../support/run.js";

const exact = () => loadScenarioFile(`${ROOT}test/fixtures/deviation-exact.json`);

describe("a deviation whose gain is known exactly", () => {
  it("adds a fake toll of 5 on 3 rounds × 10 packets: +150, with a zero-width interval", async () => {
    const r = await deviationStudy(exact(), { reps: 3 });
    expect(r).toMatchObject({ isp: "Y", from: "fixed-toll", to: "fake-congestion", gain: 150, ci95: [150, 150], reps: 3 });
    expect(r.baselineRevenue).toBe(300);
    expect(r.deviatedRevenue).toBe(450);
    expect(r.relativeGain).toBe(0.5);
    // Users pay the toll out of the refund: same deliveries, so welfare does not move.
    expect(r.welfareChange).toBe(0);
    // The new strategy keeps Y's fixed toll and takes the scenario's fake toll.
    expect(r.rows[0]!.toParams).toMatchObject({ perPacket: 10, fakeToll: 5 });
  });

  it("derives each replication's seed from the scenario's seed and the replication index, the same in both runs", async () => {
    const r = await deviationStudy(exact(), { reps: 2, seed: 42 });
    expect(r.rows.map((row) => row.seed)).toEqual([replicationSeed(42, 0), replicationSeed(42, 1)]);
    expect(new Set(r.rows.map((row) => row.seed)).size).toBe(2);
  });

  it("flags override the scenario's deviation", async () => {
    const r = await deviationStudy(exact(), { isp: "Z", to: "fixed-toll", params: { perPacket: 3 }, reps: 2 });
    // Z carries only the acknowledgment (8 units left in it) and now keeps 3 instead of 1.
    expect(r).toMatchObject({ isp: "Z", from: "fixed-toll", to: "fixed-toll", gain: 2 * 30 });
  });

  it("the CLI prints the promised JSON without flags", () => {
    const { status, stdout, stderr } = cli("deviation", "test/fixtures/deviation-exact.json", "--reps", "2", "--json");
    expect(stderr).toBe("");
    expect(status).toBe(0);
    const r = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(r).slice(0, 6)).toEqual(["isp", "from", "to", "gain", "ci95", "reps"]);
    expect(r).toMatchObject({ isp: "Y", from: "fixed-toll", to: "fake-congestion", gain: 150, ci95: [150, 150], reps: 2 });
  });
});

describe("the shipped fake-congestion scenarios run their default deviation", () => {
  it.each([["competition"], ["monopoly"]])("fake-congestion-%s", (which) => {
    const { status, stdout } = cli("deviation", `scenarios/fake-congestion-${which}.json`, "--json", "--reps", "2", "--rounds", "10");
    expect(status).toBe(0);
    const r = JSON.parse(stdout) as { isp: string; from: string; to: string; gain: number; ci95: [number, number]; reps: number };
    expect(r).toMatchObject({ isp: "Y", from: "honest-congestion", to: "fake-congestion", reps: 2 });
    expect(r.ci95[0]).toBeLessThanOrEqual(r.gain);
    expect(r.ci95[1]).toBeGreaterThanOrEqual(r.gain);
    // With a chokepoint the fake toll is pure gain; with two routes the users leave.
    if (which === "monopoly") expect(r.ci95[0]).toBeGreaterThan(0);
    else expect(r.ci95[1]).toBeLessThan(0);
  });
});
