/**
 * Link prices per bandwidth unit for path-based dynamic pricing (pricing paper, sections II-B,
 * IV-A and V), and the two utilities the paper scores them by. Pure functions on numbers;
 * prices are in price units (PU) per bandwidth unit (Mbps in Tollway). Conversion to exact
 * integer money happens where payments are settled, not here.
 *
 * The paper's Equations 3–6 (its congestion price function) are missing from the text; the
 * replacement `congestionPrice` is written out in docs/pricing-model.md.
 */
import { TollwayError } from "../../errors.js";

/**
 * Highest static link price a strategy parameter may set, PU per bandwidth unit (the paper
 * uses 10–35). Money per round is price × moneyPerPU × Mbit carried and must stay a safe
 * integer: at 1000 money units per PU and 500 Gbps links a price of 10^6 PU still fits.
 */
export const MAX_PRICE_PU = 1e6;

/**
 * Largest steepness k of the congestion price: F(1) = c·(e^k − 1), and e^50 ≈ 5·10^21 is
 * already beyond any price money can settle (the paper uses k = 5).
 */
export const MAX_STEEPNESS = 50;

/** Parameters of the congestion price F(u); see `congestionPrice`. */
export interface CongestionParams {
  /** Steepness k of F above the threshold (paper, section IV-A: k = 5). Must be > 0. */
  k: number;
  /** Utilization θ at which F starts to rise (paper: 50%, i.e. 250 of 500 Gbps). In [0, 1). */
  threshold: number;
  /**
   * Scale c of F in price units: F(u) = c · (e^(k·x) − 1) with x = (u − θ)/(1 − θ), so the
   * premium at full use is F(1) = c · (e^k − 1) ≈ 147.41 c for k = 5. Must be ≥ 0.
   */
  scale: number;
}

/**
 * Defaults of the congestion price: k = 5 and θ = 0.5 from the paper (section IV-A), scale
 * 1 PU chosen so that B + F(u) crosses P_static between 61% (α = 2) and 72% (α = 8)
 * utilization and reaches B + 147.4 PU at 100% (the paper's Figure 4: past 50% the dynamic
 * price climbs above the static one).
 */
export const DEFAULT_CONGESTION: Readonly<CongestionParams> = Object.freeze({
  k: 5,
  threshold: 0.5,
  scale: 1,
});

/**
 * The paper's pricing setup (section IV-A, Table I): static link prices drawn from 10–15 PU
 * for the topology runs, P_static = 35 PU for Table I, α ∈ {2, 4, 6}, 500 Gbps links, and
 * the congestion defaults above.
 */
export const PAPER_PRICING = Object.freeze({
  /** P_static of Table I, in PU per bandwidth unit. */
  pStatic: 35,
  /** Range of the random static link price of section IV-A ("from 10 to 15 units"). */
  staticRange: Object.freeze([10, 15] as const),
  /** α = P_static − B values of Table I. */
  alphas: Object.freeze([2, 4, 6] as const),
  /** Capacity of every inter-ISP link, bits per second ("a capacity of 500 Gbps"). */
  capacityBps: 500e9,
  ...DEFAULT_CONGESTION,
});

/** Inputs of `dynamicPrice`; omitted congestion parameters take `DEFAULT_CONGESTION`. */
export interface DynamicPriceInput extends Partial<CongestionParams> {
  /** Link utilization u = load / capacity, ≥ 0; values above 1 are treated as 1. */
  utilization: number;
  /** The link's static price P_static in PU, ≥ 0. */
  pStatic: number;
  /** Discount α = P_static − B of the base price, 0 ≤ α ≤ P_static. */
  alpha: number;
}

/**
 * Static pricing: the link price per bandwidth unit is P_static whatever the load (the
 * "static" column of Table I).
 *
 * @throws TollwayError (`pStatic`) unless pStatic is finite and ≥ 0.
 * @example staticPrice(35) // 35
 */
export function staticPrice(pStatic: number): number {
  requireNumber("pStatic", pStatic, 0);
  return pStatic;
}

/**
 * Base price B = P_static − α, the price of an idle or lightly used link under dynamic pricing
 * (section IV-A: "We denote α ← P_static − B").
 *
 * @throws TollwayError (`pStatic`, `alpha`) unless 0 ≤ α ≤ P_static.
 * @example basePrice(35, 4) // 31
 */
export function basePrice(pStatic: number, alpha: number): number {
  requireNumber("pStatic", pStatic, 0);
  requireNumber("alpha", alpha, 0);
  if (alpha > pStatic) {
    throw new TollwayError(`must be ≤ pStatic (${pStatic}) so that B = pStatic − alpha ≥ 0 (got ${alpha})`, {
      field: "alpha",
    });
  }
  return pStatic - alpha;
}

/**
 * Congestion price F(u), Tollway's replacement for the paper's missing Eq. 3–6:
 *
 *   F(u) = 0                                 for u ≤ θ
 *   F(u) = c · (e^(k · (u − θ)/(1 − θ)) − 1) for θ < u ≤ 1
 *   F(u) = F(1)                              for u > 1
 *
 * Continuous at θ, convex and increasing above it, with k = 5 and θ = 0.5 as in the paper.
 * Utilization above 1 (offered load beyond capacity) is clamped so that the price ceiling is
 * B + F(1) and a transient overload cannot send prices to e^(5u).
 *
 * @throws TollwayError (`utilization`, `k`, `threshold`, `scale`) on out-of-range inputs.
 * @example congestionPrice(0.75) // e^2.5 − 1 ≈ 11.1825
 */
export function congestionPrice(utilization: number, params: Partial<CongestionParams> = {}): number {
  requireNumber("utilization", utilization, 0);
  const { k, threshold, scale } = congestionParams(params);
  if (utilization <= threshold) return 0;
  const x = (Math.min(utilization, 1) - threshold) / (1 - threshold);
  return scale * Math.expm1(k * x);
}

/**
 * Dynamic link price per bandwidth unit, B + F(u) with B = P_static − α: the price an ISP
 * announces for a link at utilization u (the term F_ConPrice + B of Eq. 11, used without
 * smoothing, i.e. s = 1).
 *
 * @throws TollwayError naming the offending field.
 * @example dynamicPrice({ utilization: 0.75, pStatic: 35, alpha: 4 }) // 31 + 11.1825 = 42.1825
 */
export function dynamicPrice(input: DynamicPriceInput): number {
  const base = basePrice(input.pStatic, input.alpha);
  return base + congestionPrice(input.utilization, input);
}

/**
 * Eq. 11, the price with feedback control (section V):
 *
 *   P(t) = (1 − s) · P(t − 1) + s · (F_ConPrice + B)
 *
 * `previous` is P(t − 1), `target` is F_ConPrice + B (e.g. `dynamicPrice(...)`), and s ∈ [0, 1]
 * is the price sensitivity: s = 1 follows the target at once, s = 0 never moves.
 *
 * @throws TollwayError (`previous`, `target`, `s`) on out-of-range inputs.
 * @example smoothedPrice(40, 30, 0.5) // 35
 */
export function smoothedPrice(previous: number, target: number, s: number): number {
  requireNumber("previous", previous, 0);
  requireNumber("target", target, 0);
  requireNumber("s", s, 0, 1);
  return (1 - s) * previous + s * target;
}

/**
 * Utilization u* at which the dynamic price reaches the static price, B + F(u*) = P_static,
 * i.e. F(u*) = α. Inverting F:
 *
 *   u* = θ + (1 − θ) · ln(1 + α / c) / k
 *
 * Returns θ when α = 0 (the prices agree up to θ and the dynamic one is higher after), and
 * null when the dynamic price never reaches P_static at u ≤ 1 (α > F(1)).
 *
 * @example crossingUtilization({ alpha: 2 }) // 0.5 + 0.5 · ln 3 / 5 ≈ 0.6099
 */
export function crossingUtilization(input: { alpha: number } & Partial<CongestionParams>): number | null {
  requireNumber("alpha", input.alpha, 0);
  const { k, threshold, scale } = congestionParams(input);
  if (input.alpha === 0) return threshold;
  if (scale === 0) return null;
  const u = threshold + ((1 - threshold) * Math.log1p(input.alpha / scale)) / k;
  return u <= 1 ? u : null;
}

/** A user's value F_i(x) of bandwidth x (increasing, strictly concave; Eq. 1), in PU. */
export type UtilityFunction = (bandwidth: number) => number;

/**
 * Weight w of the default utility w · ln(1 + x). With it, a user facing a path price p per
 * Mbps wants x* = w/p − 1 Mbps; for a three-link path at Table I's 35 PU per link (p = 105)
 * that is ≈ 8.5 Mbps, the bandwidth Table I reports. An assumption, not from the paper.
 */
export const DEFAULT_UTILITY_WEIGHT = 1000;

/**
 * Default utility of bandwidth, F(x) = w · ln(1 + x) with x in Mbps: increasing, strictly
 * concave and twice differentiable as Eq. 1 requires, and 0 at x = 0. The paper leaves F_i
 * unspecified (it cites [17], [18]); the logarithm is the classic proportional-fairness choice.
 *
 * @example logUtility(9) // 1000 · ln 10 ≈ 2302.585
 */
export function logUtility(bandwidth: number, weight: number = DEFAULT_UTILITY_WEIGHT): number {
  requireNumber("bandwidth", bandwidth, 0);
  requireNumber("weight", weight, 0);
  return weight * Math.log1p(bandwidth);
}

/**
 * Bandwidth that maximizes w · ln(1 + x) − x · p: x* = max(0, w/p − 1). What a user with the
 * default utility would send at path price p per unit (infinite when p = 0).
 *
 * @example preferredBandwidth(105) // 1000/105 − 1 ≈ 8.524
 */
export function preferredBandwidth(pricePerUnit: number, weight: number = DEFAULT_UTILITY_WEIGHT): number {
  requireNumber("pricePerUnit", pricePerUnit, 0);
  requireNumber("weight", weight, 0);
  if (pricePerUnit === 0) return weight > 0 ? Infinity : 0;
  return Math.max(0, weight / pricePerUnit - 1);
}

/**
 * One user's term of Eq. 1, F_i(x) − x · p: value of bandwidth x minus what it pays at path
 * price p per bandwidth unit. Negative when the payment exceeds the value (section II-B).
 *
 * @example userUtility(9, 100) // 1000 · ln 10 − 900 ≈ 1402.585
 */
export function userUtility(
  bandwidth: number,
  pricePerUnit: number,
  utility: UtilityFunction = logUtility,
): number {
  requireNumber("bandwidth", bandwidth, 0);
  requireNumber("pricePerUnit", pricePerUnit, 0);
  return utility(bandwidth) - bandwidth * pricePerUnit;
}

/**
 * One user's term of Eq. 2, x · p: what the ISPs on the path receive for bandwidth x at price
 * p per unit in one time slot. Summed over users and slots it is the paper's revenue R.
 *
 * @example ispRevenue(9, 35) // 315
 */
export function ispRevenue(bandwidth: number, pricePerUnit: number): number {
  requireNumber("bandwidth", bandwidth, 0);
  requireNumber("pricePerUnit", pricePerUnit, 0);
  return bandwidth * pricePerUnit;
}

/**
 * Checks congestion parameters and fills omitted ones from `DEFAULT_CONGESTION`.
 *
 * @throws TollwayError (`k`: must be > 0; `threshold`: must be in [0, 1); `scale`: must be ≥ 0).
 */
export function congestionParams(params: Partial<CongestionParams>): CongestionParams {
  const k = params.k ?? DEFAULT_CONGESTION.k;
  const threshold = params.threshold ?? DEFAULT_CONGESTION.threshold;
  const scale = params.scale ?? DEFAULT_CONGESTION.scale;
  if (!Number.isFinite(k) || k <= 0) throw new TollwayError(`must be > 0 (got ${k})`, { field: "k" });
  if (!Number.isFinite(threshold) || threshold < 0 || threshold >= 1) {
    throw new TollwayError(`must be in [0, 1) (got ${threshold})`, { field: "threshold" });
  }
  requireNumber("scale", scale, 0);
  return { k, threshold, scale };
}

function requireNumber(field: string, value: number, min: number, max?: number): void {
  if (!Number.isFinite(value)) throw new TollwayError(`must be a finite number (got ${value})`, { field });
  if (value < min) throw new TollwayError(`must be ≥ ${min} (got ${value})`, { field });
  if (max !== undefined && value > max) throw new TollwayError(`must be ≤ ${max} (got ${value})`, { field });
}
