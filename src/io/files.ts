/**
 * Reading the files a user points Tollway at (scenarios, topologies, delegation files, strategy
 * sources, parameter files) within a size limit. A path to `/dev/zero`, a named pipe or a
 * multi-gigabyte file must end in a one-line error naming the file and the limit, not in a hang
 * or an out-of-memory abort; every loader reads through `readInputText`.
 */
import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from "node:fs";
import { TollwayError } from "../errors.js";

const MiB = 1024 * 1024;

/**
 * The kinds of input file and the largest size each may have, in bytes. The limits are far above
 * any real input (the full CAIDA AS-relationship file of 2015-08-01 is 2.7 MiB, APNIC's
 * delegation file 1.8 MiB; today's full CAIDA serial-2 files are about 15 MiB) and far below what
 * would exhaust memory: a file becomes a JavaScript string, and V8 refuses strings over 512 MiB.
 */
export const FILE_SIZE_LIMITS = {
  /** A scenario JSON file (inline topologies included). */
  scenario: 64 * MiB,
  /** A topology file: Tollway's JSON format or a CAIDA AS-relationship text. */
  topology: 256 * MiB,
  /** An RIR delegation file (`delegated-apnic-latest` and the like). */
  delegation: 256 * MiB,
  /** A strategy's source file (.ts or .js). */
  strategy: 16 * MiB,
  /** A JSON file of strategy parameters. */
  params: 64 * MiB,
} as const;

/** Which limit of FILE_SIZE_LIMITS applies to a file. */
export type InputFileKind = keyof typeof FILE_SIZE_LIMITS;

/**
 * Environment variable that replaces every limit of FILE_SIZE_LIMITS, in MiB (at most
 * MAX_FILE_MB), for a user whose data really is bigger.
 */
export const FILE_LIMIT_ENV = "TOLLWAY_MAX_FILE_MB";

/** The largest value FILE_LIMIT_ENV accepts, in MiB: just under V8's longest string. */
export const MAX_FILE_MB = 500;

/**
 * The size limit in bytes for files of `kind`: FILE_SIZE_LIMITS, or FILE_LIMIT_ENV when set.
 * @throws TollwayError when FILE_LIMIT_ENV is set to something other than a number in (0, MAX_FILE_MB].
 */
export function fileSizeLimit(kind: InputFileKind): number {
  const set = process.env[FILE_LIMIT_ENV];
  if (set === undefined || set === "") return FILE_SIZE_LIMITS[kind];
  const mb = Number(set);
  if (!(mb > 0 && mb <= MAX_FILE_MB)) {
    throw new TollwayError(`${FILE_LIMIT_ENV} must be a number of MiB in (0, ${MAX_FILE_MB}] (got ${JSON.stringify(set)})`);
  }
  return Math.floor(mb * MiB);
}

/**
 * Checks that `path` is a regular file no bigger than the limit for `kind`, without opening it
 * (opening a named pipe would block). Used directly for files another library reads (strategy
 * sources go through tsx), and by `readInputText` before it reads.
 * @returns the file's size in bytes.
 * @throws TollwayError naming the file: missing or unreadable (with the OS reason), not a regular
 *   file (a device, a pipe, a directory), or over the limit (with the limit and how to raise it).
 */
export function checkInputFile(path: string, kind: InputFileKind): number {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new TollwayError(`cannot read: ${osReason(error)}`, { file: path }, { cause: error });
  }
  return checkStats(path, stats, kind);
}

/**
 * The contents of `path` as UTF-8 text, without a leading byte-order mark, read in full only
 * when it is a regular file within the size limit for `kind` (see FILE_SIZE_LIMITS). The read
 * itself is bounded too, so a file that grows while it is read cannot exceed the limit.
 * @throws TollwayError naming the file and the reason (see `checkInputFile`).
 * @example readInputText("scenarios/billpay-figure1.json", "scenario").startsWith("{") // true
 */
export function readInputText(path: string, kind: InputFileKind): string {
  const size = checkInputFile(path, kind);
  const limit = fileSizeLimit(kind);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw new TollwayError(`cannot read: ${osReason(error)}`, { file: path }, { cause: error });
  }
  try {
    // The path may have been replaced between the stat and the open: check what was opened.
    checkStats(path, fstatSync(fd), kind);
    let buffer = Buffer.allocUnsafe(Math.min(size, limit) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > limit) throw overLimit(path, length, kind, limit);
        const grown = Buffer.allocUnsafe(Math.min(2 * buffer.length, limit + 1));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > limit) throw overLimit(path, length, kind, limit);
    return stripByteOrderMark(buffer.toString("utf8", 0, length));
  } catch (error) {
    if (error instanceof TollwayError) throw error;
    throw new TollwayError(`cannot read: ${osReason(error)}`, { file: path }, { cause: error });
  } finally {
    closeSync(fd);
  }
}

/** `text` without a leading UTF-8 byte-order mark (U+FEFF), which some editors write. */
export function stripByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function checkStats(path: string, stats: Stats, kind: InputFileKind): number {
  if (!stats.isFile()) throw new TollwayError(`not a regular file (${fileType(stats)}); a ${kind} file must be a regular file`, { file: path });
  const limit = fileSizeLimit(kind);
  if (stats.size > limit) throw overLimit(path, stats.size, kind, limit);
  return stats.size;
}

function overLimit(path: string, size: number, kind: InputFileKind, limit: number): TollwayError {
  return new TollwayError(
    `${mib(size)} is over the ${mib(limit)} limit for ${kind} files (set ${FILE_LIMIT_ENV} to raise it, up to ${MAX_FILE_MB})`,
    { file: path },
  );
}

/** Sizes as MiB, with one decimal below 10 MiB so a small overshoot does not read as equal. */
function mib(bytes: number): string {
  const m = bytes / MiB;
  return `${m < 10 && !Number.isInteger(m) ? m.toFixed(1) : Math.round(m)} MiB`;
}

function fileType(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isFIFO()) return "a named pipe";
  if (stats.isSocket()) return "a socket";
  return "not a plain file";
}

/** Node's message is `ENOENT: no such file or directory, open '/x'`; keep only the middle part. */
function osReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const match = /^[A-Z0-9_]+: (.*?)(?:, [a-z]+(?: '.*')?)?$/s.exec(error.message);
  return match?.[1] ?? error.message;
}
