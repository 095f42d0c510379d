/**
 * `--backend slurm` of the studies (deviation, tournament, oscillation, audit): a study's plan is
 * an ordinary sweep plan, so it is written as an experiment file (`experiment.json` in the
 * sweep's folder: the base scenario, the ISPs made explicit, the spec) and submitted exactly as
 * `tollway sweep <that file> --backend slurm` submits it — the array's tasks rebuild the plan
 * from the file, and the merge job collects the shards into `--store`. The same study command run
 * again with that store reads the runs and prints the report, running nothing. With `--wait` it
 * waits for the jobs and prints the report at once. `--dry-run` prints the experiment file and
 * the sbatch script (with `--backend slurm`) or the points (local).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { StudyDeferred, TollwayError } from "../errors.js";
import type { StudyBackend } from "../analysis/study-runs.js";
import { loadSweepPlan } from "../analysis/plan-file.js";
import type { SweepPlan } from "../analysis/sweep-plan.js";
import type { ExperimentFile } from "../scenario/experiment.js";
import { policyExperimentFile, type PolicyExperimentFile } from "../reproduce/policy-plan.js";
import { printDryRun } from "./sweep.js";
import { addSlurmOptions, slurmSweep, type SlurmCliOptions } from "./sweep-slurm.js";

/** The backend options a study command takes. */
export interface StudyBackendFlags extends Omit<SlurmCliOptions, "store"> {
  backend?: string;
  store?: string;
}

/** Adds `--backend`, `--dry-run` and the SLURM options to a study command. */
export function addStudyBackendOptions(command: Command): Command {
  command
    .option("--backend <name>", "local (this machine) or slurm (an sbatch array job into --store; run the command again once it is collected to print the report)", "local")
    .option("--dry-run", "list the study's points and runs without running them (with --backend slurm: print the experiment file and the sbatch script)");
  return addSlurmOptions(command);
}

/**
 * The backend the flags ask for: undefined to run here, else one that submits (or only shows)
 * the plan.
 * @throws TollwayError on an unknown backend, or SLURM without --store.
 */
export function studyBackend(flags: StudyBackendFlags): StudyBackend | undefined {
  const backend = flags.backend ?? "local";
  if (backend !== "local" && backend !== "slurm") throw new TollwayError(`--backend must be local or slurm (got "${backend}")`);
  if (backend === "local") {
    if (!flags.dryRun) return undefined;
    return { always: true, submit: async (plan) => {
      printDryRun(plan, flags.json ?? false);
      throw new StudyDeferred("");
    } };
  }
  const store = flags.store;
  if (store === undefined) throw new TollwayError("--backend slurm needs --store: the store the merge job collects the shards into, which this command reads when run again");
  return { always: flags.dryRun ?? false, submit: (plan) => submitStudy(plan, { ...flags, store }) };
}

/** The experiment file of a study's plan (its base an absolute path, as in the manifest): tasks that load it make the very same plan. */
export function studyExperimentFile(plan: SweepPlan): ExperimentFile | PolicyExperimentFile {
  if (plan.pricing !== undefined) return policyExperimentFile(plan);
  return {
    description: `${plan.name}: a study's plan, written by its --backend slurm for the array's tasks (\`tollway sweep\` runs it as it is)`,
    base: resolve(plan.baseFile),
    ...(plan.explicitIsps !== undefined ? { explicitIsps: plan.explicitIsps } : {}),
    ...plan.spec,
  };
}

async function submitStudy(plan: SweepPlan, flags: StudyBackendFlags & { store: string }): Promise<void> {
  const dir = resolve(flags.dir ?? `${flags.store}.shards`);
  const file = join(dir, "experiment.json");
  const text = JSON.stringify(studyExperimentFile(plan), null, 2) + "\n";
  if (existsSync(file) && readFileSync(file, "utf8") !== text) throw new TollwayError("holds the experiment file of another study (or of other options); give this one another --dir", { file: dir });
  const options = { ...flags, dir };
  if (flags.dryRun) {
    process.stdout.write(`# --- ${file} ---\n${text}`);
    await slurmSweep({ ...plan, file }, options);
    throw new StudyDeferred("");
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, text);
  const filed = await loadSweepPlan(file);
  if (filed.experimentId !== plan.experimentId || filed.runs.length !== plan.runs.length) {
    throw new Error(`${file} plans experiment ${filed.experimentId} (${filed.runs.length} runs), not the study's ${plan.experimentId} (${plan.runs.length} runs)`);
  }
  // With --wait the report follows on stdout, so what was submitted goes to stderr.
  await slurmSweep(filed, flags.wait ? { ...options, log: (t) => void process.stderr.write(t) } : options);
  if (flags.wait) return;
  const next = `${flags.merge === false ? `merge the shards with \`tollway collect ${dir} --store ${flags.store}\`, then ` : ""}run this command again with --store ${flags.store}: it reads the runs and prints the report (\`tollway status ${dir}\` says how far the array is)`;
  if (flags.json) {
    process.stderr.write(`${plan.name}: when the jobs have finished, ${next}\n`);
    throw new StudyDeferred("");
  }
  throw new StudyDeferred(`when the jobs have finished, ${next}`);
}
