import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../support/run.js";
import { useSlurm } from "../support/slurm.js";
import { query } from "../support/store.js";
import { dealShards, submissionCommands } from "../../src/cluster/slurm.js";

const dir = mkdtempSync(join(tmpdir(), "tollway-slurm-test-"));
const GRID = "test/fixtures/experiments/figure1-grid.json";

describe("SLURM arrays: shards, chunks and the merge job's command", () => {
  it("deals runs round-robin into shards numbered from the first index", () => {
    expect(dealShards([0, 1, 2, 3, 4], 2, 0)).toEqual([{ index: 0, file: "shard-0.duckdb", runs: [0, 2, 4] }, { index: 1, file: "shard-1.duckdb", runs: [1, 3] }]);
    expect(dealShards([7, 9], 3, 5)).toEqual([{ index: 5, file: "shard-5.duckdb", runs: [7] }, { index: 6, file: "shard-6.duckdb", runs: [9] }]);
  });

  it("chunks arrays longer than MaxArraySize, offsetting each chunk's index, and caps tasks at once with %K", () => {
    const { chunks, merge } = submissionCommands({ dir: "/d", store: "/s.duckdb", maxParallel: 4 }, [0, 2499], 1000);
    expect(chunks.map((c) => [c[2], c[3]])).toEqual([
      ["--array=0-999%4", "--export=ALL,TOLLWAY_SHARD_OFFSET=0"],
      ["--array=0-999%4", "--export=ALL,TOLLWAY_SHARD_OFFSET=1000"],
      ["--array=0-499%4", "--export=ALL,TOLLWAY_SHARD_OFFSET=2000"],
    ]);
    expect(merge).toContain("--dependency=afterok:<array jobs>");
    expect(merge!.at(-1)).toMatch(/^--wrap=.* collect \/d --store \/s\.duckdb$/);
    expect(submissionCommands({ dir: "/d", store: "/s", merge: false }, [3, 4], 1000).merge).toBeNull();
  });

  it("--dry-run prints the script and the sbatch lines without submitting", () => {
    const { status, stdout } = cli("sweep", GRID, "--backend", "slurm", "--store", join(dir, "dry.duckdb"), "--array-size", "3", "--max-array-size", "2", "--partition", "short", "--time", "00:10:00", "--dry-run");
    expect(status).toBe(0);
    expect(stdout).toMatch(/12 runs in 3 array tasks \(shards 0-2\)/);
    expect(stdout).toMatch(/#SBATCH --partition=short/);
    expect(stdout).toMatch(/#SBATCH --time=00:10:00/);
    expect(stdout).toMatch(/SHARD=\$\(\( \$\{TOLLWAY_SHARD_OFFSET:-0\} \+ SLURM_ARRAY_TASK_ID \)\)/);
    expect(stdout).toMatch(/sbatch --parsable --array=0-1 --export=ALL,TOLLWAY_SHARD_OFFSET=0 /);
    expect(stdout).toMatch(/sbatch --parsable --array=0-0 --export=ALL,TOLLWAY_SHARD_OFFSET=2 /);
  });
});

describe("a real sweep through sbatch on a single-node SLURM on localhost", () => {
  let leave = (): void => {};
  beforeAll(() => {
    leave = useSlurm();
  });
  afterAll(() => {
    leave();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the merged store of the array equals a local run of the same sweep; a lost shard is reported and resubmitted alone", async () => {
    const shards = join(dir, "shards");
    const merged = join(dir, "merged.duckdb");
    const submitted = cli("sweep", GRID, "--backend", "slurm", "--store", merged, "--dir", shards, "--array-size", "3", "--max-parallel", "2", "--wait");
    expect(submitted.status, submitted.stderr).toBe(0);
    expect(submitted.stdout).toMatch(/submitted 12 runs as 3 array tasks \(job \d+\), merge job \d+ into .*merged\.duckdb; all finished/);
    expect(cli("status", shards).stdout).toMatch(/12 of 12 runs ok, 0 failed\nshards: 3 of 3 arrived/);

    const local = join(dir, "local.duckdb");
    expect(cli("sweep", GRID, "--store", local, "--jobs", "1", "--quiet").status).toBe(0);
    const sql = "SELECT point_id, replication, seed, scenario_hash, status, welfare, isp_revenue, user_utility, consumer_surplus FROM runs ORDER BY point_id, replication";
    const rounds = "SELECT point_id, replication, round, welfare, isp_revenue, sent, delivered FROM round_metrics ORDER BY ALL";
    const isps = "SELECT point_id, replication, isp, strategy, revenue, profit FROM isp_metrics ORDER BY ALL";
    for (const q of [sql, rounds, isps]) expect(await query(merged, q)).toEqual(await query(local, q));
    expect((await query<{ s: number }>(merged, "SELECT count(DISTINCT shard)::INTEGER AS s FROM runs"))[0]!.s).toBe(3);

    // Lose shard 1: collect names it; a retry submits a compact array of just its runs.
    rmSync(join(shards, "shard-1.duckdb"));
    const partial = join(dir, "partial.duckdb");
    const lost = cli("collect", shards, "--store", partial);
    expect(lost.status).toBe(1);
    expect(lost.stdout).toMatch(/merged 8 runs into .* from 2 of 3 shards/);
    expect(lost.stderr).toMatch(/^tollway: .*shards: shard 1 never arrived; resubmit them with `tollway sweep .* --backend slurm --retry-failed --dir .*`\n$/);
    expect(cli("status", shards).stdout).toMatch(/8 of 12 runs ok, 0 failed\nshards: 2 of 3 arrived, missing: 1/);
    const retry = cli("sweep", GRID, "--backend", "slurm", "--store", partial, "--dir", shards, "--retry-failed", "--array-size", "1", "--no-merge", "--wait");
    expect(retry.status, retry.stderr).toBe(0);
    expect(retry.stdout).toMatch(/submitted 4 runs as 1 array tasks/);
    const collected = cli("collect", shards, "--store", partial);
    expect(collected.status, collected.stderr).toBe(0);
    expect(collected.stdout).toMatch(/merged 4 runs into .* from 3 of 4 shards/);
    const [n] = await query<{ n: number }>(partial, "SELECT count(*)::INTEGER AS n FROM runs");
    expect(n!.n).toBe(12);
    expect(await query(partial, sql)).toEqual(await query(local, sql));
  });
});
