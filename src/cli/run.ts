/** `tollway run <scenario>`: one scenario, a readable summary or JSON, optional output folder. */
import type { Command } from "commander";
import { loadScenarioFile } from "../scenario/load.js";
import { runScenario } from "../scenario/run.js";
import { formatSummary } from "../report/summary-text.js";
import { durationMs, STRATEGY_TIMEOUT_OPTION } from "./strategy-timeout.js";
import { defaultWorkerCount } from "../parallel/supervisor.js";
import { positiveInt, nonNegativeInt, progressBar, interruptSignal } from "./options.js";
import { prepareOutputDir, writeOutputs } from "../report/outputs.js";
import { runProvenance, stampJson } from "../report/provenance.js";

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run a scenario and print its summary")
    .argument("<scenario>", "scenario JSON file")
    .option("--seed <n>", "seed (overrides the scenario's)", nonNegativeInt("--seed"))
    .option("--rounds <n>", "rounds (overrides the scenario's)", positiveInt("--rounds"))
    .option("--json", "print the summary as JSON")
    .option("--out <dir>", "also write summary.json, flows.csv, isps.csv, ledger.csv, rounds.csv, billing.csv (with a secretary), packets.svg, money.svg and manifest.json there")
    .option("--workers <n>", "worker threads for packet work (default: the number of cores)", positiveInt("--workers"))
    .option(...STRATEGY_TIMEOUT_OPTION, durationMs("--strategy-timeout"))
    .action(async (file: string, options: { seed?: number; rounds?: number; json?: boolean; out?: string; workers?: number; strategyTimeout?: number }) => {
      const loaded = loadScenarioFile(file);
      const rounds = options.rounds ?? loaded.scenario.rounds;
      // The tables and charts (and the mathjs / vega they need) load only with --out.
      const outputs = options.out ? await import("../report/run-outputs.js") : null;
      const out = options.out && outputs ? await prepareOutputDir(options.out, { command: "run", replaces: outputs.RUN_OUTPUT_NAMES }) : null;
      const metrics = out ? (await import("../metrics/game-metrics.js")).GameMetrics.forScenario(loaded.scenario) : null;
      const bar = options.json ? null : progressBar(`${loaded.scenario.name}`, rounds);
      const { summary, built } = await runScenario(loaded, {
        ...(metrics ? { observers: metrics.observers } : {}),
        signal: interruptSignal(),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.strategyTimeout !== undefined ? { strategyTimeoutMs: options.strategyTimeout } : {}),
        rounds,
        workers: options.workers ?? defaultWorkerCount(),
        onProgress: (done) => bar?.update(done),
      });
      bar?.stop();
      if (out && metrics && outputs) {
        await writeOutputs(out, outputs.runOutputFiles({ scenario: loaded.scenario, summary, metrics: metrics.result(), ispChoices: built.ispChoices }));
      }
      process.stdout.write(options.json ? JSON.stringify(stampJson(summary, runProvenance(summary)), null, 2) + "\n" : formatSummary(summary));
    });
}
