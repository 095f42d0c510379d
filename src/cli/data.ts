/** `tollway data fetch|list|path`: the public topology files, downloaded, checked and cached per user. */
import type { Command } from "commander";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { TollwayError } from "../errors.js";
import { dataDir } from "../data/dir.js";
import { fetchKnown } from "../data/fetch.js";
import { KNOWN_FILES } from "../data/known.js";
import { cachedTopologyFile, deriveCachedTopology, JP_AS_REL } from "../data/topology.js";

/** Registers `tollway data` and its subcommands. */
export function registerData(program: Command): void {
  const data = program.command("data").description("download, check and cache the public data files (CAIDA, APNIC)");
  data
    .command("fetch")
    .description("download a known file from its publisher (or TOLLWAY_DATA_BASE_URL), check its sha256 and cache it")
    .argument("<dataset>", `dataset id: ${[...new Set(KNOWN_FILES.map((f) => f.dataset))].join(", ")}, or "all"`)
    .argument("[date]", "snapshot date YYYYMMDD (default: the only one known)")
    .option("--base-url <url>", "download <url>/<file name> instead of the publisher's URL")
    .action(async (dataset: string, date: string | undefined, options: { baseUrl?: string }) => {
      const files = dataset === "all"
        ? KNOWN_FILES
        : KNOWN_FILES.filter((f) => f.dataset === dataset && (date === undefined || f.date === date));
      if (files.length === 0) {
        const known = KNOWN_FILES.map((f) => `${f.dataset} ${f.date}`).join(", ");
        throw new TollwayError(`no recorded checksum for ${dataset}${date ? ` ${date}` : ""} (known: ${known})`, { field: "dataset" });
      }
      for (const file of files) {
        const result = await fetchKnown(file, options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {});
        process.stdout.write(`${result.cached ? "cached" : "fetched"} ${file.dataset} ${file.date}: ${result.path}\n`);
      }
      const topology = deriveCachedTopology();
      if (topology !== undefined) process.stdout.write(`paper topology (JP subgraph, sha256 checked): ${topology}\n`);
    });
  data
    .command("list")
    .description("the known files and whether each is cached")
    .option("--json", "print as JSON")
    .action((options: { json?: boolean }) => {
      const rows = KNOWN_FILES.map((f) => {
        const path = join(dataDir(), f.name);
        return { dataset: f.dataset, date: f.date, cached: existsSync(path), path, url: f.url, sha256: f.sha256 };
      });
      const topology = cachedTopologyFile();
      const derived = { file: JP_AS_REL, cached: topology !== undefined, path: join(dataDir(), JP_AS_REL) };
      if (options.json) { process.stdout.write(JSON.stringify({ files: rows, topology: derived }, null, 2) + "\n"); return; }
      for (const r of rows) process.stdout.write(`${r.dataset} ${r.date} ${r.cached ? "cached" : "not cached"} ${r.path} (${r.url})\n`);
      process.stdout.write(`paper topology ${derived.cached ? "cached" : "not cached (derived once both files are fetched)"} ${derived.path}\n`);
    });
  data
    .command("path")
    .description("print the data folder (TOLLWAY_DATA_DIR, XDG_DATA_HOME/tollway or ~/.local/share/tollway)")
    .action(() => { process.stdout.write(dataDir() + "\n"); });
}
