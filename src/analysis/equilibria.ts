/**
 * Equilibria of an empirical game: a payoff table over strategy profiles (one payoff per player
 * per profile, e.g. mean revenue over replications), and what game theory reads off it.
 *
 * - regret of a profile s: the most any one player could gain by changing only its own strategy,
 *     regret(s) = max_i max_{s'_i} [ u_i(s'_i, s_−i) − u_i(s) ]   (≥ 0)
 * - ε-Nash equilibria: the profiles with regret ≤ ε (ε = 0: pure Nash equilibria);
 * - best-response dynamics: from a start profile, players in turn switch to a best response
 *   whenever it gains them more than ε, until a full pass changes nothing (an ε-equilibrium) or
 *   a profile repeats (a cycle);
 * - price of anarchy: the best welfare of any profile over the worst welfare of an ε-equilibrium
 *   (and the price of stability: over the best one), defined when both welfares are positive.
 *
 * Everything here is a pure function of the table; the numbers can come from simulations
 * (`tournament.ts`) or from a hand-written game.
 */
import { TollwayError } from "../errors.js";

/** One profile of the table: a strategy index per player, each player's payoff, and the welfare. */
export interface PayoffEntry {
  /** `profile[i]` indexes `strategies[i]`. */
  profile: number[];
  /** `payoffs[i]`: player i's payoff. */
  payoffs: number[];
  /** Social welfare of the profile (for the price of anarchy). */
  welfare: number;
}

/** A finite normal-form game, written out profile by profile. */
export interface PayoffTable {
  players: string[];
  /** The strategies (names) each player may choose from. */
  strategies: string[][];
  /** Every profile exactly once, in any order. */
  entries: PayoffEntry[];
}

/** One player's best unilateral deviation from a profile. */
export interface PlayerRegret {
  player: string;
  /** Strategy index it plays. */
  plays: number;
  /** A best response to the others (lowest index among ties, its current one if that is among them). */
  bestResponse: number;
  /** u_i(best response, s_−i) − u_i(s), ≥ 0. */
  gain: number;
}

/** A profile with its regret. */
export interface ProfileRegret {
  profile: number[];
  /** Strategy names, one per player. */
  names: string[];
  payoffs: number[];
  welfare: number;
  /** max over players of their gain. */
  regret: number;
  perPlayer: PlayerRegret[];
}

/** Indexes a table by profile, checking that it is complete and consistent. */
export class Game {
  readonly table: PayoffTable;
  private readonly byKey = new Map<string, PayoffEntry>();

  /** @throws TollwayError when a profile is missing, repeated or malformed. */
  constructor(table: PayoffTable) {
    this.table = table;
    const n = table.players.length;
    if (n === 0) throw new TollwayError("a game needs at least one player", { field: "players" });
    if (table.strategies.length !== n) throw new TollwayError(`one strategy list per player expected (${n}), got ${table.strategies.length}`, { field: "strategies" });
    table.strategies.forEach((s, i) => {
      if (s.length === 0) throw new TollwayError(`player ${table.players[i]} has no strategy`, { field: `strategies.${i}` });
    });
    table.entries.forEach((entry, e) => {
      if (entry.profile.length !== n || entry.payoffs.length !== n) {
        throw new TollwayError(`needs ${n} strategies and ${n} payoffs (one per player)`, { field: `entries.${e}` });
      }
      entry.profile.forEach((s, i) => {
        if (!Number.isInteger(s) || s < 0 || s >= table.strategies[i]!.length) throw new TollwayError(`no strategy ${s} for player ${table.players[i]}`, { field: `entries.${e}.profile.${i}` });
      });
      const key = entry.profile.join(",");
      if (this.byKey.has(key)) throw new TollwayError(`profile ${this.names(entry.profile).join(", ")} appears twice`, { field: `entries.${e}` });
      this.byKey.set(key, entry);
    });
    const expected = table.strategies.reduce((p, s) => p * s.length, 1);
    if (this.byKey.size !== expected) {
      const missing = allProfiles(table.strategies.map((s) => s.length)).find((p) => !this.byKey.has(p.join(",")))!;
      throw new TollwayError(`profile ${this.names(missing).join(", ")} is missing (${this.byKey.size} of ${expected} given)`, { field: "entries" });
    }
  }

  /** The entry of a profile. */
  entry(profile: readonly number[]): PayoffEntry {
    return this.byKey.get(profile.join(","))!;
  }

  /** Strategy names of a profile. */
  names(profile: readonly number[]): string[] {
    return profile.map((s, i) => this.table.strategies[i]![s]!);
  }

  /** Player i's best response to the others in `profile`, and what it gains over its current strategy. */
  bestResponse(profile: readonly number[], i: number): PlayerRegret {
    const current = this.entry(profile).payoffs[i]!;
    let best = profile[i]!;
    let bestPayoff = current;
    this.table.strategies[i]!.forEach((_, s) => {
      const payoff = this.entry(withStrategy(profile, i, s)).payoffs[i]!;
      if (payoff > bestPayoff) {
        best = s;
        bestPayoff = payoff;
      }
    });
    return { player: this.table.players[i]!, plays: profile[i]!, bestResponse: best, gain: bestPayoff - current };
  }

  /** The regret of one profile. */
  regret(profile: readonly number[]): ProfileRegret {
    const entry = this.entry(profile);
    const perPlayer = this.table.players.map((_, i) => this.bestResponse(profile, i));
    return {
      profile: [...profile], names: this.names(profile), payoffs: [...entry.payoffs], welfare: entry.welfare,
      regret: Math.max(0, ...perPlayer.map((p) => p.gain)), perPlayer,
    };
  }
}

/**
 * Every profile of a game whose players have `sizes[i]` strategies, the last player's strategy
 * changing fastest.
 *
 * @example allProfiles([2, 2]) // [[0,0],[0,1],[1,0],[1,1]]
 */
export function allProfiles(sizes: readonly number[]): number[][] {
  let profiles: number[][] = [[]];
  for (const size of sizes) profiles = profiles.flatMap((p) => Array.from({ length: size }, (_, s) => [...p, s]));
  return profiles;
}

/**
 * The regret of every profile, in the order of `allProfiles`.
 *
 * @example
 * // Prisoner's dilemma (C = 0, D = 1): payoffs CC 3,3  CD 0,5  DC 5,0  DD 1,1
 * regrets(pd).map((r) => r.regret); // [2, 1, 1, 0]
 */
export function regrets(table: PayoffTable): ProfileRegret[] {
  const game = new Game(table);
  return allProfiles(table.strategies.map((s) => s.length)).map((p) => game.regret(p));
}

/** The profiles with regret ≤ ε, lowest regret first (ties: table order). */
export function epsilonNash(table: PayoffTable, epsilon = 0): ProfileRegret[] {
  return regrets(table).filter((r) => r.regret <= epsilon).sort((a, b) => a.regret - b.regret);
}

/** One switch of best-response dynamics. */
export interface BestResponseStep {
  player: string;
  from: string;
  to: string;
  gain: number;
  /** The profile after the switch (names). */
  profile: string[];
}

/** Where best-response dynamics went. */
export interface BestResponsePath {
  start: string[];
  steps: BestResponseStep[];
  /** The last profile reached. */
  end: string[];
  /** True when it stopped at a profile where no player gains more than ε. */
  converged: boolean;
  /** When it cycled: the profiles of the cycle, in order; else null. */
  cycle: string[][] | null;
  epsilon: number;
}

/**
 * Best-response dynamics: players take turns (in table order); a player whose best response
 * gains more than ε switches to it. Stops when a full pass of all players switches nothing, or
 * when the same profile comes back with the same player to move (a cycle, which would repeat for
 * ever), or after `maxSteps` switches.
 *
 * @param start strategy index per player.
 * @example
 * // Prisoner's dilemma from (C, C): X defects (gain 2), then Y defects (gain 1); converged at (D, D).
 */
export function bestResponseDynamics(table: PayoffTable, start: readonly number[], epsilon = 0, maxSteps = 1000): BestResponsePath {
  const game = new Game(table);
  const n = table.players.length;
  if (start.length !== n || start.some((s, i) => !Number.isInteger(s) || s < 0 || s >= table.strategies[i]!.length)) {
    throw new TollwayError(`not a profile of the game: [${start.join(", ")}] (one strategy index per player)`, { field: "start" });
  }
  let profile = [...start];
  const steps: BestResponseStep[] = [];
  const seen = new Map<string, number>();
  let quiet = 0;
  let turn = 0;
  while (steps.length < maxSteps) {
    const state = `${profile.join(",")}|${turn}`;
    const earlier = seen.get(state);
    if (earlier !== undefined) {
      const cycle = steps.slice(earlier).map((s) => s.profile);
      return { start: game.names(start), steps, end: game.names(profile), converged: false, cycle, epsilon };
    }
    seen.set(state, steps.length);
    const response = game.bestResponse(profile, turn);
    if (response.gain > epsilon) {
      const from = table.strategies[turn]![profile[turn]!]!;
      profile = withStrategy(profile, turn, response.bestResponse);
      steps.push({ player: table.players[turn]!, from, to: table.strategies[turn]![response.bestResponse]!, gain: response.gain, profile: game.names(profile) });
      quiet = 0;
    } else if (++quiet >= n) {
      return { start: game.names(start), steps, end: game.names(profile), converged: true, cycle: null, epsilon };
    }
    turn = (turn + 1) % n;
  }
  return { start: game.names(start), steps, end: game.names(profile), converged: false, cycle: null, epsilon };
}

/** The price of anarchy and of stability over the profiles of a table. */
export interface AnarchyReport {
  /** The welfare-maximizing profile (first in table order among ties). */
  optimum: { profile: string[]; welfare: number };
  /** The ε-equilibrium with the lowest and the highest welfare; null when there is none. */
  worstEquilibrium: { profile: string[]; welfare: number } | null;
  bestEquilibrium: { profile: string[]; welfare: number } | null;
  /** optimum / worst equilibrium welfare; null when undefined (no equilibrium, or a welfare ≤ 0). */
  priceOfAnarchy: number | null;
  /** optimum / best equilibrium welfare; null when undefined. */
  priceOfStability: number | null;
  epsilon: number;
}

/**
 * Price of anarchy: how much welfare selfish play can lose, W(optimum) / W(worst ε-equilibrium).
 * A ratio of welfares only means something when both are positive; otherwise it is null.
 *
 * @example
 * // Prisoner's dilemma with welfare = sum of payoffs: optimum CC (6), only equilibrium DD (2): 3
 */
export function priceOfAnarchy(table: PayoffTable, epsilon = 0): AnarchyReport {
  const all = regrets(table);
  const optimum = all.reduce((best, r) => (r.welfare > best.welfare ? r : best), all[0]!);
  const equilibria = all.filter((r) => r.regret <= epsilon);
  const worst = equilibria.length > 0 ? equilibria.reduce((w, r) => (r.welfare < w.welfare ? r : w)) : null;
  const best = equilibria.length > 0 ? equilibria.reduce((b, r) => (r.welfare > b.welfare ? r : b)) : null;
  const ratio = (eq: ProfileRegret | null): number | null => (eq !== null && eq.welfare > 0 && optimum.welfare > 0 ? optimum.welfare / eq.welfare : null);
  const brief = (r: ProfileRegret | null) => (r === null ? null : { profile: r.names, welfare: r.welfare });
  return {
    optimum: { profile: optimum.names, welfare: optimum.welfare },
    worstEquilibrium: brief(worst), bestEquilibrium: brief(best),
    priceOfAnarchy: ratio(worst), priceOfStability: ratio(best), epsilon,
  };
}

function withStrategy(profile: readonly number[], i: number, s: number): number[] {
  const next = [...profile];
  next[i] = s;
  return next;
}
