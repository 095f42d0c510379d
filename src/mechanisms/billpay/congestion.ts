/**
 * How an honest ISP sets its congestion toll (Bill-Pay §2.1 leaves congestion pricing open):
 * proportional to the excess of last round's offered load over a threshold, so the toll is zero
 * on an uncongested link and grows with the demand that cannot be carried.
 *
 *   toll = round(unitsPerOverload × max(0, load − threshold)),  load = offered bits / capacity.
 *
 * @example honestCongestionToll(1.5, { threshold: 1, unitsPerOverload: 20 }) // 10
 */
export interface CongestionPricing {
  /** Load above which the link counts as congested (1 = demand equals capacity). */
  threshold: number;
  /** Units of toll per unit of load above the threshold. */
  unitsPerOverload: number;
}

export function honestCongestionToll(load: number, pricing: CongestionPricing): number {
  return Math.round(pricing.unitsPerOverload * Math.max(0, load - pricing.threshold));
}

export function isCongested(load: number, pricing: CongestionPricing): boolean {
  return load > pricing.threshold;
}
