/**
 * Reading a data file for a loader, with the failure turned into a TollwayError that a user can
 * act on (which file, and what the operating system said) instead of a stack trace.
 */
import { readFileSync } from "node:fs";
import { TollwayError } from "../../errors.js";

/**
 * The contents of `path` as UTF-8 text.
 * @throws TollwayError naming the file and the OS reason, e.g. `cannot read: no such file or directory`.
 */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new TollwayError(`cannot read: ${osReason(error)}`, { file: path }, { cause: error });
  }
}

/** Node's message is `ENOENT: no such file or directory, open '/x'`; keep only the middle part. */
function osReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const match = /^[A-Z0-9_]+: (.*?)(?:, [a-z]+(?: '.*')?)?$/s.exec(error.message);
  return match?.[1] ?? error.message;
}
