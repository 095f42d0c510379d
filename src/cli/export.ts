/** `tollway export <store> --parquet DIR | --csv DIR`: every table of a results store as files. */
import type { Command } from "commander";
import { TollwayError } from "../errors.js";
import { exportStore } from "../store/export.js";
import { ResultStore } from "../store/store.js";

/** Adds `tollway export` to the program. */
export function registerExport(program: Command): void {
  program
    .command("export")
    .description("write every table of a results store as Parquet or CSV files")
    .argument("<store>", "DuckDB results store")
    .option("--parquet <dir>", "write <table>.parquet files into dir")
    .option("--csv <dir>", "write <table>.csv files (with a header) into dir")
    .action(async (file: string, options: { parquet?: string; csv?: string }) => {
      if ((options.parquet === undefined) === (options.csv === undefined)) throw new TollwayError("give exactly one of --parquet DIR and --csv DIR");
      const store = await ResultStore.open(file, { readOnly: true });
      try {
        const files = await exportStore(store, (options.parquet ?? options.csv)!, options.parquet !== undefined ? "parquet" : "csv");
        process.stdout.write(files.join("\n") + "\n");
      } finally {
        store.close();
      }
    });
}
