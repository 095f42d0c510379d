import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSweepPlan } from "../../src/analysis/plan-file.js";
import { planIdentity } from "../../src/analysis/sweep-plan.js";
import { CALIBRATION } from "../../src/reproduce/calibration.js";
import { policyGridPlan } from "../../src/reproduce/policy-plan.js";
import { DEFAULT_LOAD, SCALES } from "../../src/reproduce/table1.js";
import { cli, expectCleanError, SHARED_DATA } from "../support/run.js";
import { expectSlurmLikeLocal, useSlurm } from "../support/slurm.js";

const dir = mkdtempSync(join(tmpdir(), "tollway-reproduce-sweeps-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("reproduce claims-map and calibrate carry the calibration to SLURM tasks", () => {
  it("claims-map --backend slurm --dry-run prints a plan file with the variant, the loads and the seeds, which rebuilds the command's plan", async () => {
    const store = join(dir, "map.duckdb");
    const topology = `${SHARED_DATA}jp-as-rel.txt`;
    const run = cli("reproduce", "claims-map", "--scale", "test", "--topology", topology, "--loads", "1,2", "--alphas", "4", "--seeds", "1,2",
      "--congestion-scale", "calibrated", "--backend", "slurm", "--store", store, "--dry-run", "--out", join(dir, "out"));
    expect(run.status, run.stderr).toBe(0);
    const text = /^# --- .*experiment\.json ---\n([\s\S]*?\n})\n/.exec(run.stdout)?.[1];
    expect(text).toBeDefined();
    const file = JSON.parse(text!);
    expect(file.reproduce.options.variant).toEqual({ congestionScale: CALIBRATION.congestionScale.value });
    expect(file.reproduce.seeds).toEqual([1, 2]);
    writeFileSync(join(dir, "map.json"), text!);
    const rebuilt = await loadSweepPlan(join(dir, "map.json"));
    const planned = await policyGridPlan("claims-map", {
      policies: [{ kind: "static" }, { kind: "dynamic", alpha: 4 }],
      axes: [{ name: "load", levels: [1, 2].map((load) => ({ value: load, options: { load } })) }], seeds: [1, 2],
    }, { scale: SCALES.test, seed: 1, load: DEFAULT_LOAD, topologyFile: topology, variant: { congestionScale: 0.2 }, workers: 1 });
    expect(planIdentity(rebuilt)).toBe(planIdentity(planned));
    // 2 loads × 2 policies × 2 seeds.
    expect(rebuilt.runs).toHaveLength(8);
  });

  it("bad calibration options on the sweeping commands get one line", () => {
    expectCleanError(["reproduce", "alpha-frontier", "--congestion-scale", "-1"], /--congestion-scale: must be a number ≥ 0 \(got -1\)/);
    expectCleanError(["reproduce", "claims-map", "--seeds", "2,2"], /--seeds: must be distinct non-negative integers/);
    expectCleanError(["reproduce", "calibrate", "--congestion-scale", "x"], /--congestion-scale: must be a number \(got "x"\)/);
  });
});

describe("a calibrated claims map on a real SLURM array (single-node SLURM on localhost)", () => {
  let leave: () => void = () => {};
  beforeAll(() => {
    leave = useSlurm();
  });
  afterAll(() => leave());

  it("--backend slurm --wait prints what the local run prints: the variant and the seeds reached the array's tasks", () => {
    const out = join(dir, "map-out");
    const topology = `${SHARED_DATA}jp-as-rel.txt`;
    // Static and alpha = 4 at one load on 2 seeds with c = 0.2: 4 runs of 10 rounds at the test scale, one array task each.
    const args = ["reproduce", "claims-map", "--scale", "test", "--loads", "1.5", "--alphas", "4", "--seeds", "1,2", "--congestion-scale", "calibrated", "--out", out,
      ...(existsSync(topology) ? ["--topology", topology] : [])];
    const local = expectSlurmLikeLocal(args, out, "claims-map.csv", join(dir, "slurm-map.duckdb"), 4);
    // Without the calibration the map differs: the tasks did not ignore it.
    const plain = cli(...args.filter((a, i, all) => a !== "--congestion-scale" && all[i - 1] !== "--congestion-scale"), "--workers", "1");
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).not.toBe(local);
  });
});
