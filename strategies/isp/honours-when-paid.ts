import { z } from "zod";
import { defineIspStrategy, MAX_PAYMENT } from "tollway/strategy";

/**
 * Bill-Pay §2.2 with §2.1's incentive: steering is a service, so this ISP honours a user-OAD
 * only from a packet that still carries at least `minPayment` when it arrives (the "promise of
 * payment" that makes the request worth following); other packets take its own choice.
 */
export default defineIspStrategy({
  id: "honours-when-paid",
  name: "Honours OADs when paid",
  params: z.object({
    /** Units kept from every packet, at most what the header carries (MAX_PAYMENT). */
    perPacket: z.number().min(0).max(MAX_PAYMENT).default(1),
    /** Least payment a packet must carry on arrival for its user-OAD to be honoured. */
    minPayment: z.number().min(0).max(MAX_PAYMENT).default(10),
  }),
  meta: {
    description: "Keeps a fixed toll per packet and honours a user-OAD only from packets that arrive carrying at least minPayment.",
    source: "Bill-Pay §2.2, end-user influenced paths; §2.1, ISP incentives",
    memoryDepth: 0,
    stochastic: false,
    cheats: false,
  },
  init: () => null,
  decide: (observation, state, params) => ({
    state,
    action: { tariffs: observation.links.map(() => ({ perPacket: params.perPacket })), honourOadsFrom: params.minPayment },
  }),
});
