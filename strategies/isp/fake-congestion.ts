import { z } from "zod";
import { defineIspStrategy, congestionTollParams, honestCongestionToll, isCongested, MAX_PAYMENT } from "tollway/strategy";

/** Bill-Pay §2.1: the incentive that fixed tolls and path choice are meant to defeat. */
export default defineIspStrategy({
  id: "fake-congestion",
  name: "Fake congestion",
  params: z.object({
    ...congestionTollParams,
    /** Congestion toll claimed on links that are not congested, at most MAX_PAYMENT. */
    fakeToll: z.number().min(0).max(MAX_PAYMENT).default(5),
  }),
  meta: {
    description: "Like the honest congestion toll on congested links, but claims a congestion toll of fakeToll on links that are not congested, to collect more from each packet.",
    source: "Bill-Pay §2.1 (\"an incentive to create fake congestion\")",
    memoryDepth: 1,
    stochastic: false,
    cheats: true,
  },
  init: () => null,
  decide: (observation, state, params) => ({
    state,
    action: {
      tariffs: observation.links.map((link) => ({
        perPacket: params.perPacket,
        congestion: isCongested(link.load, params) ? honestCongestionToll(link.load, params) : params.fakeToll,
      })),
    },
  }),
});
