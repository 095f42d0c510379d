import { describe, expect, it } from "vitest";
import { GameMetrics, resolveEconomics } from "../../src/metrics/game-metrics.js";
import { valueOfDelivery, DEFAULT_UTILITY } from "../../src/metrics/net-utility.js";
import { dropShare } from "../../src/metrics/drop-share.js";
import { consumerSurplus, socialWelfare } from "../../src/metrics/welfare.js";
import { loadScenarioFile, parseScenario, type LoadedScenario } from "../../src/scenario/load.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";
import { runScenario } from "../../src/scenario/run.js";
import { ROOT } from "../support/run.js";

async function measure(loaded: LoadedScenario, rounds?: number) {
  const metrics = GameMetrics.forScenario(loaded.scenario);
  const { summary } = await runScenario(loaded, { observers: metrics.observers, ...(rounds !== undefined ? { rounds } : {}) });
  return { m: metrics.result(), summary };
}

const figure1 = (changes: Partial<ScenarioInput> = {}): LoadedScenario => {
  const base = loadScenarioFile(`${ROOT}scenarios/billpay-figure1.json`).scenario;
  return parseScenario({ ...base, ...changes });
};

describe("game metrics on Figure 1, by hand", () => {
  // One 1500-byte packet in one second: 0.012 Mbps, worth 1000 · ln(1.012).
  const value = 1000 * Math.log(1.012);

  it("users' utility, consumer surplus, revenue and welfare", async () => {
    const { m } = await measure(figure1());
    expect(m.totals.value).toBeCloseTo(value, 12);
    // A spent 20 and got 6 back: Eq. 1 = value − 14.
    expect(m.totals.userUtility).toBeCloseTo(value - 14, 12);
    // The ISPs kept 2 + 10 + 1 = 13 of the users' money (B kept 1, which stays among users).
    expect(m.totals.ispRevenue).toBe(13);
    expect(m.totals.consumerSurplus).toBeCloseTo(value - 13, 12);
    expect(m.totals.welfare).toBeCloseTo(value, 12);
    expect(m.isps).toEqual({ X: { revenue: 2, cost: 0, profit: 2 }, Y: { revenue: 10, cost: 0, profit: 10 }, Z: { revenue: 1, cost: 0, profit: 1 } });
    expect(m.totals.dropShare).toBe(0);
    expect(m.userUtilityByAgent).toHaveLength(1);
    expect(m.userUtilityByAgent[0]).toBeCloseTo(value - 14, 12);
  });

  it("the cost model: per megabit carried on an ISP's links plus per link and second", async () => {
    const { m } = await measure(figure1({ economics: { costs: { perMegabit: 100, perLinkPerSecond: 1 } } }));
    // Y carries the 12,000-bit packet on Y→B and runs 2 links: 100 · 0.012 + 2 = 3.2.
    expect(m.isps.Y!.cost).toBeCloseTo(3.2, 12);
    // X carries the packet (X→Y) and the 320-bit ack (X→A) and runs 3 links.
    expect(m.isps.X!.cost).toBeCloseTo(100 * 0.01232 + 3, 12);
    expect(m.isps.Z!.cost).toBeCloseTo(100 * 0.00032 + 2, 12);
    expect(m.isps.Y!.profit).toBeCloseTo(10 - 3.2, 12);
    expect(m.totals.welfare).toBeCloseTo(value - (3.2 + 4.232 + 2.032), 10);
  });

  it("a keep-and-drop ISP shows in the drop share", async () => {
    const { m } = await measure(figure1({
      isps: { default: { strategy: "fixed-toll", params: { perPacket: 1 } }, byNode: { Y: { strategy: "keep-and-drop", params: { perPacket: 10, dropShare: 0.5 } } } },
      flows: [{ from: "A", to: "B", strategy: "fixed-payment", params: { payment: 20, path: ["A", "X", "Y", "B"] }, packetsPerRound: 100 }],
    }));
    expect(m.totals.sentPackets).toBe(100);
    expect(m.totals.deliveredPackets).toBe(50);
    expect(m.totals.dropShare).toBe(0.5);
  });
});

describe("accounting identities on a busy run", () => {
  it("welfare = value − costs, consumer surplus = value − ISP revenue, revenue as in the run summary", async () => {
    const { m, summary } = await measure(loadScenarioFile(`${ROOT}scenarios/fake-congestion-competition.json`), 20);
    const t = m.totals;
    expect(t.welfare).toBeCloseTo(t.value - t.ispCost, 6);
    expect(t.consumerSurplus).toBeCloseTo(t.value - t.ispRevenue, 6);
    expect(t.ispProfit).toBeCloseTo(t.ispRevenue - t.ispCost, 6);
    for (const [isp, revenue] of Object.entries(summary.revenue)) expect(m.isps[isp]!.revenue).toBe(revenue);
    expect(m.rounds).toHaveLength(20);
    expect(m.rounds.reduce((s, r) => s + r.welfare, 0)).toBeCloseTo(t.welfare, 6);
    expect(t.dropShare).toBeGreaterThan(0);
    expect(t.sentPackets).toBe(summary.packets.sent);
  });
});

describe("the small pieces", () => {
  it("value of a delivery: a · w · ln(1 + x)", () => {
    expect(valueOfDelivery(12e6, 1, DEFAULT_UTILITY)).toBeCloseTo(1000 * Math.log(13), 10);
    expect(valueOfDelivery(12e6, 2, { weight: 10, bandwidthUnitBps: 1e6 })).toBeCloseTo(2 * 10 * Math.log(7), 10);
    expect(valueOfDelivery(1, 0, DEFAULT_UTILITY)).toBe(0);
  });

  it("welfare, surplus and drop share", () => {
    expect(consumerSurplus(2500, 700)).toBe(1800);
    expect(socialWelfare(1800, 700, 200)).toBe(2300);
    expect(dropShare(100, 75)).toBe(0.25);
    expect(dropShare(0, 0)).toBe(0);
  });

  it("economics defaults", () => {
    expect(resolveEconomics(undefined)).toEqual({ utility: { weight: 1000, bandwidthUnitBps: 1e6 }, costs: { perMegabit: 0, perLinkPerSecond: 0 } });
    expect(resolveEconomics({ costs: { perMegabit: 2, perLinkPerSecond: 0 } }).costs.perMegabit).toBe(2);
  });
});
