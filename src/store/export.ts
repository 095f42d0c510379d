/** Writes every table of a store as Parquet or CSV files (one per table), typed columns, ready for pandas, polars and R. */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { ALL_TABLES, quoteLiteral } from "./schema.js";
import type { ResultStore } from "./store.js";

/**
 * Exports the tables into `dir` as `<table>.parquet` or `<table>.csv` and returns the files written.
 *
 * @example await exportStore(store, "out", "parquet") // ["out/store_meta.parquet", "out/experiments.parquet", ...]
 */
export async function exportStore(store: ResultStore, dir: string, format: "parquet" | "csv"): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const table of ALL_TABLES) {
    const file = join(dir, `${table}.${format}`);
    const options = format === "parquet" ? "(FORMAT parquet)" : "(FORMAT csv, HEADER true)";
    await store.connection.run(`COPY (SELECT * FROM ${table}) TO ${quoteLiteral(resolve(file))} ${options}`);
    files.push(file);
  }
  return files;
}
