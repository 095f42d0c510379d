/**
 * The incentive to deviate: one ISP switches strategy while everything else stays as it was —
 * the other ISPs, the users, the traffic and the seeds. For each replication r the scenario runs
 * twice under the same seed, as written (baseline) and with the deviation, and the gain is
 *
 *   gain_r = revenue_isp(deviation, seed_r) − revenue_isp(baseline, seed_r)
 *
 * reported as the mean over replications with a 95% Student t interval (paired design: the
 * shared seed cancels the noise both runs have in common). Bill-Pay §2.1 argues that with fixed
 * tolls and path choice, faking congestion should not pay (gain < 0); with a chokepoint it should.
 */
import { TollwayError } from "../errors.js";
import { meanConfidenceInterval, type IntervalMethod } from "../metrics/stats.js";
import type { LoadedScenario } from "../scenario/load.js";
import type { RowProvenance, StudyProvenance } from "./points.js";
import { parseStrategySpec, requireParamsUsed, type ParamsByStrategy } from "./strategy-spec.js";
import { requireIsp, requireSameNetwork, resolveCandidate, scenarioIsps } from "./match.js";
import { requireRunsOk, runStudy, studyPlan, type StudyRunOptions } from "./study-runs.js";

/**
 * Options of {@link deviationStudy}; isp and to default to the scenario's `deviation`. `store`,
 * `jobs`, `signal` and `onProgress` are those of every study (see study-runs.ts).
 */
export interface DeviationOptions extends StudyRunOptions {
  /** Node id of the deviating ISP. */
  isp?: string | undefined;
  /** Strategy it deviates to, optionally with parameters (`"fake-congestion:fakeToll=5"`, see strategy-spec.ts). */
  to?: string | undefined;
  /** Parameters of the new strategy (over those in `to`); its own defaults fill in the rest — nothing carries over from the ISP's current strategy. */
  params?: Record<string, unknown> | undefined;
  /** Parameters by strategy (ref or id), under those given in `to` and `params`; e.g. a `--params-file`. */
  paramsFile?: ParamsByStrategy | undefined;
  /** Replications (default 10). */
  reps?: number | undefined;
  /** Base seed the replication seeds derive from (default: the scenario's). */
  seed?: number | undefined;
  /** Rounds per run (default: the scenario's). */
  rounds?: number | undefined;
}

/** One replication: a tidy row. */
export interface DeviationRow extends RowProvenance {
  /** Fingerprint of the network both runs played on (the same in every replication). */
  topologyHash: string;
  isp: string;
  from: string;
  fromParams: unknown;
  to: string;
  toParams: unknown;
  baselineRevenue: number;
  deviatedRevenue: number;
  /** deviatedRevenue − baselineRevenue. */
  gain: number;
  baselineProfit: number;
  deviatedProfit: number;
  profitGain: number;
  /** Social welfare and consumer surplus in both runs. */
  baselineWelfare: number;
  deviatedWelfare: number;
  baselineConsumerSurplus: number;
  deviatedConsumerSurplus: number;
  /** Path switches per flow-minute in both runs. */
  baselineSwitchesPerFlowMinute: number;
  deviatedSwitchesPerFlowMinute: number;
}

/** The study's result. The first six fields are what `tollway deviation --json` promises. */
export interface DeviationResult extends StudyProvenance {
  /** Fingerprint of the network every run played on. */
  topologyHash: string;
  isp: string;
  /** The parameters the ISP plays with in the scenario (the baseline). */
  fromParams: unknown;
  /** The parameters the new strategy plays with (its defaults plus those given). */
  toParams: unknown;
  /** The ISP's strategy in the scenario. */
  from: string;
  to: string;
  /** Mean revenue gain over replications, money units. */
  gain: number;
  /** 95% confidence interval of the mean gain. */
  ci95: [number, number];
  /** How `ci95` and `profitCi95` are made: Student t over the paired replications (a gain can take either sign). */
  ciMethod: IntervalMethod;
  /** Mean revenue of the ISP without and with the deviation. */
  baselineRevenue: number;
  deviatedRevenue: number;
  /** gain / baselineRevenue (null when the baseline revenue is 0). */
  relativeGain: number | null;
  /** The same for profit (revenue minus the scenario's cost model). */
  profitGain: number;
  profitCi95: [number, number];
  /** Mean change of social welfare caused by the deviation. */
  welfareChange: number;
  /** Mean change of consumer surplus (users' value minus what ISPs kept). */
  consumerSurplusChange: number;
  rows: DeviationRow[];
}

/**
 * Runs the deviation study.
 * @throws TollwayError when no deviation is given or named in the scenario, the ISP is unknown,
 *   or the strategy is unknown.
 */
export async function deviationStudy(loaded: LoadedScenario, options: DeviationOptions = {}): Promise<DeviationResult> {
  const { scenario } = loaded;
  const isp = options.isp ?? scenario.deviation?.isp;
  const toRef = options.to ?? scenario.deviation?.to;
  if (isp === undefined || toRef === undefined) {
    throw new TollwayError(`no deviation to study: give --isp and --to, or name one in the scenario's "deviation" field`, { file: loaded.file });
  }
  const ispWhere = options.isp !== undefined ? "--isp" : "deviation.isp";
  const toWhere = options.to !== undefined ? "--to" : "deviation.to";
  const known = await scenarioIsps(loaded);
  requireIsp(isp, known, ispWhere);
  const spec = parseStrategySpec(toRef, toWhere);
  spec.params = { ...spec.params, ...(options.to === undefined ? scenario.deviation?.params : undefined), ...options.params };
  const to = await resolveCandidate("isp", spec, loaded, toWhere, options.paramsFile);
  requireParamsUsed(options.paramsFile, [to], "--params-file");
  const reps = options.reps ?? 10;
  const baseSeed = options.seed ?? scenario.seed;
  const from = known.isps.get(isp)!;

  // Two points, the scenario as written and the deviation; replication r of both shares its seed.
  const plan = await studyPlan(loaded, {
    name: `deviation ${scenario.name}`, field: "deviation", isps: [isp], reps, seed: options.seed, rounds: options.rounds, measures: ["isp_revenue", "welfare"],
    factors: [{ name: "deviation", levels: [{ value: "baseline", set: {} }, { value: `${isp}:${to.name}`, set: { [`isps.byNode.${isp}.strategy`]: to.ref, [`isps.byNode.${isp}.params`]: to.params } }] }],
  });
  const results = requireRunsOk(await runStudy(plan, options), loaded.file);
  requireSameNetwork(results, known);

  const rows: DeviationRow[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const base = results[rep]!;
    const dev = results[reps + rep]!;
    const b = base.isps[isp]!;
    const d = dev.isps[isp]!;
    rows.push({
      scenario: scenario.name, scenarioHash: loaded.hash, topologyHash: known.topologyHash, rep, seed: base.seed, isp,
      from: from.id, fromParams: from.params, to: d.strategy, toParams: to.params,
      baselineRevenue: b.revenue, deviatedRevenue: d.revenue, gain: d.revenue - b.revenue,
      baselineProfit: b.profit, deviatedProfit: d.profit, profitGain: d.profit - b.profit,
      baselineWelfare: base.totals.welfare, deviatedWelfare: dev.totals.welfare,
      baselineConsumerSurplus: base.totals.consumerSurplus, deviatedConsumerSurplus: dev.totals.consumerSurplus,
      baselineSwitchesPerFlowMinute: base.totals.switchesPerFlowMinute,
      deviatedSwitchesPerFlowMinute: dev.totals.switchesPerFlowMinute,
    });
  }
  const gain = meanConfidenceInterval(rows.map((r) => r.gain));
  const profit = meanConfidenceInterval(rows.map((r) => r.profitGain));
  const mean = (f: (r: DeviationRow) => number): number => rows.reduce((s, r) => s + f(r), 0) / rows.length;
  const baselineRevenue = mean((r) => r.baselineRevenue);
  return {
    isp, from: from.id, to: rows[0]!.to, gain: gain.mean, ci95: [gain.low, gain.high], reps, ciMethod: "student-t", fromParams: from.params, toParams: to.params,
    unit: scenario.unit, scenario: scenario.name, scenarioHash: loaded.hash, topologyHash: known.topologyHash, baseSeed,
    rounds: options.rounds ?? scenario.rounds,
    baselineRevenue, deviatedRevenue: mean((r) => r.deviatedRevenue),
    relativeGain: baselineRevenue !== 0 ? gain.mean / baselineRevenue : null,
    profitGain: profit.mean, profitCi95: [profit.low, profit.high],
    welfareChange: mean((r) => r.deviatedWelfare - r.baselineWelfare),
    consumerSurplusChange: mean((r) => r.deviatedConsumerSurplus - r.baselineConsumerSurplus),
    rows,
  };
}
