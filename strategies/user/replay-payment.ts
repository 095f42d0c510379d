import { z } from "zod";
import { defineUserStrategy, payCheapest, payCheapestOf } from "tollway/strategy";

/**
 * An attack on the pricing paper's authenticated payments (§III, Eq. 10; runs with the
 * scenario's `security.payments`): the user sends on the cheapest path and pays its announced
 * price, but from round `lagRounds` on its packets carry the payment fields it was issued
 * `lagRounds` rounds earlier (a replay) instead of fresh ones. Once their expiry t_i has passed,
 * every AS refuses them; a replay inside the validity window is not detected (no per-packet-id
 * cache), which is what `expirySeconds` bounds.
 */
export default defineUserStrategy({
  id: "replay-payment",
  name: "Replayed payment fields",
  params: z.object({
    /** How many rounds old the replayed fields are. */
    lagRounds: z.number().int().min(1).default(5),
  }),
  meta: {
    description: "Pays the cheapest path's price but, from round lagRounds on, sends the payment fields it was issued lagRounds rounds earlier.",
    source: "Pricing paper §III, Eq. 10 (attack)",
    memoryDepth: 0,
    stochastic: false,
    cheats: true,
  },
  init: () => null,
  decide: (observation, state, params) => {
    const replayed = observation.round - params.lagRounds;
    return { state, action: { ...payCheapest(observation), ...(replayed >= 0 ? { payments: { kind: "replay" as const, round: replayed } } : {}) } };
  },
  decideColumns: (columns, _states, params, actions) => {
    const replayed = columns.round - params.lagRounds;
    for (let i = 0; i < columns.count; i++) {
      payCheapestOf(columns, i, actions);
      if (replayed >= 0) actions.payments[i] = { kind: "replay", round: replayed };
    }
  },
});
