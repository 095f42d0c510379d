import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { expandPoints, replicationSeed, runPoints, type PointRunner } from "../../src/analysis/points.js";
import { deriveSeed, STREAM } from "../../src/engine/random.js";

describe("points: configurations × replications with coordinator-derived seeds", () => {
  it("expands configuration-major, the seed depending only on the replication", () => {
    const points = expandPoints(["a", "b"], 3, 7);
    expect(points.map((p) => [p.index, p.config, p.rep])).toEqual([[0, "a", 0], [1, "a", 1], [2, "a", 2], [3, "b", 0], [4, "b", 1], [5, "b", 2]]);
    expect(points[4]!.seed).toBe(points[1]!.seed);
    expect(points[1]!.seed).toBe(deriveSeed(7, STREAM.experiment, 1));
    expect(new Set(points.slice(0, 3).map((p) => p.seed)).size).toBe(3);
  });

  it("the base seed changes every replication's seed", () => {
    expect(replicationSeed(1, 0)).not.toBe(replicationSeed(2, 0));
  });

  it("refuses a replication count that is not a positive integer", () => {
    expect(() => expandPoints(["a"], 0, 1)).toThrow(/reps must be a positive integer/);
  });

  it("results come back in point order whatever order a runner finishes them in", async () => {
    const reversed: PointRunner = {
      async run(points, work) {
        const out = new Array(points.length);
        for (let i = points.length - 1; i >= 0; i--) out[i] = await work(points[i]!);
        return out;
      },
    };
    const points = expandPoints([10, 20], 2, 1);
    const work = async (p: (typeof points)[number]) => p.config + p.rep;
    const serial = await runPoints(points, work);
    expect(serial).toEqual([10, 11, 20, 21]);
    expect(await runPoints(points, work, { runner: reversed })).toEqual(serial);
    const progress: number[] = [];
    await runPoints(points, work, { onProgress: (done) => progress.push(done) });
    expect(progress).toEqual([1, 2, 3, 4]);
  });
});

describe("concurrentPointRunner: up to N points at once, results in point order", () => {
  it("never runs more than N at once, and returns the serial results whatever the finishing order", async () => {
    const { concurrentPointRunner } = await import("../../src/analysis/points.js");
    const points = expandPoints([1, 2, 3, 4, 5], 2, 3);
    let running = 0;
    let most = 0;
    const work = async (p: (typeof points)[number]) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, (points.length - p.index) % 3));
      running--;
      return p.config * 10 + p.rep;
    };
    const serial = await runPoints(points, work);
    const done: number[] = [];
    expect(await runPoints(points, work, { runner: concurrentPointRunner(3), onProgress: (d) => done.push(d) })).toEqual(serial);
    expect(most).toBe(3);
    expect(done).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });

  it("once the signal is aborted no further point starts; the running ones finish and it throws 'interrupted'", async () => {
    const { concurrentPointRunner } = await import("../../src/analysis/points.js");
    const controller = new AbortController();
    const started: number[] = [];
    const points = expandPoints([0, 1, 2, 3, 4, 5], 1, 1);
    const run = runPoints(points, async (p) => {
      started.push(p.index);
      if (p.index === 1) controller.abort();
      await new Promise((r) => setTimeout(r, 1));
      return p.index;
    }, { runner: concurrentPointRunner(2, { signal: controller.signal }) });
    await expect(run).rejects.toThrow(/interrupted after 2 of 6 points/);
    expect(started).toEqual([0, 1]);
  });

  it("refuses jobs that are not a positive integer", async () => {
    const { concurrentPointRunner } = await import("../../src/analysis/points.js");
    expect(() => concurrentPointRunner(0)).toThrow(/--jobs must be a positive integer \(got 0\)/);
  });
});

describe("concurrentBatchRunner: lanes take several points per call, results still in point order", () => {
  it("takes batches in point order and hands back one result per point (hand-traced: 7 points, 2 lanes, batches of 3)", async () => {
    const { concurrentBatchRunner } = await import("../../src/analysis/points.js");
    const points = expandPoints([0, 1, 2, 3, 4, 5, 6], 1, 1);
    const batches: number[][] = [];
    const done: number[] = [];
    const results = await concurrentBatchRunner(2, { batchSize: () => 3 }).run(points, async (batch) => {
      batches.push(batch.map((p) => p.index));
      await new Promise((r) => setTimeout(r, 1));
      return batch.map((p) => p.config * 10);
    }, (d) => done.push(d));
    // lane 1 takes 0-2, lane 2 takes 3-5 (both start at once), the lane that finishes first takes what is left: 6 alone.
    expect(batches.slice(0, 2)).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(batches[2]).toEqual([6]);
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(done).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("property: any batch sizes, jobs and finishing order give the serial results, each point run exactly once", async () => {
    const { concurrentBatchRunner } = await import("../../src/analysis/points.js");
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: -2, max: 9 }), { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 8 }),
      async (n, jobs, sizes, delays) => {
        const points = expandPoints(Array.from({ length: n }, (_, i) => i), 1, 1);
        const runs = new Array(n).fill(0);
        let call = 0;
        const results = await concurrentBatchRunner(jobs, { batchSize: () => sizes[call++ % sizes.length]! }).run(points, async (batch) => {
          for (const p of batch) runs[p.index]++;
          await new Promise((r) => setTimeout(r, delays[call % delays.length]!));
          return batch.map((p) => p.config * 2 + 1);
        });
        expect(results).toEqual(points.map((p) => p.config * 2 + 1));
        expect(runs).toEqual(new Array(n).fill(1));
      },
    ), { numRuns: 60 });
  });

  it("once aborted no further batch starts; the running batches finish and it throws 'interrupted' with their count", async () => {
    const { concurrentBatchRunner } = await import("../../src/analysis/points.js");
    const controller = new AbortController();
    const started: number[][] = [];
    const points = expandPoints([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 1, 1);
    const run = concurrentBatchRunner(2, { signal: controller.signal, batchSize: () => 2 }).run(points, async (batch) => {
      started.push(batch.map((p) => p.index));
      if (batch[0]!.index === 2) controller.abort();
      await new Promise((r) => setTimeout(r, 1));
      return batch.map((p) => p.index);
    });
    // lane 2 aborts as it starts points 2-3, after lane 1 started 0-1; both batches finish: 4 of 10 done.
    await expect(run).rejects.toThrow(/interrupted after 4 of 10 points/);
    expect(started).toEqual([[0, 1], [2, 3]]);
  });

  it("a batch that throws, or returns the wrong number of results, stops the run with that error", async () => {
    const { concurrentBatchRunner } = await import("../../src/analysis/points.js");
    const points = expandPoints([0, 1, 2, 3], 1, 1);
    await expect(concurrentBatchRunner(1, { batchSize: () => 2 }).run(points, async () => { throw new Error("worker died"); })).rejects.toThrow("worker died");
    await expect(concurrentBatchRunner(1, { batchSize: () => 2 }).run(points, async (batch) => batch.slice(1))).rejects.toThrow(/a batch of 2 points gave 1 results/);
  });
});

describe("adaptiveBatchSize: about 20 ms of points per batch at the last batch's pace", () => {
  it("worked numbers", async () => {
    const { adaptiveBatchSize } = await import("../../src/analysis/points.js");
    const size = adaptiveBatchSize();
    // before any batch has finished: one point
    expect(size({ remaining: 500, lanes: 2, last: null })).toBe(1);
    // a worker's first point took 200 ms (its modules loading): 0.02 · 1 / 0.2 = 0.1 → still 1
    expect(size({ remaining: 499, lanes: 2, last: { points: 1, seconds: 0.2 } })).toBe(1);
    // 1 point in 1 ms: paced 20, but at most 2 · 1 + 1 = 3
    expect(size({ remaining: 497, lanes: 2, last: { points: 1, seconds: 0.001 } })).toBe(3);
    // 9 points in 9 ms: paced 20, 2 · 9 + 1 = 19 → 19
    expect(size({ remaining: 400, lanes: 2, last: { points: 9, seconds: 0.009 } })).toBe(19);
    // 19 points in 19 ms: paced 20 (below 39 and 64; 400 / 4 = 100) → 20
    expect(size({ remaining: 400, lanes: 2, last: { points: 19, seconds: 0.019 } })).toBe(20);
    // near the end the lanes share what is left: 30 remaining over 2 lanes → floor(30 / 4) = 7
    expect(size({ remaining: 30, lanes: 2, last: { points: 20, seconds: 0.02 } })).toBe(7);
    // 3 remaining: floor(3 / 4) = 0, but never below 1
    expect(size({ remaining: 3, lanes: 2, last: { points: 7, seconds: 0.007 } })).toBe(1);
    // points of 50 ms: 0.02 · 20 / 1 = 0.4 → one at a time
    expect(size({ remaining: 400, lanes: 2, last: { points: 20, seconds: 1 } })).toBe(1);
    // very fast points are capped at 64 (paced 2000, 2 · 64 + 1 = 129)
    expect(size({ remaining: 10_000, lanes: 2, last: { points: 64, seconds: 0.00064 } })).toBe(64);
  });
});
