/**
 * A results store: one DuckDB file holding experiments, their points and every run with its
 * per-round and per-agent metrics (tables in schema.ts). Runs are written with DuckDB's appender, a
 * data chunk at a time (chunks.ts), each batch in one transaction together with its runs row, so a
 * process killed at any moment leaves every run either wholly stored or not at all. DuckDB allows one writing process per file;
 * a second one gets a TollwayError naming the process that holds it.
 */
// DuckDB (a native library, about 0.3 s to load) and chunks.ts are loaded by open(), not at import:
// every CLI command imports this file, and `npm start` (reproduce table1) never opens a store.
import type { DuckDBAppender, DuckDBConnection, DuckDBInstance, DuckDBValue, DuckDBVector } from "@duckdb/node-api";
import { TollwayError } from "../errors.js";
import type { SweepPlan } from "../analysis/sweep-plan.js";
import type { RunOutcome } from "../cluster/point-run.js";
import type { ChunkAppender } from "./chunks.js";
import { CREATE_TABLES, KEY_WIDTH, FLOW_MEASURES, POLICY_MEASURES, quoteIdent, quoteLiteral, ROUND_MEASURES, RUN_MEASURES, RUN_TABLES, STORE_SCHEMA_VERSION } from "./schema.js";

/** Which run a row belongs to. */
export interface RunKey {
  experimentId: string;
  pointId: string;
  pointIndex: number;
  replication: number;
  seed: number;
  scenarioHash: string;
  version: string;
}

/** A finished run to store. */
export interface StoredRun {
  key: RunKey;
  outcome: RunOutcome;
  /** The cluster shard that ran it (null: a local sweep). */
  shard?: number | null;
  /** The store may hold an earlier (failed) try of this run: delete it first. Left out, the run is known to be new. */
  replace?: boolean;
}

/** The key of a run in maps: point id and replication. */
export function runId(pointId: string, replication: number): string {
  return `${pointId}#${replication}`;
}

/** Options of {@link ResultStore.open}. */
export interface OpenOptions {
  /** Open without writing (status, summaries, exports); a missing file is then an error. */
  readOnly?: boolean;
}

export class ResultStore {
  readonly path: string;
  readonly connection: DuckDBConnection;
  private readonly instance: DuckDBInstance;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly Appender: typeof ChunkAppender;

  private constructor(path: string, instance: DuckDBInstance, connection: DuckDBConnection, Appender: typeof ChunkAppender) {
    this.path = path;
    this.Appender = Appender;
    this.instance = instance;
    this.connection = connection;
  }

  /**
   * Opens (or creates) a store and checks its schema version.
   * @throws TollwayError when another process holds the file, it is not a DuckDB file, or its
   *   schema version is not this Tollway's.
   */
  static async open(path: string, options: OpenOptions = {}): Promise<ResultStore> {
    const [{ DuckDBInstance }, { ChunkAppender }] = await Promise.all([import("@duckdb/node-api"), import("./chunks.js")]);
    let instance: DuckDBInstance;
    try {
      // One DuckDB thread: the store's writes are small, and idle DuckDB threads would compete with the sweep's workers.
      instance = await DuckDBInstance.create(path, { threads: "1", ...(options.readOnly ? { access_mode: "READ_ONLY" } : {}) });
    } catch (error) {
      throw openError(path, error);
    }
    const connection = await instance.connect();
    const store = new ResultStore(path, instance, connection, ChunkAppender);
    try {
      await store.prepare(options.readOnly ?? false);
    } catch (error) {
      store.close();
      throw error;
    }
    return store;
  }

  private async prepare(readOnly: boolean): Promise<void> {
    const tables = await this.rows<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = 'main'");
    const names = new Set(tables.map((t) => t.name));
    if (names.size > 0 && !names.has("store_meta")) throw new TollwayError("not a Tollway results store (no store_meta table)", { file: this.path });
    if (names.has("store_meta")) {
      const [row] = await this.rows<{ value: string }>("SELECT value FROM store_meta WHERE key = 'schema_version'");
      const version = row ? Number(row.value) : NaN;
      if (version !== STORE_SCHEMA_VERSION) {
        throw new TollwayError(`store schema version ${row?.value ?? "missing"}, but this Tollway reads and writes version ${STORE_SCHEMA_VERSION}; export it with the Tollway that wrote it, or use a new store`, { file: this.path, field: "store_meta.schema_version" });
      }
      return;
    }
    if (readOnly) throw new TollwayError("empty file: not a Tollway results store", { file: this.path });
    // One transaction: a process killed while creating the store leaves an empty file, not a half-made store.
    await this.connection.run(`BEGIN TRANSACTION; ${CREATE_TABLES}; INSERT INTO store_meta VALUES ('schema_version', '${STORE_SCHEMA_VERSION}'); COMMIT`);
  }

  /** Runs a query and returns its rows as objects, BIGINTs as numbers. */
  async rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjects().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]))) as T[];
  }

  /** Serializes writes: DuckDB transactions on one connection must not interleave. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Records the experiment and its points (idempotent: a resumed sweep finds them there).
   * Each factor becomes a typed column of `points`.
   */
  registerExperiment(plan: SweepPlan): Promise<void> {
    return this.exclusive(async () => {
      const existing = await this.rows(`SELECT 1 FROM experiments WHERE experiment_id = ${quoteLiteral(plan.experimentId)}`);
      const columns = await this.columns("points");
      for (const factor of plan.factors) {
        const type = columns.get(factor.name);
        if (type === undefined) {
          await this.connection.run(`ALTER TABLE points ADD COLUMN ${quoteIdent(factor.name)} ${factor.type}`);
        } else if (type !== factor.type) {
          throw new TollwayError(`factor "${factor.name}" is ${factor.type} here but ${type} in the store's points table; rename the factor`, { file: this.path, field: `points.${factor.name}` });
        }
      }
      if (existing.length > 0) return;
      await this.connection.run("BEGIN TRANSACTION");
      try {
        await this.connection.run(
          "INSERT INTO experiments VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
          [plan.experimentId, plan.name, plan.file, plan.baseFile, plan.baseHash, plan.seed, plan.replications, plan.spec.design.kind,
            plan.points.length, plan.runs.length, plan.factors.map((f) => f.name).join(","), (plan.spec.measures ?? []).join(","),
            JSON.stringify(plan.spec), plan.version],
        );
        const order = [...(await this.columns("points")).keys()];
        const appender = await this.connection.createAppender("points");
        for (const point of plan.points) {
          const row: Record<string, unknown> = {
            experiment_id: plan.experimentId, point_id: point.id, point_index: point.index, scenario_hash: point.scenarioHash, tollway_version: plan.version,
            ...point.values,
          };
          for (const column of order) appendAny(appender, row[column] ?? null);
          appender.endRow();
        }
        appender.flushSync();
        appender.closeSync();
        await this.connection.run("COMMIT");
      } catch (error) {
        await this.connection.run("ROLLBACK");
        throw error;
      }
    });
  }

  /** Column name → SQL type of a table, in column order. */
  async columns(table: string): Promise<Map<string, string>> {
    const rows = await this.rows<{ name: string; type: string }>(`SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_catalog = current_database() AND table_schema = 'main' AND table_name = ${quoteLiteral(table)} ORDER BY ordinal_position`);
    return new Map(rows.map((r) => [r.name, r.type]));
  }

  /** The status of every stored run of an experiment, by {@link runId}. */
  async runStatus(experimentId: string): Promise<Map<string, "ok" | "failed">> {
    const rows = await this.rows<{ point_id: string; replication: number; status: "ok" | "failed" }>(
      `SELECT point_id, replication, status FROM runs WHERE experiment_id = ${quoteLiteral(experimentId)}`,
    );
    return new Map(rows.map((r) => [runId(r.point_id, r.replication), r.status]));
  }

  /**
   * Stores finished runs in one transaction: earlier rows of the runs marked `replace` (a failed
   * try being retried) are deleted first, so every run is there exactly once.
   */
  writeRuns(runs: readonly StoredRun[]): Promise<void> {
    if (runs.length === 0) return Promise.resolve();
    return this.exclusive(async () => {
      await this.connection.run("BEGIN TRANSACTION");
      try {
        const byExperiment = new Map<string, StoredRun[]>();
        for (const r of runs) if (r.replace) byExperiment.set(r.key.experimentId, [...(byExperiment.get(r.key.experimentId) ?? []), r]);
        for (const [experimentId, list] of byExperiment) {
          const keys = list.map((r) => `(${quoteLiteral(r.key.pointId)}, ${r.key.replication})`).join(", ");
          for (const table of RUN_TABLES) {
            await this.connection.run(`DELETE FROM ${table} WHERE experiment_id = ${quoteLiteral(experimentId)} AND (point_id, replication) IN (${keys})`);
          }
        }
        await this.appendRuns(runs);
        await this.connection.run("COMMIT");
      } catch (error) {
        await this.connection.run("ROLLBACK");
        throw error;
      }
    });
  }

  /**
   * Appends the runs' rows to every run-level table, column-wise in data chunks (chunks.ts); rows
   * keep the order of `runs`. A table's column order and types are those of schema.ts.
   */
  private async appendRuns(runs: readonly StoredRun[]): Promise<void> {
    const open = async (table: string) => new this.Appender(await this.connection.createAppender(table), KEY_WIDTH);
    const runsA = await open("runs");
    const roundsA = await open("round_metrics");
    const ispsA = await open("isp_metrics");
    const flowsA = await open("flow_metrics");
    const policyA = await open("policy_metrics");
    const peaksA = await open("link_peaks");
    const switchesA = await open("path_switch_counts");
    for (const { key, outcome, shard } of runs) {
      const k = keyValues(key);
      runsA.addRows(k, 1, (c, at) => {
        c[0]!.setItem(at, key.pointIndex);
        c[1]!.setItem(at, outcome.status);
        c[2]!.setItem(at, orNull(outcome.error));
        c[3]!.setItem(at, outcome.wallSeconds);
        c[4]!.setItem(at, orNull(shard));
        c[5]!.setItem(at, orNull(outcome.topologyHash));
        RUN_MEASURES.forEach(([, field], m) => c[6 + m]!.setItem(at, outcome.totals ? orNull(outcome.totals[field]) : null));
      });
      const rounds = outcome.rounds;
      roundsA.addRows(k, rounds.length, (c, at, from, n) => {
        fillColumn(c[0]!, at, n, rounds, from, (r) => r.round);
        ROUND_MEASURES.forEach(([, field], m) => fillColumn(c[1 + m]!, at, n, rounds, from, (r) => r[field]));
      });
      const isps = outcome.isps;
      ispsA.addRows(k, isps.length, (c, at, from, n) => {
        fillColumn(c[0]!, at, n, isps, from, (r) => r.isp);
        fillColumn(c[1]!, at, n, isps, from, (r) => r.strategy);
        fillColumn(c[2]!, at, n, isps, from, (r) => r.revenue);
        fillColumn(c[3]!, at, n, isps, from, (r) => r.cost);
        fillColumn(c[4]!, at, n, isps, from, (r) => r.profit);
      });
      const flows = outcome.flows;
      flowsA.addRows(k, flows.length, (c, at, from, n) => {
        fillColumn(c[0]!, at, n, flows, from, (r) => r.agent);
        fillColumn(c[1]!, at, n, flows, from, (r) => r.flow);
        FLOW_MEASURES.forEach(([, field], m) => fillColumn(c[2 + m]!, at, n, flows, from, (r) => r[field]));
      });
      const policy = outcome.policy;
      if (policy !== undefined) {
        policyA.addRows(k, 1, (c, at) => {
          c[0]!.setItem(at, policy.policy);
          c[1]!.setItem(at, policy.scenario);
          c[2]!.setItem(at, orNull(policy.alpha));
          POLICY_MEASURES.forEach(([, field], m) => c[3 + m]!.setItem(at, policy[field]));
        });
        const peaks = policy.peaks;
        peaksA.addRows(k, peaks.length, (c, at, from, n) => {
          for (let i = 0; i < n; i++) {
            c[0]!.setItem(at + i, from + i);
            c[1]!.setItem(at + i, peaks[from + i]!);
          }
        });
        const switches = policy.switchCounts;
        switchesA.addRows(k, switches.length, (c, at, from, n) => {
          for (let i = 0; i < n; i++) {
            c[0]!.setItem(at + i, from + i);
            c[1]!.setItem(at + i, switches[from + i]!);
          }
        });
      }
    }
    for (const a of [runsA, roundsA, ispsA, flowsA, policyA, peaksA, switchesA]) a.close();
  }

  /** Waits for pending writes and closes the file. */
  async closeAfterWrites(): Promise<void> {
    await this.queue;
    this.close();
  }

  /** Closes the file (pending writes are lost: use {@link closeAfterWrites}). */
  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** The values of a run's key columns (schema.ts KEY_COLUMNS), in order. */
function keyValues(key: RunKey): DuckDBValue[] {
  return [key.experimentId, key.pointId, key.replication, BigInt(key.seed), key.scenarioHash, key.version];
}

/** Writes `get(rows[from + i])` into `vector[at + i]` for i < n. */
function fillColumn<T>(vector: DuckDBVector, at: number, n: number, rows: readonly T[], from: number, get: (row: T) => DuckDBValue): void {
  for (let i = 0; i < n; i++) vector.setItem(at + i, get(rows[from + i]!));
}

/** What the per-row appender wrote for a missing value: NULL. */
function orNull<T>(value: T | null | undefined): T | null {
  return value ?? null;
}

function appendAny(appender: DuckDBAppender, value: unknown): void {
  if (value === null || value === undefined) appender.appendNull();
  else if (typeof value === "number") appender.appendDouble(value);
  else if (typeof value === "boolean") appender.appendBoolean(value);
  else appender.appendVarchar(String(value));
}

/** DuckDB's open errors as one line a user can act on. */
function openError(path: string, error: unknown): TollwayError {
  const message = error instanceof Error ? error.message : String(error);
  const lock = /Conflicting lock is held in (.*?) \(PID (\d+)\)/.exec(message);
  if (lock) return new TollwayError(`the store is in use by another process (PID ${lock[2]}, ${lock[1]}); DuckDB allows one writer per file: wait for it, or give this sweep another --store`, { file: path }, { cause: error });
  if (/Cannot open database .* in read-only mode: database does not exist/.test(message) || /No such file/i.test(message)) {
    return new TollwayError("no such store", { file: path }, { cause: error });
  }
  return new TollwayError(`cannot open the store: ${message.replace(/\s+/g, " ")}`, { file: path }, { cause: error });
}
