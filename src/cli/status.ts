/** `tollway status <dir|store>`: how far a sweep is. */
import { statSync } from "node:fs";
import type { Command } from "commander";
import { TollwayError } from "../errors.js";
import { shardsStatus, storeStatus } from "../cluster/sweep-status.js";

/** Adds `tollway status` to the program. */
export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("how far a sweep is: a results store, or a SLURM sweep folder")
    .argument("<dir|store>", "a DuckDB results store, or the folder of a SLURM sweep")
    .option("--json", "print it as JSON")
    .action(async (target: string, options: { json?: boolean }) => {
      let isDir: boolean;
      try {
        isDir = statSync(target).isDirectory();
      } catch {
        throw new TollwayError("no such store or folder", { file: target });
      }
      if (isDir) {
        const s = await shardsStatus(target);
        if (options.json) {
          const { manifest, ...rest } = s;
          process.stdout.write(JSON.stringify({ experimentId: manifest.experimentId, runs: manifest.runCount, shards: manifest.shards.length, ...rest }, null, 2) + "\n");
          return;
        }
        const arrived = s.manifest.shards.length - s.missing.length - s.running.length;
        const lines = [
          `experiment ${s.manifest.experimentId}: ${s.ok} of ${s.manifest.runCount} runs ok, ${s.failed} failed`,
          `shards: ${arrived} of ${s.manifest.shards.length} arrived${s.running.length > 0 ? `, ${s.running.length} being written (${s.running.join(", ")})` : ""}${s.missing.length > 0 ? `, missing: ${s.missing.join(", ")}` : ""}`,
          ...s.incomplete.map((i) => `shard ${i.index}: ${i.stored} of ${i.expected} runs`),
          ...s.duplicates.map((d) => `run ${d.run} arrived in shards ${d.shards.join(" and ")}`),
        ];
        process.stdout.write(lines.join("\n") + "\n");
        return;
      }
      const rows = await storeStatus(target);
      if (options.json) process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
      else process.stdout.write(rows.map((r) => `experiment ${r.experimentId} (${r.name}): ${r.ok} of ${r.planned} runs ok, ${r.failed} failed, ${r.planned - r.ok - r.failed} to do`).join("\n") + "\n");
    });
}
