import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TollwayError } from "../../src/errors.js";
import {
  authorisedPayment,
  DigitalSecretary,
  elicitWillingness,
  refineWillingness,
  shareBudget,
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

describe("refineWillingness (the class default as the first question)", () => {
  it("default 20, truth 37 in [0, 100] to within 1: asks 20 yes, 60 no, 40 no, 30 yes, 35 yes, 37 yes, 38 no", () => {
    // 20 yes -> [20, 101); mid (20+101)/2 = 60 no -> [20, 60); 40 no -> [20, 40); 30 yes -> [30, 40);
    // 35 yes -> [35, 40); 37 yes -> [37, 40); 38 no -> [37, 38), width 1: 7 questions.
    const asked: bigint[] = [];
    const r = refineWillingness(20n, (p) => (asked.push(p), p <= 37n), { high: 100n, questionBudget: 10, tolerance: 1n });
    expect(asked).toEqual([20n, 60n, 40n, 30n, 35n, 37n, 38n]);
    expect(r).toEqual({ willingness: 37n, refusedAt: 38n, questions: 7 });
  });

  it("a no to the default searches below it: default 15, truth 9 in [0, 40], 3 questions leave [7, 11)", () => {
    // 15 no -> [0, 15); 7 yes -> [7, 15); 11 no -> [7, 11): the budget of 3 is spent.
    const asked: bigint[] = [];
    const r = refineWillingness(15n, (p) => (asked.push(p), p <= 9n), { high: 40n, questionBudget: 3, tolerance: 1n });
    expect(asked).toEqual([15n, 7n, 11n]);
    expect(r).toEqual({ willingness: 7n, refusedAt: 11n, questions: 3 });
  });

  it("the shipped scenario's voice class: default 15, truth 25 in [0, 40], 6 questions: 15, 28, 21, 24, 26, 25 -> 25", () => {
    const asked: bigint[] = [];
    const r = refineWillingness(15n, (p) => (asked.push(p), p <= 25n), { high: 40n, questionBudget: 6, tolerance: 1n });
    expect(asked).toEqual([15n, 28n, 21n, 24n, 26n, 25n]);
    expect(r.willingness).toBe(25n);
  });

  it("without questions or without a user to ask, the default stands (clamped to high)", () => {
    expect(refineWillingness(12n, null, { high: 40n, questionBudget: 6, tolerance: 1n })).toEqual({ willingness: 12n, refusedAt: 41n, questions: 0 });
    expect(refineWillingness(12n, () => true, { high: 40n, questionBudget: 0, tolerance: 1n }).willingness).toBe(12n);
    expect(refineWillingness(90n, null, { high: 40n, questionBudget: 0, tolerance: 1n }).willingness).toBe(40n);
  });

  it("with questions it never pays above the truth and stays within budget (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 500n }), fc.bigInt({ min: 0n, max: 500n }), fc.integer({ min: 1, max: 12 }), fc.bigInt({ min: 1n, max: 20n }), (d, t, budget, tol) => {
        const r = refineWillingness(d, truth(t), { high: 500n, questionBudget: budget, tolerance: tol });
        expect(r.willingness <= t).toBe(true);
        expect(r.questions).toBeLessThanOrEqual(budget);
        expect(t < r.refusedAt).toBe(true);
        if (r.questions < budget) expect(r.refusedAt - r.willingness <= tol).toBe(true);
      }),
    );
  });

  it("rejects bad options with the field named", () => {
    expect(() => refineWillingness(1n, null, { high: 10n, questionBudget: 1, tolerance: 0n })).toThrow(/secretary\.tolerance/);
    expect(() => refineWillingness(-1n, null, { high: 10n, questionBudget: 1, tolerance: 1n })).toThrow(/secretary\.willingness/);
  });
});

describe("authorisedPayment (the cap the engine applies per flow and round)", () => {
  it("pays what is asked when it is within willingness and allowance", () => {
    expect(authorisedPayment(20, 10, 25, 200)).toEqual({ payment: 20, cap: null }); // 20 × 10 = 200 <= 200
  });
  it("caps at the willingness", () => {
    expect(authorisedPayment(30, 10, 20, Infinity)).toEqual({ payment: 20, cap: "willingness" });
  });
  it("caps at the allowance: floor(150 / 10) = 15 per packet", () => {
    expect(authorisedPayment(20, 10, 25, 150)).toEqual({ payment: 15, cap: "budget" });
    // Both: 30 -> willingness 20, then 20 × 7 = 140 > 100 -> floor(100 / 7) = 14.
    expect(authorisedPayment(30, 7, 20, 100)).toEqual({ payment: 14, cap: "budget" });
  });
  it("an empty allowance sends the packets unpaid; no packets need no allowance", () => {
    expect(authorisedPayment(20, 3, 25, 0)).toEqual({ payment: 0, cap: "budget" });
    expect(authorisedPayment(20, 0, 25, 0)).toEqual({ payment: 20, cap: null });
  });
  it("never exceeds the allowance or the willingness or the ask, even for quotients of large doubles (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), fc.integer({ min: 0, max: 2 ** 29 }), fc.integer({ min: 0, max: 0xffffff }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (asked, packets, w, allowance) => {
        const { payment } = authorisedPayment(asked, packets, w, allowance);
        expect(Number.isInteger(payment) && payment >= 0).toBe(true);
        expect(payment).toBeLessThanOrEqual(Math.min(asked, w));
        expect(BigInt(payment) * BigInt(packets) <= BigInt(allowance)).toBe(true);
        // And it is the largest such payment.
        if (payment < Math.min(asked, w)) expect(BigInt(payment + 1) * BigInt(packets) > BigInt(allowance)).toBe(true);
      }),
    );
  });
});

describe("shareBudget", () => {
  it("10 among 3 flows: 4, 3, 3; nothing left: zeros; no flows: none", () => {
    expect(shareBudget(10n, 3)).toEqual([4n, 3n, 3n]);
    expect(shareBudget(0n, 2)).toEqual([0n, 0n]);
    expect(shareBudget(5n, 0)).toEqual([]);
  });
  it("shares sum to the remaining budget and differ by at most 1 (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 53n }), fc.integer({ min: 1, max: 50 }), (left, n) => {
        const shares = shareBudget(left, n);
        expect(shares.reduce((a, b) => a + b, 0n)).toBe(left);
        const min = shares.reduce((a, b) => (a < b ? a : b));
        const max = shares.reduce((a, b) => (a > b ? a : b));
        expect(max - min <= 1n).toBe(true);
      }),
    );
  });
});

describe("DigitalSecretary (a host's books)", () => {
  it("books a statement per application and party (hand-worked: Figure 1's packet, then a capped one)", () => {
    const s = new DigitalSecretary("A", { voice: { willingness: 25n, questions: 6 }, bulk: { willingness: 12n, questions: 0 } }, 100n);
    expect(s.willingnessFor("voice")).toBe(25n);
    expect(s.willingnessFor("mail")).toBe(0n); // an unknown class pays nothing
    // Figure 1: of A's 20, X keeps 1 + 1 (data and ack), Y 10, Z 1, B 1; 6 come back: spent 14.
    for (const [party, amount] of [["X", 2n], ["Y", 10n], ["Z", 1n], ["B", 1n]] as const) s.book("voice", party, amount);
    s.note("voice", 1, null);
    // A bulk packet capped at 12: X keeps 1, Y 10, B 1.
    for (const [party, amount] of [["X", 1n], ["Y", 10n], ["B", 1n]] as const) s.book("bulk", party, amount);
    s.note("bulk", 1, "willingness");
    expect(s.spent).toBe(26n);
    expect(s.remaining).toBe(74n);
    expect(s.statement()).toEqual([
      { host: "A", application: "bulk", party: "B", amount: 1n },
      { host: "A", application: "bulk", party: "X", amount: 1n },
      { host: "A", application: "bulk", party: "Y", amount: 10n },
      { host: "A", application: "voice", party: "B", amount: 1n },
      { host: "A", application: "voice", party: "X", amount: 2n },
      { host: "A", application: "voice", party: "Y", amount: 10n },
      { host: "A", application: "voice", party: "Z", amount: 1n },
    ]);
    expect(statementTotals(s.statement(), "party")).toEqual(new Map([["B", 2n], ["X", 3n], ["Y", 20n], ["Z", 1n]]));
    expect(statementTotals(s.statement(), "application")).toEqual(new Map([["bulk", 12n], ["voice", 14n]]));
    expect(s.applications().map((a) => [a.application, a.packets, a.spent, a.cappedByWillingness, a.cappedByBudget])).toEqual([
      ["bulk", 1, 12n, 1, 0],
      ["voice", 1, 14n, 0, 0],
    ]);
  });

  it("remaining never goes below 0, and no budget means none", () => {
    const s = new DigitalSecretary("A", { web: { willingness: 5n, questions: 0 } }, 3n);
    s.book("web", "X", 5n);
    expect(s.remaining).toBe(0n);
    expect(new DigitalSecretary("B", {}, null).remaining).toBeNull();
  });

  it("the statement sums to spend (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom("a", "b"), fc.constantFrom("X", "Y", "B"), fc.bigInt({ min: 0n, max: 20n }))), (books) => {
        const s = new DigitalSecretary("H", { a: { willingness: 10n, questions: 0 }, b: { willingness: 15n, questions: 0 } }, null);
        for (const [app, party, amount] of books) s.book(app, party, amount);
        expect(s.statement().reduce((sum, l) => sum + l.amount, 0n)).toBe(s.spent);
      }),
    );
  });

  it("rejects a negative budget and an unknown class", () => {
    expect(() => new DigitalSecretary("A", {}, -1n)).toThrow(/secretary\.budget: must be at least 0/);
    expect(() => new DigitalSecretary("A", {}, null).book("mail", "X", 1n)).toThrow(/unknown application class "mail"/);
  });
});
