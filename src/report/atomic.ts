/**
 * Atomic file writes: the bytes go to a temporary file in the same folder, which is then renamed
 * over the target. A rename within one file system replaces the target in one step, so a reader
 * (or a run killed half-way) sees either the old file whole or the new file whole, never a torn one.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Writes `data` to `path` atomically, creating missing folders. The temporary file is named
 * `.<name>.<random>.tmp` beside the target and is removed if the write fails.
 *
 * @example
 * await writeFileAtomic("results/run/summary.json", JSON.stringify(summary));
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
