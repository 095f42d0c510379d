/** `tollway run <scenario>`: one scenario, a readable summary or JSON, optional output folder. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { loadScenarioFile } from "../scenario/load.js";
import { runScenario } from "../scenario/run.js";
import { formatSummary } from "../report/summary-text.js";
import { durationMs, STRATEGY_TIMEOUT_OPTION } from "./strategy-timeout.js";
import { defaultWorkerCount } from "../parallel/supervisor.js";
import { positiveInt, nonNegativeInt, progressBar, interruptSignal } from "./options.js";

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run a scenario and print its summary")
    .argument("<scenario>", "scenario JSON file")
    .option("--seed <n>", "seed (overrides the scenario's)", nonNegativeInt("--seed"))
    .option("--rounds <n>", "rounds (overrides the scenario's)", positiveInt("--rounds"))
    .option("--json", "print the summary as JSON")
    .option("--out <dir>", "also write summary.json there")
    .option("--workers <n>", "worker threads for packet work (default: the number of cores)", positiveInt("--workers"))
    .option(...STRATEGY_TIMEOUT_OPTION, durationMs("--strategy-timeout"))
    .action(async (file: string, options: { seed?: number; rounds?: number; json?: boolean; out?: string; workers?: number; strategyTimeout?: number }) => {
      const loaded = loadScenarioFile(file);
      const rounds = options.rounds ?? loaded.scenario.rounds;
      const bar = options.json ? null : progressBar(`${loaded.scenario.name}`, rounds);
      const { summary } = await runScenario(loaded, {
        signal: interruptSignal(),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.strategyTimeout !== undefined ? { strategyTimeoutMs: options.strategyTimeout } : {}),
        rounds,
        parallel: { workers: options.workers ?? defaultWorkerCount() },
        onProgress: (done) => bar?.update(done),
      });
      bar?.stop();
      if (options.out) {
        mkdirSync(options.out, { recursive: true });
        writeFileSync(join(options.out, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
      }
      process.stdout.write(options.json ? JSON.stringify(summary, null, 2) + "\n" : formatSummary(summary));
    });
}
