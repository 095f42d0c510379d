/**
 * Tidy rows from a run's results: arrays of plain objects, one per observation, each carrying
 * what made it (scenario, scenario hash, seed, money unit), ready for `showTable`, `toCsv`, the
 * chart builders or a DuckDB table. The CLI's `--out` CSV files are these rows.
 */
import type { MatchResult } from "../analysis/match.js";
import type { LinkOscillation } from "../metrics/price-oscillation.js";
import type { RoundMetrics } from "../metrics/game-metrics.js";
import type { FlowSummary, RunSummary } from "../metrics/summary.js";
import type { LoadedScenario } from "../scenario/load.js";

/** What every row of one run carries. */
export type RunRowProvenance = {
  scenario: string;
  scenarioHash: string;
  seed: number;
  unit: string;
};

/** The rows of a run summary (`runScenario`'s `summary`). Type aliases, not interfaces, so that a row is a `Record<string, unknown>`. */
export interface SummaryRows {
  /** Money carried inside packets over each directed link: from, to, amount. */
  ledger: (RunRowProvenance & { from: string; to: string; amount: number })[];
  /** Each party's net gain (+) or loss (−), and the revenue an ISP kept. */
  parties: (RunRowProvenance & { party: string; net: number; revenue: number | null })[];
  /** Each flow's packets, spend and path switches. */
  flows: (RunRowProvenance & { [K in keyof FlowSummary]: FlowSummary[K] })[];
}

/**
 * The summary of one run as tidy rows.
 *
 * @example
 * const { summary } = await runScenario(loadScenarioFile("scenarios/billpay-figure1.json"));
 * summaryRows(summary).parties.find((p) => p.party === "Y"); // { …, party: "Y", net: 10, revenue: 10 }
 */
export function summaryRows(summary: RunSummary): SummaryRows {
  const about: RunRowProvenance = { scenario: summary.scenario, scenarioHash: summary.scenarioHash, seed: summary.seed, unit: summary.unit };
  return {
    ledger: summary.ledger.map((e) => ({ ...about, from: e.from, to: e.to, amount: e.amount })),
    parties: Object.entries(summary.net).map(([party, net]) => ({ ...about, party, net, revenue: summary.revenue[party] ?? null })),
    flows: summary.flows.map((f) => ({ ...about, ...f })),
  };
}

/** The rows of one match's measures (`runMatch`'s result). */
export interface MetricsRows {
  /** One row per round: welfare and its parts, utility, drops, path switches. */
  rounds: (RunRowProvenance & { [K in keyof RoundMetrics]: RoundMetrics[K] })[];
  /** One row per ISP: the strategy it played, its parameters, revenue, cost and profit. */
  isps: (RunRowProvenance & { isp: string; strategy: string; params: unknown; revenue: number; cost: number; profit: number })[];
  /** One row per link in play: how its price moved, and the strategy of the ISP that set it. */
  links: (RunRowProvenance & { [K in keyof LinkOscillation]: LinkOscillation[K] } & { strategy: string | null })[];
}

/**
 * One match's measures as tidy rows.
 *
 * @example
 * const match = await runMatch(loaded, { seed: loaded.scenario.seed });
 * metricsRows(loaded, match).isps; // [{ scenario, scenarioHash, seed, unit, isp: "X", strategy: "fixed-toll", params, revenue, cost, profit }, …]
 */
export function metricsRows(loaded: LoadedScenario, match: MatchResult): MetricsRows {
  const about: RunRowProvenance = { scenario: loaded.scenario.name, scenarioHash: loaded.hash, seed: match.seed, unit: loaded.scenario.unit };
  const m = match.metrics;
  return {
    rounds: m.rounds.map((r) => ({ ...about, ...r })),
    isps: Object.entries(m.isps).map(([isp, t]) => ({
      ...about, isp, strategy: match.isps[isp]?.id ?? "", params: match.isps[isp]?.params, revenue: t.revenue, cost: t.cost, profit: t.profit,
    })),
    links: m.oscillation.prices.perLink.map((l) => ({ ...about, ...l, strategy: match.isps[l.from]?.id ?? null })),
  };
}
