import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { changeScenario } from "../../src/scenario/change.js";
import { runScenario } from "../../src/scenario/run.js";
import { ROOT } from "../support/run.js";

const loaded = loadScenarioFile(ROOT + "scenarios/billpay-overcharging.json");

/** Y's net over the run when it charges `toll` and X plays `x`. */
async function yRevenue(toll: number, x: "honours-oads" | "ignores-oads"): Promise<number> {
  const scenario = changeScenario(loaded, (s) => ({
    isps: { ...s.isps, byNode: { ...s.isps.byNode, X: { strategy: x, params: { perPacket: 1 } }, Y: { strategy: "fixed-toll", params: { perPacket: toll } } } },
  }));
  const { summary } = await runScenario(scenario);
  return summary.net["Y"]!;
}

// Ten senders with toll limits 6..15, 10 rounds of one packet. Via Y a packet's toll is t + 4,
// via Z 5. A sender whose limit is below t + 4 pays Y once, asks X for choice 2, and is gone.
describe("does OAD steering make overcharging unprofitable? (Bill-Pay §5)", () => {
  it("with steering, Y's revenue peaks at the toll its senders' limits allow: 273, 385, 120 at t = 3, 7, 12", async () => {
    // t = 3: toll 7; 9 senders (limits 7..15) stay 10 rounds (9 · 30), one pays once: 270 + 3.
    expect(await yRevenue(3, "honours-oads")).toBe(273);
    // t = 7: toll 11; 5 senders (11..15) stay (5 · 70), 5 pay once: 350 + 35.
    expect(await yRevenue(7, "honours-oads")).toBe(385);
    // t = 12: toll 16, above every limit: each sender pays once, 10 · 12.
    expect(await yRevenue(12, "honours-oads")).toBe(120);
  });

  it("without steering, Y's revenue grows with its toll: 10 senders · 10 rounds · t", async () => {
    expect(await yRevenue(7, "ignores-oads")).toBe(700);
    expect(await yRevenue(16, "ignores-oads")).toBe(1600);
  });
});
