import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, SHARED_DATA, cli } from "../support/run.js";
import { expectSlurmLikeLocal, useSlurm } from "../support/slurm.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { loadSweepPlan } from "../../src/analysis/plan-file.js";
import { oscillationPlan, type SweepPlan } from "../../src/analysis/sweep-plan.js";
import { studyPlan } from "../../src/analysis/study-runs.js";
import { studyExperimentFile } from "../../src/cli/study-slurm.js";
import { waitForJobs } from "../../src/cluster/slurm.js";
import { query } from "../support/store.js";
import { policyPlan } from "../../src/reproduce/policy-plan.js";
import { SCALES } from "../../src/reproduce/table1.js";

const dir = mkdtempSync(join(tmpdir(), "tollway-study-slurm-"));
const GAME = "test/fixtures/game-two-transits.json";
const SHARED_JP = `${SHARED_DATA}jp-as-rel.txt`;
// 2 strategies for 2 players (Y, Z): 2² = 4 profiles × 2 replications = 8 runs.
const TOURNAMENT = ["tournament", GAME, "--isp-strategies", "honest-congestion,fixed-toll", "--reps", "2"];
// Baseline and Y→fixed-toll: 2 points × 3 replications = 6 runs.
const DEVIATION = ["deviation", GAME, "--isp", "Y", "--to", "fixed-toll", "--reps", "3"];
// The fixture's sweep grid: s ∈ {0.1, 0.25} × interval ∈ {1} = 2 points × 1 replication = 2 runs.
const OSCILLATION = ["oscillation", "test/fixtures/oscillation-small.json", "--reps", "1", "--epsilon", "2"];
// Baseline plus each of Y, Z switching to the other strategy of 2: 1 + 2 = 3 points × 2 replications = 6 runs.
const AUDIT = ["audit", GAME, "--strategies", "honest-congestion,fixed-toll", "--reps", "2"];

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The plan as an array task rebuilds it from the study's experiment file. */
async function roundTrip(plan: SweepPlan, name: string): Promise<SweepPlan> {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(studyExperimentFile(plan)));
  return loadSweepPlan(file);
}

const identity = (plan: SweepPlan) => ({ id: plan.experimentId, runs: plan.runs.map((r) => [r.config.id, r.config.scenarioHash, r.rep, r.seed]) });

describe("a study's plan as an experiment file", () => {
  it("rebuilds the same experiment, points, scenarios and seeds (tournament grid over explicit players, oscillation with options)", async () => {
    const loaded = loadScenarioFile(ROOT + GAME);
    const levels = ["honest-congestion", "fixed-toll"].map((s) => ({ value: s, set: { "isps.byNode.Y.strategy": s, "isps.byNode.Y.params": {} } }));
    const plan = await studyPlan(loaded, { name: "t", field: "t", isps: ["Y", "Z"], factors: [{ name: "y", levels }], reps: 3, seed: 9, rounds: 2, epsilon: 4, measures: ["welfare"] });
    expect(plan.runs).toHaveLength(6);
    expect(identity(await roundTrip(plan, "study"))).toEqual(identity(plan));

    const osc = await oscillationPlan(loadScenarioFile(ROOT + "test/fixtures/oscillation-small.json"), ROOT + "test/fixtures/oscillation-small.json", { reps: 2, seed: 5, epsilon: 3 });
    expect(osc.runs).toHaveLength(4); // 2 grid points × 2 replications
    expect(identity(await roundTrip(osc, "oscillation"))).toEqual(identity(osc));
  });

  it("property: for any players, strategies, replications, seed, rounds and ε, the file rebuilds the study's plan", async () => {
    const loaded = loadScenarioFile(ROOT + GAME);
    const strategies = ["honest-congestion", "fixed-toll", "fake-congestion"];
    await fc.assert(fc.asyncProperty(
      fc.subarray(["X", "Y", "Z"], { minLength: 1 }), fc.subarray(strategies, { minLength: 1 }), fc.integer({ min: 1, max: 4 }),
      fc.option(fc.integer({ min: 0, max: 2 ** 31 }), { nil: undefined }), fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }), fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
      async (isps, chosen, reps, seed, rounds, epsilon) => {
        const levels = chosen.map((s) => ({ value: s, set: { [`isps.byNode.${isps[0]}.strategy`]: s } }));
        const plan = await studyPlan(loaded, { name: "p", field: "p", isps, factors: [{ name: "s", levels }], reps, seed, rounds, epsilon, measures: ["welfare"] });
        expect(plan.runs).toHaveLength(chosen.length * reps);
        expect(identity(await roundTrip(plan, "property"))).toEqual(identity(plan));
      },
    ), { numRuns: 12 });
  });

  it("explicitIsps must name ISPs of the base scenario: one line naming file and field", () => {
    const file = join(dir, "bad-isps.json");
    writeFileSync(file, JSON.stringify({ base: ROOT + GAME, explicitIsps: ["Y", "Nope"], factors: [{ path: "isps.byNode.Y.strategy", values: ["fixed-toll"] }] }));
    const bad = cli("sweep", file, "--dry-run");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(`tollway: ${file}: explicitIsps.1: "Nope" is not an ISP of the base scenario (its ISPs: X, Y, Z)\n`);
  });

  it("reproduce's pricing policies: the file gives the policies and options, and rebuilds the same plan; a bad one names file and field", async () => {
    const options = { scale: SCALES.test, seed: 3, load: 1.5 };
    const plan = await policyPlan("alpha-frontier", [{ kind: "static" }, { kind: "dynamic", alpha: 2 }], options);
    const file = studyExperimentFile(plan);
    // Each task has one CPU: its policy runs in one thread unless the plan said otherwise.
    expect(file).toMatchObject({ reproduce: { name: "alpha-frontier", policies: [{ kind: "static" }, { kind: "dynamic", alpha: 2 }], options: { ...options, workers: 1 } } });
    const rebuilt = await roundTrip(plan, "policies");
    expect(identity(rebuilt)).toEqual(identity(plan));
    expect(rebuilt.pricing?.policies).toEqual(plan.pricing?.policies);
    const bad = join(dir, "bad-policies.json");
    writeFileSync(bad, JSON.stringify({ reproduce: { name: "x", policies: [{ kind: "dynamic" }], options } }));
    await expect(loadSweepPlan(bad)).rejects.toThrow(/bad-policies\.json: reproduce\.policies\.0\.alpha: /);
  });

  it("--dry-run: local lists the points; slurm prints the experiment file and the sbatch script, and writes nothing", () => {
    const local = cli(...TOURNAMENT, "--dry-run");
    expect(local.status, local.stderr).toBe(0);
    expect(local.stdout).toMatch(/^experiment tournament game-two-transits \([0-9a-f]{16}\): 4 points × 2 replications = 8 runs\n/);
    expect(local.stdout.trim().split("\n")).toHaveLength(2 + 4);

    const store = join(dir, "dry.duckdb");
    const slurm = cli(...TOURNAMENT, "--backend", "slurm", "--store", store, "--array-size", "3", "--dry-run");
    expect(slurm.status, slurm.stderr).toBe(0);
    const file = join(`${store}.shards`, "experiment.json");
    expect(slurm.stdout).toContain(`# --- ${file} ---\n{\n`);
    expect(slurm.stdout).toContain(`"explicitIsps": [\n    "Y",\n    "Z"\n  ]`);
    expect(slurm.stdout).toMatch(/8 runs in 3 array tasks \(shards 0-2\)/);
    expect(slurm.stdout).toContain(` sweep ${file} --manifest ${join(`${store}.shards`, "manifest.json")} --shard "$SHARD" --jobs 1 --quiet`);
    expect(existsSync(`${store}.shards`)).toBe(false);
    expect(existsSync(store)).toBe(false);
  });

  it("--backend slurm without --store, or an unknown backend, is a one-line error", () => {
    const none = cli(...DEVIATION, "--backend", "slurm");
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/^tollway: --backend slurm needs --store: .*\n$/);
    const bad = cli(...DEVIATION, "--backend", "pbs", "--store", join(dir, "x.duckdb"));
    expect(bad.stderr).toBe(`tollway: --backend must be local or slurm (got "pbs")\n`);
  });
});

describe("studies through sbatch on a single-node SLURM on localhost", () => {
  let leave = (): void => {};
  beforeAll(() => {
    leave = useSlurm();
  });
  afterAll(() => leave());

  it("tournament --backend slurm --wait prints exactly what the local run prints; its runs came from the array's shards", async () => {
    const local = cli(...TOURNAMENT, "--jobs", "1");
    expect(local.status, local.stderr).toBe(0);
    const store = join(dir, "tournament.duckdb");
    const slurm = cli(...TOURNAMENT, "--backend", "slurm", "--store", store, "--array-size", "3", "--wait");
    expect(slurm.status, slurm.stderr).toBe(0);
    expect(slurm.stdout).toBe(local.stdout);
    expect(slurm.stderr).toMatch(/submitted 8 runs as 3 array tasks \(job \d+\), merge job \d+ into .*tournament\.duckdb; all finished/);
    // Every run was written by an array task (a local run stores shard NULL): 3 shards, 8 runs.
    expect(await query(store, "SELECT count(*)::INTEGER AS n, count(DISTINCT shard)::INTEGER AS s, count(shard)::INTEGER AS sharded FROM runs")).toEqual([{ n: 8, s: 3, sharded: 8 }]);
    // The experiment file is an ordinary sweep file: `tollway sweep` of it finds every run stored.
    const sweep = cli("sweep", join(`${store}.shards`, "experiment.json"), "--store", store, "--jobs", "1", "--quiet");
    expect(sweep.stdout).toMatch(/: 0 runs stored in .* \(0 failed, 8 already there\) of 8/);
  });

  it("deviation --backend slurm submits and says how to finish; after the merge job the same command with --store prints the local report, running nothing", async () => {
    const local = cli(...DEVIATION, "--jobs", "1", "--json");
    expect(local.status, local.stderr).toBe(0);
    const store = join(dir, "deviation.duckdb");
    const submitted = cli(...DEVIATION, "--backend", "slurm", "--store", store, "--array-size", "2");
    expect(submitted.status, submitted.stderr).toBe(0);
    const m = /submitted 6 runs as 2 array tasks \(job (\d+)\), merge job (\d+) into .*deviation\.duckdb\nwhen the jobs have finished, run this command again with --store .*deviation\.duckdb: it reads the runs and prints the report/.exec(submitted.stdout);
    expect(m, submitted.stdout).not.toBeNull();
    // Submitted again before collecting: refused, nothing submitted twice.
    const again = cli(...DEVIATION, "--backend", "slurm", "--store", store);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already submitted here/);
    await waitForJobs([m![1]!, m![2]!]);
    expect(cli("status", `${store}.shards`).stdout).toMatch(/6 of 6 runs ok, 0 failed\nshards: 2 of 2 arrived/);
    for (const backend of ["local", "slurm"]) {
      const report = cli(...DEVIATION, "--backend", backend, "--store", store, "--json");
      expect(report.status, report.stderr).toBe(0);
      expect(JSON.parse(report.stdout)).toEqual(JSON.parse(local.stdout));
    }
    expect(await query(store, "SELECT count(*)::INTEGER AS n, count(shard)::INTEGER AS sharded FROM runs")).toEqual([{ n: 6, sharded: 6 }]);
  });

  it("oscillation and audit --backend slurm --wait print what their local runs print", () => {
    for (const [name, args] of [["oscillation", OSCILLATION], ["audit", AUDIT]] as const) {
      const local = cli(...args, "--jobs", "1");
      expect(local.status, local.stderr).toBe(0);
      const slurm = cli(...args, "--backend", "slurm", "--store", join(dir, `${name}.duckdb`), "--no-merge", "--wait");
      // Without the merge job nothing reaches the store: the study says so instead of running the runs here.
      expect(slurm.status).toBe(1);
      expect(slurm.stderr).toMatch(/the jobs finished but the store holds 0 of the study's \d+ runs: .*tollway collect/);
      expect(cli("collect", join(dir, `${name}.duckdb.shards`), "--store", join(dir, `${name}.duckdb`)).status).toBe(0);
      const report = cli(...args, "--backend", "slurm", "--store", join(dir, `${name}.duckdb`));
      expect(report.status, report.stderr).toBe(0);
      expect(report.stdout).toBe(local.stdout);
    }
    expect(readFileSync(join(dir, "audit.duckdb.shards", "experiment.json"), "utf8")).toMatch(/"base": ".*game-two-transits\.json"/);
  });

  it("reproduce alpha-frontier --backend slurm --wait prints what the local run prints (the same --out)", () => {
    const out = join(dir, "frontier-out");
    // static, alpha = 2 and alpha = 3: 3 policies, one run each, at the test scale (10 one-second rounds).
    const args = ["reproduce", "alpha-frontier", "--scale", "test", "--from", "2", "--to", "3", "--step", "1", "--out", out, ...(existsSync(SHARED_JP) ? ["--topology", SHARED_JP] : [])];
    expectSlurmLikeLocal(args, out, "alpha-frontier.csv", join(dir, "frontier.duckdb"), 3);
  });
});
