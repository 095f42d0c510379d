/**
 * The round's flow totals the shards add up (RoundReport.flows) are exactly what a pass over
 * every flow finds, in-thread and with the flows sharded across workers: the unit price and
 * revenue reporters read them instead of visiting the flows.
 */
import { describe, expect, it } from "vitest";
import type { SimulationObserver } from "../../src/engine/simulation.js";
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
});
