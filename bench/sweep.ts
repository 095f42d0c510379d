/**
 * `node dist/bench/sweep.js [--json]` (also run by `npm run bench`): what a sweep costs beyond its
 * runs, printed beside baselines measured in the same run. Figures, never assertions.
 *
 * - bareRunsSec: 500 Figure 1 points as bare `runScenario` calls in one thread (the baseline);
 * - sweep1JobSec / inRunsShare1Job: the same 500 points as `tollway sweep --jobs 1` into a fresh
 *   store, and the share of its wall time the bare runs account for (target ≥ 0.9);
 * - sweep2JobsSec / speedup2Jobs: the same with 2 worker threads (target ≥ 1.7× one job);
 * - storeRoundRowsPerSec: per-round metric rows per second written by the store (appender, one
 *   transaction per batch of runs), beside bareAppenderRowsPerSec: the same rows appended to a
 *   plain table with no run bookkeeping (target ≥ 500,000 rows/s).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { DuckDBInstance } from "@duckdb/node-api";
import { planExperiment } from "../src/analysis/sweep-plan.js";
import { runSweepLocal } from "../src/cluster/local.js";
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

/** Runs the sweep benchmark and returns its figures. */
export async function sweepBench(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "tollway-bench-sweep-"));
  try {
    const loaded = loadScenarioFile(join(ROOT, "scenarios/billpay-figure1.json"));
    const spec = experimentSchema.parse({ factors: [{ path: "isps.byNode.Y.params.perPacket", low: 1, high: POINTS, steps: POINTS, integer: true }] });
    const plan = await planExperiment(loaded, spec, "bench", "experiment");

    // Warm the JIT with a few runs of each path before timing.
    for (const run of plan.runs.slice(0, 20)) await bareRun(run.config.scenario, plan.baseFile, run.seed);
    const bareStart = performance.now();
    for (const run of plan.runs) await bareRun(run.config.scenario, plan.baseFile, run.seed);
    const bareRunsSec = (performance.now() - bareStart) / 1000;

    const timeSweep = async (jobs: number): Promise<{ wall: number; inRuns: number }> => {
      const file = join(dir, `jobs-${jobs}.duckdb`);
      const start = performance.now();
      const store = await ResultStore.open(file);
      const outcome = await runSweepLocal(plan, { store, jobs });
      await store.closeAfterWrites();
      return { wall: (performance.now() - start) / 1000, inRuns: outcome.runSeconds };
    };
    const one = await timeSweep(1);
    const two = await timeSweep(2);

    const rows = await storeRows(dir);
    return {
      points: POINTS,
      bareRunsSec: round3(bareRunsSec),
      sweep1JobSec: round3(one.wall),
      inRunsShare1Job: round3(bareRunsSec / one.wall),
      selfTimedInRunsShare1Job: round3(one.inRuns / one.wall),
      overheadPerPointMs: round3(((one.wall - bareRunsSec) / POINTS) * 1000),
      sweep2JobsSec: round3(two.wall),
      speedup2Jobs: round3(one.wall / two.wall),
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

  const db = await DuckDBInstance.create(join(dir, "bare.duckdb"));
  const c = await db.connect();
  await c.run(`CREATE TABLE t (experiment_id VARCHAR, point_id VARCHAR, replication INTEGER, seed UBIGINT, scenario_hash VARCHAR, tollway_version VARCHAR, round INTEGER, ${ROUND_MEASURES.map(([m]) => `${m} DOUBLE`).join(", ")})`);
  const bareStart = performance.now();
  const a = await c.createAppender("t");
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
  c.closeSync();
  db.closeSync();
  return {
    roundRows: RUNS * ROUNDS,
    storeRoundRowsPerSec: Math.round((RUNS * ROUNDS) / storeSec),
    bareAppenderRowsPerSec: Math.round((RUNS * ROUNDS) / bareSec),
  };
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
  const targets: Record<string, string> = { inRunsShare1Job: "≥ 0.9", speedup2Jobs: "≥ 1.7", storeRoundRowsPerSec: "≥ 500,000" };
  process.stdout.write("\nSweeps (500 Figure 1 points) and the results store\n");
  process.stdout.write(formatTable(Object.entries(figures).map(([figure, value]) => ({ figure, value, target: targets[figure] ?? "" }))) + "\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  printSweepBench(await sweepBench(), process.argv.includes("--json"));
}
