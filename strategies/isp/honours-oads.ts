import { z } from "zod";
import { defineIspStrategy, MAX_PAYMENT } from "tollway/strategy";

/**
 * Bill-Pay §2.2: a user-OAD is "a preference which is not binding", but an ISP has incentives to
 * follow it. This ISP keeps a fixed toll on every link and sends each packet to the choice its
 * user-OAD names, whatever the packet pays.
 */
export default defineIspStrategy({
  id: "honours-oads",
  name: "Honours OADs",
  params: z.object({
    /** Units kept from every packet, at most what the header carries (MAX_PAYMENT). */
    perPacket: z.number().min(0).max(MAX_PAYMENT).default(1),
  }),
  meta: {
    description: "Keeps a fixed toll per packet on every link and honours every user-OAD: a packet goes to the alternative its sender names.",
    source: "Bill-Pay §2.2, end-user influenced paths",
    memoryDepth: 0,
    stochastic: false,
    cheats: false,
  },
  init: () => null,
  decide: (observation, state, params) => ({
    state,
    action: { tariffs: observation.links.map(() => ({ perPacket: params.perPacket })), honourOadsFrom: 0 },
  }),
});
