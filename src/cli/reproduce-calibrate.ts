/**
 * `tollway reproduce calibrate`: the calibration grid of issue 13 — static pricing beside one
 * dynamic policy at each load × duration spread σ, with the round length, the source ASes and the
 * mean demanded rate as further knobs, run as one sweep (`--store` to resume, `--jobs`, `--backend
 * slurm`); prints the grid, the load at which static pricing leaves 72% of links at or under 50%
 * peak (the paper's figure) for each σ, and writes calibration.csv.
 */
import { createHash } from "node:crypto";
import type { Command } from "commander";
import { TollwayError } from "../errors.js";
import { calibrate, crossingAt, type CalibrationVariant } from "../reproduce/calibration.js";
import { formatTable } from "../report/table.js";
import { prepareOutputDir, writeOutputs } from "../report/outputs.js";
import { studyProvenance } from "../report/provenance.js";
import { DEFAULT_LOAD } from "../reproduce/table1.js";
import { interruptSignal, lazyProgress } from "./options.js";
import { addStudyBackendOptions, studyBackend, type StudyBackendFlags } from "./study-slurm.js";
import { common, number, reproductionOptions, sweepOptions, withCongestionScale, type CommonOptions } from "./reproduce.js";

interface CalibrateOptions extends CommonOptions {
  loads?: string;
  sigmas?: string;
  alpha: string;
  roundSeconds?: string;
  topSources?: string;
  demand?: string;
  generated?: string;
  jobs?: number;
}

/** "4,6,8" → [4, 6, 8]. */
function numbers(text: string, field: string): number[] {
  const values = text.split(",").map((t) => number(t, field));
  if (values.some((v) => !(v > 0))) throw new TollwayError(`every value must be > 0 (got "${text}")`, { field });
  return values;
}

export function registerReproduceCalibrate(reproduce: Command): void {
  addStudyBackendOptions(sweepOptions(common(reproduce.command("calibrate"), "results/table1-calibration"))
    .description("static vs one dynamic policy over a grid of loads and duration spreads, as one sweep: the calibration of docs/reproduce-table1.md")
    .option("--loads <list>", "loads relative to the paper's 4.26 M flows/s, comma-separated (default: --load)")
    .option("--sigmas <list>", "duration spreads σ, median solved for 91.66% of packets in flows > 256 ms (default: the §3 law, σ 2.15)")
    .option("--alpha <a>", "the dynamic policy's alpha", "4")
    .option("--round-seconds <s>", "round length: price updates and the peak window (default 1)")
    .option("--top-sources <n>", "draw sources and destinations from the n ASes of highest degree only")
    .option("--demand <mbps>", "mean demanded rate per flow, Mbps (default 10)")
    .option("--generated <nodes>", "the built-in generator at this many ASes instead of the CAIDA file"))
    .action(async (options: CalibrateOptions & StudyBackendFlags) => {
      const run = withCongestionScale(reproductionOptions(options), options.congestionScale);
      const loads = options.loads !== undefined ? numbers(options.loads, "--loads") : [run.load ?? DEFAULT_LOAD];
      const sigmas = options.sigmas !== undefined ? numbers(options.sigmas, "--sigmas") : undefined;
      const alpha = number(options.alpha, "--alpha");
      const extra: CalibrationVariant = {
        ...(options.roundSeconds !== undefined ? { roundSeconds: numbers(options.roundSeconds, "--round-seconds")[0]! } : {}),
        ...(options.topSources !== undefined ? { topSources: numbers(options.topSources, "--top-sources")[0]! } : {}),
        ...(options.demand !== undefined ? { demandMeanMbps: numbers(options.demand, "--demand")[0]! } : {}),
        ...(options.generated !== undefined ? { generatedNodes: numbers(options.generated, "--generated")[0]! } : {}),
      };
      const open = () => prepareOutputDir(options.out, { command: "reproduce calibrate", replaces: ["calibration.csv"] });
      let out: Awaited<ReturnType<typeof open>> | undefined;
      const progress = lazyProgress("calibrate", "policies", !options.json);
      const rows = await calibrate({ loads, sigmas, alpha, extra }, {
        ...run, store: options.store, jobs: options.jobs ?? 1, backend: studyBackend(options), signal: interruptSignal(), onProgress: progress.onProgress, beforeRun: async () => void (out = await open()),
      });
      progress.stop();
      if (!options.json) {
        for (const row of rows) process.stderr.write(`load ${row.load} σ ${row.durationSigma}: static ${row.staticLinksUnder50Pct.toFixed(1)}% ≤ 50%, never switch ${row.dynamicNeverSwitchedPct.toFixed(2)}% (${row.seconds.toFixed(1)} s)\n`);
      }
      await writeOutputs(out ?? (await open()), {
        provenance: studyProvenance({ scenario: "reproduce-calibrate", scenarioHash: createHash("sha256").update(JSON.stringify({ loads, sigmas: sigmas ?? [undefined], alpha, extra: { ...extra, ...run.variant }, scale: run.scale.name, topology: run.topologyFile ?? null })).digest("hex").slice(0, 16), baseSeed: run.seed, reps: 1 }),
        csv: { calibration: rows },
      });
      if (options.json) {
        process.stdout.write(JSON.stringify({ rows }) + "\n");
        return;
      }
      const f = (x: number, d = 1) => x.toFixed(d);
      process.stdout.write(formatTable(rows.map((r) => ({
        load: Number(r.load.toPrecision(4)), σ: r.durationSigma, "median (s)": f(r.durationMedianSec, 4), "E[D] (s)": f(r.meanDurationSec, 3), "P(D>2s)": `${f(r.flowsOver2sPct, 2)}%`,
        "static ≤50%": `${f(r.staticLinksUnder50Pct)}%`, [`α=${alpha} ≤50%`]: `${f(r.dynamicLinksUnder50Pct)}%`,
        "mean peak s/d": `${f(r.staticMeanPeakPct)}/${f(r.dynamicMeanPeakPct)}%`, "never switch": `${f(r.dynamicNeverSwitchedPct, 2)}%`,
        "Mbps s→d": `${f(r.staticBandwidthMbps, 2)}→${f(r.dynamicBandwidthMbps, 2)}`, "PU s/d": `${f(r.staticUnitPrice, 1)}/${f(r.dynamicUnitPrice, 1)}`,
        "rev d/s": `${r.revenueVsStaticPct >= 0 ? "+" : ""}${f(r.revenueVsStaticPct)}%`,
      }))) + "\n");
      for (const sigma of new Set(rows.map((r) => r.durationSigma))) {
        const curve = rows.filter((r) => r.durationSigma === sigma).map((r) => ({ x: r.load, y: r.staticLinksUnder50Pct }));
        const fitted = crossingAt(curve, 72);
        process.stdout.write(`σ ${sigma}: static pricing leaves 72% of links ≤ 50% peak at load ${fitted === null ? "— (outside the grid)" : fitted.toFixed(2)}\n`);
      }
      process.stdout.write(`data: ${options.out}/calibration.csv\n`);
    });
}
