import { afterEach, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TollwayError } from "../../src/errors.js";
import { checkInputFile, FILE_LIMIT_ENV, FILE_SIZE_LIMITS, fileSizeLimit, readInputText } from "../../src/io/files.js";
import { SHARED_DATA } from "../support/run.js";

function thrown(action: () => unknown): TollwayError {
  try {
    action();
  } catch (error) {
    if (error instanceof TollwayError) return error;
    throw error;
  }
  throw new Error("expected a TollwayError");
}

const dir = mkdtempSync(join(tmpdir(), "tollway-files-"));
const write = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

afterEach(() => {
  delete process.env[FILE_LIMIT_ENV];
});

describe("readInputText", () => {
  it("reads a regular file as UTF-8 and drops a leading byte-order mark", () => {
    expect(readInputText(write("plain.txt", "1|2|-1\nAS «é»\n"), "topology")).toBe("1|2|-1\nAS «é»\n");
    expect(readInputText(write("bom.txt", "\uFEFF{}\n"), "scenario")).toBe("{}\n");
    // Only a leading mark is a byte-order mark; one inside the text is kept.
    expect(readInputText(write("inner.txt", "a\uFEFFb"), "scenario")).toBe("a\uFEFFb");
    expect(readInputText(write("empty.txt", ""), "scenario")).toBe("");
  });

  it("refuses what is not a regular file: a character device, a directory, a named pipe", () => {
    expect(thrown(() => readInputText("/dev/zero", "topology")).message).toBe(
      "/dev/zero: not a regular file (a character device); a topology file must be a regular file",
    );
    expect(thrown(() => readInputText(dir, "scenario")).message).toBe(`${dir}: not a regular file (a directory); a scenario file must be a regular file`);
    const fifo = join(dir, "pipe");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    // Opening a pipe with no writer would block: the check must come before the open.
    expect(thrown(() => readInputText(fifo, "params")).reason).toBe("not a regular file (a named pipe); a params file must be a regular file");
  });

  it("names the OS reason for a missing file", () => {
    const missing = join(dir, "missing.json");
    expect(thrown(() => readInputText(missing, "scenario")).message).toBe(`${missing}: cannot read: no such file or directory`);
  });

  it("refuses a file over the limit, naming its size, the limit and how to raise it", () => {
    // 1.5 MiB against a 1 MiB limit set through the environment.
    const big = write("big.txt", Buffer.alloc(1.5 * 1024 * 1024, 0x20));
    process.env[FILE_LIMIT_ENV] = "1";
    expect(thrown(() => readInputText(big, "topology")).message).toBe(
      `${big}: 1.5 MiB is over the 1 MiB limit for topology files (set ${FILE_LIMIT_ENV} to raise it, up to 500)`,
    );
    // Exactly at the limit is fine.
    const atLimit = write("at-limit.txt", Buffer.alloc(1024 * 1024, 0x20));
    expect(readInputText(atLimit, "topology")).toHaveLength(1024 * 1024);
    process.env[FILE_LIMIT_ENV] = "2";
    expect(readInputText(big, "topology")).toHaveLength(1.5 * 1024 * 1024);
  });

  it("reads the full CAIDA file of 2015-08-01 within the default topology limit", () => {
    const file = join(SHARED_DATA, "20150801.as-rel.txt");
    expect(statSync(file).size).toBeLessThan(FILE_SIZE_LIMITS.topology / 50);
    const text = readInputText(file, "topology");
    expect(text.length).toBe(statSync(file).size); // plain ASCII: one character per byte
  });
});

describe("fileSizeLimit and checkInputFile", () => {
  it("has a limit per kind, replaced by the environment variable in MiB", () => {
    expect(fileSizeLimit("scenario")).toBe(64 * 1024 * 1024);
    expect(fileSizeLimit("topology")).toBe(256 * 1024 * 1024);
    expect(fileSizeLimit("strategy")).toBe(16 * 1024 * 1024);
    process.env[FILE_LIMIT_ENV] = "0.5";
    expect(fileSizeLimit("scenario")).toBe(512 * 1024);
    expect(fileSizeLimit("topology")).toBe(512 * 1024);
  });

  it.each(["0", "-1", "abc", "501", "Infinity"])("refuses %j as the limit, naming the variable", (value) => {
    process.env[FILE_LIMIT_ENV] = value;
    expect(thrown(() => fileSizeLimit("scenario")).message).toBe(`${FILE_LIMIT_ENV} must be a number of MiB in (0, 500] (got ${JSON.stringify(value)})`);
  });

  it("checks a file without reading it and returns its size", () => {
    expect(checkInputFile(write("nine.ts", "export {}"), "strategy")).toBe(9);
    expect(thrown(() => checkInputFile("/dev/zero", "strategy")).place).toEqual({ file: "/dev/zero" });
  });
});
