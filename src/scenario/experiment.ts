/**
 * The experiment spec: which scenario fields to vary (factors), how to pick the points (a design)
 * and how many replications each point gets. It lives in a scenario's `experiment` field, or in a
 * file of its own that names its `base` scenario. Every factor is a dotted path into the scenario
 * (`isps.byNode.Y.params.fakeToll`, `traffic.ratePerSec`, `flows.0.params.payment`,
 * `isps.byNode.Y.strategy`), checked against the scenario before anything runs.
 */
import { z } from "zod";

/** A value a factor can give a scenario field. */
export const factorValueSchema = z.union([z.number(), z.string(), z.boolean()]);
export type FactorValue = z.infer<typeof factorValueSchema>;

/** One scenario path, or several that always take the same value (e.g. one parameter of two ISPs). */
const pathsSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const named = {
  /** Column name of the factor in the store (default: its path, or its first path). */
  name: z.string().min(1).optional(),
};

/** A factor that takes listed values. */
export const valuesFactorSchema = z.strictObject({
  ...named,
  path: pathsSchema,
  /** The values, in order; a grid design crosses them with the other factors. */
  values: z.array(factorValueSchema).min(1, "empty: a factor needs at least one value"),
});

/** A factor over a numeric range: sampled by random and latin-hypercube designs, or cut into `steps` even steps for a grid. */
export const rangeFactorSchema = z.strictObject({
  ...named,
  path: pathsSchema,
  low: z.number(),
  high: z.number(),
  /** Points from low to high inclusive, for a grid design (at least 2, or 1 when low = high). */
  steps: z.number().int().min(1).optional(),
  /** Round every drawn value to the nearest integer. */
  integer: z.boolean().default(false),
  /** `log`: even steps (or uniform draws) of log(value); low must then be > 0. */
  scale: z.enum(["linear", "log"]).default("linear"),
});

/** A factor whose levels each set several fields at once (e.g. "the share of captive users" as the latency bounds of several flows). */
export const levelsFactorSchema = z.strictObject({
  name: z.string().min(1),
  levels: z.array(z.strictObject({
    /** What the level is called in the store (the factor's column). */
    value: factorValueSchema,
    /** Scenario path → value this level gives it. */
    set: z.record(z.string().min(1), z.unknown()),
  })).min(1, "empty: a factor needs at least one level"),
});

export const factorSchema = z.union([valuesFactorSchema, rangeFactorSchema, levelsFactorSchema]);
export type FactorSpec = z.infer<typeof factorSchema>;

/** How the points are chosen from the factors. */
export const designSchema = z.discriminatedUnion("kind", [
  /** Every combination of the factors' values (full factorial), the first factor changing slowest. */
  z.strictObject({ kind: z.literal("grid") }),
  /** `points` independent uniform draws of every factor. */
  z.strictObject({ kind: z.literal("random"), points: z.number().int().min(1), seed: z.number().int().min(0).default(1) }),
  /** `points` points, each factor's range cut into `points` strata and every stratum used once (McKay, Beckman & Conover 1979). */
  z.strictObject({ kind: z.literal("latin-hypercube"), points: z.number().int().min(1), seed: z.number().int().min(0).default(1) }),
]);
export type DesignSpec = z.infer<typeof designSchema>;

const experimentFields = {
  /** Name of the experiment (default: the scenario's name). */
  name: z.string().min(1).optional(),
  /** Seed the replication seeds derive from (default: the scenario's seed). */
  seed: z.number().int().min(0).optional(),
  /** Runs per point; replication r of every point shares its seed (a paired design). */
  replications: z.number().int().min(1).default(1),
  design: designSchema.default({ kind: "grid" }),
  /** Fields set in every point before the factors apply (e.g. an ISP's strategy). */
  set: z.record(z.string().min(1), z.unknown()).default({}),
  factors: z.array(factorSchema).min(1, "empty: an experiment needs at least one factor"),
  /** Measures `tollway summarize` reports by default (columns of the runs table). */
  measures: z.array(z.string().min(1)).min(1).optional(),
  /** Rounds of every run (default: the scenario's). */
  rounds: z.number().int().min(1).optional(),
  /** ε of the price settling time (the settle_sec measure), money units (default 1). */
  epsilon: z.number().min(0).optional(),
};

/** The `experiment` field of a scenario. */
export const experimentSchema = z.strictObject(experimentFields);
export type ExperimentSpec = z.infer<typeof experimentSchema>;

/** An experiment in a file of its own: the same fields plus the scenario it varies. */
export const experimentFileSchema = z.strictObject({
  /** Path of the base scenario, relative to this file. */
  base: z.string().min(1),
  description: z.string().optional(),
  /**
   * ISPs given explicit `isps.byNode` entries (the strategy and parameters they play anyway)
   * before the experiment applies, so that a factor can set their strategy. The studies write it
   * when they hand their plan to SLURM; it is part of the base, not of the spec.
   */
  explicitIsps: z.array(z.string().min(1)).min(1).optional(),
  ...experimentFields,
});
export type ExperimentFile = z.infer<typeof experimentFileSchema>;
