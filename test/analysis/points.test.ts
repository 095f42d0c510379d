import { describe, expect, it } from "vitest";
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
