import { z } from "zod";
import { defineIspStrategy, perByteToll, staticLinkPrice, staticPrice, MAX_PRICE_PU } from "tollway/strategy";

const schema = z.object({
  /** The price of every link, PU per Mbit (per Mbps per second), at most MAX_PRICE_PU; drawn from `staticRange` when left out. */
  price: z.number().min(0).max(MAX_PRICE_PU).optional(),
  /** Range of the per-link random static price, PU per Mbit (paper: "from 10 to 15 units"). */
  staticRange: z.tuple([z.number().min(0).max(MAX_PRICE_PU), z.number().min(0).max(MAX_PRICE_PU)]).refine(([low, high]) => low <= high, "low must be ≤ high").default([10, 15]),
  /** Which draw of the per-link prices (a hash seed, not the run's seed). */
  priceSeed: z.number().int().min(0).default(0),
  /** Money units per price unit: 1000 when the scenario counts in milli-price-units. */
  moneyPerPU: z.number().positive().default(1000),
});

/** The toll per byte of link `link`: its static price (given, or drawn for the link) in money units. */
function tollOf(link: number, p: z.output<typeof schema>): number {
  return perByteToll(staticPrice(p.price ?? staticLinkPrice(link, p.staticRange, p.priceSeed)), p.moneyPerPU);
}

/**
 * Pricing paper, section IV-A and Table I ("static"): every link keeps one price per bandwidth
 * unit whatever its load. The price is `price` when given, otherwise drawn per link from
 * `staticRange` by a hash of the link index and `priceSeed` (so the same link gets the same
 * price in every run, and the dynamic strategy can start from the same P_static).
 */
export default defineIspStrategy({
  id: "static-price",
  name: "Static link price",
  params: schema,
  meta: {
    description: "Charges each link a fixed price per bandwidth unit (toll per packet = price × packet size), given or drawn per link from 10–15 PU.",
    source: "Pricing paper §IV-A and Table I (static)",
    memoryDepth: 0,
    stochastic: false,
    cheats: false,
  },
  init: () => null,
  decide: (observation, state, params) => ({
    state,
    action: { tariffs: observation.links.map((link) => ({ perByte: tollOf(link.link, params) })) },
  }),
  decideColumns: (observation, state, params, actions) => {
    const { links } = observation;
    for (let j = 0; j < links.count; j++) actions.tariffs.perByte[j] = tollOf(links.link[j]!, params);
    return state;
  },
});
