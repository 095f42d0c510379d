/**
 * `tollway hijack`: Bill-Pay §2.4 measured. A hijacked end host under two attackers
 * (impersonation through the secretary, man in the middle between secretary and edge router),
 * each under four defence regimes; money leaked per hour with 95% intervals over seeds.
 * The work is in src/security/hijack-study.ts.
 */
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { jsonObject, nonNegativeNumber, num, numberTable, prepareOutputDir, writeOutputs } from "./game-options.js";
import { lazyProgress, nonNegativeInt, positiveInt } from "./options.js";
import { stampJson, studyProvenance } from "../report/provenance.js";
import type { HijackStudyResult } from "../security/hijack-study.js";

interface HijackFlags {
  reps: number;
  seed: number;
  hours: number;
  headroom: number;
  impersonation?: Record<string, unknown>;
  mitm?: Record<string, unknown>;
  json?: boolean;
  out: string;
}

/** The files `tollway hijack --out` writes. */
export const HIJACK_OUTPUT_NAMES = ["hijack.json", "hijack-runs.csv", "hijack-summary.csv", "hijack-leak.svg", "hijack-honest-denied.svg"];

/** Adds `tollway hijack` to the program. */
export function registerHijack(program: Command): void {
  program
    .command("hijack")
    .description("Bill-Pay §2.4: money a hijacked host leaks per hour to impersonation and man-in-the-middle attackers, with no defences, MACs only, MACs + the secretary's anomaly rule, and the anomaly rule only")
    .option("--reps <n>", "seeded replications per attacker and regime", positiveInt("--reps"), 10)
    .option("--seed <n>", "base seed of the replications", nonNegativeInt("--seed"), 1)
    .option("--hours <h>", "simulated hours per run", positiveNumber("--hours"), 1)
    .option("--headroom <x>", "the anomaly rule allows this many times the expected honest spending per minute", positiveNumber("--headroom"), 1.5)
    .option("--impersonation <json>", "parameters of the impersonation attacker, e.g. '{\"ratePerSec\": 5}'", jsonObject("--impersonation"))
    .option("--mitm <json>", "parameters of the man in the middle, e.g. '{\"redirectShare\": 1, \"inflateShare\": 0}'", jsonObject("--mitm"))
    .option("--json", "print the result as JSON")
    .option("--out <dir>", "folder for hijack.json, hijack-runs.csv, hijack-summary.csv and the SVG charts", "results/hijack")
    .action(async (flags: HijackFlags) => {
      const { hijackStudy } = await import("../security/hijack-study.js");
      const { anomalyBudget, DEFAULT_HIJACK_SETUP, parseAttackerParams } = await import("../security/hijack-sim.js");
      const { impersonation, manInTheMiddle } = await import("../security/attackers/index.js");
      const base = DEFAULT_HIJACK_SETUP;
      const setup = {
        ...base, durationSec: flags.hours * 3600,
        anomaly: { ...base.anomaly, budgetPerWindow: anomalyBudget(base.honest, base.anomaly.windowSec, flags.headroom) },
      };
      const attacks = [{ strategy: impersonation, params: flags.impersonation ?? {} }, { strategy: manInTheMiddle, params: flags.mitm ?? {} }];
      for (const a of attacks) parseAttackerParams(a.strategy, a.params); // bad parameters fail before the folder is touched
      const out = await prepareOutputDir(flags.out, { command: "hijack", replaces: HIJACK_OUTPUT_NAMES });
      const progress = lazyProgress("hijack", "runs", !flags.json);
      const started = performance.now();
      const result = await hijackStudy({ reps: flags.reps, baseSeed: flags.seed, setup, attacks, onProgress: progress.onProgress });
      progress.stop();
      const seconds = (performance.now() - started) / 1000;
      const provenance = studyProvenance(result);
      const { hijackDeniedChart, hijackLeakChart } = await import("../report/hijack-charts.js");
      await writeOutputs(out, {
        provenance,
        json: { hijack: { setup: result.setup, attacks: result.attacks, summary: result.summary } },
        csv: { "hijack-runs": result.runs, "hijack-summary": result.summary },
        charts: { "hijack-leak": hijackLeakChart(result), "hijack-honest-denied": hijackDeniedChart(result) },
      });
      if (flags.json) {
        process.stdout.write(JSON.stringify(stampJson({ setup: result.setup, attacks: result.attacks, summary: result.summary }, provenance), null, 2) + "\n");
        return;
      }
      process.stdout.write(formatHijack(result) + `\ndata and charts: ${HIJACK_OUTPUT_NAMES.length} files in ${flags.out}/ (${result.runs.length} runs in ${seconds.toFixed(1)} s)\n`);
    });
}

/** The readable report: one line per (attacker, regime). */
export function formatHijack(r: HijackStudyResult): string {
  const s = r.setup;
  const head = `hijack (scenario ${r.scenarioHash}): ${r.reps} replication(s) of ${num(s.durationSec / 3600)} h, seeds derived from ${r.baseSeed}; ` +
    `honest ${s.honest.application}: ${s.honest.ratePerSec} packets/s × ${s.honest.payment} nanodollars; anomaly rule: ${s.anomaly.budgetPerWindow} per ${s.anomaly.windowSec} s`;
  const table = numberTable(r.summary.map((c) => ({
    attacker: c.attack, defences: c.regime,
    "leaked/h": Math.round(c.leakedPerHour), "95% CI": `[${Math.round(c.leakedCi95Low)}, ${Math.round(c.leakedCi95High)}]`,
    "vs none": Number.isNaN(c.leakedVsNone) ? null : c.leakedVsNone,
    "honest denied/h": Math.round(c.honestDeniedPerHour), "denied share": `${num(100 * c.honestDeniedShare, 1)}%`,
  })), 3);
  return `${head}\n\n${table}\n\nmoney in nanodollars per hour; 95% CI: bootstrap percentile over the replications (a leak cannot be negative)\n`;
}

function positiveNumber(name: string): (value: string) => number {
  const atLeastZero = nonNegativeNumber(name);
  return (value) => {
    const n = atLeastZero(value);
    if (n === 0) throw new InvalidArgumentError(`${name} must be a positive number (got "${value}")`);
    return n;
  };
}
