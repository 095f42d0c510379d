import { describe, expect, it } from "vitest";
import {
  allProfiles, bestResponseDynamics, epsilonNash, priceOfAnarchy, regrets, type PayoffTable,
} from "../../src/analysis/equilibria.js";

/** Two ISPs, each honest (H) or faking congestion (F); welfare = sum of payoffs. */
function game(strategies: string[], payoffs: Record<string, [number, number]>): PayoffTable {
  return {
    players: ["X", "Y"],
    strategies: [strategies, strategies],
    entries: allProfiles([strategies.length, strategies.length]).map((profile) => {
      const p = payoffs[profile.map((s) => strategies[s]).join("")]!;
      return { profile, payoffs: [...p], welfare: p[0] + p[1] };
    }),
  };
}

// A prisoner's dilemma, solved by hand: F strictly dominates H for both, so (F, F) is the only
// equilibrium although (H, H) gives both more.
//            Y: H      Y: F
//   X: H    3, 3      0, 5
//   X: F    5, 0      1, 1
const dilemma = game(["H", "F"], { HH: [3, 3], HF: [0, 5], FH: [5, 0], FF: [1, 1] });

describe("a 2 × 2 prisoner's dilemma solved by hand", () => {
  it("has the regrets worked out by hand", () => {
    // HH: either gains 5 − 3 = 2. HF: X gains 1 − 0 = 1 (Y is at its best). FH: Y gains 1. FF: 0.
    const r = regrets(dilemma);
    expect(r.map((x) => x.names.join(""))).toEqual(["HH", "HF", "FH", "FF"]);
    expect(r.map((x) => x.regret)).toEqual([2, 1, 1, 0]);
    expect(r[1]!.perPlayer).toEqual([
      { player: "X", plays: 0, bestResponse: 1, gain: 1 },
      { player: "Y", plays: 1, bestResponse: 1, gain: 0 },
    ]);
  });

  it("has (F, F) as its only Nash equilibrium", () => {
    expect(epsilonNash(dilemma).map((x) => x.names)).toEqual([["F", "F"]]);
    // With ε = 1, HF and FH (regret 1) are ε-equilibria too, lowest regret first.
    expect(epsilonNash(dilemma, 1).map((x) => x.names.join(""))).toEqual(["FF", "HF", "FH"]);
  });

  it("reaches (F, F) by best responses from (H, H)", () => {
    const path = bestResponseDynamics(dilemma, [0, 0]);
    expect(path.steps).toEqual([
      { player: "X", from: "H", to: "F", gain: 2, profile: ["F", "H"] },
      { player: "Y", from: "H", to: "F", gain: 1, profile: ["F", "F"] },
    ]);
    expect(path.converged).toBe(true);
    expect(path.end).toEqual(["F", "F"]);
  });

  it("stops at once when ε exceeds every gain", () => {
    const path = bestResponseDynamics(dilemma, [0, 0], 2);
    expect(path.steps).toEqual([]);
    expect(path.converged).toBe(true);
  });

  it("has a price of anarchy of 6 / 2 = 3", () => {
    const a = priceOfAnarchy(dilemma);
    expect(a.optimum).toEqual({ profile: ["H", "H"], welfare: 6 });
    expect(a.worstEquilibrium).toEqual({ profile: ["F", "F"], welfare: 2 });
    expect(a.priceOfAnarchy).toBe(3);
    expect(a.priceOfStability).toBe(3);
  });
});

describe("other small games", () => {
  // Coordination: both equilibria (A, A) and (B, B), one better than the other.
  const coordination = game(["A", "B"], { AA: [4, 4], AB: [0, 0], BA: [0, 0], BB: [1, 1] });

  it("a coordination game has two equilibria, a price of anarchy of 4 and of stability of 1", () => {
    expect(epsilonNash(coordination).map((x) => x.names.join(""))).toEqual(["AA", "BB"]);
    const a = priceOfAnarchy(coordination);
    expect(a.priceOfAnarchy).toBe(4);
    expect(a.priceOfStability).toBe(1);
    expect(bestResponseDynamics(coordination, [1, 0]).end).toEqual(["A", "A"]);
  });

  it("matching pennies has no pure equilibrium, and best responses cycle", () => {
    const pennies = game(["H", "T"], { HH: [1, -1], HT: [-1, 1], TH: [-1, 1], TT: [1, -1] });
    expect(epsilonNash(pennies)).toEqual([]);
    expect(regrets(pennies).map((x) => x.regret)).toEqual([2, 2, 2, 2]);
    const path = bestResponseDynamics(pennies, [0, 0]);
    expect(path.converged).toBe(false);
    expect(path.cycle).toHaveLength(4);
    const a = priceOfAnarchy(pennies);
    expect(a.worstEquilibrium).toBeNull();
    expect(a.priceOfAnarchy).toBeNull();
  });

  it("a price of anarchy needs positive welfare", () => {
    const losses = game(["A", "B"], { AA: [-1, -1], AB: [-3, -3], BA: [-3, -3], BB: [-2, -2] });
    expect(priceOfAnarchy(losses).priceOfAnarchy).toBeNull();
  });

  it("three players: profiles enumerate with the last player fastest", () => {
    expect(allProfiles([2, 1, 2])).toEqual([[0, 0, 0], [0, 0, 1], [1, 0, 0], [1, 0, 1]]);
  });
});

describe("bad tables are refused", () => {
  it("a missing profile is named", () => {
    const table = { ...dilemma, entries: dilemma.entries.slice(1) };
    expect(() => regrets(table)).toThrow(/entries: profile H, H is missing \(3 of 4 given\)/);
  });

  it("a repeated profile is named", () => {
    const table = { ...dilemma, entries: [...dilemma.entries, dilemma.entries[0]!] };
    expect(() => regrets(table)).toThrow(/profile H, H appears twice/);
  });

  it("a start profile outside the game", () => {
    expect(() => bestResponseDynamics(dilemma, [0, 2])).toThrow(/start: not a profile of the game/);
  });
});
