import { z } from "zod";
import { defineIspStrategy, perByteToll, staticLinkPrice, dynamicPrice, smoothedPrice, MAX_PRICE_PU, MAX_STEEPNESS } from "tollway/strategy";

/** Last announced price of each link, PU per Mbit, in the order of `observation.links`; null before the first. */
type DynamicPriceState = number[] | null;

const schema = z.object({
  /** P_static of every link, PU per Mbit (at most MAX_PRICE_PU); drawn per link from `staticRange` when left out. */
  pStatic: z.number().min(0).max(MAX_PRICE_PU).optional(),
  /** Range of the per-link random P_static, PU per Mbit (the same draw as static-price's). */
  staticRange: z.tuple([z.number().min(0).max(MAX_PRICE_PU), z.number().min(0).max(MAX_PRICE_PU)]).refine(([low, high]) => low <= high, "low must be ≤ high").default([10, 15]),
  /** Which draw of the per-link P_static (a hash seed, not the run's seed). */
  priceSeed: z.number().int().min(0).default(0),
  /** Discount α = P_static − B of the base price (paper: 2, 4 or 6). */
  alpha: z.number().min(0).default(4),
  /** Steepness k of the congestion price (paper: 5), at most MAX_STEEPNESS. */
  k: z.number().positive().max(MAX_STEEPNESS).default(5),
  /** Utilization above which the congestion price rises (paper: 0.5, 250 of 500 Gbps). */
  threshold: z.number().min(0).lt(1).default(0.5),
  /** Scale c of the congestion price in PU: F(1) = c (e^k − 1). */
  scale: z.number().min(0).default(1),
  /** Price sensitivity s of Eq. 11: 1 follows the target at once, 0 never moves. */
  s: z.number().min(0).max(1).default(1),
  /** Rounds between price updates; the price holds in between (section V). */
  interval: z.number().int().positive().default(1),
  /** Money units per price unit: 1000 when the scenario counts in milli-price-units. */
  moneyPerPU: z.number().positive().default(1000),
}).refine((p) => p.alpha <= (p.pStatic ?? p.staticRange[0]), {
  message: "alpha must be ≤ the smallest P_static (pStatic, or the low end of staticRange), so that B ≥ 0",
  path: ["alpha"],
});

/** Whether this round recomputes the prices (every `interval` rounds, and before the first price). */
function updates(round: number, state: DynamicPriceState, p: z.output<typeof schema>): boolean {
  return state === null || round % p.interval === 0;
}

/** Link `link`'s price this round, from its utilization last round and its `previous` price (undefined before the first). */
function priceOf(link: number, utilization: number, previous: number | undefined, update: boolean, p: z.output<typeof schema>): number {
  if (!update && previous !== undefined) return previous;
  const pStatic = p.pStatic ?? staticLinkPrice(link, p.staticRange, p.priceSeed);
  const target = dynamicPrice({ utilization, pStatic, alpha: p.alpha, k: p.k, threshold: p.threshold, scale: p.scale });
  // Before any price was announced there is nothing to smooth from.
  return previous === undefined ? target : smoothedPrice(previous, target, p.s);
}

/**
 * Pricing paper, sections III-B, IV-A and V: each link's price per bandwidth unit is
 * B + F(u) with B = P_static − α and u last round's utilization of the link (F is 0 up to the
 * threshold and grows with steepness k above it; formula in docs/pricing-model.md), smoothed by
 * Eq. 11, P(t) = (1 − s) P(t − 1) + s (F(u) + B), and recomputed every `interval` rounds.
 */
export default defineIspStrategy({
  id: "dynamic-price",
  name: "Dynamic link price",
  params: schema,
  meta: {
    description: "Prices each link at B + F(u) per bandwidth unit, B = P_static − α and u last round's utilization, smoothed by Eq. 11 and updated every `interval` rounds.",
    source: "Pricing paper §III-B, §IV-A (k = 5, 50% threshold, α), §V Eq. 11",
    memoryDepth: 1,
    stochastic: false,
    cheats: false,
  },
  init: (): DynamicPriceState => null,
  decide: (observation, state, params) => {
    const update = updates(observation.round, state, params);
    const prices = observation.links.map((link, j) => priceOf(link.link, link.utilization, state?.[j], update, params));
    return { state: prices, action: { tariffs: prices.map((price) => ({ perByte: perByteToll(price, params.moneyPerPU) })) } };
  },
  decideColumns: (observation, state, params, actions) => {
    const { links } = observation;
    const update = updates(observation.round, state, params);
    const prices: number[] = [];
    for (let j = 0; j < links.count; j++) {
      const price = priceOf(links.link[j]!, links.utilization[j]!, state?.[j], update, params);
      prices.push(price);
      actions.tariffs.perByte[j] = perByteToll(price, params.moneyPerPU);
    }
    return prices;
  },
});
