/**
 * Pricing policies of a reproduction as a sweep plan: one point per policy, a `policy` factor
 * whose levels set what `policyScenario` changes between policies (the scenario's name and the
 * ISPs' strategy and parameters), one run per point with the scenario's own seed (the paper
 * runs every policy on the same seed). The plan's points are checked to be exactly the scenarios
 * `policyScenario` gives, so a stored run is the run `runPolicy` makes, and `runStudy` can run
 * them on several cores into a store and resume (see src/analysis/study-runs.ts).
 */
import { planExperiment, type SweepPlan } from "../analysis/sweep-plan.js";
import type { PricingRunOptions } from "../cluster/point-run.js";
import { experimentSchema } from "../scenario/experiment.js";
import { z } from "zod";
import { parseScenario, zodError, type LoadedScenario } from "../scenario/load.js";
import { policyName, policyScenario, type Policy } from "./table1.js";

/** The scenario one policy runs, checked; named `<static>`, `<alpha=4>`, ... in errors (as runPolicy names it). */
export function policyLoaded(policy: Policy, options: PricingRunOptions): LoadedScenario {
  return parseScenario(policyScenario(policy, options), `<${policyName(policy)}>`);
}

/**
 * The plan of `policies` (at least one; the first is the base the others are levels of).
 * @throws Error when a point is not the scenario `policyScenario` gives for its policy (an internal error).
 */
export async function policyPlan(name: string, policies: readonly Policy[], options: PricingRunOptions): Promise<SweepPlan> {
  const loaded = policies.map((policy) => policyLoaded(policy, options));
  const base = loaded[0]!;
  const levels = loaded.map(({ scenario }, i) => ({
    value: policyName(policies[i]!),
    set: i === 0 ? {} : { name: scenario.name, "isps.default.strategy": scenario.isps.default.strategy, "isps.default.params": scenario.isps.default.params },
  }));
  const spec = experimentSchema.parse({ name: `reproduce ${name}`, seed: options.seed, replications: 1, factors: [{ name: "policy", levels }] });
  const plan = await planExperiment(base, spec, base.file, "policies");
  plan.points.forEach((point, i) => {
    if (point.scenarioHash !== loaded[i]!.hash) throw new Error(`point ${point.values.policy} is scenario ${point.scenarioHash}, not policyScenario's ${loaded[i]!.hash}`);
  });
  return {
    ...plan,
    // runPolicy runs a policy with its scenario's seed: that is the seed each run records.
    runs: plan.runs.map((run) => ({ ...run, seed: run.config.scenario.seed })),
    pricing: { policies: [...policies], options },
  };
}

/**
 * A plan of policies as a file of its own, for the tasks of a SLURM array: `tollway sweep` of it
 * makes the same plan (`loadSweepPlan` hands it to {@link policyPlan}). Policy runs have no base
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
    }),
  }),
});
export type PolicyExperimentFile = z.infer<typeof policyExperimentSchema>;

/** The file of a policy plan; its tasks shard each policy across `workers` threads (default 1: a task has one CPU). */
export function policyExperimentFile(plan: SweepPlan): PolicyExperimentFile {
  const pricing = plan.pricing!;
  return {
    description: `${plan.name}: the pricing policies of a reproduction, written by its --backend slurm for the array's tasks (\`tollway sweep\` runs it as it is)`,
    reproduce: { name: plan.name.replace(/^reproduce /, ""), policies: pricing.policies, options: { ...pricing.options, workers: pricing.options.workers ?? 1 } as PolicyExperimentFile["reproduce"]["options"] },
  };
}

/** The plan of a policy experiment file (its `file` the experiment file). */
export async function loadPolicyPlan(raw: unknown, file: string): Promise<SweepPlan> {
  const parsed = policyExperimentSchema.safeParse(raw);
  if (!parsed.success) throw zodError(parsed.error, file);
  const { name, policies, options } = parsed.data.reproduce;
  return { ...(await policyPlan(name, policies, options as PricingRunOptions)), file };
}
