/**
 * The studies (deviation, tournament, oscillation, audit) as sweeps: each study says which
 * scenarios it needs as the levels of factors over the scenario's strategy choices, and
 * {@link studyPlan} turns them into an ordinary {@link SweepPlan} — points × replications with
 * the seeds derived on the coordinator by `expandPoints`, replication r of every point sharing its
 * seed. {@link runStudy} runs the plan through the sweep runner (`runSweepLocal`: `jobs` worker
 * threads, or this thread for 1) into a results store — a DuckDB file with `store`, in memory
 * otherwise — and reads every run back from the store. So the numbers a study reports are the
 * numbers stored, a second call with the same store runs nothing that is already there, and the
 * result does not depend on `jobs` or on how often the study was interrupted and resumed.
 */
import { existsSync } from "node:fs";
import { TollwayError } from "../errors.js";
import { runSweepLocal, type SweepPool } from "../cluster/local.js";
import type { IspRow, RunTotalsRow } from "../cluster/point-run.js";
import type { PolicyOutcome } from "../reproduce/outcome.js";
import { experimentSchema } from "../scenario/experiment.js";
import type { LoadedScenario } from "../scenario/load.js";
import { POLICY_MEASURES, quoteIdent, quoteLiteral, RUN_MEASURES } from "../store/schema.js";
import { ResultStore, runId } from "../store/store.js";
import { planExperiment, withExplicitIsps, type SweepPlan, type SweepPoint } from "./sweep-plan.js";

/** One level of a study's factor: its name in the store, and the scenario fields it sets. */
export interface StudyLevel {
  value: string;
  set: Record<string, unknown>;
}

/** What {@link studyPlan} makes a plan of. */
export interface StudyPlanSpec {
  /** Name of the experiment in the store, e.g. `deviation figure1`. */
  name: string;
  /** Where the study's options are, in errors about a point (e.g. "deviation"). */
  field: string;
  /** ISPs whose strategy the levels set: they get explicit `isps.byNode` entries first (their scenario strategy). */
  isps: readonly string[];
  /** Crossed in a grid, the first changing slowest. */
  factors: { name: string; levels: StudyLevel[] }[];
  reps: number;
  /** Base seed (default: the scenario's). */
  seed?: number | undefined;
  /** Rounds per run (default: the scenario's). */
  rounds?: number | undefined;
  /** ε of the price settling time, money units (default 1). */
  epsilon?: number | undefined;
  /** Measures `tollway summarize` reports for it. */
  measures: string[];
}

/** A study's plan: its factors' grid over the scenario, replicated. */
export async function studyPlan(loaded: LoadedScenario, study: StudyPlanSpec): Promise<SweepPlan> {
  const spec = experimentSchema.parse({
    name: study.name, replications: study.reps,
    ...(study.seed !== undefined ? { seed: study.seed } : {}),
    ...(study.rounds !== undefined ? { rounds: study.rounds } : {}),
    // ε = 1 is every run's default: left out, so the plan (and its id) is the one a sweep of the same points makes.
    ...(study.epsilon !== undefined && study.epsilon !== 1 ? { epsilon: study.epsilon } : {}),
    factors: study.factors, measures: study.measures,
  });
  const plan = await planExperiment(withExplicitIsps(loaded, study.isps), spec, loaded.file, study.field);
  return study.isps.length > 0 ? { ...plan, explicitIsps: [...study.isps] } : plan;
}

/** Options of {@link runStudy}. */
export interface StudyRunOptions {
  /** DuckDB file to keep the runs in and resume from (default: a store in memory, gone afterwards). */
  store?: string | undefined;
  /** Runs at once, each in its own worker thread; 1 runs them in this thread (default 1, or the pool's threads). */
  jobs?: number | undefined;
  /** Worker threads kept across studies and sweeps (`SweepPool.open`); the caller closes them. */
  pool?: SweepPool | undefined;
  /** Once aborted no further run starts; the running ones finish and are stored, then it throws. */
  signal?: AbortSignal | undefined;
  /** (runs done, runs in all), the runs found in the store counting as done. */
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** Another backend for the runs (SLURM, `src/cli/study-slurm.ts`); default: they run here. */
  backend?: StudyBackend | undefined;
}

/**
 * A backend that runs a study's plan elsewhere into its store (`--store`, required), e.g. a
 * SLURM array whose merge job collects the shards into it. {@link runStudy} hands it the plan
 * when the store lacks some of the plan's runs; `submit` either returns once they are stored
 * (it waited) or throws `StudyDeferred` (they arrive later: the same command, run again once
 * they are collected, reads them and reports).
 */
export interface StudyBackend {
  submit(plan: SweepPlan): Promise<void>;
  /** Hand it the plan even when the store holds every run (a dry run shows what it would submit). */
  always?: boolean | undefined;
}

/** One run of a study, as the store holds it. */
export interface StudyRun {
  point: SweepPoint;
  rep: number;
  seed: number;
  status: "ok" | "failed";
  /** Why it failed (one line), else null. */
  error: string | null;
  topologyHash: string | null;
  /** Null when it failed. */
  totals: RunTotalsRow | null;
  /** Each ISP over the run, by node id. */
  isps: Record<string, IspRow>;
  /** What a pricing-policy run measured (plans with `pricing`), else undefined. */
  policy?: PolicyOutcome | undefined;
}

/**
 * Runs the plan's runs that the store does not hold yet, and returns every run of the plan, in
 * plan order (point-major, as `expandPoints`), read from the store.
 * @throws TollwayError when interrupted (naming the store to resume from), or when the store is held by another process.
 */
export async function runStudy(plan: SweepPlan, options: StudyRunOptions = {}): Promise<StudyRun[]> {
  if (options.backend !== undefined) await runElsewhere(plan, options.backend, options.store);
  const store = await ResultStore.open(options.store ?? ":memory:");
  try {
    const outcome = await runSweepLocal(plan, {
      store, jobs: options.jobs ?? (options.pool ? undefined : 1), pool: options.pool, signal: options.signal,
      onProgress: options.onProgress ? (p) => options.onProgress!(p.skipped + p.done, p.skipped + p.total) : undefined,
    });
    if (outcome.interrupted) {
      throw new TollwayError(`interrupted: ${outcome.skipped + outcome.ran} of ${outcome.total} runs done${options.store !== undefined ? `; run the same command again to resume (${options.store})` : ""}`);
    }
    return await readRuns(store, plan);
  } finally {
    await store.closeAfterWrites();
  }
}

/** Hands the plan to the backend unless the store already holds every run; afterwards it must. */
async function runElsewhere(plan: SweepPlan, backend: StudyBackend, store: string | undefined): Promise<void> {
  if (!backend.always) {
    if (store === undefined) throw new TollwayError("another backend than local needs --store: the store its runs are collected into");
    if ((await storedRuns(store, plan)) === plan.runs.length) return;
  }
  await backend.submit(plan);
  if (store === undefined) return;
  const stored = await storedRuns(store, plan);
  if (stored < plan.runs.length) {
    throw new TollwayError(`the jobs finished but the store holds ${stored} of the study's ${plan.runs.length} runs: see \`tollway status\` of the shards' folder, and merge them with \`tollway collect\``, { file: store });
  }
}

/** How many of the plan's runs (ok or failed) the store holds; 0 when the file does not exist. */
async function storedRuns(file: string, plan: SweepPlan): Promise<number> {
  if (!existsSync(file)) return 0;
  const store = await ResultStore.open(file, { readOnly: true });
  try {
    const stored = await store.runStatus(plan.experimentId);
    return plan.runs.filter((r) => stored.has(runId(r.config.id, r.rep))).length;
  } finally {
    store.close();
  }
}

async function readRuns(store: ResultStore, plan: SweepPlan): Promise<StudyRun[]> {
  const experiment = quoteLiteral(plan.experimentId);
  const measures = RUN_MEASURES.map(([column]) => quoteIdent(column)).join(", ");
  const rows = await store.rows<Record<string, unknown> & { point_id: string; replication: number; status: "ok" | "failed"; error: string | null; topology_hash: string | null }>(
    `SELECT point_id, replication, status, error, topology_hash, ${measures} FROM runs WHERE experiment_id = ${experiment}`,
  );
  const isps = await store.rows<{ point_id: string; replication: number; isp: string; strategy: string; revenue: number; cost: number; profit: number }>(
    `SELECT point_id, replication, isp, strategy, revenue, cost, profit FROM isp_metrics WHERE experiment_id = ${experiment}`,
  );
  const ispsOf = new Map<string, Record<string, IspRow>>();
  for (const { point_id, replication, ...isp } of isps) {
    const key = runId(point_id, replication);
    if (!ispsOf.has(key)) ispsOf.set(key, {});
    ispsOf.get(key)![isp.isp] = isp;
  }
  const byRun = new Map(rows.map((r) => [runId(r.point_id, r.replication), r]));
  const policies = plan.pricing !== undefined ? await readPolicies(store, experiment) : new Map<string, PolicyOutcome>();
  return plan.runs.map((run): StudyRun => {
    const key = runId(run.config.id, run.rep);
    const row = byRun.get(key);
    if (row === undefined) throw new Error(`run ${key} of experiment ${plan.experimentId} is not in the store after the sweep`);
    const totals = row.status === "ok" ? Object.fromEntries(RUN_MEASURES.map(([column, field]) => [field, row[column]])) as unknown as RunTotalsRow : null;
    return {
      point: run.config, rep: run.rep, seed: run.seed, status: row.status, error: row.error, topologyHash: row.topology_hash,
      totals, isps: ispsOf.get(key) ?? {}, ...(plan.pricing !== undefined ? { policy: policies.get(key) } : {}),
    };
  });
}

/** The policy outcomes of an experiment's runs, by run id, with their link peaks and path-switch counts. */
async function readPolicies(store: ResultStore, experiment: string): Promise<Map<string, PolicyOutcome>> {
  type Row = Record<string, number> & { point_id: string; replication: number; seed: number; scenario_hash: string; policy: string; scenario: string; alpha: number | null };
  const measures = POLICY_MEASURES.map(([column]) => quoteIdent(column)).join(", ");
  const rows = await store.rows<Row>(`SELECT point_id, replication, seed, scenario_hash, policy, scenario, alpha, ${measures} FROM policy_metrics WHERE experiment_id = ${experiment}`);
  const series = async (table: string, index: string, value: string): Promise<Map<string, number[]>> => {
    const out = new Map<string, number[]>();
    const list = await store.rows<{ point_id: string; replication: number; v: number }>(`SELECT point_id, replication, ${value} AS v FROM ${table} WHERE experiment_id = ${experiment} ORDER BY point_id, replication, ${index}`);
    for (const r of list) {
      const key = runId(r.point_id, r.replication);
      if (!out.has(key)) out.set(key, []);
      out.get(key)!.push(r.v);
    }
    return out;
  };
  const peaks = await series("link_peaks", "link", "peak_utilization");
  const switches = await series("path_switch_counts", "switches", "users");
  const field = (row: Row, name: (typeof POLICY_MEASURES)[number][1]): number => row[POLICY_MEASURES.find(([, f]) => f === name)![0]]!;
  return new Map(rows.map((r): [string, PolicyOutcome] => {
    const key = runId(r.point_id, r.replication);
    // The field order of runPolicy's outcome, so that JSON output is the same as a run's.
    return [key, {
      policy: r.policy, scenario: r.scenario, scenarioHash: r.scenario_hash, seed: r.seed, alpha: r.alpha,
      avgBandwidthMbps: field(r, "avgBandwidthMbps"), unitPrice: field(r, "unitPrice"), revenue: field(r, "revenue"),
      linksUnder50Pct: field(r, "linksUnder50Pct"), usersNeverSwitched: field(r, "usersNeverSwitched"), userUtility: field(r, "userUtility"),
      deliveredPct: field(r, "deliveredPct"), meanLinkPrice: field(r, "meanLinkPrice"), flows: field(r, "flows"),
      peaks: Float64Array.from(peaks.get(key) ?? []), switchCounts: switches.get(key) ?? [],
      nodes: field(r, "nodes"), directedLinks: field(r, "directedLinks"), ratePerSec: field(r, "ratePerSec"), seconds: field(r, "seconds"),
    }];
  }));
}

/** An ok run: its totals are there. */
export type OkStudyRun = StudyRun & { status: "ok"; totals: RunTotalsRow; topologyHash: string };

/**
 * Every run went through: a study that needs them all (deviation, tournament, oscillation)
 * stops at the first that failed, naming its point and replication.
 * @returns the runs, as ok runs.
 * @throws TollwayError naming the scenario file.
 */
export function requireRunsOk(runs: readonly StudyRun[], file: string): OkStudyRun[] {
  const failed = runs.find((r) => r.status !== "ok");
  if (failed === undefined) return runs as OkStudyRun[];
  const where = Object.entries(failed.point.values).map(([name, value]) => `${name} ${String(value)}`).join(", ");
  throw new TollwayError(`the run of ${where}, replication ${failed.rep} (seed ${failed.seed}) failed: ${failed.error ?? "no error recorded"}`, { file });
}
