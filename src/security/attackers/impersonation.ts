import { z } from "zod";
import { MAX_PAYMENT } from "../../model/header.js";
import { defineImpersonation, exponentialWait } from "../attacker.js";

/**
 * Bill-Pay §2.4, impersonation: a hijacked application asks the digital secretary for payments
 * to an address the attacker controls, as a Poisson stream, each as large as the secretary allows
 * the application it hijacked (its willingness) unless told otherwise. With `backoffSec` > 0 it
 * is cautious: after a refusal it waits that much longer, so it stops hammering a secretary whose
 * anomaly rule has tripped.
 */
export default defineImpersonation({
  id: "impersonation",
  name: "Impersonation (hijacked application)",
  params: z.object({
    /** Mean payment requests per second (a Poisson stream). */
    ratePerSec: z.number().positive().default(50),
    /** Payment asked for per packet; the hijacked application's willingness when left out. */
    payment: z.number().int().min(0).max(MAX_PAYMENT).optional(),
    /** The attacker's address the payments go to. */
    destination: z.string().min(1).max(255).default("203.0.113.66"),
    /** Extra seconds to wait after a refused request (0 = never back off). */
    backoffSec: z.number().min(0).default(0),
  }),
  meta: {
    description: "A hijacked application that misleads the digital secretary into authorising unjustified payments to the attacker (Poisson requests, as large as allowed).",
    source: "Bill-Pay §2.4, impersonation attacks",
    memoryDepth: 1,
    stochastic: true,
    cheats: true,
  },
  init: () => null,
  decide: (observation, state, params, rng) => ({
    state,
    action: {
      waitSec: exponentialWait(rng, params.ratePerSec) + (observation.lastRefused === true ? params.backoffSec : 0),
      payment: params.payment ?? observation.willingness,
      destination: params.destination,
    },
  }),
});
