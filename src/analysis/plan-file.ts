/**
 * Reading a sweep's plan from a file: an experiment file, a scenario with an `experiment` (or an
 * oscillation `sweep`), or a reproduction's pricing policies. Apart from sweep-plan.ts so that
 * planning an experiment never imports the reproduction that plans through it.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { TollwayError } from "../errors.js";
import { loadPolicyPlan } from "../reproduce/policy-plan.js";
import { experimentFileSchema } from "../scenario/experiment.js";
import { loadScenarioFile, zodError, type LoadedScenario } from "../scenario/load.js";
import { ispIds, oscillationPlan, planExperiment, withExplicitIsps, type SweepPlan } from "./sweep-plan.js";

/**
 * Reads an experiment: a scenario with an `experiment` field, an experiment file naming its
 * `base` scenario, or the pricing policies of a reproduction (`reproduce`, src/reproduce/policy-plan.ts).
 * @throws TollwayError naming the file and field of bad input.
 */
export async function loadSweepPlan(file: string): Promise<SweepPlan> {
  const raw = readJson(file);
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw) && "base" in raw) {
    const parsed = experimentFileSchema.safeParse(raw);
    if (!parsed.success) throw zodError(parsed.error, file);
    const { base, description: _description, explicitIsps, ...spec } = parsed.data;
    const baseFile = resolve(dirname(file), base);
    let loaded: LoadedScenario;
    try {
      loaded = loadScenarioFile(baseFile);
    } catch (error) {
      if (error instanceof TollwayError && error.reason === "no such file") throw new TollwayError(`no such scenario file "${base}"`, { file, field: "base" });
      throw error;
    }
    if (explicitIsps === undefined) return planExperiment(loaded, spec, file, "");
    const isps = await ispIds(loaded);
    explicitIsps.forEach((id, i) => {
      if (!isps.includes(id)) throw new TollwayError(`"${id}" is not an ISP of the base scenario (its ISPs: ${isps.join(", ")})`, { file, field: `explicitIsps.${i}` });
    });
    return { ...(await planExperiment(withExplicitIsps(loaded, explicitIsps), spec, file, "")), explicitIsps };
  }
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw) && "reproduce" in raw) {
    return loadPolicyPlan(raw, file);
  }
  const loaded = loadScenarioFile(file);
  const spec = loaded.scenario.experiment;
  if (spec === undefined && loaded.scenario.sweep !== undefined) return oscillationPlan(loaded, file);
  if (spec === undefined) {
    throw new TollwayError(`no "experiment" in the scenario: add one, e.g. "experiment": { "factors": [{ "path": "seed", "values": [1, 2] }] }, or write an experiment file with "base"`, { file });
  }
  return planExperiment(loaded, spec, file, "experiment");
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TollwayError(code === "ENOENT" ? "no such file" : `cannot read (${code ?? String(error)})`, { file });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TollwayError(`invalid JSON: ${error instanceof Error ? error.message : String(error)}`, { file });
  }
}

