import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readManifest } from "../../src/report/outputs.js";
import { VERSION } from "../../src/version.js";
import { cli, ROOT } from "../support/run.js";

const root = mkdtempSync(join(tmpdir(), "tollway-cli-out-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every CSV in `dir` has the provenance columns, and every JSON document has them as fields. */
function expectProvenance(dir: string): void {
  const names = readdirSync(dir);
  expect(names).toContain("manifest.json");
  expect(readManifest(join(dir, "manifest.json"))).toMatchObject({ status: "complete", version: VERSION });
  for (const name of names.filter((n) => n.endsWith(".csv"))) {
    const header = readFileSync(join(dir, name), "utf8").split("\n")[0]!.split(",");
    for (const column of ["scenario", "scenarioHash", "version"]) expect(header, `${name}: ${column}`).toContain(column);
    const perRun = header.includes("seed") && header.includes("rep");
    const perStudy = header.includes("baseSeed") && header.includes("reps");
    expect(perRun || perStudy, `${name}: seed and rep, or baseSeed and reps`).toBe(true);
  }
  for (const name of names.filter((n) => n.endsWith(".json") && n !== "manifest.json")) {
    const document = JSON.parse(readFileSync(join(dir, name), "utf8")) as Record<string, unknown>;
    expect(document.version, name).toBe(VERSION);
    expect(typeof document.scenarioHash, name).toBe("string");
  }
}

describe("every long command writes outputs with provenance and reports progress off a terminal", () => {
  const cases: [string, string[], RegExp, string[]][] = [
    ["run", ["run", "scenarios/billpay-figure1.json"], /tollway: billpay-figure1: 1\/1 rounds done in \d+\.\d s/, ["summary.json", "flows.csv", "isps.csv", "ledger.csv", "rounds.csv", "packets.svg", "money.svg"]],
    ["metrics", ["metrics", "scenarios/billpay-figure1.json"], /tollway: billpay-figure1: 1\/1 rounds done in/, ["metrics.json", "rounds.csv", "isps.csv", "links.csv", "welfare.svg"]],
    ["deviation", ["deviation", "test/fixtures/deviation-exact.json", "--reps", "2"], /tollway: deviation: 4\/4 runs done in/, ["deviation.json", "deviation.csv", "deviation.svg", "deviation-gain.svg"]],
    ["tournament", ["tournament", "test/fixtures/game-two-transits.json", "--isp-strategies", "fixed-toll", "--reps", "1"], /tollway: tournament: 1\/1 matches done in/, ["tournament.json", "payoffs.csv", "matches.csv", "ranking.csv", "ranking.svg"]],
    ["oscillation", ["oscillation", "scenarios/oscillation-smoothing.json", "--reps", "1", "--rounds", "2"], /tollway: oscillation: (\d+)\/\1 runs done in/, ["oscillation.json", "oscillation.csv", "oscillation-points.csv", "oscillation.svg"]],
    ["hijack", ["hijack", "--reps", "1", "--hours", "0.005"], /tollway: hijack: 8\/8 runs done in/, ["hijack.json", "hijack-runs.csv", "hijack-summary.csv", "hijack-leak.svg", "hijack-honest-denied.svg"]],
    ["freshness", ["freshness", "--reps", "1", "--rounds", "3", "--nodes", "16"], /tollway: freshness: 3\/3 runs done in/, ["freshness.json", "freshness-runs.csv", "freshness-summary.csv", "freshness.svg"]],
  ];
  for (const [name, args, progress, files] of cases) {
    it(`${name}: plain progress lines on a non-terminal stderr, and provenance in every file`, () => {
      const out = join(root, name);
      const { status, stderr } = cli(...args, "--out", out);
      expect(status, stderr).toBe(0);
      expect(stderr).toMatch(progress);
      for (const file of files) expect(existsSync(join(out, file)), file).toBe(true);
      expectProvenance(out);
    });
  }

  it("--json keeps stderr clean and puts the version in the JSON", () => {
    const { status, stdout, stderr } = cli("metrics", "scenarios/billpay-figure1.json", "--json");
    expect(status).toBe(0);
    expect(stderr).toBe("");
    expect(JSON.parse(stdout)).toMatchObject({ scenario: "billpay-figure1", version: VERSION, seed: 1, rep: 0 });
  });
});

describe("run --out with sharded flows", () => {
  it("writes byte-identical tables and charts for 1 and 2 workers", () => {
    const dirs = [1, 2].map((workers) => {
      const out = join(root, `workers-${workers}`);
      const { status, stderr } = cli("run", "scenarios/oscillation-smoothing.json", "--rounds", "8", "--workers", String(workers), "--out", out);
      expect(status, stderr).toBe(0);
      return out;
    });
    const names = readdirSync(dirs[0]!).filter((n) => n !== "manifest.json").sort();
    expect(names).toEqual(["flows.csv", "isps.csv", "ledger.csv", "money.svg", "packets.svg", "rounds.csv", "summary.json"]);
    for (const name of names) expect(readFileSync(join(dirs[1]!, name), "utf8"), name).toBe(readFileSync(join(dirs[0]!, name), "utf8"));
    // The series has one row per round.
    expect(readFileSync(join(dirs[0]!, "rounds.csv"), "utf8").trim().split("\n")).toHaveLength(1 + 8);
  });
});

describe("a killed rerun into an older run's folder", () => {
  it("leaves no summary.json that could pass for its result, and a manifest saying it did not finish", async () => {
    const out = join(root, "killed");
    expect(cli("run", "scenarios/billpay-figure1.json", "--out", out).status).toBe(0);
    const before = readManifest(join(out, "manifest.json"))!;
    expect(before.status).toBe("complete");
    expect(existsSync(join(out, "summary.json"))).toBe(true);

    // A rerun long enough to be killed mid-run; kill it once its own manifest is in place.
    const child = spawn(process.execPath, [ROOT + "bin/tollway.js", "run", "scenarios/billpay-figure1.json", "--rounds", "100000000", "--out", out], { cwd: ROOT, stdio: "ignore" });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    for (;;) {
      const manifest = readManifest(join(out, "manifest.json"));
      if (manifest !== null && manifest.runId !== before.runId) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill("SIGKILL");
    await exited;

    const after = readManifest(join(out, "manifest.json"))!;
    expect(after.status).toBe("running");
    expect(after.runId).not.toBe(before.runId);
    expect(readdirSync(out)).toEqual(["manifest.json"]);
  });
});
