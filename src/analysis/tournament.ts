/**
 * Axelrod-style tournaments between ISP strategies: every assignment of the candidate strategies
 * to the scenario's strategic ISPs (the players) is played, each over several replications whose
 * seeds are derived on the coordinator (replication r has the same seed in every profile), and
 * optionally against several user populations (every flow playing one user strategy). The
 * ranking orders strategies by their mean payoff over every match and seat they played in; the
 * same matches, averaged per profile, are the empirical game that `equilibria.ts` solves.
 *
 * Every candidate strategy plays with its own defaults plus the parameters given for it (inline,
 * `fixed-toll:perPacket=2`, or in a params file), the same for every player that has it; nothing
 * of the scenario's parameters carries over, so two players with one strategy play it alike. The
 * result lists each candidate's parameters as played.
 */
import { median } from "simple-statistics";
import { TollwayError } from "../errors.js";
import { intervalFor, meanConfidenceInterval, type IntervalMethod, type Quantity } from "../metrics/stats.js";
import type { LoadedScenario } from "../scenario/load.js";
import type { StrategyChoice } from "../scenario/schema.js";
import {
  allProfiles, bestResponseDynamics, epsilonNash, priceOfAnarchy, regrets,
  type AnarchyReport, type BestResponsePath, type PayoffTable, type ProfileRegret,
} from "./equilibria.js";
import {
  requireSameNetwork, resolveCandidate, resolvePlayers, scenarioIsps,
  type Candidate, type ScenarioIsps,
} from "./match.js";
import { requireParamsUsed, toStrategySpec, type ParamsByStrategy, type StrategySpec } from "./strategy-spec.js";
import { bootstrapSeed, expandPoints, type RowProvenance, type StudyProvenance } from "./points.js";
import { requireRunsOk, runStudy, studyPlan, type StudyLevel, type StudyRunOptions } from "./study-runs.js";

/** What a player's payoff is. */
export type PayoffKind = "revenue" | "profit";

/** Most matches a tournament may run (profiles × user strategies × replications). */
export const MAX_MATCHES = 20_000;

/** Options of {@link tournament}; `store`, `jobs`, `signal` and `onProgress` are those of every study (see study-runs.ts). */
export interface TournamentOptions extends StudyRunOptions {
  /**
   * Candidate ISP strategies, at least one: ids or files, each optionally with parameters
   * (`"fixed-toll:perPacket=2"`, see strategy-spec.ts, or `{ strategy, params }`).
   */
  ispStrategies: (string | StrategySpecInput)[];
  /** User strategies to play against (same forms), one population each; the scenario's own users when left out. */
  userStrategies?: (string | StrategySpecInput)[] | undefined;
  /** Parameters by strategy (ref or id), under those given inline; e.g. a `--params-file`. */
  params?: ParamsByStrategy | undefined;
  /** Replications per profile (default 5). */
  reps?: number | undefined;
  /** Base seed (default: the scenario's). */
  seed?: number | undefined;
  /** Rounds per match (default: the scenario's). */
  rounds?: number | undefined;
  /** Payoff of a player (default revenue). */
  payoff?: PayoffKind | undefined;
  /** Also solve the empirical game. */
  equilibria?: boolean | undefined;
  /** ε of the ε-Nash report and of best-response dynamics, money units (default 0). */
  epsilon?: number | undefined;
  /** Start profile of best-response dynamics, a strategy per player (default: the scenario's, if in the set; else the first). */
  start?: string[] | undefined;
}

/** A strategy and the parameters given for it, as an object. */
export interface StrategySpecInput {
  strategy: string;
  params?: Record<string, unknown> | undefined;
}

/** Which match a row belongs to. */
export interface MatchKey extends RowProvenance {
  /** Fingerprint of the network the match played on (the same in every match). */
  topologyHash: string;
  /** User population ("scenario" when the scenario's own users played). */
  userStrategy: string;
  /** The whole profile, e.g. `Y=honest-congestion Z=fake-congestion`. */
  profile: string;
}

/** One player's outcome in one match: a tidy row. */
export interface PayoffRow extends MatchKey {
  player: string;
  /** The candidate's name in the tournament (its ref, with its given parameters if any). */
  strategy: string;
  /** Strategy id. */
  strategyId: string;
  /** Parameters it played with (its defaults plus those given). */
  params: unknown;
  revenue: number;
  profit: number;
  payoff: number;
}

/** One match's welfare and stability: a tidy row. */
export interface MatchRow extends MatchKey {
  /** Strategy id and params by player. */
  strategies: Record<string, { id: string; params: unknown }>;
  welfare: number;
  consumerSurplus: number;
  userUtility: number;
  ispRevenue: number;
  ispProfit: number;
  dropShare: number;
  switchesPerFlowMinute: number;
  priceVolatility: number;
}

/** A row of the ranking. */
export interface RankingRow {
  rank: number;
  strategy: string;
  /** The parameters it played with (one set: every player plays a candidate alike). */
  params: unknown[];
  /** Mean payoff over every (match, seat) it played. */
  mean: number;
  /** 95% interval of the mean: bootstrap percentile for revenue (never negative), Student t for profit. */
  ci95Low: number;
  ci95High: number;
  ciMethod: IntervalMethod;
  median: number;
  /** Seats played (matches × players that had it). */
  n: number;
  /** Mean welfare of the matches it took part in. */
  meanWelfare: number;
}

/** A user population's result. */
export interface UserRankingRow {
  rank: number;
  userStrategy: string;
  /** Mean over matches of the users' summed utility (Eq. 1, net spend). */
  mean: number;
  /** 95% Student t interval of the mean (utility can take either sign). */
  ci95Low: number;
  ci95High: number;
  ciMethod: IntervalMethod;
  n: number;
}

/** The empirical game of one user population, solved. */
export interface EquilibriumReport {
  userStrategy: string;
  /** Mean payoffs per profile (and the half-width of their 95% intervals). */
  table: PayoffTable & { halfWidths: number[][] };
  regrets: ProfileRegret[];
  /** Profiles with regret ≤ ε. */
  nash: ProfileRegret[];
  bestResponse: BestResponsePath;
  anarchy: AnarchyReport;
  epsilon: number;
}

/** Everything a tournament produced. */
export interface TournamentResult extends StudyProvenance {
  /** Each candidate ISP strategy: name, id and the parameters every player that had it played with. */
  candidates: Candidate[];
  /** Each user population's strategy and parameters (empty: the scenario's own users). */
  userCandidates: Candidate[];
  /** Fingerprint of the network every match played on. */
  topologyHash: string;
  payoff: PayoffKind;
  players: string[];
  ispStrategies: string[];
  userStrategies: string[];
  ranking: RankingRow[];
  userRanking: UserRankingRow[] | null;
  payoffs: PayoffRow[];
  matches: MatchRow[];
  equilibria: EquilibriumReport[] | null;
}

interface MatchConfig {
  userStrategy: Candidate | undefined;
  profile: number[];
}

/**
 * Plays the tournament.
 * @throws TollwayError for an unknown strategy, no players, or too many matches.
 */
export async function tournament(loaded: LoadedScenario, options: TournamentOptions): Promise<TournamentResult> {
  const { scenario } = loaded;
  if (options.ispStrategies.length === 0) throw new TollwayError("name at least one ISP strategy", { field: "--isp-strategies" });
  const known = await scenarioIsps(loaded);
  const players = resolvePlayers(loaded, known);
  const specs = options.ispStrategies.map((x) => toStrategySpec(x, "--isp-strategies"));
  const userSpecs = (options.userStrategies ?? []).map((x) => toStrategySpec(x, "--user-strategies"));
  const candidates = await resolveAll("isp", specs, options.params, loaded, "--isp-strategies");
  const userCandidates = await resolveAll("user", userSpecs, options.params, loaded, "--user-strategies");
  requireParamsUsed(options.params, [...candidates, ...userCandidates], "--params-file");
  const ids = candidates.map((c) => c.name);
  const users = userCandidates.map((c) => c.name);
  const reps = options.reps ?? 5;
  const payoffKind = options.payoff ?? "revenue";
  const baseSeed = options.seed ?? scenario.seed;
  const profiles = allProfiles(players.map(() => ids.length));
  const populations: (Candidate | undefined)[] = userCandidates.length > 0 ? userCandidates : [undefined];
  const total = profiles.length * populations.length * reps;
  if (total > MAX_MATCHES) {
    throw new TollwayError(`${profiles.length} profiles × ${populations.length} user populations × ${reps} replications = ${total} matches, more than ${MAX_MATCHES}; use fewer strategies, players or --reps`, { field: "--isp-strategies" });
  }
  const start = startProfile(options.start, players, candidates, known);
  const label = (profile: number[]): string => players.map((player, i) => `${player}=${ids[profile[i]!]}`).join(" ");
  const configs: MatchConfig[] = populations.flatMap((userStrategy) => profiles.map((profile) => ({ userStrategy, profile })));
  const points = expandPoints(configs, reps, baseSeed);
  // The same matches as a grid of (user population ×) profile, the population changing slowest: configs' order.
  const profileLevels = profiles.map((profile): StudyLevel => ({
    value: label(profile),
    set: Object.fromEntries(players.flatMap((player, i) => {
      const c = candidates[profile[i]!]!;
      return [[`isps.byNode.${player}.strategy`, c.ref], [`isps.byNode.${player}.params`, c.params]];
    })),
  }));
  const plan = await studyPlan(loaded, {
    name: `tournament ${scenario.name}`, field: "tournament", isps: players, reps, seed: options.seed, rounds: options.rounds,
    measures: ["isp_revenue", "welfare"],
    factors: [
      ...(userCandidates.length > 0 ? [{ name: "users", levels: userCandidates.map((u) => ({ value: u.name, set: userChoiceSet(loaded, { strategy: u.ref, params: u.params }) })) }] : []),
      { name: "profile", levels: profileLevels },
    ],
  });
  const results = requireRunsOk(await runStudy(plan, options), loaded.file);
  requireSameNetwork(results, known);

  const about = { scenario: scenario.name, scenarioHash: loaded.hash, topologyHash: known.topologyHash };
  const payoffs: PayoffRow[] = [];
  const matches: MatchRow[] = [];
  points.forEach((point, k) => {
    const result = results[k]!;
    const m = result.totals;
    const userStrategy = point.config.userStrategy?.name ?? "scenario";
    const profile = label(point.config.profile);
    players.forEach((player, i) => {
      const isp = result.isps[player]!;
      payoffs.push({
        ...about, seed: point.seed, rep: point.rep, userStrategy, profile, player,
        strategy: ids[point.config.profile[i]!]!, strategyId: isp.strategy, params: candidates[point.config.profile[i]!]!.params,
        revenue: isp.revenue, profit: isp.profit, payoff: payoffKind === "revenue" ? isp.revenue : isp.profit,
      });
    });
    matches.push({
      ...about, seed: point.seed, rep: point.rep, userStrategy, profile,
      strategies: Object.fromEntries(players.map((player, i) => [player, { id: result.isps[player]!.strategy, params: candidates[point.config.profile[i]!]!.params }])),
      welfare: m.welfare, consumerSurplus: m.consumerSurplus, userUtility: m.userUtility,
      ispRevenue: m.ispRevenue, ispProfit: m.ispProfit, dropShare: m.dropShare,
      switchesPerFlowMinute: m.switchesPerFlowMinute, priceVolatility: m.priceVolatility,
    });
  });

  return {
    ...about, unit: scenario.unit, baseSeed, reps, rounds: options.rounds ?? scenario.rounds, payoff: payoffKind,
    players, ispStrategies: ids, userStrategies: users, candidates, userCandidates,
    ranking: rankStrategies(ids, payoffs, matches, { quantity: payoffKind === "revenue" ? "nonNegative" : "signed", seed: bootstrapSeed(baseSeed) }),
    userRanking: users.length > 0 ? rankUsers(users, matches, bootstrapSeed(baseSeed)) : null,
    payoffs, matches,
    equilibria: options.equilibria
      ? populations.map((u) => solve(u?.name ?? "scenario", players, ids, profiles, payoffs, matches, reps, start, options.epsilon ?? 0, label))
      : null,
  };
}

/** The scenario fields that make every listed flow, and the generated traffic, play `choice` (their own params dropped). */
function userChoiceSet(loaded: LoadedScenario, choice: StrategyChoice): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  loaded.scenario.flows.forEach((_, f) => Object.assign(set, { [`flows.${f}.strategy`]: choice.strategy, [`flows.${f}.params`]: choice.params }));
  if (loaded.scenario.traffic !== undefined) Object.assign(set, { "traffic.user.strategy": choice.strategy, "traffic.user.params": choice.params });
  return set;
}

/** Resolves each spec (defaults plus given parameters) and rejects two candidates of one name. */
async function resolveAll(kind: "isp" | "user", specs: StrategySpec[], file: ParamsByStrategy | undefined, loaded: LoadedScenario, where: string): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const spec of specs) {
    const candidate = await resolveCandidate(kind, spec, loaded, where, file);
    if (out.some((c) => c.name === candidate.name)) throw new TollwayError(`"${candidate.name}" is named twice`, { field: where });
    out.push(candidate);
  }
  return out;
}

function startProfile(start: string[] | undefined, players: string[], candidates: Candidate[], known: ScenarioIsps): number[] {
  if (start === undefined) {
    const own = players.map((p) => candidates.findIndex((c) => c.id === known.isps.get(p)!.id));
    return own.every((s) => s >= 0) ? own : players.map(() => 0);
  }
  if (start.length !== players.length) {
    throw new TollwayError(`needs one strategy per player (${players.join(", ")}), got ${start.length}`, { field: "--start" });
  }
  return start.map((ref, i) => {
    const named = (f: (c: Candidate) => string) => candidates.findIndex((c) => f(c) === ref);
    const s = [named((c) => c.name), named((c) => c.ref), named((c) => c.id)].find((x) => x >= 0) ?? -1;
    if (s < 0) throw new TollwayError(`"${ref}" (for ${players[i]}) is not among the tournament's strategies (${candidates.map((c) => c.name).join(", ")})`, { field: "--start" });
    return s;
  });
}

function summary(values: number[]): { mean: number; low: number; high: number; halfWidth: number } {
  if (values.length === 0) return { mean: 0, low: 0, high: 0, halfWidth: 0 };
  return meanConfidenceInterval(values);
}


/** The interval of a mean that fits the quantity (see `intervalFor`); no values give 0s. */
function interval(values: number[], quantity: Quantity, seed: number): { mean: number; low: number; high: number; method: IntervalMethod } {
  const method: IntervalMethod = quantity === "nonNegative" ? "bootstrap-percentile" : "student-t";
  if (values.length === 0) return { mean: 0, low: 0, high: 0, method };
  const ci = intervalFor(values, quantity, { seed });
  return { mean: ci.estimate, low: ci.low, high: ci.high, method: ci.method };
}

function rankStrategies(ids: string[], payoffs: PayoffRow[], matches: MatchRow[], ci: { quantity: Quantity; seed: number }): RankingRow[] {
  const welfareOf = new Map(matches.map((m) => [`${m.userStrategy}|${m.profile}|${m.rep}`, m.welfare]));
  const rows = ids.map((strategy) => {
    const mine = payoffs.filter((p) => p.strategy === strategy);
    const values = mine.map((p) => p.payoff);
    const stats = interval(values, ci.quantity, ci.seed);
    const keys = new Set(mine.map((p) => `${p.userStrategy}|${p.profile}|${p.rep}`));
    const welfare = [...keys].map((k) => welfareOf.get(k)!);
    const params = [...new Map(mine.map((p) => [JSON.stringify(p.params), p.params])).values()];
    return {
      rank: 0, strategy, params, mean: stats.mean, ci95Low: stats.low, ci95High: stats.high, ciMethod: stats.method, median: median(values), n: values.length,
      meanWelfare: welfare.length > 0 ? welfare.reduce((s, w) => s + w, 0) / welfare.length : 0,
    };
  });
  rows.sort((a, b) => b.mean - a.mean);
  rows.forEach((r, i) => (r.rank = i + 1));
  return rows;
}

function rankUsers(users: string[], matches: MatchRow[], seed: number): UserRankingRow[] {
  const rows = users.map((userStrategy) => {
    const values = matches.filter((m) => m.userStrategy === userStrategy).map((m) => m.userUtility);
    const stats = interval(values, "signed", seed);
    return { rank: 0, userStrategy, mean: stats.mean, ci95Low: stats.low, ci95High: stats.high, ciMethod: stats.method, n: values.length };
  });
  rows.sort((a, b) => b.mean - a.mean);
  rows.forEach((r, i) => (r.rank = i + 1));
  return rows;
}

function solve(
  userStrategy: string, players: string[], ids: string[], profiles: number[][], payoffs: PayoffRow[], matches: MatchRow[],
  reps: number, start: number[], epsilon: number, label: (p: number[]) => string,
): EquilibriumReport {
  const halfWidths: number[][] = [];
  const entries = profiles.map((profile) => {
    const name = label(profile);
    const here = payoffs.filter((p) => p.userStrategy === userStrategy && p.profile === name);
    const perPlayer = players.map((player) => summary(here.filter((p) => p.player === player).map((p) => p.payoff)));
    halfWidths.push(perPlayer.map((s) => s.halfWidth));
    const welfare = matches.filter((m) => m.userStrategy === userStrategy && m.profile === name).map((m) => m.welfare);
    return { profile, payoffs: perPlayer.map((s) => s.mean), welfare: welfare.reduce((s, w) => s + w, 0) / reps };
  });
  const table: PayoffTable = { players, strategies: players.map(() => ids), entries };
  return {
    userStrategy, table: { ...table, halfWidths }, regrets: regrets(table), nash: epsilonNash(table, epsilon),
    bestResponse: bestResponseDynamics(table, start, epsilon), anarchy: priceOfAnarchy(table, epsilon), epsilon,
  };
}
