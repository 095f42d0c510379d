import { z } from "zod";
import { defineUserStrategy, payCheapest, payCheapestOf } from "tollway/strategy";

/**
 * An attack on the pricing paper's authenticated payments (§III, Eq. 10; runs with the
 * scenario's `security.payments`): the flow's packets are honest when they leave, but on the way
 * P_own in the field of the `asIndex`-th AS of the path is changed by `delta` units (an on-path
 * attacker: a neighbour that wants that AS to book less, or more). The MAC no longer matches, so
 * that AS refuses the packets; the ASes before it were paid for what they carried.
 */
export default defineUserStrategy({
  id: "alter-payment",
  name: "Payment field altered in transit",
  params: z.object({
    /** Which AS's field is changed: its index among the path's ASes (0: the first). */
    asIndex: z.number().int().min(0).default(0),
    /** Units added to that AS's P_own after the MAC (negative: taken off). */
    delta: z.number().int().default(-1),
  }),
  meta: {
    description: "Sends honestly on the cheapest path, but P_own in one AS's payment field is changed by delta units in transit, after the MAC.",
    source: "Pricing paper §III, Eq. 10 (attack)",
    memoryDepth: 0,
    stochastic: false,
    cheats: true,
  },
  init: () => null,
  decide: (observation, state, params) => ({
    state,
    action: { ...payCheapest(observation), payments: { kind: "alter", asIndex: params.asIndex, delta: params.delta } },
  }),
  decideColumns: (columns, _states, params, actions) => {
    for (let i = 0; i < columns.count; i++) {
      payCheapestOf(columns, i, actions);
      actions.payments[i] = { kind: "alter", asIndex: params.asIndex, delta: params.delta };
    }
  },
});
