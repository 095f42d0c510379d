import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../src/report/atomic.js";
import { MANIFEST, prepareOutputDir, readManifest, writeOutputs } from "../../src/report/outputs.js";
import { runProvenance, stampJson, stampRows, studyProvenance } from "../../src/report/provenance.js";
import { lineChart } from "../../src/report/specs.js";
import { VERSION } from "../../src/version.js";

const root = mkdtempSync(join(tmpdir(), "tollway-outputs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;
const folder = (): string => join(root, `d${folders++}`);

const run = runProvenance({ scenario: "fig1", scenarioHash: "00ff00ff00ff00ff", seed: 9 });

describe("provenance", () => {
  it("stamps rows with scenario, hash, version, seed and replication first; a row's own seed and rep win", () => {
    const study = studyProvenance({ scenario: "duo", scenarioHash: "abcd", baseSeed: 7, reps: 2 });
    expect(stampRows([{ rep: 1, seed: 123, gain: 5 }], study)).toEqual([
      { scenario: "duo", scenarioHash: "abcd", version: VERSION, baseSeed: 7, reps: 2, rep: 1, seed: 123, gain: 5 },
    ]);
    expect(Object.keys(stampRows([{ isp: "X" }], run)[0]!)).toEqual(["scenario", "scenarioHash", "version", "seed", "rep", "isp"]);
  });

  it("adds to a JSON document only what it lacks, after its own fields", () => {
    expect(Object.keys(stampJson({ isp: "Y", scenario: "own" }, run))).toEqual(["isp", "scenario", "scenarioHash", "version", "seed", "rep"]);
    expect(stampJson({ scenario: "own" }, run).scenario).toBe("own");
  });
});

describe("writeFileAtomic", () => {
  it("replaces the file whole and leaves no temporary file", async () => {
    const dir = folder();
    const path = join(dir, "a.txt");
    await writeFileAtomic(path, "old");
    await writeFileAtomic(path, "new");
    expect(readFileSync(path, "utf8")).toBe("new");
    expect(readdirSync(dir)).toEqual(["a.txt"]);
  });

  it("a failed write leaves neither a temporary file nor a changed target", async () => {
    const dir = folder();
    await writeFileAtomic(join(dir, "a.txt"), "kept");
    // The target is a folder: the rename fails after the temporary file was written.
    await writeFileAtomic(join(dir, "sub", "x"), "x");
    await expect(writeFileAtomic(join(dir, "sub"), "clobber")).rejects.toThrow();
    expect(readdirSync(dir).sort()).toEqual(["a.txt", "sub"]);
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("kept");
  });
});

describe("writeOutputs and the run manifest", () => {
  const files = {
    provenance: run,
    json: { summary: { rounds: 3 } },
    csv: { flows: [{ flow: "A->B", sent: 1 }] },
    charts: { packets: lineChart({ rows: [{ r: 0, p: 1 }, { r: 1, p: 2 }], x: "r", y: "p", title: "Packets", xTitle: "Round", yTitle: "Packets" }) },
  };

  it("writes every file stamped with its provenance, then a complete manifest with each file's SHA-256", async () => {
    const dir = folder();
    const out = await prepareOutputDir(dir, { command: "run" });
    const written = await writeOutputs(out, files);
    expect(written.at(-1)).toBe(join(dir, MANIFEST));
    expect(readdirSync(dir).sort()).toEqual(["flows.csv", MANIFEST, "packets.svg", "summary.json"]);
    expect(readFileSync(join(dir, "flows.csv"), "utf8")).toBe(`scenario,scenarioHash,version,seed,rep,flow,sent\nfig1,00ff00ff00ff00ff,${VERSION},9,0,A->B,1\n`);
    expect(JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"))).toEqual({ rounds: 3, ...run });
    const manifest = readManifest(join(dir, MANIFEST))!;
    expect(manifest).toMatchObject({ runId: out.runId, command: "run", status: "complete", version: VERSION, provenance: run });
    for (const f of manifest.files) {
      expect(f.sha256).toBe(createHash("sha256").update(readFileSync(join(dir, f.name))).digest("hex"));
    }
    expect(manifest.files.map((f) => f.name).sort()).toEqual(["flows.csv", "packets.svg", "summary.json"]);
  });

  it("refuses a row without provenance", async () => {
    const bad = { ...files, provenance: { scenario: "x", scenarioHash: "h", version: VERSION } as never };
    await expect(writeOutputs(folder(), bad)).rejects.toThrow(/summary\.json: has neither "seed" and "rep" nor "baseSeed" and "reps"/);
    await expect(writeOutputs(folder(), { provenance: run, rowProvenance: () => ({ ...run, version: undefined }) as never, csv: files.csv }))
      .rejects.toThrow(/flows\.csv row 1: has no "version"/);
  });

  it("a new run first removes the old run's manifest and outputs, so a killed rerun leaves nothing that looks current", async () => {
    const dir = folder();
    const first = await prepareOutputDir(dir, { command: "run" });
    await writeOutputs(first, { ...files, csv: { ...files.csv, extra: [{ a: 1 }] } });
    writeFileSync(join(dir, "notes.txt"), "the user's own file");
    const second = await prepareOutputDir(dir, { command: "run" });
    // Killed here: only the user's file and a "running" manifest of the new run remain.
    expect(readdirSync(dir).sort()).toEqual([MANIFEST, "notes.txt"]);
    expect(readManifest(join(dir, MANIFEST))).toMatchObject({ runId: second.runId, status: "running", files: [] });
    expect(second.runId).not.toBe(first.runId);
  });

  it("a folder from before manifests loses the files the command writes, and only those", async () => {
    const dir = folder();
    mkdirSync(dir);
    writeFileSync(join(dir, "summary.json"), "{}");
    writeFileSync(join(dir, "figure6-path-switches-alpha-4.svg"), "<svg/>");
    writeFileSync(join(dir, "mine.csv"), "a\n1\n");
    await prepareOutputDir(dir, { command: "run", replaces: ["summary.json", /^figure6-path-switches-alpha-[0-9.]+\.svg$/] });
    expect(readdirSync(dir).sort()).toEqual([MANIFEST, "mine.csv"]);
  });

  it("never deletes outside the folder, even if a manifest names such a path", async () => {
    const dir = folder();
    mkdirSync(dir);
    const outside = join(root, "outside.txt");
    writeFileSync(outside, "keep");
    await prepareOutputDir(dir, { command: "run" });
    writeFileSync(join(dir, MANIFEST), JSON.stringify({ runId: "x", files: [{ name: "../outside.txt" }] }));
    await prepareOutputDir(dir, { command: "run" });
    expect(readFileSync(outside, "utf8")).toBe("keep");
  });
});
