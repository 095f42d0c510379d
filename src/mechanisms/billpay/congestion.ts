/**
 * How an honest ISP sets its congestion toll (Bill-Pay §2.1 leaves congestion pricing open):
 * proportional to the excess of last round's offered load over a threshold, so the toll is zero
 * on an uncongested link and grows with the demand that cannot be carried.
 *
 *   toll = round(unitsPerOverload × max(0, load − threshold)),  load = offered bits / capacity.
 *
 * @example honestCongestionToll(1.5, { threshold: 1, unitsPerOverload: 20 }) // 10
 */
import { z } from "zod";
import { MAX_PAYMENT } from "../../model/header.js";

export interface CongestionPricing {
  /** Load above which the link counts as congested (1 = demand equals capacity). */
  threshold: number;
  /** Units of toll per unit of load above the threshold. */
  unitsPerOverload: number;
}

/** The parameters every congestion-toll strategy shares, with their defaults. */
export const congestionTollParams = {
  /** Fixed units kept from every packet, at most what the header carries (MAX_PAYMENT). */
  perPacket: z.number().min(0).max(MAX_PAYMENT).default(1),
  /** Load (offered / capacity) above which a link is congested. */
  threshold: z.number().positive().default(1),
  /** Congestion toll units per unit of load above the threshold. */
  unitsPerOverload: z.number().min(0).default(20),
};

export function honestCongestionToll(load: number, pricing: CongestionPricing): number {
  return Math.round(pricing.unitsPerOverload * Math.max(0, load - pricing.threshold));
}

export function isCongested(load: number, pricing: CongestionPricing): boolean {
  return load > pricing.threshold;
}
