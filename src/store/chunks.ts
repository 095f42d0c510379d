/**
 * Column-wise bulk appends for the store's run-level tables. Rows are written into a DuckDB data
 * chunk — one typed vector per column, up to DuckDB's vector size (2048 rows) — and each full
 * chunk goes to the table's appender in one `appendDataChunk` call, instead of one appender call
 * per value and per row.
 *
 * Every row of a run-level table starts with the run's key columns (experiment, point,
 * replication, seed, scenario hash, version: schema.ts KEY_COLUMNS), the same for every row of a
 * run. A chunk that holds the rows of one run only gets those columns as DuckDB constant vectors
 * (one value per column instead of one string per row, which is most of the saving for
 * round_metrics); a chunk that holds rows of several runs gets them row by row. Runs with many
 * rows therefore start a chunk of their own, and tables with a few rows per run share chunks.
 */
import { createRequire } from "node:module";
import { DuckDBDataChunk, DuckDBTypeId, DuckDBVector, type DuckDBAppender, type DuckDBType, type DuckDBValue } from "@duckdb/node-api";

/**
 * The few functions of DuckDB's C API binding that @duckdb/node-api does not wrap: making a
 * vector constant (`duckdb_vector_reference_value`) and the values to make it from. Loaded
 * through @duckdb/node-api's own resolution, so it is the very copy (and native library) that
 * made the chunk.
 */
interface ConstantVectorBindings {
  data_chunk_get_vector(chunk: unknown, columnIndex: number): unknown;
  vector_reference_value(vector: unknown, value: unknown): void;
  create_varchar(text: string): unknown;
  create_int32(value: number): unknown;
  create_uint64(value: bigint): unknown;
}
const requireFromHere = createRequire(import.meta.url);
const bindings = createRequire(requireFromHere.resolve("@duckdb/node-api"))("@duckdb/node-bindings") as ConstantVectorBindings;

/** Rows per chunk: DuckDB's vector size, the most a data chunk holds. */
export const CHUNK_ROWS = DuckDBVector.standardSize();

/** A run with at least this many rows (or a chunk holding that many) is not mixed with other runs in one chunk. */
export const OWN_CHUNK_ROWS = 256;

/**
 * Writes source rows `from .. from + count - 1` into chunk rows `at .. at + count - 1`, column
 * by column; `columns[i]` is the table's column `keyWidth + i` (the columns after the key).
 */
export type ColumnFill = (columns: readonly DuckDBVector[], at: number, from: number, count: number) => void;

/** The rows of one run held by the current chunk. */
interface Segment {
  key: readonly DuckDBValue[];
  start: number;
  count: number;
}

/**
 * Buffers a table's rows column-wise in a data chunk and appends it whole. Rows keep the order
 * of the {@link ChunkAppender.addRows} calls; {@link ChunkAppender.close} appends the rest and
 * closes the appender (its rows then belong to the connection's open transaction, if any).
 */
export class ChunkAppender {
  private readonly types: DuckDBType[] = [];
  private readonly chunk: DuckDBDataChunk;
  private columns: DuckDBVector[] = [];
  private used = 0;
  private segments: Segment[] = [];

  /** @param keyWidth how many leading columns hold the run key given to {@link addRows}. */
  constructor(private readonly appender: DuckDBAppender, private readonly keyWidth: number) {
    for (let c = 0; c < appender.columnCount; c++) this.types.push(appender.columnType(c));
    this.chunk = DuckDBDataChunk.create(this.types);
    this.open();
  }

  private open(): void {
    this.chunk.reset();
    this.chunk.rowCount = CHUNK_ROWS;
    this.columns = [];
    for (let c = this.keyWidth; c < this.types.length; c++) this.columns.push(this.chunk.getColumnVector(c));
    this.used = 0;
    this.segments = [];
  }

  /**
   * Adds `count` rows of the run whose key columns are `key` (pass the same array for every
   * table of a run: a chunk is one run's when all its rows came with that very array).
   * `fill` may be called several times, once per chunk the rows span.
   */
  addRows(key: readonly DuckDBValue[], count: number, fill: ColumnFill): void {
    if (count === 0) return;
    const last = this.segments[this.segments.length - 1];
    if (last !== undefined && last.key !== key && (count >= OWN_CHUNK_ROWS || this.used >= OWN_CHUNK_ROWS)) this.flush();
    for (let from = 0; from < count; ) {
      const n = Math.min(CHUNK_ROWS - this.used, count - from);
      fill(this.columns, this.used, from, n);
      const tail = this.segments[this.segments.length - 1];
      if (tail !== undefined && tail.key === key) tail.count += n;
      else this.segments.push({ key, start: this.used, count: n });
      this.used += n;
      from += n;
      if (this.used === CHUNK_ROWS) this.flush();
    }
  }

  /** Appends the buffered rows as one chunk (nothing when none are buffered). */
  flush(): void {
    if (this.used === 0) return;
    for (const column of this.columns) column.flush();
    this.chunk.rowCount = this.used;
    const [only, ...others] = this.segments;
    if (only !== undefined && others.length === 0) {
      for (let c = 0; c < this.keyWidth; c++) {
        bindings.vector_reference_value(bindings.data_chunk_get_vector(this.chunk.chunk, c), constantValue(this.types[c]!, only.key[c]!));
      }
    } else {
      for (let c = 0; c < this.keyWidth; c++) {
        const vector = this.chunk.getColumnVector(c);
        for (const { key, start, count } of this.segments) {
          const value = key[c]!;
          for (let i = 0; i < count; i++) vector.setItem(start + i, value);
        }
        vector.flush();
      }
    }
    this.appender.appendDataChunk(this.chunk);
    this.open();
  }

  /** Appends what is buffered, then flushes and closes the appender. */
  close(): void {
    this.flush();
    this.appender.flushSync();
    this.appender.closeSync();
  }
}

/** A key value as a DuckDB value of its column's type (the key columns' types only). */
function constantValue(type: DuckDBType, value: DuckDBValue): unknown {
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
      if (typeof value === "string") return bindings.create_varchar(value);
      break;
    case DuckDBTypeId.INTEGER:
      if (typeof value === "number" && Number.isInteger(value) && value >= -2147483648 && value <= 2147483647) return bindings.create_int32(value);
      break;
    case DuckDBTypeId.UBIGINT:
      if (typeof value === "bigint" && BigInt.asUintN(64, value) === value) return bindings.create_uint64(value);
      break;
  }
  throw new Error(`ChunkAppender: a run key column of type ${type.toString()} cannot hold ${String(value)}`);
}
