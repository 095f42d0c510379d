/**
 * Pricing policies of a reproduction as a sweep plan: one point per policy — or per cell of a
 * grid of axes (load, σ, …) × policy × seed — a `policy` factor whose levels set what
 * `policyScenario` changes between policies (the scenario's name and the ISPs' strategy and
 * parameters), one run per point with the scenario's own seed (the paper runs every policy on
 * the same seed). The plan's points are checked to be exactly the scenarios
 * `policyScenario` gives, so a stored run is the run `runPolicy` makes, and `runStudy` can run
 * them on several cores into a store and resume (see src/analysis/study-runs.ts).
 */
import { planExperiment, type SweepPlan } from "../analysis/sweep-plan.js";
import type { PricingRunOptions, PricingTask } from "../cluster/point-run.js";
import { experimentSchema } from "../scenario/experiment.js";
import { z } from "zod";
import { canonicalJson, parseScenario, zodError, type LoadedScenario } from "../scenario/load.js";
import { policyName, policyScenario, type Policy } from "./table1.js";
import { scenarioVariantSchema, policyAxisSchema, type CellOptions, type PolicyAxis } from "./variant.js";

/** The scenario one policy runs, checked; named `<static>`, `<alpha=4>`, ... in errors (as runPolicy names it). */
export function policyLoaded(policy: Policy, options: PricingRunOptions): LoadedScenario {
  return parseScenario(policyScenario(policy, options), `<${policyName(policy)}>`);
}

/**
 * A grid of policy runs: every combination of the axes' levels (slowest first), the policies
 * and the seeds (fastest). Without axes and seeds it is the policies alone, on `options.seed`.
 */
export interface PolicyGrid {
  /** At least one; the first is the base the others are levels of. */
  policies: readonly Policy[];
  axes?: readonly PolicyAxis[] | undefined;
  /** Seeds, each a full run of every policy (the scenario's seed and the link prices' `priceSeed`); default: `options.seed`, and no seed factor. */
  seeds?: readonly number[] | undefined;
}

/**
 * The options of one cell: `options` with the cell's load and variants (later axes' variant fields
 * over earlier ones, over `options.variant`) and seed.
 */
export function cellOptions(options: PricingRunOptions, cells: readonly CellOptions[], seed?: number): PricingRunOptions {
  let out: PricingRunOptions = seed !== undefined ? { ...options, seed } : { ...options };
  for (const cell of cells) {
    if (cell.load !== undefined) out = { ...out, load: cell.load };
    if (cell.variant !== undefined) out = { ...out, variant: { ...out.variant, ...cell.variant } };
  }
  return out;
}

/**
 * The fields in which scenario `to` differs from `from`, as (path, value) pairs to set on
 * `from`: down through objects with the same keys, whole values elsewhere (a list, or an object
 * that gains or loses a key). Pure.
 *
 * @example scenarioDiff({ a: { b: 1, c: 2 } }, { a: { b: 1, c: 3 } }) // [["a.c", 3]]
 */
export function scenarioDiff(from: unknown, to: unknown, at = ""): [string, unknown][] {
  if (canonicalJson(from) === canonicalJson(to)) return [];
  const plain = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  if (at !== "" && !(plain(from) && plain(to))) return [[at, to]];
  if (!(plain(from) && plain(to))) throw new Error("scenarioDiff compares two scenarios");
  const keys = Object.keys(to);
  if (at !== "" && (keys.length !== Object.keys(from).length || keys.some((k) => !(k in from)))) return [[at, to]];
  return keys.flatMap((k) => scenarioDiff(from[k], to[k], at === "" ? k : `${at}.${k}`));
}

/**
 * The plan of a policy grid: factors `...axes`, `policy` and (with `grid.seeds`) `seed`, each
 * level setting the fields in which its scenario differs from the base (the first policy, the
 * first level of every axis, `options.seed`). Every point is checked to be exactly the scenario
 * `policyScenario` gives for its cell, and each carries that cell's options (plain data) for the
 * worker, thread or SLURM task that runs it.
 * @throws Error when a point is not the scenario `policyScenario` gives for its cell (an internal error).
 */
export async function policyGridPlan(name: string, grid: PolicyGrid, options: PricingRunOptions): Promise<SweepPlan> {
  const { policies } = grid;
  const axes = grid.axes ?? [];
  const seeds = grid.seeds ?? [options.seed];
  const baseOptions = cellOptions(options, axes.map((a) => a.levels[0]!.options), seeds[0]);
  const base = policyLoaded(policies[0]!, baseOptions);
  const diff = (cell: PricingRunOptions) => Object.fromEntries(scenarioDiff(base.scenario, policyLoaded(policies[0]!, cell).scenario));
  const factors = [
    ...axes.map((axis) => ({
      name: axis.name,
      levels: axis.levels.map((level) => ({ value: level.value, set: diff(cellOptions(baseOptions, [level.options])) })),
    })),
    {
      name: "policy",
      levels: policies.map((policy, i) => {
        const { scenario } = policyLoaded(policy, baseOptions);
        return { value: policyName(policy), set: i === 0 ? {} : { name: scenario.name, "isps.default.strategy": scenario.isps.default.strategy, "isps.default.params": scenario.isps.default.params } };
      }),
    },
    ...(grid.seeds !== undefined ? [{ name: "seed", levels: seeds.map((seed) => ({ value: seed, set: diff({ ...baseOptions, seed }) })) }] : []),
  ];
  const spec = experimentSchema.parse({ name: `reproduce ${name}`, seed: seeds[0], replications: 1, factors });
  const plan = await planExperiment(base, spec, base.file, "policies");
  // The grid's order, as expandDesign's: the first factor slowest.
  const tasks: PricingTask[] = [];
  const cells = (i: number, chosen: CellOptions[]): void => {
    if (i < axes.length) {
      for (const level of axes[i]!.levels) cells(i + 1, [...chosen, level.options]);
      return;
    }
    for (const policy of policies) for (const seed of seeds) tasks.push({ policy, options: cellOptions(options, chosen, seed) });
  };
  cells(0, []);
  plan.points.forEach((point, i) => {
    const expected = policyLoaded(tasks[i]!.policy, tasks[i]!.options);
    if (point.scenarioHash !== expected.hash) {
      const differ = scenarioDiff(expected.scenario, point.scenario).map(([path]) => path).join(", ");
      throw new Error(`point ${JSON.stringify(point.values)} is scenario ${point.scenarioHash}, not policyScenario's ${expected.hash} (they differ at ${differ})`);
    }
  });
  return {
    ...plan,
    // runPolicy runs a policy with its scenario's seed: that is the seed each run records.
    runs: plan.runs.map((run) => ({ ...run, seed: run.config.scenario.seed })),
    pricing: { policies: [...policies], options, ...(grid.axes !== undefined ? { axes: [...axes] } : {}), ...(grid.seeds !== undefined ? { seeds: [...seeds] } : {}), tasks },
  };
}

/** The plan of `policies` (at least one; the first is the base the others are levels of), on `options`' seed and cell. */
export function policyPlan(name: string, policies: readonly Policy[], options: PricingRunOptions): Promise<SweepPlan> {
  return policyGridPlan(name, { policies }, options);
}

/**
 * A plan of policies as a file of its own, for the tasks of a SLURM array: `tollway sweep` of it
 * makes the same plan (`loadSweepPlan` hands it to {@link policyGridPlan}). Policy runs have no base
 * scenario file: the file gives the policies and the reproduction options they run with.
 */
export const policyExperimentSchema = z.strictObject({
  description: z.string().optional(),
  reproduce: z.strictObject({
    /** The reproduction, e.g. `alpha-frontier`. */
    name: z.string().min(1),
    policies: z.array(z.discriminatedUnion("kind", [
      z.strictObject({ kind: z.literal("static") }),
      z.strictObject({ kind: z.literal("dynamic"), alpha: z.number() }),
    ])).min(1),
    options: z.strictObject({
      scale: z.strictObject({ name: z.string(), factor: z.number().positive(), rounds: z.number().int().min(1), packetBits: z.number().positive() }),
      seed: z.number().int().min(0),
      topologyFile: z.string().min(1).optional(),
      load: z.number().positive().optional(),
      offeredPaths: z.number().int().min(1).optional(),
      switchAfterSec: z.number().min(0).optional(),
      workers: z.number().int().min(1).optional(),
      variant: scenarioVariantSchema.optional(),
    }),
    axes: z.array(policyAxisSchema).optional(),
    seeds: z.array(z.number().int().min(0)).min(1).optional(),
  }),
});
export type PolicyExperimentFile = z.infer<typeof policyExperimentSchema>;

/** The file of a policy plan; its tasks shard each policy across `workers` threads (default 1: a task has one CPU). */
export function policyExperimentFile(plan: SweepPlan): PolicyExperimentFile {
  const pricing = plan.pricing!;
  return {
    description: `${plan.name}: the pricing policies of a reproduction, written by its --backend slurm for the array's tasks (\`tollway sweep\` runs it as it is)`,
    reproduce: {
      name: plan.name.replace(/^reproduce /, ""), policies: pricing.policies,
      options: { ...pricing.options, workers: pricing.options.workers ?? 1 } as PolicyExperimentFile["reproduce"]["options"],
      ...(pricing.axes !== undefined ? { axes: pricing.axes } : {}), ...(pricing.seeds !== undefined ? { seeds: pricing.seeds } : {}),
    },
  };
}

/** The plan of a policy experiment file (its `file` the experiment file). */
export async function loadPolicyPlan(raw: unknown, file: string): Promise<SweepPlan> {
  const parsed = policyExperimentSchema.safeParse(raw);
  if (!parsed.success) throw zodError(parsed.error, file);
  const { name, policies, options, axes, seeds } = parsed.data.reproduce;
  return { ...(await policyGridPlan(name, { policies, axes, seeds }, options as PricingRunOptions)), file };
}
