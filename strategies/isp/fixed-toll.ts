import { z } from "zod";
import { defineIspStrategy, MAX_PAYMENT } from "tollway/strategy";

/** Bill-Pay §2.1: fixed tolls recover sunk costs and do not depend on congestion. */
export default defineIspStrategy({
  id: "fixed-toll",
  name: "Fixed toll",
  params: z.object({
    /** Units kept from every packet, at most what the header carries (MAX_PAYMENT). */
    perPacket: z.number().min(0).max(MAX_PAYMENT).default(1),
    /** Units kept per byte of packet (use a small unit such as picodollars), at most MAX_PAYMENT. */
    perByte: z.number().min(0).max(MAX_PAYMENT).default(0),
    /** Share of the arriving payment kept, in [0, 1]. */
    proportional: z.number().min(0).max(1).default(0),
  }),
  meta: {
    description: "Keeps the same fixed (and optionally proportional) toll on every link, whatever the congestion.",
    source: "Bill-Pay §2.1, fixed tolls; footnote 1, proportional tolls",
    memoryDepth: 0,
    stochastic: false,
    cheats: false,
  },
  init: () => null,
  decide: (observation, state, params) => ({
    state,
    action: {
      tariffs: observation.links.map(() => ({
        perPacket: params.perPacket, perByte: params.perByte, proportional: params.proportional,
      })),
    },
  }),
});
