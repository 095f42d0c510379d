/**
 * How far a sweep is: from a store (runs ok and failed of each experiment against the runs it
 * plans) or from a SLURM sweep folder (which shards arrived, which never did, which hold fewer
 * runs than they should, which runs arrived in two shards).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { TollwayError } from "../errors.js";
import { ResultStore, runId } from "../store/store.js";
import { readManifest, type SweepManifest } from "./slurm.js";

/** One experiment in a store. */
export interface StoreStatus {
  experimentId: string;
  name: string;
  planned: number;
  ok: number;
  failed: number;
}

/** Progress of every experiment in a store. */
export async function storeStatus(file: string): Promise<StoreStatus[]> {
  const store = await ResultStore.open(file, { readOnly: true });
  try {
    return await store.rows<StoreStatus>(`
      SELECT e.experiment_id AS "experimentId", e.name, e.run_count AS planned,
        count(r.status) FILTER (WHERE r.status = 'ok')::INTEGER AS ok, count(r.status) FILTER (WHERE r.status = 'failed')::INTEGER AS failed
      FROM experiments e LEFT JOIN runs r USING (experiment_id) GROUP BY ALL ORDER BY e.experiment_id`);
  } finally {
    store.close();
  }
}

/** The shards of a SLURM sweep folder. */
export interface ShardsStatus {
  manifest: SweepManifest;
  /** Shard indices whose file does not exist. */
  missing: number[];
  /** Shards whose file holds fewer runs than the manifest gives them (still running, or killed), with how many. */
  incomplete: { index: number; stored: number; expected: number }[];
  /** Shards whose file is locked by a running task. */
  running: number[];
  /** Runs stored ok in more than one shard, with the shards. */
  duplicates: { run: string; shards: number[] }[];
  /** Distinct runs stored ok / failed (and not ok elsewhere) over all shards. */
  ok: number;
  failed: number;
}

/** Reads every shard of a sweep folder. */
export async function shardsStatus(dir: string): Promise<ShardsStatus> {
  const manifest = readManifest(dir);
  const status: ShardsStatus = { manifest, missing: [], incomplete: [], running: [], duplicates: [], ok: 0, failed: 0 };
  const okIn = new Map<string, number[]>();
  const failed = new Set<string>();
  for (const shard of manifest.shards) {
    const file = join(dir, shard.file);
    if (!existsSync(file)) {
      status.missing.push(shard.index);
      continue;
    }
    let store: ResultStore;
    try {
      store = await ResultStore.open(file, { readOnly: true });
    } catch (error) {
      if (error instanceof TollwayError && /in use by another process/.test(error.reason)) {
        status.running.push(shard.index);
        continue;
      }
      throw error;
    }
    try {
      const runs = await store.rows<{ point_id: string; replication: number; status: string }>(`SELECT point_id, replication, status FROM runs WHERE experiment_id = '${manifest.experimentId.replace(/'/g, "''")}'`);
      for (const r of runs) {
        const id = runId(r.point_id, r.replication);
        if (r.status === "ok") okIn.set(id, [...(okIn.get(id) ?? []), shard.index]);
        else failed.add(id);
      }
      if (runs.length < shard.runs.length) status.incomplete.push({ index: shard.index, stored: runs.length, expected: shard.runs.length });
    } finally {
      store.close();
    }
  }
  // A lost or cut-short shard whose runs a later (retry) shard took over, and that shard arrived, is no longer missing.
  const arrived = (index: number): boolean => !status.missing.includes(index) && !status.running.includes(index) && !status.incomplete.some((i) => i.index === index);
  const superseded = (index: number): boolean => {
    const runs = manifest.shards.find((s) => s.index === index)!.runs;
    const later = new Set(manifest.shards.filter((s) => s.index > index && arrived(s.index)).flatMap((s) => s.runs));
    return runs.every((r) => later.has(r));
  };
  status.missing = status.missing.filter((i) => !superseded(i));
  status.incomplete = status.incomplete.filter((i) => !superseded(i.index));
  for (const [run, shards] of okIn) if (shards.length > 1) status.duplicates.push({ run, shards });
  status.ok = okIn.size;
  status.failed = [...failed].filter((id) => !okIn.has(id)).length;
  return status;
}
