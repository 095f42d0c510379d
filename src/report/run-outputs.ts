/**
 * What `tollway run --out DIR` writes, as data: the summary, tidy tables of flows, ISPs and the
 * ledger, the per-round series, and two charts. A notebook can build the same files from a run
 * and write them with `writeOutputs`.
 */
import type { RunMetrics } from "../metrics/game-metrics.js";
import type { RunSummary } from "../metrics/summary.js";
import type { Scenario } from "../scenario/schema.js";
import type { OutputFiles } from "./outputs.js";
import { runProvenance } from "./provenance.js";
import { lineChart } from "./specs.js";

/** The files of {@link runOutputFiles}, for `prepareOutputDir`'s `replaces`. */
export const RUN_OUTPUT_NAMES = ["summary.json", "flows.csv", "isps.csv", "ledger.csv", "rounds.csv", "billing.csv", "packets.svg", "money.svg"] as const;

/** What {@link runOutputFiles} needs from a finished run. */
export interface RunOutputInput {
  scenario: Scenario;
  summary: RunSummary;
  /** The game metrics of the same run (per-round series). */
  metrics: RunMetrics;
  /** Strategy id and params of each ISP, by node id (`BuiltScenario.ispChoices`). */
  ispChoices: ReadonlyMap<string, { id: string; params: unknown }>;
}

/**
 * The files of one run: `summary.json`; `flows.csv` (one row per flow: packets, spend, path
 * switches, its strategy); `isps.csv` (revenue, net, profit per ISP with its strategy and
 * params); `ledger.csv` (what crossed each directed link); `rounds.csv` (one row per round:
 * packets, drops, switches, revenue, surplus, welfare); with a secretary, `billing.csv` (the
 * billing statement: what each party kept of each host's payments per application; a host's
 * rows for an application sum to its spend on it); `packets.svg` (delivered and dropped)
 * and `money.svg` (ISP revenue, consumer surplus, welfare) by round.
 *
 * @example
 * await writeOutputs(out, runOutputFiles({ scenario, summary, metrics, ispChoices: built.ispChoices }));
 */
export function runOutputFiles(input: RunOutputInput): OutputFiles {
  const { scenario, summary, metrics } = input;
  const provenance = runProvenance({ scenario: summary.scenario, scenarioHash: summary.scenarioHash, seed: summary.seed });
  const unit = summary.unit;
  const listed = new Map<string, { strategy: string; params: unknown } | null>();
  for (const flow of scenario.flows) {
    const name = flow.id ?? `${flow.from}->${flow.to}`;
    listed.set(name, listed.has(name) ? null : { strategy: flow.strategy, params: flow.params });
  }
  const generated = scenario.traffic?.user;
  const flows = summary.flows.map((f) => {
    const choice = listed.get(f.id) ?? (generated !== undefined && !listed.has(f.id) ? { strategy: generated.strategy, params: generated.params } : null);
    return { flow: f.id, strategy: choice?.strategy ?? null, params: choice?.params ?? null, sent: f.sent, delivered: f.delivered, spent: f.spent, pathSwitches: f.pathSwitches, unit };
  });
  const isps = [...input.ispChoices].map(([isp, choice]) => ({
    isp, strategy: choice.id, params: choice.params,
    revenue: summary.revenue[isp] ?? 0, net: summary.net[isp] ?? 0,
    cost: metrics.isps[isp]?.cost ?? 0, profit: metrics.isps[isp]?.profit ?? 0, unit,
  }));
  const ledger = summary.ledger.map((e) => ({ from: e.from, to: e.to, amount: e.amount, unit }));
  const rounds = metrics.rounds.map((r) => ({ ...r, unit }));
  const series = (pick: (r: (typeof rounds)[number]) => Record<string, number>) =>
    rounds.flatMap((r) => Object.entries(pick(r)).map(([measure, value]) => ({ round: r.round, measure, value })));
  return {
    provenance,
    json: { summary },
    csv: { flows, isps, ledger, rounds, ...(summary.billing ? { billing: summary.billing.lines.map((l) => ({ ...l, unit })) } : {}) },
    charts: {
      packets: lineChart({
        rows: series((r) => ({ delivered: r.delivered, dropped: r.sent - r.delivered })), x: "round", y: "value", color: "measure", points: rounds.length <= 30,
        title: `${summary.scenario}: packets delivered and dropped by round (seed ${summary.seed})`, xTitle: "Round", yTitle: "Packets per round", colorTitle: "",
      }),
      money: lineChart({
        rows: series((r) => ({ "ISP revenue": r.ispRevenue, "consumer surplus": r.consumerSurplus, "social welfare": r.welfare })),
        x: "round", y: "value", color: "measure", points: rounds.length <= 30,
        title: `${summary.scenario}: money by round (seed ${summary.seed})`, xTitle: "Round", yTitle: `${unit} per round`, colorTitle: "",
      }),
    },
  };
}
