/**
 * Pricing as a special case of Bill-Pay tolls. A link price is quoted in price units (PU) per
 * bandwidth unit (one Mbps held for one second, i.e. PU per Mbit); the engine charges tolls per
 * packet. An ISP turns the price into a per-byte toll, so that a packet of b bits pays
 * price × b / 10⁶ PU whatever the packet granularity, in the scenario's integer money unit
 * (e.g. the milli-price-unit, 1000 per PU). A user that puts exactly the announced path price in
 * each packet leaves each ISP its own link's price: revenue Σ x·p, the paper's Eq. 2.
 */
import { hashUniform } from "../../engine/random.js";
import { TollwayError } from "../../errors.js";

/** Bits in one bandwidth unit-second (1 Mbit): prices are PU per Mbit, i.e. per Mbps per second. */
export const BITS_PER_BANDWIDTH_UNIT = 1e6;

/**
 * Per-byte toll, in money units, that charges `pricePerMbit` PU per Mbit.
 *
 * @param moneyPerPU money units per price unit (1000 for the milli-price-unit).
 * @example perByteToll(12.5, 1000) // 0.1: a 1-Mbit packet (125,000 bytes) pays 12,500 mPU
 */
export function perByteToll(pricePerMbit: number, moneyPerPU: number): number {
  if (!(pricePerMbit >= 0 && Number.isFinite(pricePerMbit))) {
    throw new TollwayError(`must be a finite number ≥ 0 (got ${pricePerMbit})`, { field: "price" });
  }
  if (!(moneyPerPU > 0 && Number.isFinite(moneyPerPU))) {
    throw new TollwayError(`must be a finite number > 0 (got ${moneyPerPU})`, { field: "moneyPerPU" });
  }
  return (pricePerMbit * moneyPerPU * 8) / BITS_PER_BANDWIDTH_UNIT;
}

/**
 * The link price, PU per Mbit, that a per-byte toll stands for (the inverse of `perByteToll`).
 *
 * @example linkPriceOfToll(0.1, 1000) // 12.5
 */
export function linkPriceOfToll(perByte: number, moneyPerPU: number): number {
  return (perByte * BITS_PER_BANDWIDTH_UNIT) / (8 * moneyPerPU);
}

/**
 * A path price per packet (money units) as a price per bandwidth unit (PU per Mbit).
 *
 * @example pricePerMbit(37_500, 1e6, 1000) // 37.5
 */
export function pricePerMbit(paymentPerPacket: number, packetBits: number, moneyPerPU: number): number {
  return packetBits > 0 ? (paymentPerPacket * BITS_PER_BANDWIDTH_UNIT) / (packetBits * moneyPerPU) : 0;
}

/**
 * The static price of a directed link drawn uniformly from [low, high] (pricing paper, section
 * IV-A: "a random static link price from 10 to 15 units"). The draw is a hash of the link index
 * and `seed`, not a random stream: it is the same in every round, in every run of the same
 * topology, and in every policy compared on it (static or dynamic, any α).
 *
 * @example staticLinkPrice(7, [10, 15], 0) // some number in [10, 15], always the same
 */
export function staticLinkPrice(link: number, range: readonly [number, number], seed = 0): number {
  const [low, high] = range;
  if (!(Number.isFinite(low) && Number.isFinite(high) && low >= 0 && high >= low)) {
    throw new TollwayError(`must be [low, high] with 0 ≤ low ≤ high (got [${low}, ${high}])`, { field: "staticRange" });
  }
  return low + (high - low) * hashUniform(seed, link, 0x5747, 0x1c);
}
