/** `tollway oscillation <scenario>`: path flapping and price oscillation across the scenario's parameter sweep. */
import type { Command } from "commander";
import type { OscillationResult } from "../analysis/oscillation-study.js";
import { loadScenarioFile } from "../scenario/load.js";
import { nonNegativeNumber, num, numberTable, prepareOutputDir, writeOutputs } from "./game-options.js";
import { interruptSignal, lazyProgress, nonNegativeInt, positiveInt } from "./options.js";
import { stampJson, studyProvenance } from "../report/provenance.js";
import { addStudyBackendOptions, studyBackend, type StudyBackendFlags } from "./study-slurm.js";

interface OscillationFlags extends StudyBackendFlags {
  reps: number;
  seed?: number;
  rounds?: number;
  epsilon: number;
  jobs?: number;
  out?: string;
}

/** Adds `tollway oscillation` to the program. */
export function registerOscillation(program: Command): void {
  addStudyBackendOptions(program
    .command("oscillation")
    .description("sweep the scenario's \"sweep\" grid (e.g. smoothing s × update interval) and measure path flapping and price oscillation")
    .argument("<scenario>", "scenario JSON file with a \"sweep\" field")
    .option("--reps <n>", "replications per grid point", positiveInt("--reps"), 3)
    .option("--seed <n>", "base seed of the replications (default: the scenario's)", nonNegativeInt("--seed"))
    .option("--rounds <n>", "rounds per run (overrides the scenario's)", positiveInt("--rounds"))
    .option("--epsilon <units>", "a price has settled once it stays within ±ε of its final value (money units)", nonNegativeNumber("--epsilon"), 1)
    .option("--store <file>", "keep every run in this DuckDB store and resume from it: a rerun skips the runs stored (default: in memory)")
    .option("--jobs <n>", "runs at once, each in its own worker thread (default: the number of cores); the result is the same for any number", positiveInt("--jobs"))
    .option("--json", "print the result as JSON")
    .option("--out <dir>", "write oscillation.json, oscillation.csv (one row per run), oscillation-points.csv and oscillation.svg there"))
    .action(async (file: string, flags: OscillationFlags) => {
      const loaded = loadScenarioFile(file);
      const { oscillationStudy } = await import("../analysis/oscillation-study.js");
      const out = flags.out ? await prepareOutputDir(flags.out, { command: "oscillation", replaces: ["oscillation.json", "oscillation.csv", "oscillation-points.csv", "oscillation.svg"] }) : null;
      const progress = lazyProgress("oscillation", "runs", !flags.json);
      const result = await oscillationStudy(loaded, { ...flags, jobs: flags.jobs ?? (await import("../cluster/local.js")).defaultJobs(), backend: studyBackend(flags), signal: interruptSignal(), onProgress: progress.onProgress });
      progress.stop();
      const provenance = studyProvenance(result);
      if (out) {
        const { oscillationChart, oscillationPointRows } = await import("../report/study-charts.js");
        const points = oscillationPointRows(result);
        await writeOutputs(out, {
          provenance,
          json: { oscillation: { ...result } },
          csv: { oscillation: result.rows.map(({ params: _params, ...row }) => row), "oscillation-points": points },
          charts: {
            oscillation: oscillationChart(result),
          },
        });
      }
      process.stdout.write(flags.json ? JSON.stringify(stampJson(result, provenance), null, 2) + "\n" : formatOscillation(result));
    });
}

/** How the report's intervals are made (also in the `ciMethod` columns of oscillation-points.csv). */
const INTERVAL_NOTE = "95% CI of switches/flow-min: bootstrap percentile over the replications (a rate cannot be negative); settled: share of replications, Wilson interval in --json/--out";

/** The readable report: one line per grid point. */
export function formatOscillation(r: OscillationResult): string {
  const head = `${r.scenario} (scenario ${r.scenarioHash}): ${r.points.length} grid points over ${r.params.join(" × ")} for ISP(s) ${r.isps.join(", ")}; ` +
    `${r.reps} replication(s) × ${r.rounds} round(s), seeds derived from ${r.baseSeed}; settling band ±${num(r.epsilon)} ${r.unit}`;
  const table = numberTable(r.points.map((p) => ({
    ...p.params,
    "switches/flow-min": p.switchesPerFlowMinute, "95% CI": `[${num(p.switchesCi95[0])}, ${num(p.switchesCi95[1])}]`,
    "price volatility": p.priceVolatility, "period (s)": p.dominantPeriodSec, "period power": p.periodPower,
    settled: `${num(100 * p.settledShare, 0)}%`, "settle (s)": p.settleSec, "ISP revenue": p.ispRevenue, welfare: p.welfare, "drop share": p.dropShare,
  })), 3);
  return `${head}\n\n${table}\n\n${INTERVAL_NOTE}\n`;
}
