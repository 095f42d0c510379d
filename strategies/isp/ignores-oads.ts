import { z } from "zod";
import { defineIspStrategy, MAX_PAYMENT } from "tollway/strategy";

/**
 * Bill-Pay §2.2: "any ISP is free to ignore the sender's preference altogether". This ISP keeps a
 * fixed toll on every link and forwards every packet on its own choice, whatever its user-OAD
 * asks: the baseline against which steering is measured.
 */
export default defineIspStrategy({
  id: "ignores-oads",
  name: "Ignores OADs",
  params: z.object({
    /** Units kept from every packet, at most what the header carries (MAX_PAYMENT). */
    perPacket: z.number().min(0).max(MAX_PAYMENT).default(1),
  }),
  meta: {
    description: "Keeps a fixed toll per packet on every link and ignores user-OADs: packets follow the ISP's own choice.",
    source: "Bill-Pay §2.2, end-user influenced paths",
    memoryDepth: 0,
    stochastic: false,
    cheats: false,
  },
  init: () => null,
  decide: (observation, state, params) => ({
    state,
    action: { tariffs: observation.links.map(() => ({ perPacket: params.perPacket })), honourOadsFrom: Infinity },
  }),
});
