/**
 * scenarios/experiments/billpay-time-sensitive-probe.json (docs/billpay.md, "Probing in advance"):
 * where the announced-cheapest route (through Y, a fixed toll on a full link) hides its
 * congestion, congestion-quantile without probing pins it and loses what a fixed payment loses
 * there; probing both routes first finds the one that delivers.
 */
import { describe, expect, it } from "vitest";
import { loadSweepPlan } from "../../src/analysis/plan-file.js";
import { runTask } from "../../src/cluster/point-run.js";
import { ROOT } from "../support/run.js";

describe("time-sensitive traffic probing in advance (billpay-time-sensitive-probe)", () => {
  it("on replication 0, probing 3 rounds of 10 packets per route cuts the game's loss to a third or less of the unprobed rule's", async () => {
    const plan = await loadSweepPlan(`${ROOT}scenarios/experiments/billpay-time-sensitive-probe.json`);
    const game = async (user: string) => {
      const r = plan.runs.find((run) => run.rep === 0 && run.config.values.user === user)!;
      const outcome = await runTask({ scenario: r.config.scenario, file: plan.baseFile, seed: r.seed, epsilon: plan.spec.epsilon });
      expect(outcome.status).toBe("ok");
      return outcome.flows.find((f) => f.flow === "game")!;
    };
    const [fixed, unprobed, probed] = [await game("fixed-10"), await game("quantile-0.9"), await game("quantile-0.9-probe-3x10")];
    // Through Y, paying does not help: the fixed toll is paid in full by everyone, the link is simply full.
    expect(unprobed.lossShare).toBeGreaterThan(0.3);
    expect(unprobed.lossShare).toBeCloseTo(fixed.lossShare, 12);
    expect(unprobed.spent).toBeGreaterThan(fixed.spent);
    expect(probed.lossShare).toBeLessThan(unprobed.lossShare / 3);
  }, 60_000);
});
