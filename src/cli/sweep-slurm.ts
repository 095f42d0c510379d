/** `tollway sweep --backend slurm`: placeholder replaced in the SLURM step. */
import type { SweepPlan } from "../analysis/sweep-plan.js";
import { TollwayError } from "../errors.js";

/** SLURM options of `tollway sweep`. */
export interface SlurmCliOptions {
  dir?: string;
  arraySize?: number;
  maxParallel?: number;
  maxArraySize?: number;
  partition?: string;
  time?: string;
  merge?: boolean;
}

export async function slurmSweep(_plan: SweepPlan, _file: string, _options: SlurmCliOptions): Promise<void> {
  throw new TollwayError("--backend slurm is not available yet");
}
