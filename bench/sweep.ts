/**
 * `node dist/bench/sweep.js [--json]` (also run by `npm run bench`): what a sweep costs beyond its
 * runs, printed beside baselines measured in the same run. Figures, never assertions.
 *
 * - bareRunsSec: 500 Figure 1 points as bare `runScenario` calls in one thread (the baseline);
 * - sweep1JobSec / inRunsShare1Job: the same 500 points as `tollway sweep --jobs 1` into a fresh
 *   store, and the share of its wall time the bare runs account for (target ≥ 0.9). Both are
 *   timed in the JIT's steady state (after an untimed pass of every run), alternated three
 *   times, and the medians compared;
 * - sweep2JobsSec / speedup2Jobs: the same with 2 worker threads, end to end (target ≥ 1.7× one job):
 *   the workers start, load their modules and warm up V8's optimizing compiler inside the timed
 *   call, while one job runs in this thread, warm from the bare runs;
 * - sweep1JobCpuSec / sweep2JobsCpuSec: CPU seconds of this process during each sweep (all threads:
 *   V8 compiles and collects garbage on threads of its own);
 * - cliSweep1JobSec / cliSweep2JobsSec / cliSpeedup2Jobs: the same 500 points as `tollway sweep
 *   <file> --store S --jobs N`, each a fresh process timed from spawn to exit;
 * - sweep2JobsWarmSec / speedup2JobsWarm: the same with 2 threads of a kept `SweepPool`, warmed
 *   (untimed) by 1,000 runs per thread, past the JIT's warm-up as this thread is before its
 *   one-job sweeps — the second sweep of a notebook or script that keeps its pool;
 * - steadySpeedup2Jobs: the pace of the second half of the points (from the 250th finished run to
 *   the 500th) at 2 jobs over 1 job: the workers are started by then; not the target figure;
 * - storeRoundRowsPerSec: per-round metric rows per second written by the store (its appenders
 *   fed whole data chunks, one transaction per batch of 100 runs; target ≥ 500,000 rows/s), beside
 *   two baselines appending the same rows to a plain table with no run bookkeeping in one
 *   autocommitted appender: bareAppenderRowsPerSec, one appender call per value and `endRow` per
 *   row (what the store did before), and bareChunkRowsPerSec, 2048-row data chunks filled value
 *   by value through @duckdb/node-api's vectors and appended with `appendDataChunk`.
 *
 * `--replications N` runs each point N times (500·N runs; the targets are for N = 1), to see how
 * the figures change once the workers' start is spread over more runs.
 * `--store-only` measures the store figures alone (no sweeps), for repeated runs on a busy machine.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { DuckDBDataChunk, DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { planExperiment } from "../src/analysis/sweep-plan.js";
import { runSweepLocal, SweepPool } from "../src/cluster/local.js";
import type { RunOutcome, RoundRow } from "../src/cluster/point-run.js";
import { loadScenarioFile, parseScenario } from "../src/scenario/load.js";
import { experimentSchema } from "../src/scenario/experiment.js";
import { runScenario } from "../src/scenario/run.js";
import { GameMetrics } from "../src/metrics/game-metrics.js";
import { ResultStore, type StoredRun } from "../src/store/store.js";
import { ROUND_MEASURES } from "../src/store/schema.js";
import { formatTable } from "../src/report/table.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const POINTS = 500;
/** Y's premium toll from 1 to 500: 500 points of one run each. */
const FACTOR = { path: "isps.byNode.Y.params.perPacket", low: 1, high: POINTS, steps: POINTS, integer: true };

/** Runs the sweep benchmark and returns its figures. */
export async function sweepBench(replications = 1): Promise<Record<string, number>> {
  const RUNS = POINTS * replications;
  const dir = mkdtempSync(join(tmpdir(), "tollway-bench-sweep-"));
  try {
    const loaded = loadScenarioFile(join(ROOT, "scenarios/billpay-figure1.json"));
    const spec = experimentSchema.parse({ factors: [FACTOR], replications });
    const plan = await planExperiment(loaded, spec, "bench", "experiment");

    const bare = async (): Promise<number> => {
      const start = performance.now();
      for (const run of plan.runs) await bareRun(run.config.scenario, plan.baseFile, run.seed);
      return (performance.now() - start) / 1000;
    };
    let sweeps = 0;
    const timeSweep = async (jobs: number, pool?: SweepPool): Promise<{ wall: number; inRuns: number; cpu: number; secondHalfSec: number }> => {
      const file = join(dir, `jobs-${jobs}${pool ? "-warm" : ""}-${sweeps++}.duckdb`);
      let half = 0;
      let end = 0;
      const cpu = process.cpuUsage();
      const start = performance.now();
      const store = await ResultStore.open(file);
      const outcome = await runSweepLocal(plan, {
        store, jobs, pool,
        onProgress: (p) => {
          if (half === 0 && p.done >= RUNS / 2) half = performance.now();
          if (p.done === RUNS) end = performance.now();
        },
      });
      await store.closeAfterWrites();
      const used = process.cpuUsage(cpu);
      return { wall: (performance.now() - start) / 1000, inRuns: outcome.runSeconds, cpu: (used.user + used.system) / 1e6, secondHalfSec: (end - half) / 1000 };
    };
    // Both in the JIT's steady state: one untimed pass of every run first, then the bare runs and
    // the one-job sweep alternated three times; the medians are compared.
    await bare();
    const bares: number[] = [];
    const ones: Awaited<ReturnType<typeof timeSweep>>[] = [];
    for (let pass = 0; pass < 3; pass++) {
      bares.push(await bare());
      ones.push(await timeSweep(1));
    }
    const bareRunsSec = median(bares);
    const one = [...ones].sort((a, b) => a.wall - b.wall)[1]!;
    const two = await timeSweep(2);
    // Two jobs on a kept pool (SweepPool), warmed untimed past the JIT's warm-up: 1,000 runs per
    // thread (the plan swept four times into a store in memory).
    const pool = SweepPool.open({ jobs: 2 });
    let warm: Awaited<ReturnType<typeof timeSweep>>;
    try {
      for (let pass = 0; pass < 4; pass++) {
        const scratch = await ResultStore.open(":memory:");
        await runSweepLocal(plan, { store: scratch, pool });
        await scratch.closeAfterWrites();
      }
      warm = await timeSweep(2, pool);
    } finally {
      await pool.close();
    }

    // The same 500 points as `tollway sweep` commands, each a fresh process: start, module
    // loading, planning and a cold JIT in every thread, the store opened and closed.
    const experiment = join(dir, "figure1-500.json");
    writeFileSync(experiment, JSON.stringify({ base: join(ROOT, "scenarios/billpay-figure1.json"), factors: [FACTOR], replications }));
    const cli = (jobs: number): number => {
      const start = performance.now();
      const child = spawnSync(process.execPath, [join(ROOT, "bin/tollway.js"), "sweep", experiment, "--store", join(dir, `cli-${jobs}.duckdb`), "--jobs", String(jobs), "--quiet"], { encoding: "utf8" });
      if (child.status !== 0) throw new Error(`tollway sweep --jobs ${jobs} failed: ${child.stderr}`);
      return (performance.now() - start) / 1000;
    };
    const cli1 = cli(1);
    const cli2 = cli(2);

    const rows = await storeRows(dir);
    return {
      points: POINTS,
      runs: RUNS,
      bareRunsSec: round3(bareRunsSec),
      sweep1JobSec: round3(one.wall),
      inRunsShare1Job: round3(bareRunsSec / one.wall),
      selfTimedInRunsShare1Job: round3(one.inRuns / one.wall),
      overheadPerPointMs: round3(((one.wall - bareRunsSec) / RUNS) * 1000),
      sweep2JobsSec: round3(two.wall),
      speedup2Jobs: round3(one.wall / two.wall),
      sweep1JobCpuSec: round3(one.cpu),
      sweep2JobsCpuSec: round3(two.cpu),
      steadySpeedup2Jobs: round3(one.secondHalfSec / two.secondHalfSec),
      sweep2JobsWarmSec: round3(warm.wall),
      speedup2JobsWarm: round3(one.wall / warm.wall),
      sweep2JobsWarmCpuSec: round3(warm.cpu),
      cliSweep1JobSec: round3(cli1),
      cliSweep2JobsSec: round3(cli2),
      cliSpeedup2Jobs: round3(cli1 / cli2),
      ...rows,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bareRun(scenario: unknown, file: string, seed: number): Promise<void> {
  const loaded = parseScenario(scenario, file);
  const metrics = GameMetrics.forScenario(loaded.scenario);
  await runScenario(loaded, { seed, observers: metrics.observers });
  metrics.result();
}

/** Per-round rows per second: through the store (batches of 100 runs of 1,000 rounds), and a bare appender. */
async function storeRows(dir: string): Promise<Record<string, number>> {
  const RUNS = 1000;
  const ROUNDS = 1000;
  const rounds: RoundRow[] = Array.from({ length: ROUNDS }, (_, round) => ({
    round, value: round * 1.5, ispRevenue: round, ispCost: 0, consumerSurplus: 0.5 * round, producerSurplus: round, welfare: 1.5 * round,
    userUtility: 0.25 * round, sent: 100, delivered: 99, dropShare: 0.01, switches: round % 3,
  }));
  const outcome: RunOutcome = { status: "ok", error: null, wallSeconds: 0.01, topologyHash: null, totals: null, rounds, isps: [], flows: [] };
  const store = await ResultStore.open(join(dir, "rows.duckdb"));
  const start = performance.now();
  for (let b = 0; b < RUNS; b += 100) {
    const batch: StoredRun[] = Array.from({ length: 100 }, (_, k) => ({
      key: { experimentId: "bench", pointId: `p${b + k}`, pointIndex: b + k, replication: 0, seed: 1, scenarioHash: "h", version: "bench" }, outcome,
    }));
    await store.writeRuns(batch);
  }
  const storeSec = (performance.now() - start) / 1000;
  store.close();

  const bare = await bareTable(join(dir, "bare.duckdb"));
  const bareStart = performance.now();
  const a = await bare.connection.createAppender("t");
  for (let r = 0; r < RUNS; r++) {
    for (const row of rounds) {
      a.appendVarchar("bench"); a.appendVarchar(`p${r}`); a.appendInteger(0); a.appendUBigInt(1n); a.appendVarchar("h"); a.appendVarchar("bench");
      a.appendInteger(row.round);
      for (const [, field] of ROUND_MEASURES) a.appendDouble(row[field]);
      a.endRow();
    }
  }
  a.flushSync();
  a.closeSync();
  const bareSec = (performance.now() - bareStart) / 1000;
  bare.close();

  const chunked = await bareTable(join(dir, "chunk.duckdb"));
  const chunkStart = performance.now();
  const ca = await chunked.connection.createAppender("t");
  const types = Array.from({ length: ca.columnCount }, (_, c) => ca.columnType(c));
  const CHUNK = 2048;
  let chunk = DuckDBDataChunk.create(types, CHUNK);
  let at = 0;
  const flush = (): void => {
    for (let c = 0; c < types.length; c++) chunk.getColumnVector(c).flush();
    chunk.rowCount = at;
    ca.appendDataChunk(chunk);
    chunk = DuckDBDataChunk.create(types, CHUNK);
    at = 0;
  };
  for (let r = 0; r < RUNS; r++) {
    const key = ["bench", `p${r}`, 0, 1n, "h", "bench"];
    for (const row of rounds) {
      for (let c = 0; c < key.length; c++) chunk.getColumnVector(c).setItem(at, key[c]!);
      chunk.getColumnVector(6).setItem(at, row.round);
      ROUND_MEASURES.forEach(([, field], m) => chunk.getColumnVector(7 + m).setItem(at, row[field]));
      if (++at === CHUNK) flush();
    }
  }
  if (at > 0) flush();
  ca.flushSync();
  ca.closeSync();
  const chunkSec = (performance.now() - chunkStart) / 1000;
  chunked.close();
  return {
    roundRows: RUNS * ROUNDS,
    storeRoundRowsPerSec: Math.round((RUNS * ROUNDS) / storeSec),
    bareAppenderRowsPerSec: Math.round((RUNS * ROUNDS) / bareSec),
    bareChunkRowsPerSec: Math.round((RUNS * ROUNDS) / chunkSec),
  };
}

/** A fresh file with one plain table shaped like round_metrics (no constraints), for the baselines. */
async function bareTable(file: string): Promise<{ connection: DuckDBConnection; close: () => void }> {
  const db = await DuckDBInstance.create(file, { threads: "1" });
  const connection = await db.connect();
  await connection.run(`CREATE TABLE t (experiment_id VARCHAR, point_id VARCHAR, replication INTEGER, seed UBIGINT, scenario_hash VARCHAR, tollway_version VARCHAR, round INTEGER, ${ROUND_MEASURES.map(([m]) => `${m} DOUBLE`).join(", ")})`);
  return { connection, close: () => { connection.closeSync(); db.closeSync(); } };
}

/** The store figures alone. */
export async function storeBench(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "tollway-bench-store-"));
  try {
    return await storeRows(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1]!;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Prints the figures as a table (or JSON). */
export function printSweepBench(figures: Record<string, number>, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify({ sweep: figures }, null, 2) + "\n");
    return;
  }
  const targets: Record<string, string> = {
    inRunsShare1Job: "≥ 0.9", speedup2Jobs: "≥ 1.7 (end to end, fresh threads)", speedup2JobsWarm: "≥ 1.7 (kept pool, warmed as the one job is)", steadySpeedup2Jobs: "second half only", cliSpeedup2Jobs: "fresh processes", storeRoundRowsPerSec: "≥ 500,000", bareAppenderRowsPerSec: "baseline: per-value appender", bareChunkRowsPerSec: "baseline: data chunks",
  };
  process.stdout.write(figures.runs === undefined ? "\nThe results store\n" : `\nSweeps (${figures.points} Figure 1 points, ${figures.runs} runs) and the results store\n`);
  process.stdout.write(formatTable(Object.entries(figures).map(([figure, value]) => ({ figure, value, target: targets[figure] ?? "" }))) + "\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const reps = process.argv.indexOf("--replications");
  printSweepBench(process.argv.includes("--store-only") ? await storeBench() : await sweepBench(reps > 0 ? Number(process.argv[reps + 1]) : 1), process.argv.includes("--json"));
}
