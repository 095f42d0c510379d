import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hijackDeniedChart, hijackLeakChart } from "../../src/report/hijack-charts.js";
import { renderSvg } from "../../src/report/charts.js";
import { DEFAULT_HIJACK_SETUP } from "../../src/security/hijack-sim.js";
import { hijackStudy } from "../../src/security/hijack-study.js";
import { cli, expectCleanError } from "../support/run.js";

const setup = { ...DEFAULT_HIJACK_SETUP, durationSec: 120 };

describe("the hijack experiment", async () => {
  const result = await hijackStudy({ reps: 3, baseSeed: 4, setup });
  const cell = (attack: string, regime: string) => result.summary.find((s) => s.attack === attack && s.regime === regime)!;

  it("runs 2 attackers × 4 regimes × 3 replications and summarises each cell", () => {
    expect(result.runs).toHaveLength(24);
    expect(result.summary.map((s) => `${s.attack}/${s.regime}`)).toEqual([
      "impersonation/none", "impersonation/macs", "impersonation/macs+anomaly", "impersonation/anomaly",
      "man-in-the-middle/none", "man-in-the-middle/macs", "man-in-the-middle/macs+anomaly", "man-in-the-middle/anomaly",
    ]);
    for (const s of result.summary) {
      const rows = result.runs.filter((r) => r.attack === s.attack && r.regime === s.regime);
      expect(s.leakedPerHour).toBeCloseTo(rows.reduce((sum, r) => sum + r.leakedPerHour, 0) / 3, 6);
      expect(s.leakedCi95Low <= s.leakedPerHour && s.leakedPerHour <= s.leakedCi95High).toBe(true);
      expect(s.ciMethod).toBe("bootstrap-percentile");
    }
  });

  it("MACs stop the man in the middle and not impersonation; the anomaly rule bounds impersonation", () => {
    expect(cell("man-in-the-middle", "macs")).toMatchObject({ leakedPerHour: 0, leakedCi95Low: 0, leakedCi95High: 0, leakedVsNone: 0 });
    expect(cell("man-in-the-middle", "anomaly").leakedVsNone).toBe(1); // the rule never sees the rewritten frames
    expect(cell("impersonation", "macs").leakedVsNone).toBe(1); // the secretary vouches for every request
    // Two 60 s windows of at most 18,000 each in 120 s: at most 36,000 × 30 = 1,080,000 per hour.
    expect(cell("impersonation", "macs+anomaly").leakedPerHour).toBeLessThanOrEqual(1_080_000);
    expect(cell("impersonation", "macs+anomaly").leakedVsNone).toBeLessThan(0.2);
    expect(cell("impersonation", "macs+anomaly").honestDeniedShare).toBeGreaterThan(0.5); // the cost: honest payments refused
  });

  it("is reproducible from its base seed", async () => {
    expect(await hijackStudy({ reps: 3, baseSeed: 4, setup })).toEqual(result);
    expect((await hijackStudy({ reps: 3, baseSeed: 5, setup })).runs[0]!.seed).not.toBe(result.runs[0]!.seed);
  });

  it("its charts render", async () => {
    for (const spec of [hijackLeakChart(result), hijackDeniedChart(result)]) expect(await renderSvg(spec)).toMatch(/^<svg/);
  });

  it("rejects bad attacker parameters before running", async () => {
    const { impersonation } = await import("../../src/security/attackers/index.js");
    await expect(hijackStudy({ reps: 1, setup, attacks: [{ strategy: impersonation, params: { ratePerSec: 0 } }] })).rejects.toThrow(/^impersonation.ratePerSec: /);
  });
});

describe("tollway hijack", () => {
  it("writes CSV with provenance, JSON, two SVG charts and a manifest", () => {
    const dir = mkdtempSync(join(tmpdir(), "tollway-hijack-"));
    const run = cli("hijack", "--reps", "2", "--hours", "0.01", "--out", dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/man-in-the-middle\s+macs\s+0\s+\[0, 0\]/);
    expect(readdirSync(dir).sort()).toEqual(["hijack-honest-denied.svg", "hijack-leak.svg", "hijack-runs.csv", "hijack-summary.csv", "hijack.json", "manifest.json"]);
    const [header, first] = readFileSync(join(dir, "hijack-summary.csv"), "utf8").split("\n");
    expect(header).toMatch(/^scenario,scenarioHash,version,baseSeed,reps,attack,regime,leakedPerHour,/);
    expect(first).toMatch(/^hijack,[0-9a-f]{16},/);
    expect(readFileSync(join(dir, "hijack-runs.csv"), "utf8").split("\n")[0]).toMatch(/,seed,rep,|,rep,seed,/);
  });

  it("bad options get one clean line", () => {
    expectCleanError(["hijack", "--impersonation", '{"ratePerSec": -1}', "--out", join(tmpdir(), "tollway-hijack-bad")], /impersonation.ratePerSec/);
    const { status, stderr } = cli("hijack", "--hours", "0"); // commander's own line, as for the other commands
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/--hours must be a positive number \(got "0"\)/);
  });
});
