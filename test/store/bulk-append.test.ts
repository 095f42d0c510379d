/**
 * The store fills its run-level tables a data chunk at a time (src/store/chunks.ts). These tests
 * hold it to the row-by-row appender it replaced: the same runs written both ways must read back
 * as the same rows, in the same order, with the same types and values (NULLs, -0, NaN, ±∞,
 * subnormals, long and non-ASCII strings included), whether a chunk holds one run (constant key
 * vectors) or many (key values row by row), and across chunk boundaries.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { DuckDBAppender, DuckDBConnection } from "@duckdb/node-api";
import { loadSweepPlan } from "../../src/analysis/plan-file.js";
import { runSweepLocal } from "../../src/cluster/local.js";
import type { RoundRow, RunOutcome } from "../../src/cluster/point-run.js";
import type { PolicyOutcome } from "../../src/reproduce/outcome.js";
import { CHUNK_ROWS, OWN_CHUNK_ROWS } from "../../src/store/chunks.js";
import { FLOW_MEASURES, KEY_COLUMNS, KEY_WIDTH, POLICY_MEASURES, ROUND_MEASURES, RUN_MEASURES, RUN_TABLES } from "../../src/store/schema.js";
import { ResultStore, type RunKey, type StoredRun } from "../../src/store/store.js";
import { ROOT } from "../support/run.js";

const dir = mkdtempSync(join(tmpdir(), "tollway-bulk-append-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = (): string => join(dir, `s${files++}.duckdb`);

/**
 * The reference: what the store wrote before it wrote chunks — one appender call per value,
 * `endRow` per row, in one transaction. Kept here, apart from the store, as the oracle.
 */
async function appendRowByRow(connection: DuckDBConnection, runs: readonly StoredRun[]): Promise<void> {
  const appendKey = (a: DuckDBAppender, key: RunKey): void => {
    a.appendVarchar(key.experimentId);
    a.appendVarchar(key.pointId);
    a.appendInteger(key.replication);
    a.appendUBigInt(BigInt(key.seed));
    a.appendVarchar(key.scenarioHash);
    a.appendVarchar(key.version);
  };
  const appendAny = (a: DuckDBAppender, value: unknown): void => {
    if (value === null || value === undefined) a.appendNull();
    else if (typeof value === "number") a.appendDouble(value);
    else a.appendVarchar(String(value));
  };
  await connection.run("BEGIN TRANSACTION");
  const [runsA, roundsA, ispsA, flowsA, policyA, peaksA, switchesA] = await Promise.all(RUN_TABLES.map((t) => connection.createAppender(t)));
  for (const { key, outcome, shard } of runs) {
    appendKey(runsA!, key);
    runsA!.appendInteger(key.pointIndex);
    runsA!.appendVarchar(outcome.status);
    appendAny(runsA!, outcome.error);
    runsA!.appendDouble(outcome.wallSeconds);
    appendAny(runsA!, shard ?? null);
    appendAny(runsA!, outcome.topologyHash);
    for (const [, field] of RUN_MEASURES) appendAny(runsA!, outcome.totals ? outcome.totals[field] : null);
    runsA!.endRow();
    for (const round of outcome.rounds) {
      appendKey(roundsA!, key);
      roundsA!.appendInteger(round.round);
      for (const [, field] of ROUND_MEASURES) roundsA!.appendDouble(round[field]);
      roundsA!.endRow();
    }
    for (const isp of outcome.isps) {
      appendKey(ispsA!, key);
      ispsA!.appendVarchar(isp.isp);
      ispsA!.appendVarchar(isp.strategy);
      ispsA!.appendDouble(isp.revenue);
      ispsA!.appendDouble(isp.cost);
      ispsA!.appendDouble(isp.profit);
      ispsA!.endRow();
    }
    for (const flow of outcome.flows) {
      appendKey(flowsA!, key);
      flowsA!.appendInteger(flow.agent);
      flowsA!.appendVarchar(flow.flow);
      for (const [, field] of FLOW_MEASURES) flowsA!.appendDouble(flow[field]);
      flowsA!.endRow();
    }
    const policy = outcome.policy;
    if (policy === undefined) continue;
    appendKey(policyA!, key);
    policyA!.appendVarchar(policy.policy);
    policyA!.appendVarchar(policy.scenario);
    appendAny(policyA!, policy.alpha);
    for (const [, field] of POLICY_MEASURES) policyA!.appendDouble(policy[field]);
    policyA!.endRow();
    policy.peaks.forEach((peak, link) => {
      appendKey(peaksA!, key);
      peaksA!.appendInteger(link);
      peaksA!.appendDouble(peak);
      peaksA!.endRow();
    });
    policy.switchCounts.forEach((users, switches) => {
      appendKey(switchesA!, key);
      switchesA!.appendInteger(switches);
      switchesA!.appendDouble(users);
      switchesA!.endRow();
    });
  }
  for (const a of [runsA, roundsA, ispsA, flowsA, policyA, peaksA, switchesA]) a!.closeSync();
  await connection.run("COMMIT");
}

/** Every run-level table of a store, in stored order, with DuckDB's own values (bigint seeds, NULL as null). */
async function tables(file: string): Promise<Record<string, { types: string[]; rows: unknown[][] }>> {
  const store = await ResultStore.open(file, { readOnly: true });
  try {
    const out: Record<string, { types: string[]; rows: unknown[][] }> = {};
    for (const table of RUN_TABLES) {
      const reader = await store.connection.runAndReadAll(`SELECT * FROM ${table}`);
      out[table] = { types: reader.columnTypes().map(String), rows: reader.getRows() };
    }
    return out;
  } finally {
    store.close();
  }
}

/** Writes the batches through the store (bulk) and through the oracle (row by row); returns both stores' tables. */
async function bothWays(batches: readonly (readonly StoredRun[])[]): Promise<{ bulk: Awaited<ReturnType<typeof tables>>; rowByRow: Awaited<ReturnType<typeof tables>> }> {
  const bulkFile = freshFile();
  const bulk = await ResultStore.open(bulkFile);
  for (const batch of batches) await bulk.writeRuns(batch);
  await bulk.closeAfterWrites();
  const refFile = freshFile();
  const ref = await ResultStore.open(refFile);
  for (const batch of batches) await appendRowByRow(ref.connection, batch);
  ref.close();
  return { bulk: await tables(bulkFile), rowByRow: await tables(refFile) };
}

/** Asserts the two stores hold the same rows and that no table is empty by accident. */
function expectSame(both: Awaited<ReturnType<typeof bothWays>>, counts: Partial<Record<(typeof RUN_TABLES)[number], number>>): void {
  for (const table of RUN_TABLES) {
    const a = both.bulk[table]!;
    const b = both.rowByRow[table]!;
    expect(a.types, table).toEqual(b.types);
    expect(a.rows.length, table).toBe(b.rows.length);
    // toEqual compares numbers with Object.is: -0 is not 0, NaN equals NaN.
    expect(a.rows, table).toEqual(b.rows);
    if (counts[table] !== undefined) expect(a.rows.length, table).toBe(counts[table]);
  }
}

const EDGE = [0, -0, 1, -1, 0.1 + 0.2, Number.NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1e-310];

function key(pointIndex: number, replication = 0, over: Partial<RunKey> = {}): RunKey {
  return {
    experimentId: "exp-0123456789abcdef", pointId: `point-${pointIndex}-fedcba9876543210`, pointIndex, replication,
    seed: 12345 + pointIndex, scenarioHash: "0123456789abcdef", version: "0.1.0", ...over,
  };
}

function rounds(count: number, offset = 0): RoundRow[] {
  return Array.from({ length: count }, (_, round) => {
    const x = (k: number): number => EDGE[(round + k + offset) % EDGE.length]!;
    return { round, value: x(0), ispRevenue: x(1), ispCost: x(2), consumerSurplus: x(3), producerSurplus: x(4), welfare: x(5), userUtility: x(6), sent: x(7), delivered: x(8), dropShare: x(9), switches: round * 3 };
  });
}

function outcome(over: Partial<RunOutcome> = {}): RunOutcome {
  return { status: "ok", error: null, wallSeconds: 0.25, topologyHash: "topo-0123456789abcdef", totals: null, rounds: [], isps: [], flows: [], ...over };
}

function policy(alpha: number | null, links: number, over: Partial<PolicyOutcome> = {}): PolicyOutcome {
  return {
    policy: alpha === null ? "static" : `alpha=${alpha}`, scenario: "table1-static", scenarioHash: "h", seed: 1, alpha,
    avgBandwidthMbps: 1.5, unitPrice: -0, revenue: 1e300, linksUnder50Pct: 50, usersNeverSwitched: 12.5, userUtility: NaN, deliveredPct: 99.9,
    meanLinkPrice: 5e-324, flows: 40, nodes: 20, directedLinks: links, ratePerSec: 10, seconds: 60,
    peaks: Float64Array.from({ length: links }, (_, l) => EDGE[l % EDGE.length]!), switchCounts: [7, 0, 3, 1], ...over,
  };
}

describe("the store's bulk (data chunk) writes read back as the row-by-row appender's", () => {
  it("holds the chunk size DuckDB gives and a key as wide as KEY_COLUMNS", () => {
    expect(CHUNK_ROWS).toBe(2048);
    // KEY_COLUMNS lists one "name TYPE NOT NULL" per line.
    expect(KEY_COLUMNS.split(",").length).toBe(KEY_WIDTH);
  });

  it("edge values, NULLs and strings, one-run and mixed chunks, runs across chunk boundaries", async () => {
    const totals = Object.fromEntries(RUN_MEASURES.map(([, f], i) => [f, EDGE[i % EDGE.length]!])) as unknown as RunOutcome["totals"];
    const batch1: StoredRun[] = [
      // A run whose rounds fill one chunk exactly, then one that spans two (2048 + 452 rows).
      { key: key(0, 0, { seed: 0 }), outcome: outcome({ totals: { ...totals!, settleSec: null, dominantPeriodSec: null }, rounds: rounds(CHUNK_ROWS) }), shard: 3 },
      { key: key(1, 1, { seed: 2 ** 53 - 1, experimentId: "exp-0123456789abcdef", pointId: "ünïcödé ✓ point 'quoted' \"double\"" }), outcome: outcome({ rounds: rounds(2500, 5), totals }), shard: 0 },
      // A failed run: error text, no totals, no topology, no rows elsewhere.
      { key: key(2), outcome: { status: "failed", error: "the run produced NaN for value; it's 'quoted'", wallSeconds: 0, topologyHash: null, totals: null, rounds: [], isps: [], flows: [] }, shard: null },
      // Just under and at the threshold for a chunk of its own, then many small runs sharing chunks.
      { key: key(3), outcome: outcome({ rounds: rounds(OWN_CHUNK_ROWS - 1, 1) }) },
      { key: key(4), outcome: outcome({ rounds: rounds(OWN_CHUNK_ROWS, 2) }) },
      ...Array.from({ length: 40 }, (_, i): StoredRun => ({
        key: key(5 + i, i % 3, { version: i % 2 === 0 ? "" : "a-version-longer-than-twelve-bytes" }),
        outcome: outcome({
          rounds: rounds(i % 7, i),
          isps: [{ isp: "Y", strategy: "honest", revenue: EDGE[i % EDGE.length]!, cost: -0, profit: i }, { isp: "Übertragung-ISP", strategy: "", revenue: 1, cost: 2, profit: -1 }],
          flows: Array.from({ length: i % 4 }, (_, f) => ({ agent: f, flow: `A->B #${f}`, userUtility: f * 0.5, sentPackets: 10, deliveredPackets: 9, lossShare: 0.1, throughputBps: NaN, spent: Infinity, delayMs: 12.5, lateShare: 0.25 })),
        }),
        shard: i % 2 === 0 ? null : i,
      })),
    ];
    const batch2: StoredRun[] = [
      // Pricing-policy runs: α NULL and set, link peaks above and below the own-chunk threshold.
      { key: key(100), outcome: outcome({ topologyHash: null, policy: policy(null, 300) }) },
      { key: key(101), outcome: outcome({ topologyHash: null, policy: policy(4, 3) }) },
      { key: key(102), outcome: outcome({ topologyHash: null, policy: policy(0.5, 0, { switchCounts: [] }) }) },
    ];
    const both = await bothWays([batch1, batch2]);
    const roundCount = CHUNK_ROWS + 2500 + (OWN_CHUNK_ROWS - 1) + OWN_CHUNK_ROWS + Array.from({ length: 40 }, (_, i) => i % 7).reduce((a, b) => a + b, 0);
    // Flows: i % 4 per run over i < 40 = 10 × (0 + 1 + 2 + 3) = 60. Peaks: 300 + 3 + 0. Switch counts: 4 + 4 + 0.
    expectSame(both, { runs: 48, round_metrics: roundCount, isp_metrics: 80, flow_metrics: 60, policy_metrics: 3, link_peaks: 303, path_switch_counts: 8 });
    // Spot checks against the inputs themselves, not only against the oracle.
    const r = both.bulk.round_metrics!.rows;
    expect(r[0]!.slice(0, KEY_WIDTH + 1)).toEqual(["exp-0123456789abcdef", "point-0-fedcba9876543210", 0, 0n, "0123456789abcdef", "0.1.0", 0]);
    expect(r[1]![KEY_WIDTH + 1]).toBe(-0); // round 1, value = EDGE[1]
    expect(r[CHUNK_ROWS]!.slice(1, 4)).toEqual(["ünïcödé ✓ point 'quoted' \"double\"", 1, BigInt(2 ** 53 - 1)]);
    const failed = both.bulk.runs!.rows[2]!;
    expect(failed.slice(KEY_WIDTH, KEY_WIDTH + 6)).toEqual([2, "failed", "the run produced NaN for value; it's 'quoted'", 0, null, null]);
    expect(failed.slice(KEY_WIDTH + 6)).toEqual(RUN_MEASURES.map(() => null));
    expect(both.bulk.policy_metrics!.rows.map((row) => row[KEY_WIDTH + 2])).toEqual([null, 4, 0.5]);
  });

  it("random runs: the same rows both ways (property)", async () => {
    const double = fc.double();
    const text = fc.string({ maxLength: 20, unit: "grapheme" });
    const run = fc.record({
      pointIndex: fc.nat({ max: 1000 }), replication: fc.nat({ max: 5 }), seed: fc.nat(), pointId: text,
      rounds: fc.array(fc.tuple(double, double), { maxLength: 600 }),
      isps: fc.array(fc.record({ isp: text, strategy: text, revenue: double, cost: double, profit: double }), { maxLength: 4 }),
      error: fc.option(text, { nil: null }), shard: fc.option(fc.nat({ max: 100 }), { nil: null }), totals: fc.option(double, { nil: null }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(run, { maxLength: 12 }), { minLength: 1, maxLength: 3 }), async (batches) => {
        const stored = batches.map((batch) => batch.map((r): StoredRun => ({
          key: key(r.pointIndex, r.replication, { seed: r.seed, pointId: r.pointId }),
          outcome: outcome({
            error: r.error, topologyHash: r.error,
            totals: r.totals === null ? null : (Object.fromEntries(RUN_MEASURES.map(([, f]) => [f, r.totals])) as unknown as RunOutcome["totals"]),
            rounds: r.rounds.map(([a, b], round) => ({ round, value: a, ispRevenue: b, ispCost: a, consumerSurplus: b, producerSurplus: a, welfare: b, userUtility: a, sent: b, delivered: a, dropShare: b, switches: round })),
            isps: r.isps,
          }),
          shard: r.shard,
        })));
        expectSame(await bothWays(stored), { runs: stored.flat().length });
      }),
      { numRuns: 15 },
    );
  });

  it("a small sweep (Figure 1, 3 × 2 points × 2 replications) stores what the row-by-row appender stores", async () => {
    const plan = await loadSweepPlan(`${ROOT}test/fixtures/experiments/figure1-grid.json`);
    const bulkFile = freshFile();
    const store = await ResultStore.open(bulkFile);
    const written: StoredRun[][] = [];
    const writeRuns = store.writeRuns.bind(store);
    store.writeRuns = (runs) => {
      written.push([...runs]);
      return writeRuns(runs);
    };
    await runSweepLocal(plan, { store, jobs: 1 });
    await store.closeAfterWrites();
    const refFile = freshFile();
    const ref = await ResultStore.open(refFile);
    for (const batch of written) await appendRowByRow(ref.connection, batch);
    ref.close();
    const bulk = await tables(bulkFile);
    const rowByRow = await tables(refFile);
    const rounds = written.flat().reduce((n, r) => n + r.outcome.rounds.length, 0);
    expect(rounds).toBeGreaterThan(0);
    expectSame({ bulk, rowByRow }, { runs: 12, round_metrics: rounds });
  });
});
