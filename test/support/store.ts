/** Reading a results store in a test. */
import { loadSweepPlan } from "../../src/analysis/plan-file.js";
import { runSweepLocal, type LocalSweepOptions } from "../../src/cluster/local.js";
import { RUN_TABLES } from "../../src/store/schema.js";
import { ResultStore } from "../../src/store/store.js";

/** The rows of `sql` on the store `file`, opened read-only and closed again. */
export async function query<T = Record<string, unknown>>(file: string, sql: string): Promise<T[]> {
  const store = await ResultStore.open(file, { readOnly: true });
  try {
    return await store.rows<T>(sql);
  } finally {
    store.close();
  }
}

/** Every run-level table, in a fixed order, without the clock reading (wall_seconds) and the experiment id. */
export async function runTables(file: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of RUN_TABLES) out[table] = await query(file, `SELECT * EXCLUDE (${table === "runs" ? "wall_seconds, " : ""}experiment_id) FROM ${table} ORDER BY ALL`);
  return out;
}

/** Sweeps the experiment file into the store `file` (created) and closes it; returns the file. */
export async function sweepInto(file: string, experiment: string, options: Omit<LocalSweepOptions, "store">): Promise<string> {
  const store = await ResultStore.open(file);
  try {
    await runSweepLocal(await loadSweepPlan(experiment), { ...options, store });
  } finally {
    await store.closeAfterWrites();
  }
  return file;
}
