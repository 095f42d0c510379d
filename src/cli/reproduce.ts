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
import { prepareOutputDir } from "../report/outputs.js";
import { stampJson } from "../report/provenance.js";
import { formatFrontier, formatTable1 } from "../reproduce/text.js";
import {
  DEFAULT_LOAD, defaultTopologyFile, reproduceTable1, scaleNamed, table1Json, type ReproductionOptions,
} from "../reproduce/table1.js";
import { interruptSignal, lazyProgress, nonNegativeInt, positiveInt, progressBar } from "./options.js";

interface CommonOptions {
  scale: string;
  topology?: string;
  seed: number;
  load?: string;
  workers?: number;
  json?: boolean;
  out: string;
}

export function registerReproduce(program: Command): void {
  const reproduce = program.command("reproduce").description("reproduce the pricing paper's evaluation (Table I, Figures 4–6)");

  common(reproduce.command("table1"), "results/table1")
    .description("static pricing and dynamic pricing with alpha = 2, 4, 6: our Table I beside the paper's, and its claims checked")
    .action(async (options: CommonOptions) => {
      const run = reproductionOptions(options);
      const started = performance.now();
      const open = () => prepareOutputDir(options.out, { command: "reproduce table1", replaces: TABLE1_OUTPUT_NAMES });
      let out: Awaited<ReturnType<typeof open>> | undefined;
      const bar = options.json ? null : progressBar("table1", 4 * run.scale.rounds);
      let done = 0;
      const result = await reproduceTable1({ ...run, signal: interruptSignal(), onProgress: () => bar?.update(++done), beforeRun: async () => void (out = await open()) });
      bar?.stop();
      const written = await writeTable1Figures(out ?? (await open()), result.outcomes);
      if (options.json) {
        process.stdout.write(JSON.stringify(stampJson(table1Json(result), reproductionProvenance("table1", result.outcomes).provenance)) + "\n");
        return;
      }
      const seconds = (performance.now() - started) / 1000;
      const runs = result.outcomes.length + (result.probe !== null ? 1 : 0);
      process.stdout.write(formatTable1(result) + `figures and data: ${written.length} files in ${options.out}/ (${runs} runs in ${seconds.toFixed(1)} s)\n`);
    });

  addStudyBackendOptions(common(reproduce.command("alpha-frontier"), "results/alpha-frontier")
    .description("sweep alpha and report where ISPs earn more than static AND users pay a lower unit price")
    .option("--from <alpha>", "smallest alpha", "0")
    .option("--to <alpha>", "largest alpha", "8")
    .option("--step <alpha>", "step between alphas", "0.5")
    .option("--store <file>", "keep every policy's run in this DuckDB store and resume from it: a rerun skips the policies stored (default: in memory)")
    .option("--jobs <n>", "policies at once, each in one worker thread unless --workers says otherwise (default 1: one after the other, each sharded across --workers); the result is the same for any number", positiveInt("--jobs")))
    .action(async (options: CommonOptions & StudyBackendFlags & { from: string; to: string; step: string; jobs?: number }) => {
      const run = reproductionOptions(options);
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
}

function common(command: Command, out: string): Command {
  return command
    .option("--scale <name>", "small (about a minute) or paper (4.26 M flows/s, 500 Gbps, 60 s)", "small")
    .option("--topology <file>", "CAIDA AS-relationship file (default ../shared/data/jp-as-rel.txt, else the generator at 550 ASes)")
    .option("--seed <n>", "seed of traffic, link prices and packet fates", nonNegativeInt("--seed"), 1)
    .option("--load <x>", "offered load relative to the paper's arrival rate (default: 4/3, the top of the paper's range)")
    .option("--workers <n>", "worker threads each policy's packet work is sharded across; policies run one after the other (default: the number of cores)", positiveInt("--workers"))
    .option("--json", "print the result as JSON")
    .option("--out <dir>", "folder for the CSV data and SVG charts", out);
}

function reproductionOptions(options: CommonOptions): ReproductionOptions {
  const scale = scaleNamed(options.scale);
  const load = options.load === undefined ? DEFAULT_LOAD : number(options.load, "--load");
  if (!(load > 0)) throw new TollwayError(`must be a positive number (got ${options.load})`, { field: "--load" });
  const topologyFile = options.topology ?? defaultTopologyFile();
  return {
    scale, seed: options.seed, load,
    ...(topologyFile !== undefined ? { topologyFile } : {}),
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
  };
}

function number(text: string, field: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) throw new TollwayError(`must be a number (got "${text}")`, { field });
  return value;
}
