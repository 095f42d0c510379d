/** `tollway deviation <scenario>`: does it pay an ISP to switch strategy, everything else fixed? */
import type { Command } from "commander";
import type { DeviationResult } from "../analysis/deviation.js";
import { loadScenarioFile } from "../scenario/load.js";
import { jsonObject, num, numberTable, paramsText, prepareOutputDir, STRATEGY_PARAMS_HELP, writeOutputs } from "./game-options.js";
import { interruptSignal, lazyProgress, nonNegativeInt, positiveInt } from "./options.js";
import { stampJson, studyProvenance } from "../report/provenance.js";
import { addStudyBackendOptions, studyBackend, type StudyBackendFlags } from "./study-slurm.js";

interface DeviationFlags extends StudyBackendFlags {
  isp?: string;
  to?: string;
  params?: Record<string, unknown>;
  paramsFile?: string;
  reps: number;
  seed?: number;
  rounds?: number;
  jobs?: number;
  out?: string;
}

/** Adds `tollway deviation` to the program. */
export function registerDeviation(program: Command): void {
  addStudyBackendOptions(program
    .command("deviation")
    .description("measure an ISP's revenue gain from deviating to another strategy, with a 95% CI over replications")
    .argument("<scenario>", "scenario JSON file")
    .option("--isp <id>", "the deviating ISP (default: the scenario's deviation.isp)")
    .option("--to <strategy>", "the strategy it deviates to, optionally with parameters: fake-congestion:fakeToll=5;perPacket=2 (default: the scenario's deviation.to)")
    .option("--params <json>", "parameters of the new strategy as JSON, over those in --to; its own defaults fill in the rest", jsonObject("--params"))
    .option("--params-file <file>", "JSON object of parameters by strategy, e.g. {\"fake-congestion\": {\"fakeToll\": 5}}")
    .option("--reps <n>", "replications (seeds derived from the scenario's seed)", positiveInt("--reps"), 10)
    .option("--seed <n>", "base seed of the replications (default: the scenario's)", nonNegativeInt("--seed"))
    .option("--rounds <n>", "rounds per run (overrides the scenario's)", positiveInt("--rounds"))
    .option("--store <file>", "keep every run in this DuckDB store and resume from it: a rerun skips the runs stored (default: in memory)")
    .option("--jobs <n>", "runs at once, each in its own worker thread (default: the number of cores); the result is the same for any number", positiveInt("--jobs"))
    .option("--json", "print the result as JSON")
    .option("--out <dir>", "write deviation.json, deviation.csv (one row per replication), deviation.svg and deviation-gain.svg there"))
    .addHelpText("after", `\n${STRATEGY_PARAMS_HELP}`)
    .action(async (file: string, flags: DeviationFlags) => {
      const loaded = loadScenarioFile(file);
      const { deviationStudy } = await import("../analysis/deviation.js");
      const { readParamsFile } = await import("../analysis/strategy-spec.js");
      const { paramsFile, ...rest } = flags;
      const paramsByStrategy = paramsFile !== undefined ? { paramsFile: readParamsFile(paramsFile) } : {};
      const out = flags.out ? await prepareOutputDir(flags.out, { command: "deviation", replaces: ["deviation.json", "deviation.csv", "deviation.svg", "deviation-gain.svg"] }) : null;
      const progress = lazyProgress("deviation", "runs", !flags.json);
      const result = await deviationStudy(loaded, { ...rest, ...paramsByStrategy, jobs: flags.jobs ?? (await import("../cluster/local.js")).defaultJobs(), backend: studyBackend(rest), signal: interruptSignal(), onProgress: progress.onProgress });
      progress.stop();
      const provenance = studyProvenance(result);
      if (out) {
        const { deviationChart, deviationGainChart } = await import("../report/study-charts.js");
        await writeOutputs(out, {
          provenance,
          json: { deviation: { ...result } },
          csv: { deviation: result.rows.map((r) => ({ ...r, unit: result.unit })) },
          charts: {
            deviation: deviationChart(result),
            "deviation-gain": deviationGainChart(result),
          },
        });
      }
      process.stdout.write(flags.json ? JSON.stringify(stampJson(result, provenance), null, 2) + "\n" : formatDeviation(result));
    });
}

/** The readable report: the verdict first, then one line per replication. */
export function formatDeviation(r: DeviationResult): string {
  const [low, high] = r.ci95;
  const verdict = high < 0 ? "does not pay: the whole 95% interval is below 0"
    : low > 0 ? "pays: the whole 95% interval is above 0"
    : "is not distinguishable from 0 at 95%";
  const relative = r.relativeGain === null ? "" : ` (${r.relativeGain >= 0 ? "+" : ""}${num(100 * r.relativeGain, 1)}%)`;
  const lines = [
    `${r.scenario} (scenario ${r.scenarioHash}, network ${r.topologyHash}): ISP ${r.isp} deviates from ${r.from} to ${r.to}; ${r.reps} replication(s) × ${r.rounds} round(s), seeds derived from ${r.baseSeed}`,
    `parameters played: baseline ${r.from} ${paramsText(r.fromParams)}; deviation ${r.to} ${paramsText(r.toParams)}`,
    `revenue gain: ${num(r.gain)} ${r.unit}, 95% CI [${num(low)}, ${num(high)}]; mean revenue ${num(r.baselineRevenue)} → ${num(r.deviatedRevenue)}${relative}`,
    `profit gain:  ${num(r.profitGain)} ${r.unit}, 95% CI [${num(r.profitCi95[0])}, ${num(r.profitCi95[1])}]`,
    `welfare change: ${num(r.welfareChange)} ${r.unit}; consumer surplus change: ${num(r.consumerSurplusChange)} ${r.unit}`,
    `the deviation ${verdict} (95% CI: ${r.ciMethod === "student-t" ? "Student t over the paired replications" : r.ciMethod})`,
    "",
    numberTable(r.rows.map((row) => ({
      rep: row.rep, seed: row.seed, "baseline revenue": row.baselineRevenue, "deviated revenue": row.deviatedRevenue, gain: row.gain,
      "switches/flow-min baseline": row.baselineSwitchesPerFlowMinute, "switches/flow-min deviated": row.deviatedSwitchesPerFlowMinute,
    }))),
  ];
  return lines.join("\n") + "\n";
}
