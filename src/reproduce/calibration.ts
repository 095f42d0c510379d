/**
 * Calibration of the Table I reproduction (issue 13): which of our parameters move the share of
 * links whose peak stays at or under 50% (paper: 72% static) and the share of users who never
 * switch paths (paper: ≈90%), and the values that fit them.
 *
 * A calibration point is static pricing and one dynamic policy (α = 4 by default) on the same
 * topology, traffic and seed as `reproduce table1`, with one `CalibrationVariant`: the load
 * (arrival rate relative to the paper's 4.26 M flows/s), the duration law's spread σ (its median
 * solved so that flows longer than 256 ms keep 91.66% of the packets, the paper's footnote 1), the
 * round length, the set of source and destination ASes, the congestion price's scale. The grid of
 * points is one sweep (`calibrate`: store, resume, jobs); docs/reproduce-table1.md records the runs.
 */
import { runStudy, type StudyRunOptions } from "../analysis/study-runs.js";
import { TollwayError } from "../errors.js";
import { flowShareAbove, meanDurationSec } from "../mechanisms/pricing/traffic.js";
import { checkScenario } from "../scenario/build.js";
import { parseScenario } from "../scenario/load.js";
import type { PolicyOutcome } from "./outcome.js";
import { policyGridPlan } from "./policy-plan.js";
import { DEFAULT_LOAD, policyScenario, type Policy, type ReproductionOptions } from "./table1.js";
import { variantFlow, type PolicyAxis, type ScenarioVariant } from "./variant.js";

export { durationLawFor, PAPER_PACKET_SHARE, variantFlow } from "./variant.js";

/**
 * Where a piecewise-linear curve through `points` (sorted by x here) first reaches `target`: the
 * x of the first segment whose ends bracket it, interpolated linearly; null when no segment does.
 *
 * @example crossingAt([{ x: 4, y: 90 }, { x: 8, y: 70 }], 72) // 7.6: 90 − 72 = 18 of the 20 points fallen over 4 units of x
 */
export function crossingAt(points: readonly { x: number; y: number }[], target: number): number | null {
  const sorted = [...points].sort((a, b) => a.x - b.x);
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i]!;
    const b = sorted[i + 1]!;
    if (a.y === target) return a.x;
    if ((a.y - target) * (b.y - target) < 0) return a.x + ((target - a.y) * (b.x - a.x)) / (b.y - a.y);
  }
  const last = sorted[sorted.length - 1];
  return last !== undefined && last.y === target ? last.x : null;
}

/**
 * One calibration point: a load and a scenario variant (src/reproduce/variant.ts), with the
 * source ASes given as a count (the `topSources` ASes of highest degree, found on the topology).
 */
export interface CalibrationVariant extends Omit<ScenarioVariant, "sources"> {
  /** Arrival rate relative to the paper's 4.26 M flows/s (default `DEFAULT_LOAD`, 4/3). */
  load?: number;
  /** Draw sources and destinations from the `topSources` ASes of highest degree only (default: all, uniformly). */
  topSources?: number;
}

/** What one calibration point measured, static beside one dynamic policy. */
export interface CalibrationRow {
  load: number;
  durationSigma: number;
  durationMedianSec: number;
  /** E[D] of the duration law, seconds. */
  meanDurationSec: number;
  /** P(D > 2 s), percent: the flows that can outlast the paper's switching horizon. */
  flowsOver2sPct: number;
  roundSeconds: number;
  topSources: number | null;
  demandMeanMbps: number;
  congestionScale: number;
  alpha: number;
  staticLinksUnder50Pct: number;
  dynamicLinksUnder50Pct: number;
  staticMeanPeakPct: number;
  dynamicMeanPeakPct: number;
  dynamicNeverSwitchedPct: number;
  staticBandwidthMbps: number;
  dynamicBandwidthMbps: number;
  staticUnitPrice: number;
  dynamicUnitPrice: number;
  /** Dynamic revenue relative to static, percent. */
  revenueVsStaticPct: number;
  /** Wall-clock seconds of both runs. */
  seconds: number;
}

/** The `count` ASes of highest degree (ties: the lower index first) of the topology `options` runs on. */
export async function topDegreeAses(count: number, options: ReproductionOptions): Promise<string[]> {
  const built = await checkScenario(parseScenario(policyScenario({ kind: "static" }, options), "<static>"));
  const { topology } = built;
  const degree = new Int32Array(topology.nodeIds.length);
  for (let l = 0; l < topology.linkCount; l++) degree[topology.linkFrom[l]!]!++;
  return Array.from(degree.keys()).sort((a, b) => degree[b]! - degree[a]! || a - b).slice(0, count).map((n) => topology.nodeIds[n]!);
}

const meanPeakPct = (o: PolicyOutcome): number => (100 * o.peaks.reduce((s, p) => s + p, 0)) / Math.max(1, o.peaks.length);

/** What one calibration point measured: static pricing `stat` beside dynamic pricing `dyn` under `variant`. Pure. */
export function calibrationRow(variant: CalibrationVariant, alpha: number, stat: PolicyOutcome, dyn: PolicyOutcome): CalibrationRow {
  const flow = variantFlow(variant);
  return {
    load: variant.load ?? DEFAULT_LOAD,
    durationSigma: flow.durationSigma,
    durationMedianSec: flow.durationMedianSec,
    meanDurationSec: meanDurationSec(flow),
    flowsOver2sPct: 100 * flowShareAbove(2, flow),
    roundSeconds: variant.roundSeconds ?? 1,
    topSources: variant.topSources ?? null,
    demandMeanMbps: flow.demandMeanMbps,
    congestionScale: variant.congestionScale ?? 1,
    alpha,
    staticLinksUnder50Pct: stat.linksUnder50Pct,
    dynamicLinksUnder50Pct: dyn.linksUnder50Pct,
    staticMeanPeakPct: meanPeakPct(stat),
    dynamicMeanPeakPct: meanPeakPct(dyn),
    dynamicNeverSwitchedPct: dyn.usersNeverSwitched,
    staticBandwidthMbps: stat.avgBandwidthMbps,
    dynamicBandwidthMbps: dyn.avgBandwidthMbps,
    staticUnitPrice: stat.unitPrice,
    dynamicUnitPrice: dyn.unitPrice,
    revenueVsStaticPct: (100 * (dyn.revenue - stat.revenue)) / stat.revenue,
    seconds: stat.seconds + dyn.seconds,
  };
}

/** The calibration grid: every duration spread × every load (σ slowest), each point with `extra` too. */
export interface CalibrationGrid {
  loads: readonly number[];
  /** Default: the §3 law (no σ factor). */
  sigmas?: readonly number[] | undefined;
  /** The dynamic policy beside static pricing. */
  alpha: number;
  /** What every point shares: round length, source ASes, demand, congestion scale, generator (over `options.variant`). */
  extra?: Omit<CalibrationVariant, "load" | "durationSigma"> | undefined;
}

/**
 * The calibration grid as one sweep of static pricing and dynamic pricing at `alpha` over the
 * factors `durationSigma` (with `sigmas`) and `load`, through the sweep machinery (`policyGridPlan`,
 * `runStudy`): with `store` a rerun runs only the points not yet stored, and `jobs` runs points at
 * once in worker threads (each policy in one thread unless `workers` says otherwise).
 * @returns one row per point, σ-major, in the order of `loads`.
 */
export async function calibrate(grid: CalibrationGrid, options: Omit<ReproductionOptions, "onProgress"> & StudyRunOptions): Promise<CalibrationRow[]> {
  const { store, jobs = 1, signal, onProgress, backend, beforeRun, ...run } = options;
  const { topSources, ...shared } = grid.extra ?? {};
  const sources = topSources !== undefined ? await topDegreeAses(topSources, run) : undefined;
  // Always a variant, so the flow law is written out in every point's scenario (as `reproduce calibrate` always ran it).
  const variant: ScenarioVariant = { ...run.variant, ...shared, ...(sources !== undefined ? { sources } : {}) };
  const { sources: _sources, ...common } = variant;
  const axes: PolicyAxis[] = [
    ...(grid.sigmas !== undefined ? [{ name: "durationSigma", levels: grid.sigmas.map((durationSigma) => ({ value: durationSigma, options: { variant: { durationSigma } } })) }] : []),
    { name: "load", levels: grid.loads.map((load) => ({ value: load, options: { load } })) },
  ];
  const policies: Policy[] = [{ kind: "static" }, { kind: "dynamic", alpha: grid.alpha }];
  const plan = await policyGridPlan("calibrate", { policies, axes }, { ...run, variant, ...(jobs > 1 && run.workers === undefined ? { workers: 1 } : {}) });
  await beforeRun?.();
  const runs = await runStudy(plan, { store, jobs, signal, onProgress, backend });
  const failed = runs.find((r) => r.status !== "ok");
  if (failed !== undefined) throw new TollwayError(`calibration point ${JSON.stringify(failed.point.values)} failed: ${failed.error ?? "no error recorded"}`);
  const rows: CalibrationRow[] = [];
  for (let i = 0; i + 1 < runs.length; i += 2) {
    const values = runs[i]!.point.values;
    rows.push(calibrationRow({
      ...common, ...(topSources !== undefined ? { topSources } : {}), load: values.load as number,
      ...(values.durationSigma !== undefined ? { durationSigma: values.durationSigma as number } : {}),
    }, grid.alpha, runs[i]!.policy!, runs[i + 1]!.policy!));
  }
  return rows;
}

/**
 * The calibrated parameters (docs/reproduce-table1.md, "Calibration") and the paper numbers each
 * was fitted on. `load`: the load at which static pricing leaves 72% of links at or under 50% peak
 * (JP topology, small scale, seed 1: 76.9% at load 10, 72.8% at 12, 72.2% at 12.4).
 * `congestionScale` (a second, optional step): the scale c of dynamic pricing's congestion price
 * at which α = 4's unit price is the paper's 34 PU at the calibrated load (test scale, seed 1:
 * 82.7 PU at c = 1, 34.1 at c = 0.2). A run at these values reports those numbers as "fitted",
 * not as predictions; `--load calibrated` and `--congestion-scale calibrated` select them.
 */
export const CALIBRATION = Object.freeze({
  load: Object.freeze({ value: 12.4, fittedOn: Object.freeze(["linksUnder50Pct:static"]) }),
  congestionScale: Object.freeze({ value: 0.2, fittedOn: Object.freeze(["unitPrice:alpha=4"]) }),
});

/**
 * The prediction ids a run was fitted on: those of each parameter at its calibrated value
 * (no `variant.congestionScale`: the default c = 1, not calibrated).
 *
 * @example fittedIds({ load: 12.4, variant: { congestionScale: 0.2 } }) // ["linksUnder50Pct:static", "unitPrice:alpha=4"]
 */
export function fittedIds(options: Pick<ReproductionOptions, "load" | "variant">): string[] {
  const congestionScale = options.variant?.congestionScale;
  return [
    ...((options.load ?? DEFAULT_LOAD) === CALIBRATION.load.value ? CALIBRATION.load.fittedOn : []),
    ...(congestionScale === CALIBRATION.congestionScale.value ? CALIBRATION.congestionScale.fittedOn : []),
  ];
}
