import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tournament } from "../../src/analysis/tournament.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { cli, ROOT } from "../support/run.js";

const twoTransits = () => loadScenarioFile(`${ROOT}test/fixtures/game-two-transits.json`);
const H = "honest-congestion";
const F = "fake-congestion";

describe("a 2 ISP × 2 strategy game, simulated end to end, matches the hand solution", () => {
  it("payoffs, regrets, the equilibrium and best-response dynamics", async () => {
    // See the fixture's description for the derivation.
    const r = await tournament(twoTransits(), { ispStrategies: [H, F], reps: 2, equilibria: true, start: [F, F] });
    expect(r.players).toEqual(["Y", "Z"]);
    const eq = r.equilibria![0]!;
    expect(eq.table.entries.map((e) => e.payoffs)).toEqual([[10, 0], [10, 0], [0, 10], [60, 0]]);
    expect(eq.regrets.map((x) => x.regret)).toEqual([0, 50, 10, 10]);
    expect(eq.nash.map((x) => x.names)).toEqual([[H, H]]);
    expect(eq.bestResponse.steps.map((s) => [s.player, s.to, s.gain])).toEqual([["Z", H, 10], ["Y", H, 10]]);
    expect(eq.bestResponse).toMatchObject({ converged: true, end: [H, H] });
    // Every profile delivers the same 10 packets: all welfares equal, price of anarchy 1.
    expect(eq.anarchy.priceOfAnarchy).toBe(1);
  });

  it("ranks by mean payoff per seat: fake congestion ranks first without being an equilibrium", async () => {
    const r = await tournament(twoTransits(), { ispStrategies: [H, F], reps: 2 });
    // Seats of F: HF→Z 0, FH→Y 0, FF→Y 60 and Z 0 (×2 reps): mean 15. Seats of H: 10, 0, 10, 10: mean 7.5.
    expect(r.ranking.map((x) => [x.rank, x.strategy, x.mean, x.n])).toEqual([[1, F, 15, 8], [2, H, 7.5, 8]]);
    expect(r.ranking[1]!.ci95Low).toBeLessThan(7.5);
    expect(r.equilibria).toBeNull();
    // Tidy rows: one per player per match, with the scenario hash, seed, strategy and params.
    expect(r.payoffs).toHaveLength(4 * 2 * 2);
    expect(r.payoffs[0]).toMatchObject({ scenarioHash: r.scenarioHash, player: "Y", strategy: H, params: { perPacket: 1 } });
    // Replication r has the same seed in every profile.
    expect(new Set(r.matches.filter((m) => m.rep === 0).map((m) => m.seed)).size).toBe(1);
  });

  it("user populations: every flow plays each user strategy in turn", async () => {
    const r = await tournament(twoTransits(), { ispStrategies: [H], userStrategies: ["fixed-payment", "never-pay"], reps: 1, equilibria: true });
    expect(r.userRanking!.map((x) => x.userStrategy).sort()).toEqual(["fixed-payment", "never-pay"]);
    expect(r.equilibria!.map((e) => e.userStrategy)).toEqual(["fixed-payment", "never-pay"]);
    // Paying nothing, the users keep their money: their utility is higher.
    expect(r.userRanking![0]!.userStrategy).toBe("never-pay");
  });

  it("a revenue's interval never goes below zero (bootstrap); a profit's is Student t", async () => {
    const r = await tournament(twoTransits(), { ispStrategies: [H, F], reps: 2 });
    const fake = r.ranking.find((x) => x.strategy === F)!;
    // F's 8 seats earn 0, 0, 60, 0 twice: mean 15, sd 27.775, so t(0.975, 7) = 2.3646 gives 15 ± 23.22,
    // a lower end of −8.2 for a revenue. Resampled, the mean is 7.5 K with K ~ Binomial(8, 1/4) picks of
    // the 60: P(K = 0) = 0.100 > 2.5%, so the low end is 0; P(K ≤ 4) = 0.973 and P(K ≤ 5) = 0.996
    // put the high end between 7.5 · 4 = 30 and 7.5 · 5 = 37.5.
    expect(fake).toMatchObject({ mean: 15, ci95Low: 0, ciMethod: "bootstrap-percentile" });
    expect(fake.ci95High).toBeGreaterThanOrEqual(30);
    expect(fake.ci95High).toBeLessThanOrEqual(37.5);
    const profit = await tournament(twoTransits(), { ispStrategies: [H, F], reps: 2, payoff: "profit" });
    const fakeProfit = profit.ranking.find((x) => x.strategy === F)!;
    expect(fakeProfit.ciMethod).toBe("student-t");
    expect(fakeProfit.ci95Low).toBeCloseTo(15 - 23.22, 1);
  });

  it("the CLI prints JSON and writes the ranking chart", () => {
    const out = mkdtempSync(join(tmpdir(), "tollway-tournament-"));
    const { status, stdout } = cli("tournament", "test/fixtures/game-two-transits.json", "--isp-strategies", `${H},${F}`, "--reps", "2", "--equilibria", "--json", "--out", out);
    expect(status).toBe(0);
    const r = JSON.parse(stdout) as { equilibria: { nash: { names: string[] }[] }[] };
    expect(r.equilibria[0]!.nash.map((n) => n.names)).toEqual([[H, H]]);
    expect(readFileSync(join(out, "ranking.svg"), "utf8")).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    for (const name of ["tournament.json", "payoffs.csv", "matches.csv", "ranking.csv", "regrets.csv"]) expect(existsSync(join(out, name)), name).toBe(true);
    expect(readFileSync(join(out, "payoffs.csv"), "utf8").split("\n")[0]).toBe("scenario,scenarioHash,version,baseSeed,reps,topologyHash,seed,rep,userStrategy,profile,player,strategy,strategyId,params,revenue,profit,payoff");
  });
});
