import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, expectCleanError } from "../support/run.js";

const dir = mkdtempSync(join(tmpdir(), "tollway-summarize-flow-"));
const store = join(dir, "grid.duckdb");
const GRID = "test/fixtures/experiments/figure1-grid.json";

beforeAll(() => {
  const { status, stdout, stderr } = cli("sweep", GRID, "--store", store, "--jobs", "1", "--quiet");
  if (status !== 0) throw new Error(stdout + stderr);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("tollway summarize --flow: one listed flow's measures per point", () => {
  it("Figure 1: A's spend is Y's toll + 4 whatever it pays; one 12,000-bit packet a second, none lost", () => {
    const { status, stdout } = cli("summarize", store, "--flow", "A->B", "--json");
    expect(status).toBe(0);
    const points = JSON.parse(stdout) as { factors: Record<string, number>; ok: number; measures: Record<string, { mean: number; low: number; high: number }> }[];
    expect(points).toHaveLength(6);
    for (const p of points) {
      // A pays P; X keeps 1 and Y its toll t on the way; B keeps 1; the ack loses 1 at Z and 1 at X:
      // P − (t + 4) comes back, so A is t + 4 out, the same in both replications (a zero-width interval).
      const t = p.factors["isps.byNode.Y.params.perPacket"]!;
      expect(p.ok).toBe(2);
      expect(p.measures.spent).toEqual({ mean: t + 4, low: t + 4, high: t + 4 });
      expect(p.measures.throughput_bps!.mean).toBe(12_000);
      expect(p.measures.loss_share!.mean).toBe(0);
      expect(p.measures.delivered_packets!.mean).toBe(1);
    }
  });

  it("prints a table naming the flow; takes --measures from the flow measures", () => {
    const { status, stdout } = cli("summarize", store, "--flow", "A->B", "--measures", "spent");
    expect(status).toBe(0);
    expect(stdout).toMatch(/flow A->B: mean \[95% CI\] over replications/);
    expect(stdout).toMatch(/spent/);
    expect(stdout).not.toMatch(/throughput_bps/);
  });

  it("an unknown flow or flow measure is a one-line error naming the choices", () => {
    expectCleanError(["summarize", store, "--flow", "nobody"], /--flow: no flow "nobody" in experiment ".*" \(flows: A->B\)/);
    expectCleanError(["summarize", store, "--flow", "A->B", "--measures", "welfare"], /--measures: unknown flow measure "welfare" \(measures: user_utility, sent_packets, delivered_packets, loss_share, throughput_bps, spent, delay_ms, late_share\)/);
  });
});
