/** The paper's topology in the per-user cache: derived from the cached CAIDA and APNIC files, checked by sha256. */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TollwayError } from "../errors.js";
import { dataDir } from "./dir.js";
import { deriveJpAsRel, JP_AS_REL_SHA256 } from "./derive.js";
import { sha256Hex } from "./fetch.js";
import { findKnown } from "./known.js";

/** File name of the paper's topology, in ../shared/data and in the cache. */
export const JP_AS_REL = "jp-as-rel.txt";

/**
 * Writes jp-as-rel.txt into the cache when both source files are cached; returns its path, or
 * undefined when a source file is missing. Throws when the derivation does not give the recorded sha256.
 */
export function deriveCachedTopology(dir: string = dataDir()): string | undefined {
  const caida = findKnown("caida-as-rel", "20150801")!, apnic = findKnown("apnic-delegated", "20150708")!;
  const caidaPath = join(dir, caida.name), apnicPath = join(dir, apnic.name);
  if (!existsSync(caidaPath) || !existsSync(apnicPath)) return undefined;
  const text = deriveJpAsRel(readFileSync(caidaPath, "utf8"), readFileSync(apnicPath, "utf8"), { caida: caida.name, apnic: apnic.name });
  const got = sha256Hex(Buffer.from(text));
  if (got !== JP_AS_REL_SHA256) {
    throw new TollwayError(`derived topology has sha256 ${got}, expected ${JP_AS_REL_SHA256}; nothing written`, { file: join(dir, JP_AS_REL) });
  }
  const path = join(dir, JP_AS_REL);
  writeFileSync(`${path}.part-${process.pid}`, text);
  renameSync(`${path}.part-${process.pid}`, path);
  return path;
}

/** The cached paper topology, or undefined when it is not cached. */
export function cachedTopologyFile(dir: string = dataDir()): string | undefined {
  const path = join(dir, JP_AS_REL);
  return existsSync(path) ? path : undefined;
}
