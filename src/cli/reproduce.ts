/**
 * `tollway reproduce table1` and `tollway reproduce alpha-frontier`: the pricing paper's
 * Table I (static vs dynamic pricing, α = 2, 4, 6) with its claims checked, and the sweep of α
 * for the mutually beneficial region. Options are parsed here; the work is in src/reproduce/.
 */
import { addStudyBackendOptions, studyBackend, type StudyBackendFlags } from "./study-slurm.js";
import type { Command } from "commander";
import { TollwayError } from "../errors.js";
import { alphaFrontier, alphaGrid, FRONTIER_OUTPUT_NAMES, writeFrontierFigures } from "../reproduce/alpha-frontier.js";
import { reproductionProvenance, TABLE1_OUTPUT_NAMES, writeTable1Figures } from "../reproduce/figures.js";
import { preloadCharts, prepareOutputDir } from "../report/outputs.js";
import { stampJson } from "../report/provenance.js";
import { formatFrontier, formatTable1 } from "../reproduce/text.js";
import {
  DEFAULT_LOAD, defaultTopologyFile, scaleNamed, TABLE1_POLICIES, table1Json, type ReproductionOptions,
} from "../reproduce/table1.js";
import { interruptSignal, lazyProgress, nonNegativeInt, positiveInt, progressBar } from "./options.js";
import { CALIBRATION, fittedIds } from "../reproduce/calibration.js";
import { formatPredictions, formatVerdicts } from "../reproduce/predictions-text.js";
import { reproduceSeeds } from "../reproduce/seeds.js";

export interface CommonOptions {
  scale: string;
  congestionScale?: string;
  topology?: string;
  seed: number;
  load?: string;
  workers?: number;
  json?: boolean;
  out: string;
}

/** Registers `reproduce` and its table1 and alpha-frontier commands; returns it for the others (calibrate, claims-map). */
export function registerReproduce(program: Command): Command {
  const reproduce = program.command("reproduce").description("reproduce the pricing paper's evaluation (Table I, Figures 4–6)");

  common(reproduce.command("table1"), "results/table1")
    .description("static pricing and dynamic pricing with alpha = 2, 4, 6: our Table I beside the paper's, and its claims checked")
    .option("--seeds <list>", "seeds to run, comma-separated (e.g. 1,2,3): predictions as mean ± 95% CI, claims judged against the seed-to-seed spread (default: --seed)")
    .action(async (options: CommonOptions & { seeds?: string }) => {
      const run = withCongestionScale(reproductionOptions(options), options.congestionScale);
      const seeds = options.seeds !== undefined ? seedList(options.seeds) : [run.seed];
      const started = performance.now();
      const open = () => prepareOutputDir(options.out, { command: "reproduce table1", replaces: TABLE1_OUTPUT_NAMES });
      let out: Awaited<ReturnType<typeof open>> | undefined;
      // Four policies a seed; a seed where no α beats static runs a fifth (the probe), so the
      // total grows by one run's rounds when a round beyond it is reported.
      let total = TABLE1_POLICIES.length * run.scale.rounds * seeds.length;
      const bar = options.json ? null : progressBar("table1", total);
      let done = 0;
      const judged = await reproduceSeeds(seeds, { ...run, signal: interruptSignal(), onProgress: () => {
        // The figures are written after the runs: their chart modules load while the first run
        // plays (its workers busy, this thread mostly waiting for them), not after the last.
        if (done === 0) preloadCharts();
        if (++done > total) bar?.setTotal((total += run.scale.rounds));
        bar?.update(done);
      }, beforeRun: async () => void (out ??= await open()) }, fittedIds(run));
      const result = judged.results[0]!;
      bar?.stop();
      const written = await writeTable1Figures(out ?? (await open()), result.outcomes);
      if (options.json) {
        const { predictions, verdicts } = judged;
        process.stdout.write(JSON.stringify(stampJson({ ...table1Json(result), seeds, predictions, verdicts }, reproductionProvenance("table1", result.outcomes).provenance)) + "\n");
        return;
      }
      const seconds = (performance.now() - started) / 1000;
      const runs = judged.results.reduce((sum, r) => sum + r.outcomes.length + (r.probe !== null ? 1 : 0), 0);
      process.stdout.write(formatTable1(result) + "\n" + formatPredictions(judged.predictions, seeds) + "\n\n" + (seeds.length > 1 ? formatVerdicts(judged.verdicts) + "\n\n" : "") +
        `figures and data (seed ${seeds[0]}): ${written.length} files in ${options.out}/ (${runs} runs in ${seconds.toFixed(1)} s)\n`);
    });

  addStudyBackendOptions(sweepOptions(common(reproduce.command("alpha-frontier"), "results/alpha-frontier"))
    .description("sweep alpha and report where ISPs earn more than static AND users pay a lower unit price")
    .option("--from <alpha>", "smallest alpha", "0")
    .option("--to <alpha>", "largest alpha", "8")
    .option("--step <alpha>", "step between alphas", "0.5"))
    .action(async (options: CommonOptions & StudyBackendFlags & { from: string; to: string; step: string; jobs?: number; congestionScale?: string }) => {
      const run = withCongestionScale(reproductionOptions(options), options.congestionScale);
      const alphas = alphaGrid(number(options.from, "--from"), number(options.to, "--to"), number(options.step, "--step"));
      const open = () => prepareOutputDir(options.out, { command: "reproduce alpha-frontier", replaces: FRONTIER_OUTPUT_NAMES });
      let out: Awaited<ReturnType<typeof open>> | undefined;
      const progress = lazyProgress("alpha-frontier", "policies", !options.json);
      const result = await alphaFrontier(alphas, {
        ...run, store: options.store, jobs: options.jobs ?? 1, backend: studyBackend(options), signal: interruptSignal(), onProgress: progress.onProgress, beforeRun: async () => void (out = await open()),
      });
      progress.stop();
      const written = await writeFrontierFigures(out ?? (await open()), result);
      if (options.json) {
        const { peaks: _peaks, switchCounts: _switches, ...base } = result.static;
        const provenance = reproductionProvenance("alpha-frontier", [result.static, ...result.outcomes]).provenance;
        process.stdout.write(JSON.stringify(stampJson({ static: base, points: result.points, beneficial: result.beneficial }, provenance)) + "\n");
        return;
      }
      process.stdout.write(formatFrontier(result, { scale: run.scale, seed: run.seed, load: run.load ?? DEFAULT_LOAD, topologyFile: run.topologyFile ?? null }) + `chart and data: ${written.join(", ")}\n`);
    });

  return reproduce;
}

export function common(command: Command, out: string): Command {
  return command
    .option("--scale <name>", "small (about a minute) or paper (4.26 M flows/s, 500 Gbps, 60 s)", "small")
    .option("--topology <file>", "CAIDA AS-relationship file (default ../shared/data/jp-as-rel.txt, else the generator at 550 ASes)")
    .option("--seed <n>", "seed of traffic, link prices and packet fates", nonNegativeInt("--seed"), 1)
    .option("--load <x>", "offered load relative to the paper's arrival rate (default: 4/3, the top of the paper's range; \"calibrated\": the load fitted on the paper's 72% of links ≤ 50% peak)")
    .option("--workers <n>", "worker threads each policy's packet work is sharded across; policies run one after the other (default: the number of cores)", positiveInt("--workers"))
    .option("--congestion-scale <pu>", `scale c of dynamic pricing's congestion price F(u), PU (default 1; "calibrated": ${CALIBRATION.congestionScale.value}, fitted on alpha=4's unit price)`)
    .option("--json", "print the result as JSON")
    .option("--out <dir>", "folder for the CSV data and SVG charts", out);
}

export function reproductionOptions(options: CommonOptions): ReproductionOptions {
  const scale = scaleNamed(options.scale);
  const load = options.load === undefined ? DEFAULT_LOAD : loadOf(options.load);
  const topologyFile = options.topology ?? defaultTopologyFile();
  return {
    scale, seed: options.seed, load,
    ...(topologyFile !== undefined ? { topologyFile } : {}),
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
  };
}

export function number(text: string, field: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) throw new TollwayError(`must be a number (got "${text}")`, { field });
  return value;
}

/** "1,2,3" → [1, 2, 3]: distinct non-negative integers. */
export function seedList(text: string): number[] {
  const seeds = text.split(",").map((t) => Number(t.trim()));
  if (seeds.some((s) => !Number.isInteger(s) || s < 0) || new Set(seeds).size !== seeds.length) {
    throw new TollwayError(`must be distinct non-negative integers, comma-separated (got "${text}")`, { field: "--seeds" });
  }
  return seeds;
}

/** `--load`: a positive number, or "calibrated" for the fitted value. */
export function loadOf(text: string): number {
  const load = text === "calibrated" ? CALIBRATION.load.value : number(text, "--load");
  if (!(load > 0)) throw new TollwayError(`must be a positive number (got ${text})`, { field: "--load" });
  return load;
}

/** `--congestion-scale`: a number ≥ 0, or "calibrated" for the fitted value. */
export function congestionScaleOf(text: string): number {
  const congestionScale = text === "calibrated" ? CALIBRATION.congestionScale.value : number(text, "--congestion-scale");
  if (!(congestionScale >= 0)) throw new TollwayError(`must be a number ≥ 0 (got ${text})`, { field: "--congestion-scale" });
  return congestionScale;
}

/** The reproduction options with `--congestion-scale` applied to dynamic pricing, as data (the variant of src/reproduce/variant.ts). */
export function withCongestionScale(run: ReproductionOptions, text: string | undefined): ReproductionOptions {
  if (text === undefined) return run;
  return { ...run, variant: { ...run.variant, congestionScale: congestionScaleOf(text) } };
}

/** Adds `--store` and `--jobs`: the policies of the command are the points of one sweep (src/analysis/study-runs.ts). */
export function sweepOptions(command: Command): Command {
  return command
    .option("--store <file>", "keep every policy's run in this DuckDB store and resume from it: a rerun skips the policies stored (default: in memory)")
    .option("--jobs <n>", "policies at once, each in one worker thread unless --workers says otherwise (default 1: one after the other, each sharded across --workers); the result is the same for any number", positiveInt("--jobs"));
}
