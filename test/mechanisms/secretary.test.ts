import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TollwayError } from "../../src/errors.js";
import {
  DigitalSecretary,
  elicitWillingness,
  statementCsv,
  statementTotals,
} from "../../src/mechanisms/billpay/secretary.js";

const truth = (t: bigint) => (price: bigint) => price <= t;

describe("elicitWillingness (bisection on a hidden true value)", () => {
  it("finds 37 in [0, 100] with tolerance 1 in 6 questions (50 no, 25 yes, 37 yes, 43 no, 40 no, 38 no)", () => {
    const asked: bigint[] = [];
    const r = elicitWillingness((p) => (asked.push(p), p <= 37n), { low: 0n, high: 100n, questionBudget: 20, tolerance: 1n });
    expect(asked).toEqual([50n, 25n, 37n, 43n, 40n, 38n]);
    expect(r).toEqual({ willingness: 37n, refusedAt: 38n, questions: 6 });
  });

  it("stops at the question budget: 2 questions leave [25, 50)", () => {
    const r = elicitWillingness(truth(37n), { low: 0n, high: 100n, questionBudget: 2, tolerance: 1n });
    expect(r).toEqual({ willingness: 25n, refusedAt: 50n, questions: 2 });
  });

  it("stops at the tolerance: width 16 needs 3 questions, leaving [25, 38)", () => {
    // 50 no -> [0,50); 25 yes -> [25,50); 37 yes -> [37,50) width 13 <= 16.
    const r = elicitWillingness(truth(37n), { low: 0n, high: 100n, questionBudget: 20, tolerance: 16n });
    expect(r).toEqual({ willingness: 37n, refusedAt: 50n, questions: 3 });
  });

  it("never overshoots the truth and respects budget and tolerance (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 1000n }),
        fc.bigInt({ min: 0n, max: 1000n }),
        fc.integer({ min: 0, max: 15 }),
        fc.bigInt({ min: 1n, max: 50n }),
        (t, high, budget, tol) => {
          const r = elicitWillingness(truth(t), { low: 0n, high, questionBudget: budget, tolerance: tol });
          expect(r.willingness <= t).toBe(true);
          expect(r.questions).toBeLessThanOrEqual(budget);
          if (r.questions < budget) expect(r.refusedAt - r.willingness <= tol).toBe(true);
          if (t <= high) expect(t < r.refusedAt).toBe(true);
        },
      ),
    );
  });

  it("rejects bad options with a TollwayError naming the field", () => {
    expect(() => elicitWillingness(truth(1n), { low: 0n, high: 10n, questionBudget: 1, tolerance: 0n })).toThrow(
      /secretary\.tolerance: must be at least 1/,
    );
    expect(() => elicitWillingness(truth(1n), { low: 5n, high: 1n, questionBudget: 1, tolerance: 1n })).toThrow(TollwayError);
  });
});

describe("DigitalSecretary", () => {
  it("enforces willingness and budget, and books a statement per application and ISP (hand-worked)", () => {
    const s = new DigitalSecretary({ video: 5n, bulk: 2n }, 10n);
    expect(s.authorize("video", "X", 5n)).toBeNull(); // spent 5
    expect(s.authorize("video", "X", 6n)).toBe("over-willingness");
    expect(s.authorize("bulk", "Y", 2n)).toBeNull(); // spent 7
    expect(s.authorize("video", "Z", 4n)).toBe("over-budget"); // 7 + 4 > 10
    expect(s.authorize("video", "Z", 3n)).toBeNull(); // spent 10
    expect(s.authorize("mail", "X", 1n)).toBe("over-willingness"); // unknown class pays 0
    expect(s.authorize("mail", "X", 0n)).toBeNull();
    expect(s.spent).toBe(10n);
    expect(s.statement()).toEqual([
      { application: "bulk", isp: "Y", amount: 2n, packets: 1 },
      { application: "mail", isp: "X", amount: 0n, packets: 1 },
      { application: "video", isp: "X", amount: 5n, packets: 1 },
      { application: "video", isp: "Z", amount: 3n, packets: 1 },
    ]);
    expect(statementTotals(s.statement(), "isp")).toEqual(new Map([["X", 5n], ["Y", 2n], ["Z", 3n]]));
    expect(statementTotals(s.statement(), "application")).toEqual(new Map([["bulk", 2n], ["mail", 0n], ["video", 8n]]));
    expect(statementCsv(s.statement())).toBe(
      "application,isp,packets,amount\nbulk,Y,1,2\nmail,X,1,0\nvideo,X,1,5\nvideo,Z,1,3\n",
    );
  });

  it("spend never exceeds the budget and the statement sums to spend (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 100n }),
        fc.array(fc.tuple(fc.constantFrom("a", "b"), fc.constantFrom("X", "Y"), fc.bigInt({ min: 0n, max: 20n }))),
        (budget, asks) => {
          const s = new DigitalSecretary({ a: 10n, b: 15n }, budget);
          for (const [app, isp, amt] of asks) s.authorize(app, isp, amt);
          expect(s.spent <= budget).toBe(true);
          expect(s.statement().reduce((sum, l) => sum + l.amount, 0n)).toBe(s.spent);
        },
      ),
    );
  });

  it("rejects a negative budget", () => {
    expect(() => new DigitalSecretary({}, -1n)).toThrow(/secretary\.budget: must be at least 0/);
  });
});
