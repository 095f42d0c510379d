import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../support/run.js";

function data(dir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [ROOT + "bin/tollway.js", "data", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, TOLLWAY_DATA_DIR: dir } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("tollway data path / list", () => {
  it("path prints TOLLWAY_DATA_DIR; list shows both known files and the topology as not cached", () => {
    const dir = mkdtempSync(join(tmpdir(), "tollway-data-"));
    expect(data(dir, "path")).toMatchObject({ status: 0, stdout: dir + "\n" });
    const list = JSON.parse(data(dir, "list", "--json").stdout) as { files: { dataset: string; date: string; cached: boolean }[]; topology: { cached: boolean; path: string } };
    expect(list.files.map((f) => [f.dataset, f.date, f.cached])).toEqual([["caida-as-rel", "20150801", false], ["apnic-delegated", "20150708", false]]);
    expect(list.topology).toMatchObject({ cached: false, path: join(dir, "jp-as-rel.txt") });
  });

  it("an unknown date is a one-line error listing what is known", () => {
    const r = data(mkdtempSync(join(tmpdir(), "tollway-data-")), "fetch", "caida-as-rel", "20990101");
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^tollway: dataset: no recorded checksum for caida-as-rel 20990101 \(known: caida-as-rel 20150801, apnic-delegated 20150708\)/);
  });
});
