import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { ROOT, cli, expectCleanError } from "../support/run.js";
import { ResultStore } from "../../src/store/store.js";

const dir = mkdtempSync(join(tmpdir(), "tollway-sweep-"));
const GRID = "test/fixtures/experiments/figure1-grid.json";
const LONG = "test/fixtures/experiments/figure1-long.json";
const FAILING = "test/fixtures/experiments/figure1-failing.json";

async function query<T = Record<string, unknown>>(file: string, sql: string): Promise<T[]> {
  const store = await ResultStore.open(file, { readOnly: true });
  try {
    return await store.rows<T>(sql);
  } finally {
    store.close();
  }
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("tollway sweep: points × replications into a DuckDB store", () => {
  const store = join(dir, "grid.duckdb");

  it("--dry-run lists the points and their count without running", () => {
    const { status, stdout } = cli("sweep", GRID, "--dry-run");
    expect(status).toBe(0);
    expect(stdout).toMatch(/6 points × 2 replications = 12 runs/);
    expect(stdout.trim().split("\n")).toHaveLength(2 + 6);
    const json = JSON.parse(cli("sweep", GRID, "--dry-run", "--json").stdout);
    expect(json.points.map((p: Record<string, unknown>) => [p["isps.byNode.Y.params.perPacket"], p.payment])).toEqual([[5, 20], [5, 40], [10, 20], [10, 40], [15, 20], [15, 40]]);
    expect(existsSync(join(ROOT, "results.duckdb"))).toBe(false);
  });

  it("stores every run once with its factors, seed and metrics; Y's revenue is its toll", async () => {
    const { status, stdout } = cli("sweep", GRID, "--store", store, "--jobs", "2", "--quiet");
    expect(status, stdout).toBe(0);
    expect(stdout).toMatch(/12 runs stored .* \(0 failed, 0 already there\) of 12/);
    const runs = await query<{ perPacket: number; replication: number; seed: number; isp_revenue: number; y: number; status: string }>(store, `
      SELECT p."isps.byNode.Y.params.perPacket" AS perPacket, r.replication, r.seed, r.isp_revenue, r.status,
        (SELECT revenue FROM isp_metrics i WHERE i.point_id = r.point_id AND i.replication = r.replication AND i.isp = 'Y') AS y
      FROM runs r JOIN points p USING (experiment_id, point_id) ORDER BY r.point_index, r.replication`);
    expect(runs).toHaveLength(12);
    // One packet A-X-Y-B paying 20 (or 40): X keeps 1, Y its toll, Z 1 on the way back and X 1 again.
    for (const r of runs) {
      expect(r.status).toBe("ok");
      expect(r.y).toBe(r.perPacket);
      expect(r.isp_revenue).toBe(r.perPacket + 3);
    }
    // Paired design: replication r has the same seed at every point.
    const seeds = new Set(runs.filter((r) => r.replication === 1).map((r) => r.seed));
    expect(seeds.size).toBe(1);
    expect(runs[0]!.seed).not.toBe(runs[1]!.seed);
    const [counts] = await query<{ rounds: number; flows: number; versions: number }>(store, "SELECT (SELECT count(*) FROM round_metrics) AS rounds, (SELECT count(*) FROM flow_metrics) AS flows, (SELECT count(DISTINCT tollway_version) FROM round_metrics) AS versions");
    expect(counts).toEqual({ rounds: 12, flows: 12, versions: 1 });
  });

  it("a second run of the same command finds everything stored and runs nothing", () => {
    const { status, stdout } = cli("sweep", GRID, "--store", store, "--quiet");
    expect(status).toBe(0);
    expect(stdout).toMatch(/0 runs stored .* \(0 failed, 12 already there\) of 12/);
  });

  it("gives the same rows for 1 job as for 2", async () => {
    const one = join(dir, "one.duckdb");
    expect(cli("sweep", GRID, "--store", one, "--jobs", "1", "--quiet").status).toBe(0);
    const sql = "SELECT point_id, replication, seed, scenario_hash, welfare, isp_revenue, user_utility FROM runs ORDER BY point_id, replication";
    expect(await query(one, sql)).toEqual(await query(store, sql));
  });

  it("summarize prints each point's mean and 95% CI; export writes typed Parquet and CSV", async () => {
    const summary = JSON.parse(cli("summarize", store, "--measures", "isp_revenue", "--json").stdout);
    expect(summary.map((p: { factors: Record<string, number>; measures: { isp_revenue: { mean: number; low: number } } }) => [p.factors.payment, p.measures.isp_revenue.mean, p.measures.isp_revenue.low]))
      .toEqual([[20, 8, 8], [40, 8, 8], [20, 13, 13], [40, 13, 13], [20, 18, 18], [40, 18, 18]]);
    expect(cli("summarize", store).stdout).toMatch(/isp_revenue/);
    const out = join(dir, "parquet");
    expect(cli("export", store, "--parquet", out).status).toBe(0);
    const db = await (await DuckDBInstance.create(":memory:")).connect();
    const rows = (await db.runAndReadAll(`SELECT typeof(isp_revenue) AS t, count(*)::INTEGER AS n FROM '${join(out, "runs.parquet")}' GROUP BY 1`)).getRowObjects();
    expect(rows).toEqual([{ t: "DOUBLE", n: 12 }]);
    const points = (await db.runAndReadAll(`SELECT typeof(payment) AS t FROM '${join(out, "points.parquet")}' LIMIT 1`)).getRowObjects();
    expect(points).toEqual([{ t: "DOUBLE" }]);
    const csv = join(dir, "csv");
    expect(cli("export", store, "--csv", csv).status).toBe(0);
    const n = (await db.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_csv('${join(csv, "round_metrics.csv")}')`)).getRowObjects();
    expect(n).toEqual([{ n: 12 }]);
  });

  it("status says how far each experiment in a store is", () => {
    expect(cli("status", store).stdout).toMatch(/12 of 12 runs ok, 0 failed, 0 to do/);
  });
});

describe("nothing lost, nothing twice", () => {
  it("a sweep killed with SIGKILL resumes with the same command and ends with every run exactly once", async () => {
    // The kill must land after some batches of runs are committed and before the last: wait until
    // the write-ahead log grows past a threshold, then kill at once. How far the log has grown by
    // the first committed batch depends on the machine's pace, so an attempt whose kill came before
    // any run was stored (or after the sweep had ended) is repeated with a larger (smaller) threshold.
    // Every attempt must end with every run exactly once.
    let threshold = 30_000;
    let midRun = false;
    for (let attempt = 0; attempt < 6 && !midRun; attempt++) {
      const store = join(dir, `killed-${attempt}.duckdb`);
      const child = spawn(process.execPath, [ROOT + "bin/tollway.js", "sweep", LONG, "--store", store, "--jobs", "1", "--quiet"], { cwd: ROOT, stdio: "ignore" });
      let code: number | null | undefined;
      const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve((code = c))));
      while (code === undefined && !(existsSync(store + ".wal") && statSync(store + ".wal").size > threshold)) await new Promise((r) => setTimeout(r, 20));
      child.kill("SIGKILL");
      const killed = (await exited) === null;
      const { status, stdout } = cli("sweep", LONG, "--store", store, "--jobs", "2", "--quiet");
      expect(status, stdout).toBe(0);
      const m = /(\d+) runs stored .* \(0 failed, (\d+) already there\) of 400/.exec(stdout);
      expect(m, stdout).not.toBeNull();
      const [ran, already] = [Number(m![1]), Number(m![2])];
      expect(ran + already).toBe(400);
      const [c] = await query<{ runs: number; distinct_runs: number; rounds: number; distinct_rounds: number }>(store, `SELECT
        (SELECT count(*) FROM runs) AS runs, (SELECT count(DISTINCT (point_id, replication)) FROM runs) AS distinct_runs,
        (SELECT count(*) FROM round_metrics) AS rounds, (SELECT count(DISTINCT (point_id, replication, round)) FROM round_metrics) AS distinct_rounds`);
      expect(c).toEqual({ runs: 400, distinct_runs: 400, rounds: 400 * 60, distinct_rounds: 400 * 60 });
      if (killed && already > 0 && ran > 0) midRun = true;
      else threshold = already === 0 ? threshold * 2 : Math.max(1, Math.floor(threshold / 2));
    }
    expect(midRun, "no kill landed between the first and the last committed batch in 6 attempts").toBe(true);
  });

  it("a point that throws is stored with its error, the others finish, and --retry-failed reruns only those", async () => {
    const store = join(dir, "failing.duckdb");
    const first = cli("sweep", FAILING, "--store", store, "--jobs", "1", "--quiet");
    expect(first.status).toBe(1);
    expect(first.stderr).toMatch(/^tollway: 4 of 8 runs failed and are stored with their errors \(rerun them with --retry-failed\); first: point 2 replication 0: strategy "throws-in-round-2" \(user A->B\) threw in round 2/);
    const rows = await query<{ status: string; n: number; e: string }>(store, "SELECT status, count(*)::INTEGER AS n, min(error) AS e FROM runs GROUP BY status ORDER BY status");
    expect(rows).toEqual([{ status: "failed", n: 4, e: expect.stringMatching(/budget table is empty/) }, { status: "ok", n: 4, e: null }]);
    const again = cli("sweep", FAILING, "--store", store, "--jobs", "1", "--quiet");
    expect(again.stdout).toMatch(/0 runs stored .* \(0 failed, 8 already there\)/);
    const retry = cli("sweep", FAILING, "--store", store, "--jobs", "1", "--quiet", "--retry-failed");
    expect(retry.stdout).toMatch(/4 runs stored .* \(4 failed, 4 already there\) of 8/);
    const [c] = await query<{ n: number }>(store, "SELECT count(*)::INTEGER AS n FROM runs");
    expect(c!.n).toBe(8);
  });

  it("a second process writing the same store gets a one-line error naming the holder", async () => {
    const store = join(dir, "locked.duckdb");
    const holder = await ResultStore.open(store);
    try {
      expectCleanError(["sweep", GRID, "--store", store], new RegExp(`locked\\.duckdb: the store is in use by another process \\(PID ${process.pid}`));
    } finally {
      holder.close();
    }
  });

  it("a store of another schema version is refused", async () => {
    const store = join(dir, "old.duckdb");
    const db = await DuckDBInstance.create(store);
    const c = await db.connect();
    await c.run("CREATE TABLE store_meta (key VARCHAR, value VARCHAR); INSERT INTO store_meta VALUES ('schema_version', '0')");
    c.closeSync();
    db.closeSync();
    expectCleanError(["sweep", GRID, "--store", store], /old\.duckdb: store_meta\.schema_version: store schema version 0, but this Tollway reads and writes version 3/);
    writeFileSync(join(dir, "junk.duckdb"), "not a database");
    expectCleanError(["status", join(dir, "junk.duckdb")], /junk\.duckdb: cannot open the store/);
  });
});

describe("bad experiments get one line naming the file and field", () => {
  it("an unknown factor path names the closest valid one", () => {
    expectCleanError(["sweep", "test/fixtures/experiments/unknown-path.json", "--dry-run"], /unknown-path\.json: factors\.0\.path: unknown scenario path "isps\.byNode\.Y\.params\.perPackt" \(closest: "isps\.byNode\.Y\.params\.perPacket"\)/);
  });
  it("an empty grid", () => {
    expectCleanError(["sweep", "test/fixtures/experiments/empty-grid.json", "--dry-run"], /empty-grid\.json: factors\.0\.values: empty: a factor needs at least one value/);
  });
  it("a range with low > high", () => {
    expectCleanError(["sweep", "test/fixtures/experiments/low-above-high.json", "--dry-run"], /low-above-high\.json: factors\.0\.low: low \(9\) > high \(2\)/);
  });
  it("a scenario without an experiment", () => {
    expectCleanError(["sweep", "scenarios/billpay-figure1.json", "--dry-run"], /billpay-figure1\.json: no "experiment" in the scenario/);
  });
  it("a value the scenario refuses names the factor", () => {
    const file = join(dir, "negative.json");
    writeFileSync(file, JSON.stringify({ base: ROOT + "scenarios/billpay-figure1.json", factors: [{ path: "rounds", values: [2, -1] }] }));
    expectCleanError(["sweep", file, "--dry-run"], /negative\.json: factors\.0: rounds: .*>=\s*1/);
  });
  it("an unknown measure for summarize", () => {
    expectCleanError(["summarize", join(dir, "grid.duckdb"), "--measures", "welfare,revenu"], /grid\.duckdb: --measures: unknown measure "revenu"/);
  });
});
