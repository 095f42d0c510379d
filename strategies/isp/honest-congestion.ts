import { z } from "zod";
import { defineIspStrategy, congestionTollParams, honestCongestionToll } from "tollway/strategy";

/** Bill-Pay §2.1: a fixed toll plus a congestion toll that reflects real congestion only. */
export default defineIspStrategy({
  id: "honest-congestion",
  name: "Honest congestion toll",
  params: z.object({
    ...congestionTollParams,
  }),
  meta: {
    description: "Fixed toll, plus a congestion toll proportional to last round's excess load on each link, zero when the link is not congested.",
    source: "Bill-Pay §2.1, congestion tolls",
    memoryDepth: 1,
    stochastic: false,
    cheats: false,
  },
  init: () => null,
  decide: (observation, state, params) => ({
    state,
    action: {
      tariffs: observation.links.map((link) => ({
        perPacket: params.perPacket,
        congestion: honestCongestionToll(link.load, params),
      })),
    },
  }),
});
