/**
 * OAD steering inside the engine on a generated network: it changes where money goes, and the
 * column form of oad-steer gives the same run as its per-flow decide, in-thread and in workers.
 */
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";
import { oadGenerated } from "../fixtures/oad-generated.js";
import { ROOT } from "../support/run.js";

async function summary(input: ScenarioInput, workers: number | null = null) {
  const { summary } = await runScenario(parseScenario(input), workers === null ? {} : { parallel: { workers, minFlowsToShard: 1 } });
  return { ...summary, scenarioHash: "" };
}

describe("OAD steering on a generated 120-AS network (16 rounds, 200 flows)", () => {
  it("senders explore, then pay less when ISPs honour their user-OADs than when every ISP ignores them", async () => {
    const run = async (ispDefault: string) => {
      const perRound: number[] = [];
      let before = 0;
      const { summary } = await runScenario(parseScenario(oadGenerated("oad-steer", ispDefault)), {
        observers: [{ onRound: (_report, simulation) => {
          let spent = 0;
          simulation.forEachFlow((columns, row) => void (spent += columns.cumulativeSpent[row]!));
          perRound.push(spent - before);
          before = spent;
        } }],
      });
      return { summary, perRound };
    };
    const honoured = await run("honours-oads");
    const ignored = await run("ignores-oads");
    expect(honoured.summary.packets.sent).toBe(ignored.summary.packets.sent);
    // Round 0 is the same (no acks yet); round 1 explores, which costs; the last round is cheaper.
    expect(honoured.perRound[0]).toBe(ignored.perRound[0]);
    expect(honoured.perRound[1]).toBeGreaterThan(ignored.perRound[1]!);
    expect(honoured.perRound.at(-1)).toBeLessThan(ignored.perRound.at(-1)!);
    // With every ISP ignoring, nothing changes from round to round.
    expect(new Set(ignored.perRound).size).toBe(1);
    // Over the 16 rounds, exploring paid for itself.
    const spent = (s: typeof honoured.summary) => s.flows.reduce((sum, f) => sum + f.spent, 0);
    expect(spent(honoured.summary)).toBeLessThan(spent(ignored.summary));
    // Money is conserved either way.
    expect(Object.values(honoured.summary.net).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it("the column form gives the per-flow decide's summary, in-thread and in 2 workers", async () => {
    const perFlow = JSON.stringify(await summary(oadGenerated(`${ROOT}test/fixtures/strategies/oad-steer-per-flow.ts#oadSteerPerFlow`)));
    expect(JSON.stringify(await summary(oadGenerated()))).toBe(perFlow);
    expect(JSON.stringify(await summary(oadGenerated(), 2))).toBe(perFlow);
  }, 120_000);
});

describe("invalid OAD fields end the run with an error naming the strategy and the field", () => {
  const fixture = `${ROOT}test/fixtures/strategies/bad-oads.ts`;
  const figure1 = (user: string, isp = "fixed-toll"): ScenarioInput => ({
    name: "bad-oads", seed: 1, rounds: 1, topology: { kind: "figure1" },
    isps: { default: { strategy: isp, params: {} }, byNode: {} },
    flows: [{ id: "A->B", from: "A", to: "B", strategy: user, params: {}, packetsPerRound: 1, packetBytes: 1500 }],
  });
  it("a user-OAD choice out of range", async () => {
    await expect(summary(figure1(`${fixture}#choiceNine`))).rejects.toThrow(
      /strategy "choice-nine" \(user A->B\) in round 0 chose user-OADs that are invalid: oads\.0\.choice: must be 0 \(none\) or a choice 1\.\.8 \(got 9\)/);
  });
  it("the column form: a preferred choice also marked undesirable", async () => {
    await expect(summary(figure1(`${fixture}#choiceNineColumns`))).rejects.toThrow(/chose user-OADs that are invalid: oads\.0\.choice: choice 2 is also marked undesirable/);
  });
  it("an ISP's negative honourOadsFrom", async () => {
    await expect(summary(figure1("fixed-payment", `${fixture}#negativeHonour`))).rejects.toThrow(/strategy "negative-honour" \(isp X\) set honourOadsFrom = -1 in round 0: must be a number ≥ 0/);
  });
  it("each user-OAD field is read once (a plain copy is taken while the strategy is called)", async () => {
    const s = await summary(figure1(`${fixture}#readOnce`, "honours-oads"));
    // Path 0 from A is A-X-Y-B; X honours choice 2, so the packet crosses X→Z.
    expect(s.ledger.find((e) => e.from === "X" && e.to === "Z")?.amount).toBe(19);
  });
});
