/** The guard around a pass of strategy calls (src/engine/strategy-guard.ts), on synthetic passes. */
import { describe, expect, it } from "vitest";
import { CALLS_PER_CLOCK_CHECK, StrategyGuard, type Blame } from "../../src/engine/strategy-guard.js";
import { TollwayError } from "../../src/errors.js";

const blame = (): Blame => ({ strategy: { id: "probe" }, agent: "user f", round: 7 });

/** A pass over `items` calls that checks the guard every CALLS_PER_CLOCK_CHECK calls, as the engine's passes do. */
function countingPass(guard: StrategyGuard, items: number, call: (i: number) => void, parts: number[]) {
  return (from: number): number => {
    parts.push(from);
    for (let i = from; i < items; i++) {
      if ((i & (CALLS_PER_CLOCK_CHECK - 1)) === 0 && i !== from && guard.due()) return i;
      call(i);
    }
    return -1;
  };
}

describe("StrategyGuard", () => {
  it("hands a long watched pass back in parts, each with a fresh budget, and every call is made once", () => {
    // A fake clock that advances 1 ms per call: with a 200 ms budget a part hands back at the
    // first check after 100 calls, i.e. every 256 calls (the check interval).
    let ms = 0;
    const guard = new StrategyGuard(200, () => ms);
    const calls: number[] = [];
    const parts: number[] = [];
    guard.run(true, countingPass(guard, 1000, (i) => { ms += 1; calls.push(i); }, parts), blame);
    expect(parts).toEqual([0, 256, 512, 768]);
    expect(calls).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it("an unwatched pass (built-in strategies only) runs in one part", () => {
    let ms = 0;
    const guard = new StrategyGuard(200, () => ms);
    const parts: number[] = [];
    guard.run(false, countingPass(guard, 1000, () => void (ms += 1), parts), blame);
    expect(parts).toEqual([0]);
  });

  it("stops a call that never returns and names the strategy, the agent and the round", () => {
    const guard = new StrategyGuard(50);
    let error: unknown = null;
    try {
      guard.run(true, () => {
        for (;;) {
          // never returns
        }
      }, blame);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TollwayError);
    expect((error as Error).message).toBe('strategy "probe" (user f) did not return within 0.05 s in round 7 (a call must return its decision; --strategy-timeout sets the budget)');
  });

  it("forbids Math.random, the clocks and process.exit during a pass, restores them after, and ignores a strategy's catch", () => {
    const guard = new StrategyGuard(0);
    const before = [Math.random, Date.now, Date, performance.now, process.hrtime, process.exit];
    const tries: [string, () => unknown][] = [
      ["Math.random()", () => Math.random()],
      ["Date.now()", () => Date.now()],
      ["new Date()", () => new Date()],
      ["Date()", () => (Date as unknown as () => string)()],
      ["performance.now()", () => performance.now()],
      ["process.hrtime()", () => process.hrtime()],
      ["process.hrtime.bigint()", () => process.hrtime.bigint()],
      ["crypto.randomUUID()", () => crypto.randomUUID()],
      ["process.exit()", () => process.exit(0)],
    ];
    for (const [what, reach] of tries) {
      expect(() => guard.run(false, () => {
        try {
          reach();
        } catch {
          // a strategy that swallows the guard's error is stopped all the same
        }
        return -1;
      }, blame)).toThrow(`strategy "probe" (user f) called ${what} in round 7: `);
    }
    expect([Math.random, Date.now, Date, performance.now, process.hrtime, process.exit]).toEqual(before);
    // Dates of given times are deterministic and stay allowed.
    guard.run(false, () => (new Date(2020, 0, 1).getFullYear() === 2020 && Date.UTC(2020, 0, 1) > 0 ? -1 : -1), blame);
  });

  it("passes an engine error through unchanged", () => {
    const bug = new RangeError("engine bug");
    expect(() => new StrategyGuard(100).run(true, () => { throw bug; }, blame)).toThrow(bug);
  });
});
