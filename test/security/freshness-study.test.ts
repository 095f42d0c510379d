/**
 * The freshness study (issue 15 item 6) on a 16-AS network for 8 s: the arms run the same
 * seeds, the summary's paired differences are the runs' own, and stale prices change what users
 * pay. The finding at Table I's size is in docs/security.md.
 */
import { describe, expect, it } from "vitest";
import { FRESHNESS_ARMS, FRESHNESS_MEASURES, freshnessStudy } from "../../src/security/freshness-study.js";
import { freshnessChart } from "../../src/report/freshness-chart.js";

/** Equal to 12 significant digits (revenues are in the tens of millions). */
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));

describe("tollway freshness: oracle, beacons, beacons + in-path", () => {
  it("pairs the arms by seed and summarises the runs' own differences", async () => {
    const r = await freshnessStudy({ reps: 2, rounds: 8, nodes: 16, workers: 1 });
    expect(r.runs.map((x) => `${x.arm}#${x.rep}`)).toEqual(FRESHNESS_ARMS.flatMap((arm) => [`${arm}#0`, `${arm}#1`]));
    // Replication r has one seed in every arm (common random numbers).
    for (const rep of [0, 1]) expect(new Set(r.runs.filter((x) => x.rep === rep).map((x) => x.seed)).size).toBe(1);
    expect(r.summary).toHaveLength(FRESHNESS_ARMS.length * FRESHNESS_MEASURES.length);
    for (const s of r.summary) {
      const own = r.runs.filter((x) => x.arm === s.arm);
      const oracle = r.runs.filter((x) => x.arm === "oracle");
      // mean over 2 reps, and the mean of the paired differences (arm − oracle, rep by rep)
      close(s.mean, (own[0]![s.measure] + own[1]![s.measure]) / 2);
      close(s.diff, (own[0]![s.measure] - oracle[0]![s.measure] + own[1]![s.measure] - oracle[1]![s.measure]) / 2);
      if (s.arm === "oracle") expect([s.diff, s.diffCi95Low, s.diffCi95High]).toEqual([0, 0, 0]);
    }
    // Users who pay beacon prices pay other amounts than users who pay the prices in force.
    const unit = (arm: string) => r.summary.find((s) => s.arm === arm && s.measure === "unitPrice")!.mean;
    expect(unit("beacons")).not.toBe(unit("oracle"));
    expect(unit("beacons+in-path")).not.toBe(unit("beacons"));
    // The chart has a point per measure it shows (4) per non-oracle arm (2).
    expect((freshnessChart(r) as { data: { values: unknown[] } }).data.values).toHaveLength(8);
  }, 600_000);
});
