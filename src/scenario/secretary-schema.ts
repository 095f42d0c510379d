/**
 * The `secretary` section of a scenario: the hosts' digital secretaries (Bill-Pay §2.3). Each
 * listed flow that names an `application` class is governed by the secretary of its paying host,
 * which caps the flow's payment per packet at the class's willingness to pay and the host's
 * spending at its budget (docs/billpay.md, "The digital secretary").
 */
import { z } from "zod";
import { MAX_PAYMENT } from "../model/header.js";

/** Most questions a secretary may ask per application class: bisection over MAX_PAYMENT + 1 prices needs 25. */
export const MAX_QUESTIONS = 64;

/** A host's spending budget, in money units: at most 2^53 − 1, so totals stay exact. */
const budget = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** A price per packet, in money units: what the header's payment field carries. */
const price = z.number().int().min(0).max(MAX_PAYMENT);

export const secretarySchema = z.strictObject({
  /**
   * Application classes by name, each with the default willingness to pay per packet that the
   * secretary's "initial rules" give a typical user (units per packet). Flows name one in
   * `flows.N.application`.
   */
  classes: z.record(z.string().min(1), z.strictObject({ willingness: price })).refine((c) => Object.keys(c).length > 0, {
    message: "needs at least one application class",
  }),
  /** How the secretary refines a default from its simulated user's answers (`hosts.H.values`). */
  elicitation: z.strictObject({
    /** Questions the secretary may ask per class (0: the defaults stand), at most MAX_QUESTIONS. */
    questions: z.number().int().min(0).max(MAX_QUESTIONS).default(0),
    /** Tolerated error: it stops asking once the user's value is known to within this many units. */
    tolerance: price.min(1).default(1),
    /** Highest price per packet worth asking about. */
    high: price.default(1000),
  }).prefault({}),
  /** Every host's spending budget over the run (net spend, money units); no limit when left out. */
  budget: budget.optional(),
  /** Per host (node id): its own budget, and its simulated user's true willingness per class. */
  hosts: z.record(z.string().min(1), z.strictObject({
    /** This host's budget, replacing `secretary.budget`. */
    budget: budget.optional(),
    /**
     * The user's true willingness to pay per packet, by class: the secretary learns it from yes/no
     * answers ("would you pay p?"), within `elicitation.questions` and `elicitation.tolerance`.
     */
    values: z.record(z.string().min(1), price).default({}),
  })).default({}),
});
export type SecretaryConfig = z.infer<typeof secretarySchema>;
