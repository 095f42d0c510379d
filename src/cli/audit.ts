/** `tollway audit <scenario>`: which unilateral ISP deviations pay, and is the scenario's profile an equilibrium? */
import { parseStrategyList, readParamsFile, strategySpecName } from "../analysis/strategy-spec.js";
import type { Command } from "commander";
import { auditDeviations, type AuditRow } from "../analysis/audit.js";
import { defaultJobs } from "../cluster/local.js";
import { loadScenarioFile } from "../scenario/load.js";
import { formatTable } from "../report/table.js";
import { interruptSignal, nonNegativeInt, positiveInt } from "./options.js";
import { sweepProgress } from "./sweep-progress.js";
import { addStudyBackendOptions, studyBackend, type StudyBackendFlags } from "./study-slurm.js";

/** Adds `tollway audit` to the program. */
export function registerAudit(program: Command): void {
  addStudyBackendOptions(program
    .command("audit")
    .description("for every player ISP × ISP strategy, the revenue gain of deviating (95% CI over replications): is the scenario's profile an equilibrium?")
    .argument("<scenario>", "scenario JSON file (its players are the ISPs audited)")
    .option("--strategies <list>", "comma-separated ISP strategies to try, each optionally with parameters: fixed-toll:perPacket=2 (default: every ISP strategy in the registry, each with its own defaults)")
    .option("--params-file <file>", "JSON object of parameters by strategy, e.g. {\"fixed-toll\": {\"perPacket\": 2}}")
    .option("--reps <n>", "replications (paired seeds)", positiveInt("--reps"), 5)
    .option("--seed <n>", "base seed of the replications (default: the scenario's)", nonNegativeInt("--seed"))
    .option("--rounds <n>", "rounds per run (overrides the scenario's)", positiveInt("--rounds"))
    .option("--store <file>", "keep every run in this DuckDB store (and resume from it); default: in memory")
    .option("--jobs <n>", "runs at once, each in its own worker thread (default: the number of cores)", positiveInt("--jobs"))
    .option("--json", "print the result as JSON"))
    .action(async (file: string, options: StudyBackendFlags & { strategies?: string; paramsFile?: string; reps: number; seed?: number; rounds?: number; jobs?: number }) => {
      const loaded = loadScenarioFile(file);
      const bar = sweepProgress(`audit ${loaded.scenario.name}`, options.json ?? false);
      const result = await auditDeviations(loaded, {
        strategies: options.strategies !== undefined ? parseStrategyList(options.strategies, "--strategies").map(strategySpecName) : undefined,
        params: options.paramsFile !== undefined ? readParamsFile(options.paramsFile) : undefined,
        reps: options.reps, seed: options.seed, rounds: options.rounds, store: options.store, jobs: options.jobs ?? defaultJobs(), backend: studyBackend(options),
        signal: interruptSignal(), onProgress: (done, total) => bar.update({ done, total, failed: 0, skipped: 0 }),
      }).finally(() => bar.stop());
      if (options.json) {
        process.stdout.write(JSON.stringify(result, null, 2) + "\n");
        return;
      }
      const fmt = (v: number | null): string => (v === null ? "-" : Number(v.toPrecision(6)).toString());
      const row = (r: AuditRow) => ({
        isp: r.isp, from: r.from, to: r.to, gain: fmt(r.gain), ci95: r.ci95 ? `[${fmt(r.ci95[0])}, ${fmt(r.ci95[1])}]` : "-",
        relative: r.relativeGain === null ? "-" : `${(r.relativeGain * 100).toFixed(1)}%`, verdict: r.verdict === "failed" ? `failed: ${r.error}` : r.verdict,
      });
      const lines = [
        `${result.scenario}: revenue gain of each unilateral deviation (${result.unit}), mean [95% CI] over ${result.reps} paired replications`,
        formatTable(result.rows.map(row), [{ key: "isp" }, { key: "from" }, { key: "to" }, { key: "gain", align: "right" }, { key: "ci95", title: "95% CI", align: "right" }, { key: "relative", align: "right" }, { key: "verdict" }]),
        "",
        result.equilibrium
          ? `Yes: the scenario's profile (${Object.entries(result.profile).map(([p, s]) => `${p}: ${s}`).join(", ")}) is an equilibrium among these strategies: no unilateral deviation pays at 95%.`
          : `No: the scenario's profile (${Object.entries(result.profile).map(([p, s]) => `${p}: ${s}`).join(", ")}) is not an equilibrium: ${result.profitable.map((r) => `${r.isp} gains ${fmt(r.gain)} ${result.unit} (${r.relativeGain === null ? "from 0" : `${(r.relativeGain * 100).toFixed(0)}%`}) by switching to ${r.to}`).join("; ")}.`,
      ];
      process.stdout.write(lines.join("\n") + "\n");
    });
}
