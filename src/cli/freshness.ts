/**
 * `tollway freshness`: issue 15 item 6. Table I's dynamic-pricing run with users who see the
 * tariffs in force, users who learn prices only from verified beacons, and users whose current
 * path is priced by in-path updates; bandwidth, unit price, revenue and path flapping with 95%
 * intervals over seeds. The work is in src/security/freshness-study.ts.
 */
import type { Command } from "commander";
import { num, numberTable, prepareOutputDir, writeOutputs } from "./game-options.js";
import { lazyProgress, nonNegativeInt, positiveInt } from "./options.js";
import { stampJson, studyProvenance } from "../report/provenance.js";
import type { FreshnessResult } from "../security/freshness-study.js";

interface FreshnessFlags {
  reps: number;
  seed: number;
  rounds: number;
  alpha: number;
  nodes: number;
  workers?: number;
  json?: boolean;
  out: string;
}

/** The files `tollway freshness --out` writes. */
export const FRESHNESS_OUTPUT_NAMES = ["freshness.json", "freshness-runs.csv", "freshness-summary.csv", "freshness.svg"];

/** Adds `tollway freshness` to the program. */
export function registerFreshness(program: Command): void {
  program
    .command("freshness")
    .description("Pricing paper §III: Table I's dynamic pricing with users who see the prices in force, who learn them only from signed beacons, and whose current path gets in-path updates")
    .option("--reps <n>", "seeded replications per arm", positiveInt("--reps"), 3)
    .option("--seed <n>", "base seed of the replications (and of the generated network)", nonNegativeInt("--seed"), 1)
    .option("--rounds <n>", "simulated seconds per run, after the beacon warm-up", positiveInt("--rounds"), 180)
    .option("--alpha <n>", "the dynamic-pricing α", positiveInt("--alpha"), 4)
    .option("--nodes <n>", "ASes of the generated network (Table I: 550)", positiveInt("--nodes"), 550)
    .option("--workers <n>", "worker threads per run (results do not depend on it)", positiveInt("--workers"))
    .option("--json", "print the result as JSON")
    .option("--out <dir>", "folder for freshness.json, the CSV tables and freshness.svg", "results/freshness")
    .action(async (flags: FreshnessFlags) => {
      const { freshnessStudy } = await import("../security/freshness-study.js");
      const out = await prepareOutputDir(flags.out, { command: "freshness", replaces: FRESHNESS_OUTPUT_NAMES });
      const progress = lazyProgress("freshness", "runs", !flags.json);
      const started = performance.now();
      const result = await freshnessStudy({
        reps: flags.reps, baseSeed: flags.seed, rounds: flags.rounds, alpha: flags.alpha, nodes: flags.nodes,
        ...(flags.workers !== undefined ? { workers: flags.workers } : {}), onProgress: progress.onProgress,
      });
      progress.stop();
      const seconds = (performance.now() - started) / 1000;
      const provenance = studyProvenance(result);
      const { freshnessChart } = await import("../report/freshness-chart.js");
      const document = { rounds: result.rounds, alpha: result.alpha, nodes: result.nodes, scale: result.scale, summary: result.summary };
      await writeOutputs(out, {
        provenance,
        json: { freshness: document },
        csv: { "freshness-runs": result.runs, "freshness-summary": result.summary },
        charts: { freshness: freshnessChart(result) },
      });
      if (flags.json) {
        process.stdout.write(JSON.stringify(stampJson(document, provenance), null, 2) + "\n");
        return;
      }
      process.stdout.write(formatFreshness(result) + `\ndata and chart: ${FRESHNESS_OUTPUT_NAMES.length} files in ${flags.out}/ (${result.runs.length} runs in ${seconds.toFixed(1)} s)\n`);
    });
}

/** The readable report: one line per (arm, measure). */
export function formatFreshness(r: FreshnessResult): string {
  const head = `freshness (scenario ${r.scenarioHash}): Table I α = ${r.alpha}, ${r.scale} scale, ${r.nodes} ASes, ${r.rounds} s per run, ${r.reps} replication(s), seeds derived from ${r.baseSeed}`;
  const table = numberTable(r.summary.map((s) => ({
    arm: s.arm, measure: s.measure, mean: s.mean, "95% CI": `[${num(s.ci95Low, 3)}, ${num(s.ci95High, 3)}]`,
    "vs oracle": s.arm === "oracle" ? null : s.diff, "paired 95% CI": s.arm === "oracle" ? "" : `[${num(s.diffCi95Low, 3)}, ${num(s.diffCi95High, 3)}]`,
    "vs oracle %": s.arm === "oracle" ? null : s.diffPct,
  })), 3);
  return `${head}\n\n${table}\n\n95% CI: Student t over the replications; "vs oracle": paired differences (the same seeds in every arm)\n`;
}
