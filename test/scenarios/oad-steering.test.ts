import { describe, expect, it } from "vitest";
import { loadScenarioFile, type LoadedScenario } from "../../src/scenario/load.js";
import { changeScenario } from "../../src/scenario/change.js";
import { runScenario } from "../../src/scenario/run.js";
import { findLink } from "../../src/model/topology.js";
import type { SimulationObserver } from "../../src/engine/simulation.js";
import { expectGolden } from "../support/golden.js";
import { ROOT } from "../support/run.js";

const loaded = loadScenarioFile(ROOT + "scenarios/billpay-oad-steering.json");

/** X's strategy replaced; Y keeps its toll of 10. */
function withX(strategy: string, params: Record<string, unknown>): LoadedScenario {
  return changeScenario(loaded, (s) => ({ isps: { ...s.isps, byNode: { ...s.isps.byNode, X: { strategy, params } } } }));
}

/** The summary, and per round which of X's peers (Y or Z) carried A's data packet. */
async function run(scenario: LoadedScenario) {
  const via: string[] = [];
  const observer: SimulationObserver = {
    onRound: (report, simulation) => {
      const t = simulation.topology;
      const carried = (to: string) => report.links.carriedPackets[findLink(t, t.nodeIndex.get("X")!, t.nodeIndex.get(to)!)]!;
      via.push(carried("Y") > 0 ? "Y" : carried("Z") > 0 ? "Z" : "-");
    },
  };
  const { summary } = await runScenario(scenario, { observers: [observer] });
  const paid = (from: string, to: string) => summary.ledger.find((e) => e.from === from && e.to === to)?.amount ?? 0;
  return { summary, via, paid };
}

describe("OAD steering, the Figure 1 walk-through of Bill-Pay §2.2", () => {
  it("X honours OADs: the first packet goes via Y (toll 14), A asks X for choice 2, the next three go via Z (toll 5)", async () => {
    const { summary, via, paid } = await run(loaded);
    expect(via).toEqual(["Y", "Z", "Z", "Z"]);
    // Round 0, A-X-Y-B: 20 in; X keeps 1 (19 to Y), Y keeps 10 (9 to B); B keeps 1 and returns 8
    // over B-Z-X-A: Z keeps 1 (7), X keeps 1 (6). Toll 20 − 6 = 14, above A's limit of 10.
    expect(paid("X", "Y")).toBe(19);
    expect(paid("Y", "B")).toBe(9);
    // Rounds 1-3, A-X-Z-B: X keeps 1 (19 to Z), Z keeps 1 (18 to B); B keeps 1 and returns 17:
    // Z keeps 1 (16), X keeps 1 (15). Toll 20 − 15 = 5.
    expect(paid("X", "Z")).toBe(3 * 19);
    expect(paid("Z", "B")).toBe(3 * 18);
    expect(paid("B", "Z")).toBe(8 + 3 * 17);
    expect(paid("Z", "X")).toBe(7 + 3 * 16);
    expect(paid("X", "A")).toBe(6 + 3 * 15);
    expect(paid("A", "X")).toBe(4 * 20);
    // A: −14 − 3·5 = −29. X: 2 a packet (8). Y: 10 once. Z: 1 on the first ack, 2 a packet after (7). B: 1 a packet.
    expect(summary.net).toEqual({ A: -29, X: 8, Y: 10, Z: 7, B: 4 });
    expect(summary.flows[0]).toMatchObject({ sent: 4, delivered: 4, spent: 29 });
  });

  it("X ignores OADs: every packet goes via Y and pays 14", async () => {
    const { summary, via, paid } = await run(withX("ignores-oads", { perPacket: 1 }));
    expect(via).toEqual(["Y", "Y", "Y", "Y"]);
    expect(paid("X", "Z")).toBe(0);
    expect(summary.net).toEqual({ A: -56, X: 8, Y: 40, Z: 4, B: 4 });
  });

  it("X honours OADs when paid: a packet that reaches X with 20 is steered at minPayment 20, not at 21", async () => {
    expect((await run(withX("honours-when-paid", { perPacket: 1, minPayment: 20 }))).via).toEqual(["Y", "Z", "Z", "Z"]);
    expect((await run(withX("honours-when-paid", { perPacket: 1, minPayment: 21 }))).via).toEqual(["Y", "Y", "Y", "Y"]);
  });

  it("a sender whose limit the toll of 14 meets does not steer", async () => {
    const patient = changeScenario(loaded, (s) => ({ flows: [{ ...s.flows[0]!, params: { ...s.flows[0]!.params, maxToll: 14 } }] }));
    expect((await run(patient)).via).toEqual(["Y", "Y", "Y", "Y"]);
  });

  it("matches the committed golden summary", async () => {
    expectGolden("billpay-oad-steering", (await runScenario(loaded)).summary);
  });
});
