import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { SHARED_DATA } from "../support/run.js";
import { dataDir } from "../../src/data/dir.js";
import { decompress, fetchKnown, sha256Hex } from "../../src/data/fetch.js";
import { findKnown } from "../../src/data/known.js";
import { cachedTopologyFile, deriveCachedTopology } from "../../src/data/topology.js";
import { TollwayError } from "../../src/errors.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures");

// Serves ../shared/data under /good/ and corrupted copies (one byte changed) under /bad/, counting requests.
let server: Server;
let base = "";
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const [, kind, name] = (req.url ?? "").split("/");
    const path = join(kind === "fixture" ? FIXTURES : SHARED_DATA, name ?? "");
    if (name === undefined || !existsSync(path)) { res.statusCode = 404; res.end(); return; }
    const body = readFileSync(path);
    if (kind === "bad") body[body.length - 2] = body[body.length - 2]! ^ 1;
    res.end(body);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

const caida = findKnown("caida-as-rel", "20150801")!;
const apnic = findKnown("apnic-delegated", "20150708")!;

describe("tollway data fetch", () => {
  it("decompresses a publisher's bzip2 file (as CAIDA publishes it) and checks the uncompressed bytes", async () => {
    // The fixture is `bzip2 -c` of these 5 lines; its sha256 was computed with sha256sum on them.
    const text = "# a sample of CAIDA serial-1 20150801, for the bzip2 test\n1|11537|0\n1|2152|-1\n1|3356|-1\n2|3356|-1\n";
    const sample = {
      dataset: "sample", date: "20150801", name: "sample.as-rel.txt",
      url: `${base}/fixture/sample.as-rel.txt.bz2`,
      sha256: "b41ff9ca9d463450a18ef1a4c7aaf3eb21a216ef5e08608931028ab6b93067a9",
    };
    const dir = mkdtempSync(join(tmpdir(), "tollway-data-"));
    const got = await fetchKnown(sample, { dir, baseUrl: "" });
    expect(got.cached).toBe(false);
    expect(readFileSync(got.path, "utf8")).toBe(text);
    const broken = readFileSync(join(FIXTURES, "sample.as-rel.txt.bz2"));
    broken[broken.length - 8] = broken[broken.length - 8]! ^ 0xff;
    expect(() => decompress(sample.url, broken)).toThrow(/not a valid bzip2 file .*download it again/);
    expect(() => decompress(sample.url, broken)).toThrow(TollwayError);
  });

  it("the recorded checksums are those of ../shared/data", () => {
    expect(sha256Hex(readFileSync(join(SHARED_DATA, caida.name)))).toBe(caida.sha256);
    expect(sha256Hex(readFileSync(join(SHARED_DATA, apnic.name)))).toBe(apnic.sha256);
  });

  it("downloads, checks and caches; a second fetch is a cache hit with no download", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tollway-data-"));
    const before = requests.length;
    const first = await fetchKnown(caida, { dir, baseUrl: `${base}/good` });
    expect(first).toEqual({ path: join(dir, caida.name), cached: false });
    expect(requests.slice(before)).toEqual([`/good/${caida.name}`]);
    expect(sha256Hex(readFileSync(first.path))).toBe(caida.sha256);
    const second = await fetchKnown(caida, { dir, baseUrl: `${base}/good` });
    expect(second).toEqual({ path: first.path, cached: true });
    expect(requests.length).toBe(before + 1);
  });

  it("a checksum mismatch is a clear error and nothing is cached", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tollway-data-"));
    const error = await fetchKnown(apnic, { dir, baseUrl: `${base}/bad` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TollwayError);
    expect((error as Error).message).toMatch(/checksum mismatch: .*expected 205346e5cee5adb3.*nothing cached/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("without network the one-line error names the URL to download by hand and where to put it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tollway-data-"));
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, "127.0.0.1", done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    const error = await fetchKnown(caida, { dir, baseUrl: `http://127.0.0.1:${port}` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TollwayError);
    const message = (error as Error).message;
    expect(message.split("\n")).toHaveLength(1);
    expect(message).toContain(`download ${caida.url} by hand`);
    expect(message).toContain(`put it at ${join(dir, caida.name)}`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a missing file on the server (HTTP 404) gives the same hand-download message", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tollway-data-"));
    const error = await fetchKnown({ ...caida, name: "absent.txt" }, { dir, baseUrl: `${base}/good` }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/HTTP 404.*by hand/);
  });

  it("both files fetched derive the paper's topology, byte-identical to ../shared/data/jp-as-rel.txt", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tollway-data-"));
    expect(cachedTopologyFile(dir)).toBeUndefined();
    await fetchKnown(caida, { dir, baseUrl: `${base}/good` });
    expect(deriveCachedTopology(dir)).toBeUndefined(); // APNIC still missing
    await fetchKnown(apnic, { dir, baseUrl: `${base}/good` });
    const path = deriveCachedTopology(dir);
    expect(path).toBe(join(dir, "jp-as-rel.txt"));
    expect(readFileSync(path!)).toEqual(readFileSync(join(SHARED_DATA, "jp-as-rel.txt")));
    expect(cachedTopologyFile(dir)).toBe(path);
  });
});

describe("the data folder", () => {
  it("TOLLWAY_DATA_DIR wins, then XDG_DATA_HOME/tollway, then ~/.local/share/tollway", () => {
    expect(dataDir({ TOLLWAY_DATA_DIR: "/d", XDG_DATA_HOME: "/x", HOME: "/h" })).toBe("/d");
    expect(dataDir({ XDG_DATA_HOME: "/x" })).toBe("/x/tollway");
    expect(dataDir({ TOLLWAY_DATA_DIR: "" , XDG_DATA_HOME: "" }).endsWith("/.local/share/tollway")).toBe(true);
  });
});
