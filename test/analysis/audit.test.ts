import { describe, expect, it } from "vitest";
import { auditDeviations } from "../../src/analysis/audit.js";
import { deviationStudy } from "../../src/analysis/deviation.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { ROOT, cli } from "../support/run.js";

describe("audit: every unilateral deviation as one sweep", () => {
  it("at a chokepoint fake congestion pays, by exactly what the deviation study finds for the same seeds", async () => {
    const loaded = loadScenarioFile(ROOT + "scenarios/fake-congestion-monopoly.json");
    const audit = await auditDeviations(loaded, { strategies: ["fixed-toll", "fake-congestion"], reps: 2, rounds: 10, jobs: 1 });
    const fake = audit.rows.find((r) => r.to === "fake-congestion")!;
    const study = await deviationStudy(loaded, { isp: "Y", to: "fake-congestion", reps: 2, rounds: 10 });
    expect(fake.isp).toBe("Y");
    expect(fake.from).toBe("honest-congestion");
    expect(fake.gain).toBe(study.gain);
    expect(fake.ci95).toEqual(study.ci95);
    expect(fake.verdict).toBe("pays");
    expect(audit.equilibrium).toBe(false);
    expect(audit.profitable.map((r) => r.to)).toContain("fake-congestion");
    expect(audit.rows.map((r) => r.to)).toEqual(["fixed-toll", "fake-congestion"]);
  });

  it("with every user able to switch paths, faking congestion loses the deviator all its revenue: honest play is an equilibrium among these strategies", async () => {
    const loaded = loadScenarioFile(ROOT + "scenarios/fake-congestion-competition.json");
    const audit = await auditDeviations(loaded, { strategies: ["fake-congestion:perPacket=2"], reps: 2, rounds: 10, jobs: 2 });
    expect(audit.rows.map((r) => [r.isp, r.to, r.verdict])).toEqual([["Y", "fake-congestion:perPacket=2", "loses"], ["Z", "fake-congestion:perPacket=2", "loses"]]);
    for (const r of audit.rows) expect(r.relativeGain).toBe(-1);
    expect(audit.equilibrium).toBe(true);
  });

  it("the CLI answers the equilibrium question in words and refuses an unknown strategy in one line", () => {
    const { status, stdout } = cli("audit", "scenarios/fake-congestion-competition.json", "--strategies", "fake-congestion:perPacket=2", "--reps", "2", "--rounds", "5", "--jobs", "1");
    expect(status).toBe(0);
    expect(stdout).toMatch(/Yes: the scenario's profile \(Y: honest-congestion, Z: honest-congestion\) is an equilibrium among these strategies/);
    const bad = cli("audit", "scenarios/fake-congestion-competition.json", "--strategies", "no-such");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^tollway: --strategies: unknown isp strategy "no-such" \(built-in: fixed-toll/);
  });
});
