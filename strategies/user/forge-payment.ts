import { z } from "zod";
import { defineUserStrategy, payCheapest, payCheapestOf } from "tollway/strategy";

/**
 * An attack on the pricing paper's authenticated payments (§III, Eq. 10; runs with the
 * scenario's `security.payments`): the user sends on the cheapest path and pays its announced
 * price, but writes a lower P_own (`ownFactor` × the honest one) in every AS's payment field, to
 * settle for less than it used. Without the DRKeys (`validMac: false`, the keys are held by the
 * host's payment module) its MACs are made up and fail; with them (`validMac: true`, a source
 * that lies) the MACs pass and the AS's check of P_own against its own tariff catches it.
 */
export default defineUserStrategy({
  id: "forge-payment",
  name: "Forged payment fields",
  params: z.object({
    /** Share of the honest P_own written in each field (0.5: half). */
    ownFactor: z.number().min(0).max(1).default(0.5),
    /** MAC the forged fields under the real DRKeys (a lying source) rather than made-up ones. */
    validMac: z.boolean().default(false),
  }),
  meta: {
    description: "Pays the cheapest path's price but writes a lower P_own in every AS's payment field, with made-up MACs (or, validMac, real ones).",
    source: "Pricing paper §III, Eq. 10 (attack)",
    memoryDepth: 0,
    stochastic: false,
    cheats: true,
  },
  init: () => null,
  decide: (observation, state, params) => ({
    state,
    action: { ...payCheapest(observation), payments: { kind: "forge", ownFactor: params.ownFactor, validMac: params.validMac } },
  }),
  decideColumns: (columns, _states, params, actions) => {
    for (let i = 0; i < columns.count; i++) {
      payCheapestOf(columns, i, actions);
      actions.payments[i] = { kind: "forge", ownFactor: params.ownFactor, validMac: params.validMac };
    }
  },
});
