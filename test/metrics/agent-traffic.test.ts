import { describe, expect, it } from "vitest";
import { GameMetrics } from "../../src/metrics/game-metrics.js";
import { loadScenarioFile, parseScenario } from "../../src/scenario/load.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";
import { runScenario } from "../../src/scenario/run.js";
import { ROOT } from "../support/run.js";

const figure1 = (changes: Partial<ScenarioInput> = {}) => {
  const base = loadScenarioFile(`${ROOT}scenarios/billpay-figure1.json`).scenario;
  return parseScenario({ ...base, ...changes });
};

describe("each user agent's packets, loss, throughput and spend", () => {
  it("Figure 1 by hand: one 12,000-bit packet in a 1 s round, 20 paid and 6 refunded", async () => {
    const loaded = figure1();
    const metrics = GameMetrics.forScenario(loaded.scenario);
    await runScenario(loaded, { observers: metrics.observers });
    // A sends 20, X keeps 1 and Y 10 on the way, B keeps 1 of the 8 left, the ack brings back
    // 7 − Z's 1 = 6: A is 14 out (the Figure 1 story).
    // Its delay: 3 links of 5 ms, plus waits of nanoseconds (test/metrics/queueing-delay.test.ts); no deadline.
    const [flow] = metrics.result().trafficByAgent;
    expect({ ...flow, delayMs: 0 }).toEqual({ sentPackets: 1, deliveredPackets: 1, lossShare: 0, throughputBps: 12_000, spent: 14, delayMs: 0, lateShare: 0 });
    expect(flow!.delayMs).toBeCloseTo(15, 6);
  });

  it("half the packets dropped over 3 rounds: loss 0.5, throughput 50 × 12,000 bit/s, spend as the run summary adds it up", async () => {
    const loaded = figure1({
      rounds: 3,
      isps: { default: { strategy: "fixed-toll", params: { perPacket: 1 } }, byNode: { Y: { strategy: "keep-and-drop", params: { perPacket: 10, dropShare: 0.5 } } } },
      flows: [
        { id: "paying", from: "A", to: "B", strategy: "fixed-payment", params: { payment: 20, path: ["A", "X", "Y", "B"] }, packetsPerRound: 100 },
        { id: "late", from: "A", to: "B", strategy: "never-pay", packetsPerRound: 10, startRound: 2 },
      ],
    });
    const metrics = GameMetrics.forScenario(loaded.scenario);
    const { summary } = await runScenario(loaded, { observers: metrics.observers });
    const [paying, late] = metrics.result().trafficByAgent;
    expect(paying!.sentPackets).toBe(300);
    expect(paying!.deliveredPackets).toBe(150);
    expect(paying!.lossShare).toBe(0.5);
    expect(paying!.throughputBps).toBe((150 * 12_000) / 3);
    // The reporter adds lastSpent − lastRefunded per round; the summary takes the flow's own total.
    expect(paying!.spent).toBe(summary.flows.find((f) => f.id === "paying")!.spent);
    expect(paying!.spent).toBeGreaterThan(0);
    // Active one round of three: throughput is over that round only; it pays nothing.
    expect(late!.sentPackets).toBe(10);
    expect(late!.throughputBps).toBe((late!.deliveredPackets * 12_000) / 1);
    expect(late!.spent).toBe(0);
  });

  it("is off for scenarios without listed flows (a pass over millions of generated flows saved)", () => {
    const loaded = figure1({ flows: [] });
    expect(GameMetrics.forScenario(loaded.scenario).traffic).toBeNull();
    expect(GameMetrics.forScenario(figure1().scenario).traffic).not.toBeNull();
  });
});
