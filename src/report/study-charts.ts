/**
 * The charts of the lab's studies, one function each, from a study's result to the Vega-Lite
 * spec: the CLI writes them under `--out` and the notebooks `show` them, so both draw the same
 * chart. Pure functions (no rendering); see `specs.ts` and `game-specs.ts` for the builders.
 */
import type { TopLevelSpec } from "vega-lite";
import type { DeviationResult } from "../analysis/deviation.js";
import type { OscillationResult } from "../analysis/oscillation-study.js";
import type { TournamentResult } from "../analysis/tournament.js";
import type { RoundMetrics } from "../metrics/game-metrics.js";
import { intervalChart, pairedBarChart, sweepChart } from "./game-specs.js";
import { lineChart } from "./specs.js";

/**
 * Consumer surplus, ISP profit and social welfare by round (`tollway metrics --out`).
 *
 * @example
 * welfareChart(match.metrics.rounds, { scenario: "billpay-figure1", unit: "nanodollar" });
 */
export function welfareChart(rounds: readonly RoundMetrics[], about: { scenario: string; unit: string }): TopLevelSpec {
  return lineChart({
    rows: rounds.flatMap((r) => [
      { round: r.round, measure: "consumer surplus", value: r.consumerSurplus },
      { round: r.round, measure: "ISP profit", value: r.producerSurplus },
      { round: r.round, measure: "social welfare", value: r.welfare },
    ]),
    x: "round", y: "value", color: "measure",
    title: `${about.scenario}: welfare by round`, xTitle: "Round", yTitle: `${about.unit} per round`, colorTitle: "Measure",
  });
}

/**
 * The deviator's revenue in each replication, baseline against deviation, as paired bars
 * (`deviation.svg` of `tollway deviation --out`).
 *
 * @example
 * deviationChart(await deviationStudy(loaded, { reps: 5 }));
 */
export function deviationChart(result: DeviationResult): TopLevelSpec {
  const arms = result.rows.flatMap((r) => [
    { rep: r.rep, arm: "baseline", revenue: r.baselineRevenue },
    { rep: r.rep, arm: "deviation", revenue: r.deviatedRevenue },
  ]);
  return pairedBarChart({
    rows: arms, unit: "rep", arm: "arm", value: "revenue", arms: ["baseline", "deviation"],
    title: `${result.scenario}: revenue of ${result.isp}, ${result.from} (baseline) or ${result.to} (deviation)`,
    unitTitle: "Replication (same seed for both runs)", valueTitle: `Revenue of ${result.isp} (${result.unit})`, armTitle: "Run",
  });
}

/**
 * The mean revenue and profit gain of the deviation with their 95% intervals
 * (`deviation-gain.svg` of `tollway deviation --out`).
 *
 * @example
 * deviationGainChart(await deviationStudy(loaded, { reps: 5 }));
 */
export function deviationGainChart(result: DeviationResult): TopLevelSpec {
  return intervalChart({
    rows: [
      { measure: "revenue gain", mean: result.gain, low: result.ci95[0], high: result.ci95[1] },
      { measure: "profit gain", mean: result.profitGain, low: result.profitCi95[0], high: result.profitCi95[1] },
    ],
    category: "measure", mean: "mean", low: "low", high: "high",
    title: `${result.scenario}: gain of ${result.isp} from ${result.to}`,
    categoryTitle: "", valueTitle: `Mean gain over ${result.reps} paired replication(s), 95% t CI (${result.unit})`,
  });
}

/**
 * One tidy row per grid point of an oscillation study: its parameters, the measures' means and
 * their 95% intervals (`oscillation-points.csv`).
 *
 * @example
 * oscillationPointRows(result)[0]; // { scenario, …, s: 0.1, interval: 1, switchesPerFlowMinute, switchesCi95Low, … }
 */
export function oscillationPointRows(r: OscillationResult): Record<string, unknown>[] {
  return r.points.map((p) => ({
    scenario: r.scenario, scenarioHash: r.scenarioHash, baseSeed: r.baseSeed, reps: p.reps, strategy: r.rows[0]?.strategy, ...p.params,
    switchesPerFlowMinute: p.switchesPerFlowMinute, switchesCi95Low: p.switchesCi95[0], switchesCi95High: p.switchesCi95[1],
    priceVolatility: p.priceVolatility, volatilityCi95Low: p.volatilityCi95[0], volatilityCi95High: p.volatilityCi95[1], ciMethod: p.ciMethod,
    dominantPeriodSec: p.dominantPeriodSec, periodPower: p.periodPower,
    settledShare: p.settledShare, settledCi95Low: p.settledCi95[0], settledCi95High: p.settledCi95[1], settledCiMethod: p.settledCiMethod, settleSec: p.settleSec,
    ispRevenue: p.ispRevenue, welfare: p.welfare, dropShare: p.dropShare,
  }));
}

/** Axis and legend titles of the parameters the built-in pricing strategies are swept over. */
const PARAM_TITLES: Readonly<Record<string, string>> = {
  s: "Smoothing sensitivity s (Eq. 11)",
  interval: "Price update interval (rounds)",
  alpha: "α (base price parameter)",
  k: "k (congestion price slope)",
  threshold: "Utilization threshold",
};

/**
 * Path flapping, price volatility (with their 95% intervals) and the dominant price period
 * across the sweep, one panel each, one line per value of the second swept parameter (`tollway
 * oscillation --out`). The swept parameters are titled in words (`paramTitles`, over the
 * built-in pricing parameters' titles; any other is titled by its name and its strategy).
 *
 * @example
 * oscillationChart(await oscillationStudy(loaded, { reps: 2 }));
 */
export function oscillationChart(result: OscillationResult, paramTitles: Readonly<Record<string, string>> = {}): TopLevelSpec {
  const [x, color] = result.params;
  const title = (param: string): string => paramTitles[param] ?? PARAM_TITLES[param] ?? `${param} (swept parameter of ${result.rows[0]?.strategy ?? "the ISPs"})`;
  return sweepChart({
    rows: oscillationPointRows(result), x: x!, xTitle: title(x!),
    ...(color !== undefined ? { color, colorTitle: title(color) } : {}),
    title: `${result.scenario}: path flapping and price oscillation (${result.reps} replication(s) per point)`,
    measures: [
      { field: "switchesPerFlowMinute", title: "Path switches per flow-minute (95% CI)", low: "switchesCi95Low", high: "switchesCi95High" },
      { field: "priceVolatility", title: `Price volatility, ${result.unit} per packet (95% CI)`, low: "volatilityCi95Low", high: "volatilityCi95High" },
      { field: "dominantPeriodSec", title: "Dominant price period (s)" },
    ],
  });
}

/**
 * The tournament's ranking: each ISP strategy's mean payoff with its 95% interval (`tollway tournament --out`).
 *
 * @example
 * rankingChart(await tournament(loaded, { ispStrategies: ["honest-congestion", "fake-congestion"], reps: 3 }));
 */
export function rankingChart(result: TournamentResult): TopLevelSpec {
  const method = result.ranking[0]?.ciMethod === "bootstrap-percentile" ? "bootstrap" : "t";
  return intervalChart({
    rows: result.ranking.map((x) => ({ ...x })), category: "strategy", mean: "mean", low: "ci95Low", high: "ci95High",
    title: `${result.scenario}: mean ${result.payoff} per player seat (95% ${method} CI, ${result.reps} replication(s))`,
    categoryTitle: "ISP strategy", valueTitle: `${result.payoff} (${result.unit})`,
  });
}
