/**
 * The round's flow totals the shards add up (RoundReport.flows) are exactly what a pass over
 * every flow finds, in-thread and with the flows sharded across workers: the unit price and
 * revenue reporters read them instead of visiting the flows.
 */
import { describe, expect, it } from "vitest";
import type { SimulationObserver } from "../../src/engine/simulation.js";
import { FlowBandwidthReporter } from "../../src/metrics/flow-bandwidth.js";
import { PathSwitchReporter } from "../../src/metrics/path-switches.js";
import { PricingUtilityReporter } from "../../src/metrics/pricing-utility.js";
import { forEachFlowOfRound } from "../../src/metrics/round-flows.js";
import { policyScenario, SCALES } from "../../src/reproduce/table1.js";
import { parseScenario } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";

/** Each round: the shards' totals and the per-flow pass's. */
async function rounds(workers: number | null) {
  const seen: { shards: [number, number]; flows: [number, number] }[] = [];
  const check: SimulationObserver = {
    onRound: (report, simulation) => {
      let paid = 0;
      let bits = 0;
      forEachFlowOfRound(simulation, undefined, (_c, _row, delivered, payment, packetBits) => {
        paid += delivered * payment;
        bits += delivered * packetBits;
      });
      seen.push({ shards: [report.flows.paid, report.flows.deliveredBits], flows: [paid, bits] });
    },
  };
  const loaded = parseScenario(policyScenario({ kind: "dynamic", alpha: 4 }, { scale: { ...SCALES.test, rounds: 4 }, seed: 2 }));
  await runScenario(loaded, { observers: [check], flowSummaries: false, ...(workers === null ? {} : { parallel: { workers } }) });
  return seen;
}

describe("exact per-shard flow totals", () => {
  it("equal the per-flow pass every round, for in-thread and 2 workers alike", async () => {
    const serial = await rounds(null);
    expect(serial).toHaveLength(4);
    for (const round of serial) {
      expect(round.shards[0]).toBeGreaterThan(0);
      expect(round.shards[1]).toBeGreaterThan(0);
      expect(round.shards).toEqual(round.flows);
    }
    expect(await rounds(2)).toEqual(serial);
  }, 120_000);

  it("bandwidth, switches, utility and packet totals from the shards match the per-flow reporters", async () => {
    // Generated traffic only: every flow is agent 0, so a reporter told to count agent 0 reads
    // each flow one by one, and one told nothing reads the shards' totals.
    const loaded = parseScenario(policyScenario({ kind: "dynamic", alpha: 2 }, { scale: { ...SCALES.test, rounds: 4 }, seed: 3 }));
    const run = async (workers: number | null) => {
      const r = {
        bandwidth: [new FlowBandwidthReporter(), new FlowBandwidthReporter(0)],
        switches: [new PathSwitchReporter(), new PathSwitchReporter(0)],
        utility: [new PricingUtilityReporter(1, 1000), new PricingUtilityReporter(1, 1000, undefined, 0)],
      };
      const parallel = workers === null ? {} : { parallel: { workers } };
      const totals = await runScenario(loaded, { observers: [...r.bandwidth, ...r.switches, ...r.utility], flowSummaries: false, ...parallel });
      const lines = await runScenario(loaded, parallel);
      return { r, totals: totals.summary, lines: lines.summary };
    };
    const { r, totals, lines } = await run(null);
    const [bandwidth, bandwidthPerFlow] = r.bandwidth.map((b) => b.result());
    expect(bandwidth!.flows).toBeGreaterThan(1000);
    // Exact sums both ways: the same to the last bit.
    expect(bandwidth).toEqual(bandwidthPerFlow);
    const [switches, switchesPerFlow] = r.switches.map((b) => b.result());
    expect(switches).toEqual(switchesPerFlow);
    expect(switches!.users).toBe(lines.flows.length);
    // Utility: the weight applied once to the exact sum rather than to every term; what was paid
    // as one sum rather than per flow: equal to 12 digits.
    const [utility, utilityPerFlow] = r.utility.map((u) => u.result());
    expect(utility!.terms).toBe(utilityPerFlow!.terms);
    expect(utility!.value).toBeCloseTo(utilityPerFlow!.value, 12 - Math.ceil(Math.log10(Math.abs(utilityPerFlow!.value))));
    expect(utility!.utility).toBeCloseTo(utilityPerFlow!.utility, 12 - Math.ceil(Math.log10(Math.abs(utilityPerFlow!.utility))));
    // The summary's packet totals without a line per flow are those of the lines.
    expect(totals.packets).toEqual(lines.packets);
    expect(totals.flows).toEqual([]);
    const sharded = await run(2);
    expect(sharded.r.bandwidth.map((b) => b.result())).toEqual([bandwidth, bandwidthPerFlow]);
    expect(sharded.r.utility.map((u) => u.result())).toEqual([utility, utilityPerFlow]);
  }, 120_000);
});
