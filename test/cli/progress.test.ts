import { describe, expect, it } from "vitest";
import { lazyProgress, plainProgress } from "../../src/cli/progress.js";

/** A progress reporter on a fake clock and stream. */
function fake(intervalMs: number) {
  const lines: string[] = [];
  let now = 0;
  const progress = plainProgress("tournament", 10, "matches", { stream: { write: (t: string) => lines.push(t) }, intervalMs, now: () => now });
  return { lines, progress, advance: (ms: number) => (now += ms) };
}

describe("plain progress lines", () => {
  it("print at most once per interval while running, and once at the end", () => {
    const { lines, progress, advance } = fake(2000);
    progress.update(1); // t = 0: too soon after the start
    advance(2500);
    progress.update(2); // t = 2.5 s: printed
    advance(1000);
    progress.update(3); // t = 3.5 s: 1 s after the last line, too soon
    advance(1500);
    progress.update(5); // t = 5 s: printed
    advance(500);
    progress.update(10); // the last unit: left to the closing line
    progress.stop();
    expect(lines).toEqual([
      "tollway: tournament: 2/10 matches (20%)\n",
      "tollway: tournament: 5/10 matches (50%)\n",
      "tollway: tournament: 10/10 matches done in 5.5 s\n",
    ]);
  });

  it("with no interval every update prints", () => {
    const { lines, progress } = fake(0);
    progress.update(1);
    progress.update(3);
    expect(lines).toEqual(["tollway: tournament: 1/10 matches (10%)\n", "tollway: tournament: 3/10 matches (30%)\n"]);
  });

  it("a grown total (Table I's probe run: 4 then 5 runs of 20 rounds) is what the lines count against", () => {
    const { lines, progress } = fake(0);
    progress.update(8);
    progress.setTotal(15);
    progress.update(12);
    progress.update(15);
    progress.stop();
    expect(lines).toEqual(["tollway: tournament: 8/10 matches (80%)\n", "tollway: tournament: 12/15 matches (80%)\n", "tollway: tournament: 15/15 matches done in 0.0 s\n"]);
  });

  it("the closing line counts from when the work started, not from the first report", () => {
    const lines: string[] = [];
    const progress = plainProgress("deviation", 4, "runs", { stream: { write: (t: string) => lines.push(t) }, now: () => 3000, startedAt: 500 });
    progress.update(4);
    progress.stop();
    expect(lines).toEqual(["tollway: deviation: 4/4 runs done in 2.5 s\n"]);
  });

  it("lazy progress does nothing when disabled", () => {
    const writes: unknown[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: unknown) => (writes.push(chunk), true)) as typeof process.stderr.write;
    try {
      const progress = lazyProgress("deviation", "runs", false);
      progress.onProgress(1, 2);
      progress.stop();
    } finally {
      process.stderr.write = original;
    }
    expect(writes).toEqual([]);
  });
});
