import { z } from "zod";
import { defineIspStrategy, MAX_PAYMENT } from "tollway/strategy";

/** Bill-Pay §2.1.1: the near-sighted greedy ISP that keeps the money and drops the packet. */
export default defineIspStrategy({
  id: "keep-and-drop",
  name: "Keep and drop (greedy)",
  params: z.object({
    /** Units kept from every packet it forwards, at most what the header carries (MAX_PAYMENT). */
    perPacket: z.number().min(0).max(MAX_PAYMENT).default(1),
    /** Share of packets dropped; a dropped packet's payment stays with the ISP that drops it. */
    dropShare: z.number().min(0).max(1).default(0.5),
  }),
  meta: {
    description: "Keeps a fixed toll, and drops a share of packets after keeping everything they carry.",
    source: "Bill-Pay §2.1.1, \"charge a very high toll and drop the packet\"",
    memoryDepth: 0,
    stochastic: false,
    cheats: true,
  },
  init: () => null,
  decide: (observation, state, params) => ({
    state,
    action: {
      tariffs: observation.links.map(() => ({
        perPacket: params.perPacket, dropShare: params.dropShare,
      })),
    },
  }),
});
