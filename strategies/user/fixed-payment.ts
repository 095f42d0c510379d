import { z } from "zod";
import { defineUserStrategy, cheapestPath, findPath, cheapestPathOf, findPathOf, MAX_PAYMENT } from "tollway/strategy";

/** Bill-Pay §1.1: A adds the same nanopayment to every packet (20 nanodollars in Figure 1). */
export default defineUserStrategy({
  id: "fixed-payment",
  name: "Fixed payment",
  params: z.object({
    /** Units put in every packet, at most what the header carries (MAX_PAYMENT = 2^24 − 1). */
    payment: z.number().int().min(0).max(MAX_PAYMENT).default(10),
    /** Node ids of the offered path to use; the cheapest offered path when left out. */
    path: z.array(z.string()).optional(),
  }),
  meta: {
    description: "Puts the same nanopayment in every packet and sends its whole demand on a chosen (or the cheapest) offered path.",
    source: "Bill-Pay §1.1, Figure 1",
    memoryDepth: 0,
    stochastic: false,
    cheats: false,
  },
  init: () => null,
  decide: (observation, state, params) => {
    const pinned = params.path ? findPath(observation.paths, params.path) : -1;
    if (params.path && pinned < 0) {
      throw new Error(`path ${params.path.join("-")} is not among the offered paths (${observation.paths.map((p) => p.nodes.join("-")).join(", ")})`);
    }
    return {
      state,
      action: { packets: observation.demandPackets, payment: params.payment, path: pinned >= 0 ? pinned : cheapestPath(observation.paths) },
    };
  },
  decideColumns: (columns, _states, params, actions) => {
    for (let i = 0; i < columns.count; i++) {
      const pinned = params.path ? findPathOf(columns, i, params.path) : -1;
      if (params.path && pinned < 0) {
        const offered = Array.from({ length: columns.pathCount[i]! }, (_, p) => columns.nodes(i, p).join("-"));
        throw new Error(`path ${params.path.join("-")} is not among the offered paths (${offered.join(", ")})`);
      }
      actions.packets[i] = columns.demandPackets[i]!;
      actions.payment[i] = params.payment;
      actions.path[i] = pinned >= 0 ? pinned : cheapestPathOf(columns, i);
    }
  },
});
