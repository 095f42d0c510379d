/**
 * Traffic for the pricing paper's evaluation (section IV-A): flows arrive as a Poisson process,
 * pick source and destination ISPs uniformly, last a heavy-tailed time and ask for a rate.
 *
 * The paper's flow-duration distribution (its Figure 3, "according to the survey [16]") is not
 * in the text; the only number it gives is that flows longer than 256 ms carry 91.66% of the
 * packets (footnote 1, Trammell & Schatzmann). Tollway uses a capped lognormal whose
 * parameters reproduce that share; `packetShareAbove` computes it in closed form. Everything
 * is a pure function of a seeded `Rng`; the bulk generator writes typed arrays, so a
 * paper-scale slot (millions of flows) allocates no per-flow objects.
 */
import type { Rng } from "../../engine/random.js";
import { TollwayError } from "../../errors.js";
import { poissonCount } from "./poisson.js";
import { normalCdf } from "./special.js";

export { poissonCount } from "./poisson.js";

/** Shape of one flow: a duration law and a demanded-rate law, both capped lognormals. */
export interface FlowParams {
  /** Median flow duration e^μ in seconds (> 0). Default 0.05 s. */
  durationMedianSec: number;
  /** Log-scale standard deviation σ of the duration (≥ 0). Default 2.15. */
  durationSigma: number;
  /** Longest flow in seconds; longer draws are cut to it (> 0). Default 300 s. */
  maxDurationSec: number;
  /** Mean of the uncapped demanded rate in Mbps (> 0). Default 10 Mbps. */
  demandMeanMbps: number;
  /** Log-scale standard deviation of the demanded rate (≥ 0). Default 1. */
  demandSigma: number;
  /** Highest demanded rate in Mbps; higher draws are cut to it (> 0). Default 1000 Mbps. */
  maxDemandMbps: number;
}

/**
 * Default flow law, chosen for the paper (derivation in docs/pricing-model.md):
 *
 * - duration D = min(e^(μ + σZ), 300 s) with e^μ = 50 ms and σ = 2.15: flows longer than
 *   256 ms carry 91.67% of the packets (the paper's 91.66%); mean 0.498 s; 77.6% of flows
 *   are shorter than 256 ms and 4.3% longer than 2 s (the paper's path-switching horizon);
 *   2.6e-5 of flows are cut at 300 s.
 * - demanded rate R = min(e^(μ_R + σ_R Z'), 1000 Mbps), σ_R = 1, μ_R = ln 10 − σ_R²/2: mean
 *   10 Mbps (median 6.07 Mbps), a little above the 8.2–9.1 Mbps flows achieve in Table I.
 *   Z and Z' are independent, so a flow's rate does not depend on its duration.
 */
export const DEFAULT_FLOW: Readonly<FlowParams> = Object.freeze({
  durationMedianSec: 0.05,
  durationSigma: 2.15,
  maxDurationSec: 300,
  demandMeanMbps: 10,
  demandSigma: 1,
  maxDemandMbps: 1000,
});

/**
 * The paper's traffic (section IV-A). The survey [16] counts 10,000–20,000 concurrent flows
 * per /16 (65,534 hosts) in a 5-second window; JPNIC's 93,059,006 hosts are 1,420 such blocks,
 * so 14.2–28.4 million flows per 5 s. The paper picks 21,300,000 per 5 s ("21,300,00" in the
 * text is a typo), i.e. 4,260,000 flows per second, with uniform sources and destinations
 * over the 615 JPNIC ISPs.
 */
export const PAPER_TRAFFIC = Object.freeze({
  /** Flow arrival rate λ, flows per second, over the whole network. */
  ratePerSec: 4_260_000,
  /** Flows per 5-second window that the rate is derived from. */
  flowsPerWindow: 21_300_000,
  /** The survey's window, seconds. */
  windowSec: 5,
  /** Hosts managed by JPNIC. */
  hosts: 93_059_006,
  /** Hosts per /16 block as the paper counts them. */
  hostsPerSlash16: 65_534,
  /** Concurrent flows per /16 in one window, low and high end of the survey. */
  flowsPerSlash16: Object.freeze([10_000, 20_000] as const),
  /** ISPs (nodes) in the paper's topology. */
  nodes: 615,
  /** Per-flow duration and rate law. */
  flow: DEFAULT_FLOW,
});

/** One flow's draw. */
export interface Flow {
  /** How long the flow lasts, seconds, in (0, maxDurationSec]. */
  durationSec: number;
  /** Rate the flow asks for, Mbps, in (0, maxDemandMbps]. */
  demandMbps: number;
}

/** What `generateArrivals` needs for one slot. */
export interface ArrivalParams {
  /** Poisson arrival rate λ, flows per second, ≥ 0. */
  ratePerSec: number;
  /** Slot length in seconds, > 0; the slot's count is Poisson(λ · slotSec). */
  slotSec: number;
  /** Number of nodes (ISPs); sources and destinations are uniform over 0..nodes−1, ≥ 2. */
  nodes: number;
  /** Flow law; `DEFAULT_FLOW` when omitted. */
  flow?: FlowParams;
}

/**
 * One slot's arrivals as parallel typed arrays. Entries 0..count−1 are the flows; the arrays
 * may be longer (reused buffers), and entries past `count` are stale.
 */
export interface ArrivalBatch {
  /** Flows that arrived in the slot. */
  count: number;
  /** Source node index. */
  src: Int32Array;
  /** Destination node index, never equal to `src`. */
  dst: Int32Array;
  /** Arrival time within the slot, seconds, ascending, in [0, slotSec). */
  startSec: Float64Array;
  /** Flow duration, seconds. */
  durationSec: Float64Array;
  /** Demanded rate, Mbps. */
  demandMbps: Float64Array;
}

/**
 * Checks a flow law.
 *
 * @throws TollwayError naming the field, e.g. `durationSigma: must be ≥ 0 (got -1)`.
 */
export function validateFlowParams(params: FlowParams): void {
  positive("durationMedianSec", params.durationMedianSec);
  atLeastZero("durationSigma", params.durationSigma);
  positive("maxDurationSec", params.maxDurationSec);
  positive("demandMeanMbps", params.demandMeanMbps);
  atLeastZero("demandSigma", params.demandSigma);
  positive("maxDemandMbps", params.maxDemandMbps);
}

/**
 * Share of all packets carried by flows longer than `thresholdSec`, when a flow's packets are
 * proportional to duration × rate and rate is independent of duration:
 *
 *   share(t) = E[D; D > t] / E[D],   D = min(X, c),  X ~ LogNormal(μ, σ)
 *
 * with, for 0 < t < c, m = e^(μ + σ²/2) and Φ the standard normal CDF,
 *
 *   E[D]        = m Φ((ln c − μ − σ²)/σ) + c Φ(−(ln c − μ)/σ)
 *   E[D; D > t] = m [Φ((ln c − μ − σ²)/σ) − Φ((ln t − μ − σ²)/σ)] + c Φ(−(ln c − μ)/σ)
 *
 * The paper's footnote 1 is share(0.256 s) = 0.9166; the defaults give 0.91667.
 *
 * @example packetShareAbove(0.256) // ≈ 0.9167
 */
export function packetShareAbove(thresholdSec: number, params: FlowParams = DEFAULT_FLOW): number {
  atLeastZero("thresholdSec", thresholdSec);
  validateFlowParams(params);
  const c = params.maxDurationSec;
  if (thresholdSec >= c) return 0;
  const sigma = params.durationSigma;
  if (sigma === 0) return Math.min(params.durationMedianSec, c) > thresholdSec ? 1 : 0;
  const mu = Math.log(params.durationMedianSec);
  const m = Math.exp(mu + (sigma * sigma) / 2);
  const capTail = c * normalCdf(-(Math.log(c) - mu) / sigma);
  const belowCap = m * normalCdf((Math.log(c) - mu - sigma * sigma) / sigma);
  const belowT = thresholdSec === 0 ? 0 : m * normalCdf((Math.log(thresholdSec) - mu - sigma * sigma) / sigma);
  return (belowCap - belowT + capTail) / (belowCap + capTail);
}

/**
 * Share of flows (not packets) longer than `thresholdSec`: P(D > t) = Φ(−(ln t − μ)/σ) for
 * t below the cap, 0 at or above it.
 *
 * @example flowShareAbove(2) // ≈ 0.043, the flows that outlast the paper's 2 s switching horizon
 */
export function flowShareAbove(thresholdSec: number, params: FlowParams = DEFAULT_FLOW): number {
  atLeastZero("thresholdSec", thresholdSec);
  validateFlowParams(params);
  if (thresholdSec >= params.maxDurationSec) return 0;
  if (thresholdSec === 0) return 1;
  const sigma = params.durationSigma;
  if (sigma === 0) return params.durationMedianSec > thresholdSec ? 1 : 0;
  return normalCdf(-(Math.log(thresholdSec) - Math.log(params.durationMedianSec)) / sigma);
}

/**
 * Mean flow duration E[D] of the capped lognormal (formula in `packetShareAbove`). Times the
 * arrival rate it gives the number of flows in progress at once (Little's law): about
 * 4,260,000 × 0.498 ≈ 2.12 million at paper scale.
 *
 * @example meanDurationSec() // ≈ 0.4976
 */
export function meanDurationSec(params: FlowParams = DEFAULT_FLOW): number {
  validateFlowParams(params);
  return cappedLognormalMean(Math.log(params.durationMedianSec), params.durationSigma, params.maxDurationSec);
}

/**
 * Mean demanded rate E[R] of the capped lognormal rate law, Mbps; equals `demandMeanMbps` up
 * to what the cap removes (about 4e-6 relative for the defaults: 9.99996 Mbps).
 *
 * @example meanDemandMbps() // ≈ 10
 */
export function meanDemandMbps(params: FlowParams = DEFAULT_FLOW): number {
  validateFlowParams(params);
  const sigma = params.demandSigma;
  return cappedLognormalMean(Math.log(params.demandMeanMbps) - (sigma * sigma) / 2, sigma, params.maxDemandMbps);
}

/**
 * Draws one flow: two uniforms u₁, u₂ → a Box–Muller pair (Z, Z') → duration
 * min(e^(μ + σZ), cap) and rate min(e^(μ_R + σ_R Z'), cap_R). Advances `rng` by exactly two
 * draws; `generateArrivals` uses the same arithmetic per flow without allocating.
 *
 * @throws TollwayError naming the flow field when `params` is out of range.
 * @example sampleFlow(createRng(1)) // { durationSec: …, demandMbps: … }
 */
export function sampleFlow(rng: Rng, params: FlowParams = DEFAULT_FLOW): Flow {
  validateFlowParams(params);
  const { muD, sigmaD, capD, muR, sigmaR, capR } = compileLaw(params);
  const { z0, z1 } = normalPair(rng);
  return {
    durationSec: Math.min(Math.exp(muD + sigmaD * z0), capD),
    demandMbps: Math.min(Math.exp(muR + sigmaR * z1), capR),
  };
}

/**
 * Typed-array buffers for `generateArrivals`, all of length `capacity`, count 0.
 *
 * @throws TollwayError (`capacity`) unless capacity is a non-negative integer.
 */
export function createArrivalBuffers(capacity: number): ArrivalBatch {
  if (!Number.isInteger(capacity) || capacity < 0) {
    throw new TollwayError(`must be an integer ≥ 0 (got ${capacity})`, { field: "capacity" });
  }
  return {
    count: 0,
    src: new Int32Array(capacity),
    dst: new Int32Array(capacity),
    startSec: new Float64Array(capacity),
    durationSec: new Float64Array(capacity),
    demandMbps: new Float64Array(capacity),
  };
}

/**
 * One time slot of a Poisson arrival process, written into typed arrays.
 *
 * Draw order (part of the reproducibility contract): the count n ~ Poisson(λ · slotSec)
 * (`poissonCount`); n + 1 exponential spacings that place the n arrival times as sorted
 * uniform order statistics in [0, slotSec) (the arrival times of a Poisson process given its
 * count); then for each flow in time order its source (uniform over nodes), its destination
 * (uniform over the other nodes) and its duration and rate (`sampleFlow`).
 *
 * `into` is reused when it holds at least n entries; otherwise fresh arrays of length
 * max(n, 2 × old length) are returned. The returned batch is `into` itself when reused.
 *
 * @throws TollwayError naming the field (`ratePerSec`, `slotSec`, `nodes`, or a flow field).
 * @example generateArrivals(createRng(1), { ratePerSec: 4_260_000, slotSec: 1, nodes: 615 })
 */
export function generateArrivals(rng: Rng, params: ArrivalParams, into?: ArrivalBatch): ArrivalBatch {
  atLeastZero("ratePerSec", params.ratePerSec);
  positive("slotSec", params.slotSec);
  const nodes = params.nodes;
  if (!Number.isInteger(nodes) || nodes < 2 || nodes > 0x7fffffff) {
    throw new TollwayError(`must be an integer from 2 to 2^31 − 1 (got ${nodes})`, { field: "nodes" });
  }
  const flow = params.flow ?? DEFAULT_FLOW;
  validateFlowParams(flow);
  const { muD, sigmaD, capD, muR, sigmaR, capR } = compileLaw(flow);

  const slot = params.slotSec;
  const count = poissonCount(rng, params.ratePerSec * slot);
  const out = into !== undefined && into.src.length >= count
    ? into
    : createArrivalBuffers(Math.max(count, 2 * (into?.src.length ?? 0)));
  out.count = count;

  const { src, dst, startSec, durationSec, demandMbps } = out;
  // Sorted uniforms via exponential spacings: S_i = E_0 + … + E_i, offset_i = slot · S_i / S_n.
  let total = 0;
  for (let i = 0; i < count; i++) {
    total -= Math.log(1 - rng.random());
    startSec[i] = total;
  }
  total -= Math.log(1 - rng.random());
  const latest = slot * (1 - Number.EPSILON);
  for (let i = 0; i < count; i++) {
    const offset = total > 0 ? (slot * startSec[i]!) / total : 0;
    startSec[i] = offset < latest ? offset : latest;
  }

  for (let i = 0; i < count; i++) {
    const s = rng.int(nodes);
    const d = rng.int(nodes - 1);
    src[i] = s;
    dst[i] = d >= s ? d + 1 : d;
    // Box–Muller inline (same arithmetic as `normalPair`) to keep the loop allocation-free.
    const radius = Math.sqrt(-2 * Math.log(1 - rng.random()));
    const angle = 2 * Math.PI * rng.random();
    durationSec[i] = Math.min(Math.exp(muD + sigmaD * (radius * Math.cos(angle))), capD);
    demandMbps[i] = Math.min(Math.exp(muR + sigmaR * (radius * Math.sin(angle))), capR);
  }
  return out;
}

/** Log-scale location, scale and cap of the duration (D) and rate (R) lognormals. */
export interface CompiledLaw {
  muD: number;
  sigmaD: number;
  capD: number;
  muR: number;
  sigmaR: number;
  capR: number;
}

/** A flow law as the samplers use it: log-scale locations and scales, and the caps. */
export function compileLaw(params: FlowParams): CompiledLaw {
  const sigmaR = params.demandSigma;
  return {
    muD: Math.log(params.durationMedianSec),
    sigmaD: params.durationSigma,
    capD: params.maxDurationSec,
    muR: Math.log(params.demandMeanMbps) - (sigmaR * sigmaR) / 2,
    sigmaR,
    capR: params.maxDemandMbps,
  };
}

/** Two independent standard normals from two uniforms (Box–Muller; 1 − u keeps the log finite). */
function normalPair(rng: Rng): { z0: number; z1: number } {
  const radius = Math.sqrt(-2 * Math.log(1 - rng.random()));
  const angle = 2 * Math.PI * rng.random();
  return { z0: radius * Math.cos(angle), z1: radius * Math.sin(angle) };
}

/** E[min(X, c)] for X ~ LogNormal(μ, σ); σ = 0 is the point mass at e^μ. */
function cappedLognormalMean(mu: number, sigma: number, cap: number): number {
  if (sigma === 0) return Math.min(Math.exp(mu), cap);
  const m = Math.exp(mu + (sigma * sigma) / 2);
  const lnCap = Math.log(cap);
  return m * normalCdf((lnCap - mu - sigma * sigma) / sigma) + cap * normalCdf(-(lnCap - mu) / sigma);
}

function positive(field: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new TollwayError(`must be a finite number > 0 (got ${value})`, { field });
  }
}

function atLeastZero(field: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new TollwayError(`must be a finite number ≥ 0 (got ${value})`, { field });
  }
}
