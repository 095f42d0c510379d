import { describe, expect, it } from "vitest";
import { runMatch } from "../../src/analysis/match.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";
import { metricsRows, summaryRows } from "../../src/report/rows.js";
import { ROOT } from "../support/run.js";

const figure1 = loadScenarioFile(ROOT + "scenarios/billpay-figure1.json");
const about = { scenario: "billpay-figure1", scenarioHash: figure1.hash, seed: 1, unit: "nanodollar" };

describe("summaryRows", () => {
  it("gives Figure 1's ledger, nets and flow as tidy rows, each with its provenance", async () => {
    const { summary } = await runScenario(figure1);
    const rows = summaryRows(summary);
    // A pays 20; X keeps 1, Y 10; B keeps 1 and returns 8; Z and X keep 1 each (README).
    const amounts = Object.fromEntries(rows.ledger.map((e) => [`${e.from}->${e.to}`, e.amount]));
    expect(amounts).toEqual({ "A->X": 20, "X->Y": 19, "Y->B": 9, "B->Z": 8, "Z->X": 7, "X->A": 6 });
    expect(rows.ledger[0]).toMatchObject(about);
    const net = Object.fromEntries(rows.parties.map((p) => [p.party, [p.net, p.revenue]]));
    expect(net).toEqual({ A: [-14, null], X: [2, 2], Y: [10, 10], Z: [1, 1], B: [1, null] });
    expect(rows.flows).toEqual([{ ...about, id: "A->B", sent: 1, delivered: 1, spent: 14, pathSwitches: 0 }]);
  });
});

describe("metricsRows", () => {
  it("gives one row per round, per ISP (with its strategy) and per link in play", async () => {
    const match = await runMatch(figure1, { seed: 1 });
    const rows = metricsRows(figure1, match);
    expect(rows.rounds).toHaveLength(1);
    expect(rows.rounds[0]).toMatchObject({ ...about, round: 0, ispRevenue: 13 });
    const isps = Object.fromEntries(rows.isps.map((r) => [r.isp, [r.strategy, r.revenue]]));
    expect(isps).toEqual({ X: ["fixed-toll", 2], Y: ["fixed-toll", 10], Z: ["fixed-toll", 1] });
    expect(rows.isps.find((r) => r.isp === "Y")!.params).toMatchObject({ perPacket: 10 });
    for (const link of rows.links) expect(link.strategy).toBe("fixed-toll");
  });
});
