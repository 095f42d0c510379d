import { describe, expect, it } from "vitest";
import { reproduceTable1, SCALES, table1Json, type ReproductionOptions } from "../../src/reproduce/table1.js";
import { SHARED_DATA } from "../support/run.js";

/** Test scale cut to 4 rounds: enough for flows to end, switch paths and move prices. */
const OPTIONS: ReproductionOptions = { scale: { ...SCALES.test, rounds: 4 }, seed: 1, topologyFile: `${SHARED_DATA}jp-as-rel.txt` };

describe("reproduce table1 with each policy's flows sharded across workers", () => {
  it("gives byte-identical results for 1 and 2 workers, and reports every round of every policy", async () => {
    const runs = await Promise.all([1, 2].map(async (workers) => {
      const progress: string[] = [];
      const result = await reproduceTable1({ ...OPTIONS, workers, onProgress: (policy, round, rounds) => progress.push(`${policy} ${round}/${rounds}`) });
      return { json: JSON.stringify({ ...table1Json(result), probe: result.probe && { ...result.probe, seconds: 0 } }), progress };
    }));
    expect(runs[1]!.json).toBe(runs[0]!.json);
    expect(runs[0]!.progress.slice(0, 8)).toEqual(["static 1/4", "static 2/4", "static 3/4", "static 4/4", "alpha=2 1/4", "alpha=2 2/4", "alpha=2 3/4", "alpha=2 4/4"]);
    expect(runs[1]!.progress).toEqual(runs[0]!.progress);
  });

  it("stops at the end of the current round once its signal is aborted", async () => {
    const controller = new AbortController();
    const run = reproduceTable1({ ...OPTIONS, workers: 2, signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toThrow(/^<static>: interrupted after 1 of 4 rounds$/);
  });
});
