import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TollwayError } from "../../src/errors.js";
import { BilateralLedger, type Settlement, type SettlementPolicy } from "../../src/mechanisms/billpay/ledger.js";
import {
  compileTopology,
  createTopologyGraph,
  findLink,
  type CompiledTopology,
  type NodeKind,
} from "../../src/model/topology.js";

const LINK = { capacityBps: 1e9, latencyMs: 5 } as const;

/** The paper's Figure 1: hosts A and B, ISPs X, Y, Z; A–X–Y–B and the ack path B–Z–X–A. */
function figure1(): CompiledTopology {
  const g = createTopologyGraph();
  g.addNode("A", { kind: "host" });
  g.addNode("X", { kind: "isp" });
  g.addNode("Y", { kind: "isp" });
  g.addNode("Z", { kind: "isp" });
  g.addNode("B", { kind: "host" });
  g.addEdge("A", "X", { relation: "provider-customer", provider: "X", ...LINK });
  g.addEdge("X", "Y", { relation: "peer", ...LINK });
  g.addEdge("Y", "B", { relation: "provider-customer", provider: "Y", ...LINK });
  g.addEdge("B", "Z", { relation: "provider-customer", provider: "Z", ...LINK });
  g.addEdge("Z", "X", { relation: "peer", ...LINK });
  return compileTopology(g);
}

/** One node pair A–X. */
function pair(): CompiledTopology {
  const g = createTopologyGraph();
  g.addNode("A", { kind: "host" });
  g.addNode("X", { kind: "isp" });
  g.addEdge("A", "X", { relation: "provider-customer", provider: "X", ...LINK });
  return compileTopology(g);
}

/** Per-link amounts from `[from, to, amount]` triples of node ids. */
function amounts(t: CompiledTopology, flows: [string, string, number][]): Float64Array {
  const out = new Float64Array(t.linkCount);
  for (const [from, to, amount] of flows) {
    const link = findLink(t, t.nodeIndex.get(from)!, t.nodeIndex.get(to)!);
    expect(link).toBeGreaterThanOrEqual(0);
    out[link]! += amount;
  }
  return out;
}

function tollwayErrorOf(fn: () => unknown): TollwayError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TollwayError);
    return error as TollwayError;
  }
  throw new Error("expected a TollwayError, nothing was thrown");
}

const sum = (xs: bigint[]): bigint => xs.reduce((a, b) => a + b, 0n);

describe("BilateralLedger on the paper's Figure 1", () => {
  const t = figure1();
  const n = (id: string): number => t.nodeIndex.get(id)!;
  const fig1Flows: [string, string, number][] = [
    ["A", "X", 20],
    ["X", "Y", 19],
    ["Y", "B", 9],
    ["B", "Z", 8],
    ["Z", "X", 7],
    ["X", "A", 6],
  ];

  it("books who earned what and what A owes X", () => {
    const ledger = new BilateralLedger(t, { settlementThreshold: 100n, billingCycleRounds: 30 });
    ledger.record(amounts(t, fig1Flows), 0);
    const net = ledger.net();
    expect(net[n("A")]).toBe(-14n);
    expect(net[n("X")]).toBe(2n);
    expect(net[n("Y")]).toBe(10n);
    expect(net[n("Z")]).toBe(1n);
    expect(net[n("B")]).toBe(1n);
    expect(sum(net)).toBe(0n);
    expect(ledger.openBalance(n("A"), n("X"))).toBe(14n);
    expect(ledger.openBalance(n("X"), n("A"))).toBe(-14n);
    expect(ledger.openBalance(n("X"), n("Y"))).toBe(19n);
    expect(ledger.openBalance(n("X"), n("Z"))).toBe(-7n);
    expect(ledger.cumulative(findLink(t, n("A"), n("X")))).toBe(20n);
    expect(ledger.cumulative(findLink(t, n("X"), n("A")))).toBe(6n);
    expect(ledger.counterCopies(findLink(t, n("B"), n("Z")))).toEqual({ sender: 8n, receiver: 8n });
    // Below the threshold and not the end of a cycle: nobody settles yet.
    expect(ledger.settle(0)).toEqual([]);
  });

  it("settles by threshold first and the rest at the end of the cycle", () => {
    const ledger = new BilateralLedger(t, { settlementThreshold: 10n, billingCycleRounds: 1 });
    ledger.record(amounts(t, fig1Flows), 0);
    const made = ledger.settle(0);
    const expected: Settlement[] = [
      { round: 0, debtor: n("A"), creditor: n("X"), amount: 14n, reason: "threshold" },
      { round: 0, debtor: n("X"), creditor: n("Y"), amount: 19n, reason: "threshold" },
      { round: 0, debtor: n("Y"), creditor: n("B"), amount: 9n, reason: "cycle" },
      { round: 0, debtor: n("B"), creditor: n("Z"), amount: 8n, reason: "cycle" },
      { round: 0, debtor: n("Z"), creditor: n("X"), amount: 7n, reason: "cycle" },
    ];
    expect(made).toEqual(expected);
    expect(ledger.settlements).toEqual(expected);
    // Settlements pay each node exactly what it earned.
    const inMinusOut = ledger.paidIn().map((p, i) => p - ledger.paidOut()[i]!);
    expect(inMinusOut).toEqual(ledger.net());
    expect(ledger.paidOut()[n("A")]).toBe(14n);
    expect(ledger.paidIn()[n("X")]).toBe(21n);
    expect(sum(ledger.paidOut())).toBe(57n);
    expect(sum(ledger.paidIn())).toBe(57n);
    for (const [a, b] of [["A", "X"], ["X", "Y"], ["Y", "B"], ["B", "Z"], ["Z", "X"]] as const) {
      expect(ledger.openBalance(n(a), n(b))).toBe(0n);
    }
    // Cumulative counters survive settlement.
    expect(ledger.cumulative(findLink(t, n("A"), n("X")))).toBe(20n);
  });
});

describe("BilateralLedger settlement rules", () => {
  const t = pair();
  const A = t.nodeIndex.get("A")!;
  const X = t.nodeIndex.get("X")!;
  const ax = (aToX: number, xToA: number): Float64Array => amounts(t, [["A", "X", aToX], ["X", "A", xToA]]);

  it("settles when the difference reaches the threshold, and the rest at the end of the cycle", () => {
    const ledger = new BilateralLedger(t, { settlementThreshold: 100n, billingCycleRounds: 10 });
    ledger.record(ax(60, 10), 0);
    expect(ledger.settle(0)).toEqual([]);
    expect(ledger.openBalance(A, X)).toBe(50n);
    ledger.record(ax(70, 5), 1); // open: 130 − 15 = 115 ≥ 100
    expect(ledger.settle(1)).toEqual([{ round: 1, debtor: A, creditor: X, amount: 115n, reason: "threshold" }]);
    expect(ledger.openBalance(A, X)).toBe(0n);
    ledger.record(ax(0, 30), 2); // now X owes A 30
    expect(ledger.settle(2)).toEqual([]);
    for (let r = 3; r < 9; r++) {
      ledger.record(ax(0, 0), r);
      expect(ledger.settle(r)).toEqual([]);
    }
    ledger.record(ax(4, 4), 9); // equal traffic leaves the difference at 30
    expect(ledger.settle(9)).toEqual([{ round: 9, debtor: X, creditor: A, amount: 30n, reason: "cycle" }]);
    expect(ledger.paidOut()[A]).toBe(115n);
    expect(ledger.paidOut()[X]).toBe(30n);
    expect(ledger.paidIn()[A]).toBe(30n);
    expect(ledger.paidIn()[X]).toBe(115n);
    expect(ledger.net()[A]).toBe(-85n); // received 10+5+30+4, sent 60+70+4
    expect(ledger.cumulative(findLink(t, A, X))).toBe(134n);
    expect(ledger.cumulative(findLink(t, X, A))).toBe(49n);
  });

  it("settles exactly at the threshold and says threshold when it coincides with a cycle end", () => {
    const ledger = new BilateralLedger(t, { settlementThreshold: 100n, billingCycleRounds: 1 });
    ledger.record(ax(100, 0), 0);
    expect(ledger.settle(0)).toEqual([{ round: 0, debtor: A, creditor: X, amount: 100n, reason: "threshold" }]);
  });

  it("makes a refusing debtor delinquent and clears it when the debtor later pays", () => {
    const calls: [number, number, bigint, number][] = [];
    let pays = false;
    const ledger = new BilateralLedger(t, {
      settlementThreshold: 100n,
      billingCycleRounds: 1000,
      willSettle: (debtor, creditor, amount, round) => {
        calls.push([debtor, creditor, amount, round]);
        return pays;
      },
    });
    ledger.record(ax(150, 0), 0);
    expect(ledger.settle(0)).toEqual([]);
    expect(calls).toEqual([[A, X, 150n, 0]]);
    expect(ledger.isDelinquent(A, X)).toBe(true);
    expect(ledger.isDelinquent(X, A)).toBe(false);
    expect(ledger.delinquentLinks()).toEqual([findLink(t, A, X)]);
    expect(ledger.refusals).toEqual([{ round: 0, debtor: A, creditor: X, amount: 150n, reason: "threshold" }]);
    expect(ledger.settlements).toEqual([]);
    expect(ledger.openBalance(A, X)).toBe(150n); // the debt stays open
    expect(ledger.paidOut()).toEqual([0n, 0n]);

    pays = true;
    ledger.record(ax(10, 0), 1);
    expect(ledger.settle(1)).toEqual([{ round: 1, debtor: A, creditor: X, amount: 160n, reason: "threshold" }]);
    expect(ledger.isDelinquent(A, X)).toBe(false);
    expect(ledger.delinquentLinks()).toEqual([]);
    expect(ledger.openBalance(A, X)).toBe(0n);
  });

  it("forgives a refused debt once reverse traffic cancels it", () => {
    const ledger = new BilateralLedger(t, {
      settlementThreshold: 100n,
      billingCycleRounds: 1000,
      willSettle: () => false,
    });
    ledger.record(ax(150, 0), 0);
    ledger.settle(0);
    expect(ledger.isDelinquent(A, X)).toBe(true);
    ledger.record(ax(0, 200), 1); // X now owes A 50, below the threshold
    expect(ledger.settle(1)).toEqual([]);
    expect(ledger.isDelinquent(A, X)).toBe(false);
    expect(ledger.isDelinquent(X, A)).toBe(false);
    expect(ledger.openBalance(X, A)).toBe(50n);
  });

  it("rejects bad amounts, rounds, policies and node pairs with a TollwayError", () => {
    const ledger = new BilateralLedger(t, { settlementThreshold: 10n, billingCycleRounds: 5 });
    for (const bad of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      const error = tollwayErrorOf(() => ledger.record(Float64Array.from([bad, 0]), 0));
      expect(error.place.field).toBe("ledger.linkAmounts.0");
    }
    expect(tollwayErrorOf(() => ledger.record(Float64Array.from([1, 2, 3]), 0)).place.field).toBe("ledger.linkAmounts");
    expect(ledger.cumulative(0)).toBe(0n); // nothing booked from the rejected calls
    expect(tollwayErrorOf(() => ledger.record(Float64Array.from([5, -1]), 0)).message).toBe(
      "ledger.linkAmounts.1: must be a non-negative safe integer (got -1) in round 0",
    );
    expect(ledger.cumulative(0)).toBe(0n); // validated before anything is booked
    ledger.record(Float64Array.from([1, 0]), 3);
    expect(tollwayErrorOf(() => ledger.record(Float64Array.from([1, 0]), 2)).message).toBe(
      "ledger: record: round 2 is before round 3, already booked",
    );
    expect(() => ledger.settle(-1)).toThrow(TollwayError);
    expect(() => ledger.cumulative(2)).toThrow(TollwayError);
    expect(tollwayErrorOf(() => new BilateralLedger(t, { settlementThreshold: 0n, billingCycleRounds: 5 })).place.field).toBe(
      "ledger.settlementThreshold",
    );
    expect(tollwayErrorOf(() => new BilateralLedger(t, { settlementThreshold: 1n, billingCycleRounds: 0 })).place.field).toBe(
      "ledger.billingCycleRounds",
    );
    const f = figure1();
    const fl = new BilateralLedger(f, { settlementThreshold: 1n, billingCycleRounds: 1 });
    expect(tollwayErrorOf(() => fl.openBalance(f.nodeIndex.get("A")!, f.nodeIndex.get("B")!)).message).toBe(
      "ledger: nodes A and B are not neighbours",
    );
    expect(fl.isDelinquent(f.nodeIndex.get("A")!, f.nodeIndex.get("B")!)).toBe(false);
  });
});

/** A small random connected-or-not simple graph with at least one link. */
const topologyArb: fc.Arbitrary<CompiledTopology> = fc.integer({ min: 2, max: 6 }).chain((nodes) => {
  const pairs: [number, number][] = [];
  for (let a = 0; a < nodes; a++) for (let b = a + 1; b < nodes; b++) pairs.push([a, b]);
  return fc
    .tuple(
      fc.array(fc.constantFrom<NodeKind>("isp", "host"), { minLength: nodes, maxLength: nodes }),
      fc.subarray(pairs, { minLength: 1 }),
      fc.array(fc.constantFrom("peer", "a-provides", "b-provides"), { minLength: pairs.length, maxLength: pairs.length }),
    )
    .map(([kinds, edges, relations]) => {
      const g = createTopologyGraph();
      kinds.forEach((kind, i) => g.addNode(`n${i}`, { kind }));
      edges.forEach(([a, b], i) => {
        const rel = relations[i]!;
        if (rel === "peer") g.addEdge(`n${a}`, `n${b}`, { relation: "peer", ...LINK });
        else g.addEdge(`n${a}`, `n${b}`, { relation: "provider-customer", provider: rel === "a-provides" ? `n${a}` : `n${b}`, ...LINK });
      });
      return compileTopology(g);
    });
});

const amountArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 6, arbitrary: fc.nat(1000) },
  { weight: 1, arbitrary: fc.maxSafeNat() },
);

const scenarioArb = topologyArb.chain((topology) =>
  fc.record({
    topology: fc.constant(topology),
    rounds: fc.array(fc.array(amountArb, { minLength: topology.linkCount, maxLength: topology.linkCount }), {
      minLength: 1,
      maxLength: 25,
    }),
    threshold: fc.oneof(fc.bigInt(1n, 2000n), fc.bigInt(1n, 2n ** 60n)),
    cycle: fc.integer({ min: 1, max: 8 }),
    payPattern: fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
  }),
);

describe("BilateralLedger conservation (property)", () => {
  it("conserves money on every transfer and every settlement", () => {
    fc.assert(
      fc.property(scenarioArb, ({ topology: t, rounds, threshold, cycle, payPattern }) => {
        let call = 0;
        const policy: SettlementPolicy = {
          settlementThreshold: threshold,
          billingCycleRounds: cycle,
          willSettle: () => payPattern[call++ % payPattern.length]!,
        };
        const ledger = new BilateralLedger(t, policy);
        const sent = new Array<bigint>(t.linkCount).fill(0n);
        const nodes = t.nodeIds.length;

        const checkBooks = (): void => {
          const net = ledger.net();
          expect(sum(net)).toBe(0n);
          expect(sum(ledger.paidOut())).toBe(sum(ledger.paidIn()));
          expect(sum(ledger.paidOut())).toBe(sum(ledger.settlements.map((s) => s.amount)));
          // Settled between each ordered pair, from the history.
          const settled = new Map<string, bigint>();
          for (const s of ledger.settlements) {
            expect(s.amount > 0n).toBe(true);
            const key = `${s.debtor}>${s.creditor}`;
            settled.set(key, (settled.get(key) ?? 0n) + s.amount);
          }
          const owedTo = new Array<bigint>(nodes).fill(0n);
          for (let l = 0; l < t.linkCount; l++) {
            const copies = ledger.counterCopies(l);
            expect(copies.sender).toBe(copies.receiver);
            expect(ledger.cumulative(l)).toBe(sent[l]);
            const a = t.linkFrom[l]!;
            const b = t.linkTo[l]!;
            const r = t.linkReverse[l]!;
            // What a sent b minus what b sent a = what a paid b − what b paid a + what a still owes b.
            const paidAB = (settled.get(`${a}>${b}`) ?? 0n) - (settled.get(`${b}>${a}`) ?? 0n);
            expect(sent[l]! - sent[r]!).toBe(paidAB + ledger.openBalance(a, b));
            owedTo[a]! += ledger.openBalance(b, a);
          }
          const paidIn = ledger.paidIn();
          const paidOut = ledger.paidOut();
          for (let v = 0; v < nodes; v++) expect(net[v]).toBe(paidIn[v]! - paidOut[v]! + owedTo[v]!);
        };

        rounds.forEach((row, round) => {
          ledger.record(Float64Array.from(row), round);
          row.forEach((x, l) => (sent[l]! += BigInt(x)));
          checkBooks();
          ledger.settle(round);
          checkBooks();
          // After settling, any balance still due is owed by a delinquent debtor.
          const cycleEnds = (round + 1) % cycle === 0;
          for (let l = 0; l < t.linkCount; l++) {
            const owed = ledger.openBalance(t.linkFrom[l]!, t.linkTo[l]!);
            const due = owed >= threshold || (cycleEnds && owed > 0n);
            if (due) expect(ledger.isDelinquent(t.linkFrom[l]!, t.linkTo[l]!)).toBe(true);
            if (owed <= 0n) expect(ledger.isDelinquent(t.linkFrom[l]!, t.linkTo[l]!)).toBe(false);
          }
          const delinquent = ledger.delinquentLinks();
          for (const l of delinquent) expect(ledger.openBalance(t.linkFrom[l]!, t.linkTo[l]!) > 0n).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });
});
