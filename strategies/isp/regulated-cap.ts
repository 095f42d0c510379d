import { z } from "zod";
import { defineIspStrategy, congestionTollParams, honestCongestionToll, MAX_PAYMENT } from "tollway/strategy";

/** Bill-Pay §2.1.1: "Legislation can obviously limit the tolls imposed by ISPs." */
export default defineIspStrategy({
  id: "regulated-cap",
  name: "Regulated toll cap",
  params: z.object({
    ...congestionTollParams,
    /** Most a regulator lets the ISP keep per packet, fixed and congestion tolls together (at most MAX_PAYMENT). */
    cap: z.number().min(0).max(MAX_PAYMENT).default(5),
  }),
  meta: {
    description: "Honest congestion toll, but fixed plus congestion toll never exceed the regulator's cap per packet.",
    source: "Bill-Pay §2.1.1, regulation",
    memoryDepth: 1,
    stochastic: false,
    cheats: false,
  },
  init: () => null,
  decide: (observation, state, params) => ({
    state,
    action: {
      tariffs: observation.links.map((link) => {
        const perPacket = Math.min(params.perPacket, params.cap);
        return { perPacket, congestion: Math.min(honestCongestionToll(link.load, params), params.cap - perPacket) };
      }),
    },
  }),
});
