/**
 * Merging shard stores into one (the collect step of a cluster sweep). A run already stored ok
 * is never stored twice: a second ok copy is reported as a duplicate and skipped, an ok copy
 * replaces a failed one (a retried run), and a failed copy never replaces anything.
 */
import { TollwayError } from "../errors.js";
import { quoteIdent, quoteLiteral, RUN_TABLES, STORE_SCHEMA_VERSION } from "./schema.js";
import type { ResultStore } from "./store.js";

/** What merging one shard did. */
export interface MergeResult {
  file: string;
  /** Runs added (new, or replacing a failed copy). */
  added: number;
  /** Runs ok in both the store and the shard: kept once. */
  duplicates: { experimentId: string; pointId: string; replication: number }[];
}

/**
 * Merges the store file `file` into `target`.
 * @throws TollwayError when the file is not a store of this schema version.
 */
export async function mergeShard(target: ResultStore, file: string): Promise<MergeResult> {
  const c = target.connection;
  try {
    await c.run(`ATTACH ${quoteLiteral(file)} AS shard (READ_ONLY)`);
  } catch (error) {
    throw new TollwayError(`cannot open the shard: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`, { file });
  }
  try {
    const meta = await target.rows<{ value: string }>("SELECT value FROM shard.store_meta WHERE key = 'schema_version'").catch(() => null);
    if (meta === null) throw new TollwayError("not a Tollway results store (no store_meta table)", { file });
    if (Number(meta[0]?.value) !== STORE_SCHEMA_VERSION) {
      throw new TollwayError(`store schema version ${meta[0]?.value ?? "missing"}, but this Tollway reads and writes version ${STORE_SCHEMA_VERSION}`, { file, field: "store_meta.schema_version" });
    }
    const mine = await target.columns("points");
    const theirs = await target.rows<{ name: string; type: string }>("SELECT column_name AS name, column_type AS type FROM (DESCRIBE shard.points)");
    for (const { name, type } of theirs) if (!mine.has(name)) await c.run(`ALTER TABLE points ADD COLUMN ${quoteIdent(name)} ${type}`);
    await c.run("BEGIN TRANSACTION");
    try {
      await c.run("INSERT INTO experiments SELECT * FROM shard.experiments s WHERE s.experiment_id NOT IN (SELECT experiment_id FROM experiments)");
      await c.run("INSERT INTO points BY NAME SELECT * FROM shard.points s WHERE (s.experiment_id, s.point_id) NOT IN (SELECT experiment_id, point_id FROM points)");
      const duplicates = await target.rows<{ experiment_id: string; point_id: string; replication: number }>(
        "SELECT s.experiment_id, s.point_id, s.replication FROM shard.runs s JOIN runs r USING (experiment_id, point_id, replication) WHERE s.status = 'ok' AND r.status = 'ok' ORDER BY 1, 2, 3",
      );
      await c.run(`CREATE OR REPLACE TEMP TABLE merge_replace AS SELECT s.experiment_id, s.point_id, s.replication FROM shard.runs s JOIN runs r USING (experiment_id, point_id, replication) WHERE s.status = 'ok' AND r.status = 'failed'`);
      for (const table of RUN_TABLES) await c.run(`DELETE FROM ${table} WHERE (experiment_id, point_id, replication) IN (SELECT * FROM merge_replace)`);
      await c.run("CREATE OR REPLACE TEMP TABLE merge_new AS SELECT experiment_id, point_id, replication FROM shard.runs WHERE (experiment_id, point_id, replication) NOT IN (SELECT experiment_id, point_id, replication FROM runs)");
      const [{ n }] = await target.rows<{ n: number }>("SELECT count(*) AS n FROM merge_new") as [{ n: number }];
      for (const table of RUN_TABLES) {
        await c.run(`INSERT INTO ${table} BY NAME SELECT * FROM shard.${table} WHERE (experiment_id, point_id, replication) IN (SELECT * FROM merge_new)`);
      }
      await c.run("COMMIT");
      return { file, added: n, duplicates: duplicates.map((d) => ({ experimentId: d.experiment_id, pointId: d.point_id, replication: d.replication })) };
    } catch (error) {
      await c.run("ROLLBACK");
      throw error;
    }
  } finally {
    await c.run("DETACH shard");
  }
}
