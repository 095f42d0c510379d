/** `tollway collect <dir> --store S`: merges a SLURM sweep's shard stores into one, reporting shards that never arrived or runs that arrived twice. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { TollwayError } from "../errors.js";
import { shardsStatus } from "../cluster/sweep-status.js";
import { mergeShard } from "../store/merge.js";
import { ResultStore } from "../store/store.js";

/** Adds `tollway collect` to the program. */
export function registerCollect(program: Command): void {
  program
    .command("collect")
    .description("merge the shard stores of a SLURM sweep folder into one store")
    .argument("<dir>", "the sweep's folder (holds manifest.json and shard-*.duckdb)")
    .option("--store <file>", "the merged store (default: the one named in the manifest)")
    .option("--json", "print what was merged as JSON")
    .action(async (dir: string, options: { store?: string; json?: boolean }) => {
      const status = await shardsStatus(dir);
      if (status.running.length > 0) throw new TollwayError(`shard${status.running.length > 1 ? "s" : ""} ${status.running.join(", ")} still being written by a running task; wait for the array to finish`, { file: dir });
      const target = await ResultStore.open(options.store ?? status.manifest.store);
      let added = 0;
      let present = 0;
      const duplicates: string[] = [];
      try {
        for (const shard of status.manifest.shards) {
          const file = join(dir, shard.file);
          if (!existsSync(file)) continue;
          present++;
          const merged = await mergeShard(target, file);
          added += merged.added;
          duplicates.push(...merged.duplicates.map((d) => `${d.pointId}#${d.replication}`));
        }
      } finally {
        target.close();
      }
      const report = {
        store: options.store ?? status.manifest.store, added, missingShards: status.missing,
        incompleteShards: status.incomplete, duplicateRuns: status.duplicates, alreadyStored: duplicates.length,
      };
      if (options.json) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
      else {
        process.stdout.write(`merged ${added} runs into ${report.store} from ${present} of ${status.manifest.shards.length} shards\n`);
        for (const d of status.duplicates) process.stdout.write(`run ${d.run} arrived in shards ${d.shards.join(" and ")}: stored once\n`);
      }
      if (status.missing.length > 0 || status.incomplete.length > 0) {
        const parts = [
          ...(status.missing.length > 0 ? [`shard${status.missing.length > 1 ? "s" : ""} ${status.missing.join(", ")} never arrived`] : []),
          ...status.incomplete.map((s) => `shard ${s.index} holds ${s.stored} of ${s.expected} runs`),
        ];
        throw new TollwayError(`${parts.join("; ")}; resubmit them with \`tollway sweep ${status.manifest.file} --backend slurm --retry-failed --dir ${dir}\``, { file: dir });
      }
    });
}
