/**
 * The incentive audit of a mechanism: for every player ISP and every ISP strategy (the registry's,
 * or a chosen list), the revenue gain of that unilateral deviation with a 95% Student t interval
 * over replications — all of it one sweep (a `deviation` factor whose first level is the scenario
 * as written), so it runs on every core or a cluster, stores every run, and resumes. Replication
 * r of every deviation shares its seed with replication r of the baseline (a paired design):
 *
 *   gain_r(isp, s) = revenue_isp(isp plays s, seed_r) − revenue_isp(as written, seed_r)
 *
 * The scenario's strategy profile is a (Nash) equilibrium of the game restricted to these
 * strategies, at this confidence, when no deviation's interval lies above 0.
 */
import { TollwayError } from "../errors.js";
import { ISP_STRATEGIES } from "../agents/registry.js";
import { meanConfidenceInterval } from "../metrics/stats.js";
import { canonicalJson, type LoadedScenario } from "../scenario/load.js";
import { defaultJobs } from "../cluster/local.js";
import { resolveCandidate, resolvePlayers, scenarioIsps, type Candidate } from "./match.js";
import { requireParamsUsed, toStrategySpec, type ParamsByStrategy } from "./strategy-spec.js";
import { runStudy, studyPlan, type StudyBackend, type StudyLevel, type StudyRun, type StudyRunOptions } from "./study-runs.js";
import type { SweepPlan } from "./sweep-plan.js";

/** Options of {@link auditDeviations}. */
export interface AuditOptions {
  /**
   * ISP strategies to try (ids or files, each optionally with parameters: `fixed-toll:perPacket=2`;
   * default: every ISP strategy in the registry). Each plays its own defaults plus the parameters
   * given for it, never the deviator's scenario parameters.
   */
  strategies?: string[] | undefined;
  /** Parameters by strategy (a `--params-file`), under those given inline. */
  params?: ParamsByStrategy | undefined;
  /** Replications (default 5). */
  reps?: number | undefined;
  /** Base seed (default: the scenario's). */
  seed?: number | undefined;
  /** Rounds per run (default: the scenario's). */
  rounds?: number | undefined;
  /** Store file for the runs (default: in memory). */
  store?: string | undefined;
  jobs?: number | undefined;
  /** Worker threads kept across studies (`SweepPool.open`); the caller closes them. */
  pool?: StudyRunOptions["pool"];
  signal?: AbortSignal | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** Another backend for the runs (SLURM); default: they run here. */
  backend?: StudyBackend | undefined;
}

/** One unilateral deviation. */
export interface AuditRow {
  isp: string;
  /** Its strategy in the scenario. */
  from: string;
  to: string;
  /** Mean revenue gain and its 95% CI, money units; null when a run of the deviation failed. */
  gain: number | null;
  ci95: [number, number] | null;
  /** gain / baseline revenue (null when the baseline revenue is 0 or a run failed). */
  relativeGain: number | null;
  profitGain: number | null;
  profitCi95: [number, number] | null;
  /** `pays`: the whole CI is above 0; `loses`: below 0; `unclear`: it holds 0; `failed`: a run failed. */
  verdict: "pays" | "loses" | "unclear" | "failed";
  /** The first error of a failed run. */
  error: string | null;
}

/** The audit's result. */
export interface AuditResult {
  scenario: string;
  scenarioHash: string;
  unit: string;
  experimentId: string;
  reps: number;
  baseSeed: number;
  /** The scenario's profile: strategy id by player. */
  profile: Record<string, string>;
  rows: AuditRow[];
  /** No deviation pays at 95%: the profile is an equilibrium among the strategies tried. */
  equilibrium: boolean;
  /** Deviations that pay, best first. */
  profitable: AuditRow[];
}

/** The audit as an experiment over the scenario (players made explicit in `isps.byNode`). */
export async function auditPlan(loaded: LoadedScenario, options: AuditOptions = {}): Promise<{ plan: SweepPlan; players: string[]; profile: Record<string, string>; strategies: string[] }> {
  const known = await scenarioIsps(loaded);
  const players = resolvePlayers(loaded, known);
  const strategies = options.strategies ?? ISP_STRATEGIES.map((s) => s.id);
  if (strategies.length === 0) throw new TollwayError("no strategies to try", { field: "--strategies" });
  const candidates: Candidate[] = [];
  for (const ref of strategies) candidates.push(await resolveCandidate("isp", toStrategySpec(ref, "--strategies"), loaded, "--strategies", options.params));
  requireParamsUsed(options.params, candidates, "--params-file");
  const ids = candidates.map((c) => c.id);
  const profile = Object.fromEntries(players.map((p) => [p, known.isps.get(p)!.id]));
  const levels: StudyLevel[] = [{ value: "baseline", set: {} }];
  for (const p of players) {
    const current = known.isps.get(p)!;
    for (const c of candidates) {
      if (c.id === current.id && canonicalJson(c.params) === canonicalJson(current.params)) continue;
      levels.push({ value: `${p}:${c.name}`, set: { [`isps.byNode.${p}.strategy`]: c.ref, [`isps.byNode.${p}.params`]: c.params } });
    }
  }
  if (levels.length === 1) throw new TollwayError(`every strategy tried is the one the players already play (${[...new Set(Object.values(profile))].join(", ")})`, { field: "--strategies" });
  // Every player gets an explicit entry in isps.byNode, so that its strategy is a scenario path a level can set.
  const plan = await studyPlan(loaded, {
    name: `audit ${loaded.scenario.name}`, field: "audit", isps: players, reps: options.reps ?? 5, seed: options.seed, rounds: options.rounds,
    factors: [{ name: "deviation", levels }], measures: ["isp_revenue", "welfare"],
  });
  return { plan, players, profile, strategies: ids };
}

/**
 * Runs the audit.
 * @throws TollwayError for a scenario without players, an unknown strategy, or an interrupt.
 */
export async function auditDeviations(loaded: LoadedScenario, options: AuditOptions = {}): Promise<AuditResult> {
  const { plan, profile } = await auditPlan(loaded, options);
  const runs = new Map<string, StudyRun>();
  for (const run of await runStudy(plan, { store: options.store, jobs: options.jobs ?? (options.pool ? undefined : defaultJobs()), pool: options.pool, signal: options.signal, onProgress: options.onProgress, backend: options.backend })) {
    runs.set(`${String(run.point.values.deviation)}#${run.rep}`, run);
  }
  const revenue = (name: string, rep: number, isp: string): { revenue: number; profit: number } => runs.get(`${name}#${rep}`)!.isps[isp]!;
  const reps = plan.replications;
  const baselineFailed = Array.from({ length: reps }, (_, rep) => runs.get(`baseline#${rep}`)).find((r) => r?.status !== "ok");
  if (baselineFailed) throw new TollwayError(`the scenario as written failed: ${baselineFailed.error ?? "not run"}`, { file: loaded.file });
  const auditRows: AuditRow[] = plan.points.slice(1).map((point) => {
    const name = String(point.values.deviation);
    const [isp, to] = [name.slice(0, name.indexOf(":")), name.slice(name.indexOf(":") + 1)];
    const failed = Array.from({ length: reps }, (_, rep) => runs.get(`${name}#${rep}`)).find((r) => r?.status !== "ok");
    if (failed) return { isp, from: profile[isp]!, to, gain: null, ci95: null, relativeGain: null, profitGain: null, profitCi95: null, verdict: "failed", error: failed.error ?? "not run" };
    const gains = Array.from({ length: reps }, (_, rep) => revenue(name, rep, isp).revenue - revenue("baseline", rep, isp).revenue);
    const profits = Array.from({ length: reps }, (_, rep) => revenue(name, rep, isp).profit - revenue("baseline", rep, isp).profit);
    const base = Array.from({ length: reps }, (_, rep) => revenue("baseline", rep, isp).revenue).reduce((s, v) => s + v, 0) / reps;
    const g = meanConfidenceInterval(gains);
    const pg = meanConfidenceInterval(profits);
    const verdict = g.low > 0 ? "pays" : g.high < 0 ? "loses" : "unclear";
    return { isp, from: profile[isp]!, to, gain: g.mean, ci95: [g.low, g.high], relativeGain: base !== 0 ? g.mean / base : null, profitGain: pg.mean, profitCi95: [pg.low, pg.high], verdict, error: null };
  });
  const profitable = auditRows.filter((r) => r.verdict === "pays").sort((a, b) => b.gain! - a.gain!);
  return {
    scenario: loaded.scenario.name, scenarioHash: loaded.hash, unit: loaded.scenario.unit, experimentId: plan.experimentId,
    reps, baseSeed: plan.seed, profile, rows: auditRows, equilibrium: profitable.length === 0, profitable,
  };
}
