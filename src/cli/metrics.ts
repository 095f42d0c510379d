/** `tollway metrics <scenario>`: one run's game-theory measures — utility, revenue and profit, welfare, drops, oscillation. */
import type { Command } from "commander";
import type { RunMetrics } from "../metrics/game-metrics.js";
import { durationMs, STRATEGY_TIMEOUT_OPTION } from "./strategy-timeout.js";
import { loadScenarioFile, type LoadedScenario } from "../scenario/load.js";
import { runScenario } from "../scenario/run.js";
import { nonNegativeNumber, num, numberTable, prepareOutputDir, writeOutputs } from "./game-options.js";
import { nonNegativeInt, positiveInt, progressBar } from "./options.js";
import { runProvenance, stampJson } from "../report/provenance.js";

interface MetricsFlags {
  seed?: number;
  rounds?: number;
  epsilon: number;
  json?: boolean;
  out?: string;
  strategyTimeout?: number;
}

/** Adds `tollway metrics` to the program. */
export function registerMetrics(program: Command): void {
  program
    .command("metrics")
    .description("run a scenario once and report users' utility, ISPs' revenue and profit, welfare, drops and oscillation")
    .argument("<scenario>", "scenario JSON file")
    .option("--seed <n>", "seed (overrides the scenario's)", nonNegativeInt("--seed"))
    .option("--rounds <n>", "rounds (overrides the scenario's)", positiveInt("--rounds"))
    .option("--epsilon <units>", "a price has settled once it stays within ±ε of its final value (money units)", nonNegativeNumber("--epsilon"), 1)
    .option("--json", "print the measures as JSON")
    .option(...STRATEGY_TIMEOUT_OPTION, durationMs("--strategy-timeout"))
    .option("--out <dir>", "write metrics.json, rounds.csv, isps.csv, links.csv and welfare.svg there")
    .action(async (file: string, flags: MetricsFlags) => {
      const loaded = loadScenarioFile(file);
      const { GameMetrics } = await import("../metrics/game-metrics.js");
      const metrics = GameMetrics.forScenario(loaded.scenario, flags.epsilon);
      const out = flags.out ? await prepareOutputDir(flags.out, { command: "metrics", replaces: ["metrics.json", "rounds.csv", "isps.csv", "links.csv", "welfare.svg"] }) : null;
      const bar = flags.json ? null : progressBar(loaded.scenario.name, flags.rounds ?? loaded.scenario.rounds);
      const { built } = await runScenario(loaded, {
        observers: metrics.observers,
        onProgress: (done) => bar?.update(done),
        ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
        ...(flags.rounds !== undefined ? { rounds: flags.rounds } : {}),
        ...(flags.strategyTimeout !== undefined ? { strategyTimeoutMs: flags.strategyTimeout } : {}),
      });
      bar?.stop();
      const result = metrics.result();
      const provenance = runProvenance({ scenario: loaded.scenario.name, scenarioHash: loaded.hash, seed: built.seed });
      const about = { scenario: loaded.scenario.name, scenarioHash: loaded.hash, seed: built.seed, unit: loaded.scenario.unit };
      const isps = Object.entries(result.isps).map(([isp, t]) => ({ ...about, isp, strategy: built.ispChoices.get(isp)!.id, params: built.ispChoices.get(isp)!.params, ...t }));
      if (out) {
        const { lineChart } = await import("../report/specs.js");
        const rounds = result.rounds.map((r) => ({ ...about, ...r }));
        await writeOutputs(out, {
          provenance,
          json: { metrics: { ...about, ...result } },
          csv: {
            rounds,
            isps,
            links: result.oscillation.prices.perLink.map((l) => ({ ...about, ...l, strategy: built.ispChoices.get(l.from)?.id })),
          },
          charts: {
            welfare: lineChart({
              rows: result.rounds.flatMap((r) => [
                { round: r.round, measure: "consumer surplus", value: r.consumerSurplus },
                { round: r.round, measure: "ISP profit", value: r.producerSurplus },
                { round: r.round, measure: "social welfare", value: r.welfare },
              ]),
              x: "round", y: "value", color: "measure", title: `${about.scenario}: welfare by round`, xTitle: "Round", yTitle: `${about.unit} per round`, colorTitle: "",
            }),
          },
        });
      }
      process.stdout.write(flags.json ? JSON.stringify(stampJson({ ...about, ...result, isps }, provenance), null, 2) + "\n" : formatMetrics(loaded, built.seed, result, isps));
    });
}

function formatMetrics(loaded: LoadedScenario, seed: number, m: RunMetrics, isps: { isp: string; strategy: string; revenue: number; cost: number; profit: number }[]): string {
  const t = m.totals;
  const p = m.oscillation.prices;
  const unit = loaded.scenario.unit;
  return [
    `${loaded.scenario.name} (scenario ${loaded.hash}), seed ${seed}, ${m.rounds.length} round(s); amounts in ${unit}`,
    "",
    numberTable([
      { measure: "users' utility (Eq. 1, net spend)", value: t.userUtility },
      { measure: "value of delivered bandwidth", value: t.value },
      { measure: "consumer surplus", value: t.consumerSurplus },
      { measure: "ISP revenue", value: t.ispRevenue },
      { measure: "ISP cost", value: t.ispCost },
      { measure: "ISP profit", value: t.ispProfit },
      { measure: "social welfare", value: t.welfare },
      { measure: "share of packets dropped", value: t.dropShare },
      { measure: "path switches per flow-minute", value: m.oscillation.switchesPerFlowMinute },
      { measure: "mean price volatility (links in play)", value: p.meanVolatility },
      { measure: "dominant price period of the most volatile link (s)", value: p.dominantPeriodSec },
      { measure: `prices settled within ±${num(p.epsilon)} after (s)`, value: p.settleSec },
    ], 3),
    "",
    numberTable(isps.map(({ isp, strategy, revenue, cost, profit }) => ({ isp, strategy, revenue, cost, profit }))),
  ].join("\n") + "\n";
}
