/**
 * Calibration of the Table I reproduction (issue 13): which of our parameters move the share of
 * links whose peak stays at or under 50% (paper: 72% static) and the share of users who never
 * switch paths (paper: ≈90%), and the values that fit them.
 *
 * A calibration point is static pricing and one dynamic policy (α = 4 by default) run through
 * `runPolicies` on the same topology, traffic and seed as `reproduce table1`, with one
 * `CalibrationVariant` applied to the scenario: the load (arrival rate relative to the paper's
 * 4.26 M flows/s), the duration law's spread σ (its median solved so that flows longer than
 * 256 ms keep 91.66% of the packets, the paper's footnote 1), the round length, or the set of
 * source and destination ASes. docs/reproduce-table1.md records the runs.
 */
import { TollwayError } from "../errors.js";
import { DEFAULT_FLOW, flowShareAbove, meanDurationSec, packetShareAbove, type FlowParams } from "../mechanisms/pricing/traffic.js";
import { buildScenario } from "../scenario/build.js";
import { parseScenario } from "../scenario/load.js";
import type { ScenarioInput } from "../scenario/schema.js";
import type { PolicyOutcome } from "./outcome.js";
import { DEFAULT_LOAD, policyScenario, runPolicies, type Policy, type ReproductionOptions } from "./table1.js";

/** The paper's footnote 1: flows longer than 256 ms carry 91.66% of the packets. */
export const PAPER_PACKET_SHARE = Object.freeze({ thresholdSec: 0.256, share: 0.9166 });

/**
 * The duration law with log-scale spread `sigma` whose median puts `PAPER_PACKET_SHARE` of the
 * packets in flows longer than 256 ms; every other field as in `base`. The share grows with the
 * median (a longer median moves packets above any threshold), so the median is found by
 * bisection on its logarithm, to 1e-12 relative.
 *
 * @throws TollwayError (`durationSigma`) when σ is not a finite number > 0 (at σ = 0 every flow has
 *   the median's length and the share is 0 or 1, never 91.66%).
 * @example durationLawFor(2.15).durationMedianSec // ≈ 0.0499, the default law's 0.05 s to 3 digits
 */
export function durationLawFor(sigma: number, base: FlowParams = DEFAULT_FLOW): FlowParams {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new TollwayError(`must be a finite number > 0 (got ${sigma})`, { field: "durationSigma" });
  const { thresholdSec, share } = PAPER_PACKET_SHARE;
  let lo = Math.log(1e-9);
  let hi = Math.log(base.maxDurationSec);
  const shareAt = (logMedian: number) => packetShareAbove(thresholdSec, { ...base, durationSigma: sigma, durationMedianSec: Math.exp(logMedian) });
  if (shareAt(hi) < share) throw new TollwayError(`no median up to maxDurationSec ${base.maxDurationSec} s puts ${share} of packets above ${thresholdSec} s`, { field: "durationSigma" });
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (shareAt(mid) < share) lo = mid;
    else hi = mid;
  }
  return { ...base, durationSigma: sigma, durationMedianSec: Math.exp((lo + hi) / 2) };
}

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

/** One change to the reproduction's scenario. Left-out fields keep `reproduce table1`'s values. */
export interface CalibrationVariant {
  /** Arrival rate relative to the paper's 4.26 M flows/s (default `DEFAULT_LOAD`, 4/3). */
  load?: number;
  /** Duration spread σ; the median is solved by `durationLawFor` (default: the §3 law, σ 2.15, median 50 ms). */
  durationSigma?: number;
  /** Round length, seconds: price updates and the peak-utilization window (default 1). The run keeps its simulated seconds. */
  roundSeconds?: number;
  /** Draw sources and destinations from the `topSources` ASes of highest degree only (default: all, uniformly). */
  topSources?: number;
  /** Mean demanded rate, Mbps (default 10). */
  demandMeanMbps?: number;
  /** Scale c of the congestion price F(u) = c · (e^(k(u − θ)/(1 − θ)) − 1) of dynamic pricing, PU (default 1). */
  congestionScale?: number;
  /** Run on the built-in generator at this many ASes instead of the CAIDA file (same capacity per link). */
  generatedNodes?: number;
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

/** The flow law of `variant`, or undefined for the default one. */
export function variantFlow(variant: CalibrationVariant): FlowParams {
  const law = variant.durationSigma !== undefined ? durationLawFor(variant.durationSigma) : { ...DEFAULT_FLOW };
  return variant.demandMeanMbps !== undefined ? { ...law, demandMeanMbps: variant.demandMeanMbps } : law;
}

/**
 * The `adjustScenario` of `variant`: flow law, round length (rounds scaled so the simulated
 * seconds stay the same) and source ASes. `sources` is the list of AS ids to draw from.
 */
export function adjustFor(variant: CalibrationVariant, sources?: readonly string[]): (scenario: ScenarioInput) => ScenarioInput {
  const flow = variantFlow(variant);
  return (scenario) => {
    const round = variant.roundSeconds ?? 1;
    const seconds = (scenario.rounds ?? 0) * (scenario.roundSeconds ?? 1);
    const rounds = Math.max(1, Math.round(seconds / round));
    const topology = variant.generatedNodes !== undefined && scenario.topology !== undefined && "capacityBps" in scenario.topology
      ? { kind: "generated" as const, nodes: variant.generatedNodes, capacityBps: scenario.topology.capacityBps! }
      : scenario.topology;
    const isp = scenario.isps?.default;
    const isps = variant.congestionScale !== undefined && isp !== undefined && isp.strategy === "dynamic-price"
      ? { ...scenario.isps, default: { ...isp, params: { ...isp.params, scale: variant.congestionScale } } }
      : scenario.isps;
    return {
      ...scenario,
      ...(topology !== undefined ? { topology } : {}),
      ...(isps !== undefined ? { isps } : {}),
      rounds,
      roundSeconds: round,
      traffic: { ...scenario.traffic!, flow, ...(sources !== undefined ? { nodes: [...sources] } : {}) },
    };
  };
}

/** The `count` ASes of highest degree (ties: the lower index first) of the topology `options` runs on. */
export async function topDegreeAses(count: number, options: ReproductionOptions): Promise<string[]> {
  const built = await buildScenario(parseScenario(policyScenario({ kind: "static" }, options), "<static>"));
  const { topology } = built;
  const degree = new Int32Array(topology.nodeIds.length);
  for (let l = 0; l < topology.linkCount; l++) degree[topology.linkFrom[l]!]!++;
  return Array.from(degree.keys()).sort((a, b) => degree[b]! - degree[a]! || a - b).slice(0, count).map((n) => topology.nodeIds[n]!);
}

const meanPeakPct = (o: PolicyOutcome): number => (100 * o.peaks.reduce((s, p) => s + p, 0)) / Math.max(1, o.peaks.length);

/** Runs static pricing and dynamic pricing at `alpha` under `variant` and measures both. */
export async function runCalibrationPoint(variant: CalibrationVariant, alpha: number, options: ReproductionOptions): Promise<CalibrationRow> {
  const load = variant.load ?? options.load ?? DEFAULT_LOAD;
  const sources = variant.topSources !== undefined ? await topDegreeAses(variant.topSources, options) : undefined;
  const policies: Policy[] = [{ kind: "static" }, { kind: "dynamic", alpha }];
  const started = performance.now();
  const [stat, dyn] = (await runPolicies(policies, { ...options, load, adjustScenario: adjustFor(variant, sources) })) as [PolicyOutcome, PolicyOutcome];
  const flow = variantFlow(variant);
  return {
    load,
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
    seconds: (performance.now() - started) / 1000,
  };
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
 * (`congestionScale` undefined: the default c = 1, not calibrated).
 *
 * @example fittedIds({ load: 12.4 }, 0.2) // ["linksUnder50Pct:static", "unitPrice:alpha=4"]
 */
export function fittedIds(options: Pick<ReproductionOptions, "load">, congestionScale?: number): string[] {
  return [
    ...((options.load ?? DEFAULT_LOAD) === CALIBRATION.load.value ? CALIBRATION.load.fittedOn : []),
    ...(congestionScale === CALIBRATION.congestionScale.value ? CALIBRATION.congestionScale.fittedOn : []),
  ];
}
