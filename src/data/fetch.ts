/** Downloads a known data file, checks its sha256 and caches it atomically in the data folder. */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import Bunzip from "seek-bzip";
import { TollwayError } from "../errors.js";
import { dataDir } from "./dir.js";
import type { KnownFile } from "./known.js";

/** What a fetch did. */
export interface FetchResult {
  /** Path of the cached file. */
  path: string;
  /** True when the file was already cached with the right checksum (nothing downloaded). */
  cached: boolean;
}

/** sha256 in hex of some bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * The URL to download: `<TOLLWAY_DATA_BASE_URL>/<name>` (uncompressed) when that variable or
 * `baseUrl` is set, else the publisher's URL.
 */
export function sourceUrl(file: KnownFile, baseUrl?: string): string {
  const base = baseUrl ?? process.env["TOLLWAY_DATA_BASE_URL"];
  return base !== undefined && base !== "" ? `${base.replace(/\/+$/, "")}/${file.name}` : file.url;
}

/** The uncompressed bytes of a download, by its URL's suffix (.gz, .bz2, or none). */
export function decompress(url: string, body: Uint8Array, byHand = "download it again"): Uint8Array {
  const path = new URL(url, "file:///").pathname;
  try {
    if (path.endsWith(".gz")) return gunzipSync(body);
    if (path.endsWith(".bz2")) return Bunzip.decode(body, undefined, true);
  } catch (error) {
    throw new TollwayError(`the download is not a valid ${path.endsWith(".gz") ? "gzip" : "bzip2"} file (${String((error as Error).message ?? error)}); ${byHand}`, { file: url });
  }
  return body;
}

/** Fetches `file` into the data folder unless a valid copy is cached there already. */
export async function fetchKnown(file: KnownFile, options: { dir?: string; baseUrl?: string } = {}): Promise<FetchResult> {
  const dir = options.dir ?? dataDir();
  const path = join(dir, file.name);
  if (existsSync(path) && sha256Hex(readFileSync(path)) === file.sha256) return { path, cached: true };
  const url = sourceUrl(file, options.baseUrl);
  const byHand = `download ${file.url} by hand, decompress it and put it at ${path}`;
  let body: Uint8Array;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new TollwayError(`cannot download (${(error as Error).message}); ${byHand}`, { file: url });
  }
  body = decompress(url, body, byHand);
  const got = sha256Hex(body);
  if (got !== file.sha256) {
    throw new TollwayError(`checksum mismatch: sha256 ${got}, expected ${file.sha256}; nothing cached`, { file: url });
  }
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.part-${process.pid}`;
  writeFileSync(tmp, body);
  renameSync(tmp, path);
  return { path, cached: false };
}
