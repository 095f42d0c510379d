/**
 * A variant of the Table I reproduction's scenario, as plain data (issue 13's calibration and
 * "why" runs): the duration law's spread, the round length, the source ASes, the mean demanded
 * rate, the congestion price's scale, the generator instead of the CAIDA file. `policyScenario`
 * applies it to every policy through {@link applyVariant}, the one place it is applied; being
 * data, it travels with a policy's run to a worker thread and into a SLURM array's plan file.
 *
 * Apart from calibration.ts (which runs the reproduction) so that table1.ts can import it
 * without an import cycle.
 */
import { z } from "zod";
import { TollwayError } from "../errors.js";
import { DEFAULT_FLOW, packetShareAbove, type FlowParams } from "../mechanisms/pricing/traffic.js";
import type { ScenarioInput } from "../scenario/schema.js";
import { securitySchema } from "../scenario/security-schema.js";

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
 * A change to every policy's scenario. Left-out fields keep `reproduce table1`'s values. The
 * load is not here: it is the reproduction's own option (`ReproductionOptions.load`).
 */
export const scenarioVariantSchema = z.strictObject({
  /** Duration spread σ; the median is solved by `durationLawFor` (default: the §3 law, σ 2.15, median 50 ms). */
  durationSigma: z.number().positive().optional(),
  /** Round length, seconds: price updates and the peak-utilization window (default 1). The run keeps its simulated seconds. */
  roundSeconds: z.number().positive().optional(),
  /** Draw sources and destinations from these ASes only (default: all, uniformly); `topDegreeAses` picks the largest. */
  sources: z.array(z.string().min(1)).min(2).optional(),
  /** Mean demanded rate, Mbps (default 10). */
  demandMeanMbps: z.number().positive().optional(),
  /** Scale c of the congestion price F(u) = c · (e^(k(u − θ)/(1 − θ)) − 1) of dynamic pricing, PU (default 1). */
  congestionScale: z.number().min(0).optional(),
  /** Run on the built-in generator at this many ASes instead of the CAIDA file (same capacity per link). */
  generatedNodes: z.number().int().min(2).optional(),
  /** The generated network's own seed (the structure), whatever the run's seed (default: the generator's). */
  generatedSeed: z.number().int().min(0).optional(),
  /** The scenario's `security` section (price beacons, in-path updates, authenticated payments). */
  security: securitySchema.optional(),
});
export type ScenarioVariant = z.infer<typeof scenarioVariantSchema>;

/** The flow law of `variant`: the default one unless it sets σ or the demand. */
export function variantFlow(variant: ScenarioVariant): FlowParams {
  const law = variant.durationSigma !== undefined ? durationLawFor(variant.durationSigma) : { ...DEFAULT_FLOW };
  return variant.demandMeanMbps !== undefined ? { ...law, demandMeanMbps: variant.demandMeanMbps } : law;
}

/**
 * `scenario` with `variant` applied: the flow law (written out in full, also when it is the
 * default), the round length (rounds scaled so that the simulated seconds stay the same), the
 * source ASes, the generator for a CAIDA file, and the congestion scale of dynamic pricing
 * (static pricing has none). Pure.
 *
 * @example applyVariant({ rounds: 20, roundSeconds: 1, ... }, { roundSeconds: 0.5 }).rounds // 40: 20 s in rounds of 0.5 s
 */
export function applyVariant(scenario: ScenarioInput, variant: ScenarioVariant): ScenarioInput {
  const flow = variantFlow(variant);
  const round = variant.roundSeconds ?? 1;
  const seconds = (scenario.rounds ?? 0) * (scenario.roundSeconds ?? 1);
  const rounds = Math.max(1, Math.round(seconds / round));
  const resized = variant.generatedNodes !== undefined && scenario.topology !== undefined && "capacityBps" in scenario.topology
    ? { kind: "generated" as const, nodes: variant.generatedNodes, capacityBps: scenario.topology.capacityBps! }
    : scenario.topology;
  const topology = variant.generatedSeed !== undefined && resized?.kind === "generated" ? { ...resized, seed: variant.generatedSeed } : resized;
  const isp = scenario.isps?.default;
  const isps = variant.congestionScale !== undefined && isp !== undefined && isp.strategy === "dynamic-price"
    ? { ...scenario.isps, default: { ...isp, params: { ...isp.params, scale: variant.congestionScale } } }
    : scenario.isps;
  return {
    ...scenario,
    ...(topology !== undefined ? { topology } : {}),
    ...(isps !== undefined ? { isps } : {}),
    ...(variant.security !== undefined ? { security: variant.security } : {}),
    rounds,
    roundSeconds: round,
    traffic: { ...scenario.traffic!, flow, ...(variant.sources !== undefined ? { nodes: [...variant.sources] } : {}) },
  };
}

/** What one cell of a policy grid changes in the reproduction's options: its load, its scenario variant. */
export const cellOptionsSchema = z.strictObject({
  load: z.number().positive().optional(),
  variant: scenarioVariantSchema.optional(),
});
export type CellOptions = z.infer<typeof cellOptionsSchema>;

/** A factor of a policy grid before the policy, e.g. `load`: each level a number and what it changes. */
export const policyAxisSchema = z.strictObject({
  name: z.string().min(1).refine((n) => n !== "policy" && n !== "seed", { message: "policy and seed are the grid's own factors" }),
  levels: z.array(z.strictObject({ value: z.number(), options: cellOptionsSchema })).min(1),
});
export type PolicyAxis = z.infer<typeof policyAxisSchema>;
