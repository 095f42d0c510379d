import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { figure4Rows, figure5Rows, figure6Rows, writeTable1Figures } from "../../src/reproduce/figures.js";
import type { PolicyOutcome } from "../../src/reproduce/table1.js";
import { VERSION } from "../../src/version.js";

function outcome(alpha: number | null, peaks: number[], switchCounts: number[]): PolicyOutcome {
  return {
    policy: alpha === null ? "static" : `alpha=${alpha}`, alpha,
    scenario: alpha === null ? "table1-static" : `table1-alpha=${alpha}`, scenarioHash: alpha === null ? "5a5a5a5a5a5a5a5a" : "a4a4a4a4a4a4a4a4", seed: 3, avgBandwidthMbps: 9, unitPrice: 35, revenue: 1e6,
    linksUnder50Pct: 50, usersNeverSwitched: 90, userUtility: 0, deliveredPct: 95, meanLinkPrice: 12, flows: 10,
    peaks: Float64Array.from(peaks), switchCounts, nodes: 2, directedLinks: peaks.length, ratePerSec: 1, seconds: 0,
  };
}

const dir = mkdtempSync(join(tmpdir(), "tollway-figures-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("Figures 4, 5 and 6", () => {
  it("Figure 4 is the price function: flat static, B + F(u) dynamic", () => {
    const rows = figure4Rows([2, 6], 12.5);
    expect(rows).toHaveLength(101 * 3);
    const at = (policy: string, u: number) => rows.find((r) => r.policy === policy && r.utilization === u)!.price;
    expect(at("static", 0.9)).toBe(12.5);
    expect(at("alpha=2", 0.5)).toBe(10.5);
    expect(at("alpha=6", 0.75)).toBeCloseTo(6.5 + 11.182493960703473, 12);
    expect(at("alpha=2", 1)).toBeCloseTo(10.5 + 147.4131591025766, 12);
  });

  it("Figures 5 and 6 are tidy rows of every link's peak and of the switch counts", () => {
    const outcomes = [outcome(null, [0.2, 0.6], [10]), outcome(4, [0.3, 0.7], [9, 0, 1])];
    expect(figure5Rows(outcomes)).toEqual([
      { policy: "static", link: 0, peakUtilization: 0.2 }, { policy: "static", link: 1, peakUtilization: 0.6 },
      { policy: "alpha=4", link: 0, peakUtilization: 0.3 }, { policy: "alpha=4", link: 1, peakUtilization: 0.7 },
    ]);
    expect(figure6Rows(outcomes)).toEqual([
      { policy: "static", switches: 0, users: 10 },
      { policy: "alpha=4", switches: 0, users: 9 }, { policy: "alpha=4", switches: 1, users: 0 }, { policy: "alpha=4", switches: 2, users: 1 },
    ]);
  });

  it("writes the data as CSV and the charts as SVG", async () => {
    const written = await writeTable1Figures(dir, [outcome(null, [0.2, 0.6], [10]), outcome(4, [0.3, 0.7], [9, 0, 1])]);
    expect(readdirSync(dir).sort()).toEqual([
      "figure4-price-vs-utilization.csv", "figure4-price-vs-utilization.svg", "figure5-peak-utilization-cdf.svg",
      "figure5-peak-utilization.csv", "figure6-path-switches-alpha-4.svg", "figure6-path-switches.csv", "manifest.json", "table1.csv",
    ]);
    expect(written).toHaveLength(8);
    expect(readFileSync(join(dir, "figure5-peak-utilization-cdf.svg"), "utf8")).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    // Every row names the policy's own scenario, its hash, the seed, the replication and the version.
    expect(readFileSync(join(dir, "figure6-path-switches.csv"), "utf8")).toBe(
      "scenario,scenarioHash,version,seed,rep,policy,switches,users\n" +
      `table1-static,5a5a5a5a5a5a5a5a,${VERSION},3,0,static,0,10\n` +
      `table1-alpha=4,a4a4a4a4a4a4a4a4,${VERSION},3,0,alpha=4,0,9\n` +
      `table1-alpha=4,a4a4a4a4a4a4a4a4,${VERSION},3,0,alpha=4,1,0\n` +
      `table1-alpha=4,a4a4a4a4a4a4a4a4,${VERSION},3,0,alpha=4,2,1\n`,
    );
  });
});
