/**
 * An ISP strategy written for notebooks/05-write-a-strategy.ipynb: the honest congestion toll,
 * with the fixed toll cut on links that sat mostly idle last round, to win traffic from a
 * competitor. A price cut aimed at spare capacity; it never claims congestion it does not have.
 */
import { z } from "zod";
import { congestionTollParams, defineIspStrategy, honestCongestionToll } from "tollway/strategy";

export default defineIspStrategy({
  id: "discount-when-idle",
  name: "Discount when idle",
  params: z.object({
    ...congestionTollParams,
    /** Units taken off the fixed toll on an idle link. */
    discount: z.number().min(0).default(1),
    /** A link whose utilization last round was below this is idle. */
    idleBelow: z.number().min(0).max(1).default(0.5),
  }),
  meta: {
    description: "Honest congestion toll; the fixed toll is cut by `discount` on links whose utilization last round was below `idleBelow`.",
    source: "Tollway notebook 05 (a competitive price cut on spare capacity)",
    memoryDepth: 1,
    stochastic: false,
    cheats: false,
  },
  init: () => null,
  decide: (observation, state, params) => ({
    state,
    action: {
      tariffs: observation.links.map((link) => ({
        perPacket: link.utilization < params.idleBelow ? Math.max(0, params.perPacket - params.discount) : params.perPacket,
        congestion: honestCongestionToll(link.load, params),
      })),
    },
  }),
});
