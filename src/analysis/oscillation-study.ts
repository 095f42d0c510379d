/**
 * The oscillation study: run a scenario at every point of its `sweep` grid (e.g. the smoothing
 * sensitivity s of Eq. 11 × the price update interval), several replications each, and measure
 * how much paths flap and prices oscillate. Pricing paper §V: higher s or shorter intervals
 * react faster to bursts; lower s or longer intervals should give "more stable and user-friendly"
 * prices. The swept ISPs keep their strategy and other parameters; only the swept ones change.
 */
import { median } from "simple-statistics";
import { TollwayError } from "../errors.js";
import { loadStrategy } from "../agents/loader.js";
import { parseParams } from "../scenario/build.js";
import type { LoadedScenario } from "../scenario/load.js";
import type { SweepSpec } from "../scenario/schema.js";
import { bootstrapMeanInterval, wilsonInterval, type IntervalMethod } from "../metrics/stats.js";
import { requireIsp, requireSameNetwork, scenarioDir, scenarioIsps, type ScenarioIsps } from "./match.js";
import { bootstrapSeed, type RowProvenance, type StudyProvenance } from "./points.js";
import { requireRunsOk, runStudy, type StudyRunOptions } from "./study-runs.js";
import { oscillationPlan } from "./sweep-plan.js";

/** A value a swept parameter takes. */
export type SweepValue = number | string | boolean;

/**
 * Every combination of the swept values, the first parameter changing slowest.
 *
 * @example sweepGrid({ params: { s: [0.5, 1], interval: [1, 5] } })
 * // [{ s: 0.5, interval: 1 }, { s: 0.5, interval: 5 }, { s: 1, interval: 1 }, { s: 1, interval: 5 }]
 */
export function sweepGrid(spec: Pick<SweepSpec, "params">): Record<string, SweepValue>[] {
  let grid: Record<string, SweepValue>[] = [{}];
  for (const [name, values] of Object.entries(spec.params)) grid = grid.flatMap((point) => values.map((v) => ({ ...point, [name]: v })));
  return grid;
}

/** Options of {@link oscillationStudy}; `store`, `jobs`, `signal` and `onProgress` are those of every study (see study-runs.ts). */
export interface OscillationOptions extends StudyRunOptions {
  /** Replications per grid point (default 3). */
  reps?: number | undefined;
  /** Base seed (default: the scenario's). */
  seed?: number | undefined;
  /** Rounds per run (default: the scenario's). */
  rounds?: number | undefined;
  /** ε of the price settling time, money units (default 1). */
  epsilon?: number | undefined;
}

/** One run of the study: a tidy row; the swept parameters appear as columns of their own. */
export interface OscillationRow extends RowProvenance {
  /** Strategy id(s) of the swept ISPs. */
  strategy: string;
  /** The grid point, as one value (the columns named after the parameters hold the same). */
  params: Record<string, SweepValue>;
  /** All parameters the swept ISPs played with: one object when they share them, else one per ISP. */
  ispParams: unknown;
  switchesPerFlowMinute: number;
  priceVolatility: number;
  /** Dominant period of the most volatile link's price, seconds (null: prices never moved). */
  dominantPeriodSec: number | null;
  /** Share of that link's price variance at the dominant period (0: prices never moved). */
  periodPower: number;
  /** Latest settling time over links, seconds (null: some price never settled). */
  settleSec: number | null;
  welfare: number;
  userUtility: number;
  ispRevenue: number;
  dropShare: number;
  [param: string]: unknown;
}

/** One grid point over its replications. */
export interface OscillationPoint {
  params: Record<string, SweepValue>;
  reps: number;
  switchesPerFlowMinute: number;
  /** 95% intervals of the two means: bootstrap percentile (both are ≥ 0, so a t interval could go below 0). */
  switchesCi95: [number, number];
  priceVolatility: number;
  volatilityCi95: [number, number];
  ciMethod: IntervalMethod;
  /** Median dominant period over the replications where prices moved; null if they never did. */
  dominantPeriodSec: number | null;
  /** Median share of the price variance at the dominant period (near 1: a clean cycle; small: noise or drift). */
  periodPower: number;
  /** Share of replications whose prices all settled within ε, with its 95% Wilson interval. */
  settledShare: number;
  settledCi95: [number, number];
  settledCiMethod: IntervalMethod;
  /** Mean settling time over the replications that settled; null if none did. */
  settleSec: number | null;
  welfare: number;
  /** Mean revenue of all ISPs together. */
  ispRevenue: number;
  dropShare: number;
}

/** The study's result. */
export interface OscillationResult extends StudyProvenance {
  epsilon: number;
  /** Swept ISPs and parameter names. */
  isps: string[];
  params: string[];
  points: OscillationPoint[];
  rows: OscillationRow[];
}

/**
 * Runs the study over the scenario's `sweep`.
 * @throws TollwayError when the scenario has no sweep, a swept ISP is unknown, or a swept
 *   parameter is not a parameter of its strategy (or a value is out of its range).
 */
export async function oscillationStudy(loaded: LoadedScenario, options: OscillationOptions = {}): Promise<OscillationResult> {
  const { scenario, file } = loaded;
  const sweep = scenario.sweep;
  if (sweep === undefined) throw new TollwayError(`no "sweep" in the scenario: add one, e.g. "sweep": { "params": { "s": [0.2, 1], "interval": [1, 5] } }`, { file });
  const known = await scenarioIsps(loaded);
  const isps = sweep.isps ?? scenario.players ?? [...known.isps.keys()];
  isps.forEach((id, i) => {
    try {
      requireIsp(id, known, sweep.isps ? `sweep.isps.${i}` : scenario.players ? `players.${i}` : "isps");
    } catch (error) {
      if (error instanceof TollwayError) throw new TollwayError(error.reason, { ...error.place, file });
      throw error;
    }
  });
  const grid = sweepGrid(sweep);
  const playedAt = await checkSweptParams(loaded, isps, known, grid);
  const reps = options.reps ?? 3;
  const epsilon = options.epsilon ?? 1;
  const baseSeed = options.seed ?? scenario.seed;
  // The grid is the plan's points in the same order (first parameter slowest), each replicated.
  const plan = await oscillationPlan(loaded, file, { reps, seed: options.seed, rounds: options.rounds, epsilon });
  const results = requireRunsOk(await runStudy(plan, options), file);
  requireSameNetwork(results, known);

  const strategy = [...new Set(isps.map((id) => known.isps.get(id)!.id))].join("+");
  const rows: OscillationRow[] = results.map((point) => {
    const m = point.totals;
    const g = point.point.index;
    const params = grid[g]!;
    const played = playedAt[g]!;
    const shared = played.every((p) => JSON.stringify(p) === JSON.stringify(played[0]));
    return {
      scenario: scenario.name, scenarioHash: loaded.hash, seed: point.seed, rep: point.rep, strategy, ...params, params,
      ispParams: shared ? played[0] : Object.fromEntries(isps.map((id, i) => [id, played[i]])),
      switchesPerFlowMinute: m.switchesPerFlowMinute, priceVolatility: m.priceVolatility,
      dominantPeriodSec: m.dominantPeriodSec, periodPower: m.periodPower, settleSec: m.settleSec,
      welfare: m.welfare, userUtility: m.userUtility, ispRevenue: m.ispRevenue, dropShare: m.dropShare,
    };
  });
  return {
    scenario: scenario.name, scenarioHash: loaded.hash, unit: scenario.unit, baseSeed, reps,
    rounds: options.rounds ?? scenario.rounds, epsilon, isps, params: Object.keys(sweep.params),
    points: grid.map((params, g) => summarizePoint(params, rows.slice(g * reps, (g + 1) * reps), bootstrapSeed(baseSeed))),
    rows,
  };
}

function summarizePoint(params: Record<string, SweepValue>, rows: OscillationRow[], seed: number): OscillationPoint {
  const switches = bootstrapMeanInterval(rows.map((r) => r.switchesPerFlowMinute), { seed });
  const vol = bootstrapMeanInterval(rows.map((r) => r.priceVolatility), { seed });
  const periods = rows.map((r) => r.dominantPeriodSec).filter((p): p is number => p !== null);
  const settled = rows.map((r) => r.settleSec).filter((s): s is number => s !== null);
  const mean = (values: number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
  const settledCi = wilsonInterval(settled.length, rows.length);
  return {
    params, reps: rows.length,
    switchesPerFlowMinute: switches.estimate, switchesCi95: [switches.low, switches.high],
    priceVolatility: vol.estimate, volatilityCi95: [vol.low, vol.high], ciMethod: switches.method,
    dominantPeriodSec: periods.length === 0 ? null : median(periods),
    periodPower: median(rows.map((r) => r.periodPower)),
    settledShare: settled.length / rows.length,
    settledCi95: [settledCi.low, settledCi.high], settledCiMethod: settledCi.method,
    settleSec: settled.length > 0 ? mean(settled) : null,
    welfare: mean(rows.map((r) => r.welfare)),
    ispRevenue: mean(rows.map((r) => r.ispRevenue)),
    dropShare: mean(rows.map((r) => r.dropShare)),
  };
}


/** The strategy reference of an ISP as the scenario names it (so files resolve as in the scenario). */
function strategyRef(loaded: LoadedScenario, id: string): string {
  const { isps } = loaded.scenario;
  return (isps.byNode[id] ?? isps.default).strategy;
}

/**
 * Every grid point must set parameters the swept ISPs' strategies have, to values they accept.
 * @returns by grid point, the parameters each swept ISP plays with there (in `isps` order).
 */
async function checkSweptParams(loaded: LoadedScenario, isps: string[], known: ScenarioIsps, grid: Record<string, SweepValue>[]): Promise<unknown[][]> {
  const played: unknown[][] = grid.map(() => []);
  for (const id of isps) {
    const strategy = await loadStrategy("isp", { ref: strategyRef(loaded, id), baseDir: scenarioDir(loaded) });
    for (const [g, point] of grid.entries()) {
      const parsed = parseParams(strategy, { ...(known.isps.get(id)!.params as Record<string, unknown>), ...point }, loaded.file, `sweep.params (ISP ${id}, strategy "${strategy.id}")`) as Record<string, unknown>;
      for (const name of Object.keys(point)) {
        if (parsed[name] !== point[name]) {
          throw new TollwayError(`strategy "${strategy.id}" of ISP ${id} has no parameter "${name}"`, { file: loaded.file, field: `sweep.params.${name}` });
        }
      }
      played[g]!.push(parsed);
    }
  }
  return played;
}
