/**
 * The toll rule of Bill-Pay §2.1 as the engine runs it: the scalar functions of tolls.ts, by
 * hand-worked numbers, and a property that the hop kernel and the announced prices apply exactly
 * these functions (no second copy of the arithmetic to drift).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeAdmission, createBatches, createLinkTotals, hopForward, hopLocal, type LinkInputs } from "../../src/engine/pipeline.js";
import {
  afterFixedToll, announcedLinkToll, carriedOn, congestionDropProbability, fixedToll, fixedTollCharged, fixedTollDue,
  firstInvalidTariffRow, FREE_TARIFF, hopClass, invalidTariffField, keptAtHop, receiverKept,
} from "../../src/mechanisms/billpay/tolls.js";
import { forEachHopClass } from "../../src/metrics/queueing-delay.js";

describe("the scalar toll rule", () => {
  it("fixedTollDue: per packet + per byte × bytes + proportional × payment, rounded", () => {
    expect(fixedTollDue(1, 0, 0, 20, 1500)).toBe(1);
    // 2 + 0.001 × 1500 + 0.1 × 20 = 5.5 → 6
    expect(fixedTollDue(2, 0.001, 0.1, 20, 1500)).toBe(6);
    // 0.2 + 0.0001 × 1500 = 0.35 → 0
    expect(fixedTollDue(0.2, 0.0001, 0, 20, 1500)).toBe(0);
  });

  it("fixedTollCharged: capped by what the packet carries", () => {
    expect(fixedTollCharged(6, 20)).toBe(6);
    expect(fixedTollCharged(50, 20)).toBe(20);
    expect(fixedTollCharged(3, 0)).toBe(0);
  });

  it("congestionDropProbability: (toll − payment) / toll for an underpayer, else 0", () => {
    expect(congestionDropProbability(10, 4)).toBe(0.6);
    expect(congestionDropProbability(10, 10)).toBe(0);
    expect(congestionDropProbability(10, 0)).toBe(1);
    expect(congestionDropProbability(0, 0)).toBe(0);
  });

  it("announcedLinkToll: the fixed toll of a packet that carries nothing, plus congestion", () => {
    // 1 + 0.002 × 1500 = 4, + 10
    expect(announcedLinkToll(1, 0.002, 10, 1500)).toBe(14);
    // A 1-Mbit packet (125,000 bytes) at 0.1 per byte: 12,500
    expect(announcedLinkToll(0, 0.1, 0, 125_000)).toBe(12_500);
  });

  it("fixedToll on a Tariff is the same rule", () => {
    expect(fixedToll({ ...FREE_TARIFF, perPacket: 2, perByte: 0.001, proportional: 0.1 }, 20, 1500)).toBe(6);
    expect(fixedToll({ ...FREE_TARIFF, perPacket: 50 }, 20, 1500)).toBe(20);
  });
});

/** One ISP link of ample capacity with the given tariff. */
function link(t: { perPacket: number; perByte: number; proportional: number; congestion: number }): LinkInputs {
  const f = (v: number) => Float64Array.of(v);
  return {
    perPacket: f(t.perPacket), perByte: f(t.perByte), proportional: f(t.proportional), congestion: f(t.congestion), dropShare: f(0),
    senderIsHost: Uint8Array.of(0), noPremium: Uint8Array.of(0), capacityBits: f(1e15), admitNormal: f(0), admitPremium: f(0),
  };
}

describe("the hop kernel runs the scalar rule", () => {
  it("what one packet keeps and carries on is fixedTollCharged(fixedTollDue(...)) then the congestion toll (property)", () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 50 }), fc.double({ min: 0, max: 0.01, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }),
      fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 1500 }),
      (perPacket, perByte, proportional, congestion, payment, bytes) => {
        const links = link({ perPacket, perByte, proportional, congestion });
        const b = createBatches(1);
        b.count = 1; b.flow[0] = 0; b.packets[0] = 1; b.payment[0] = payment; b.bitsPerPacket[0] = bytes * 8;
        b.pathStart[0] = 0; b.pathLength[0] = 1;
        const totals = createLinkTotals(1);
        const ctx = { seed: 1, round: 0, leg: 0, hop: 0, pathPool: Int32Array.of(0) };
        hopLocal(links, b, totals, ctx, 0, 1);
        computeAdmission(links, totals, false);
        hopForward(links, b, totals, ctx, 0, 1);
        const left = payment - fixedTollCharged(fixedTollDue(perPacket, perByte, proportional, payment, bytes), payment);
        const drop = congestionDropProbability(congestion, left);
        if (congestion > 0 && drop > 0) {
          // An underpayer gives up all it carries, dropped or not.
          expect(b.payment[0]).toBe(0);
          expect(totals.kept[0]).toBe(payment);
        } else {
          const after = congestion > 0 ? left - congestion : left;
          expect(b.payment[0]).toBe(after);
          expect(totals.kept[0]).toBe(payment - after);
          expect(totals.transferred[0]).toBe(after);
        }
      },
    ));
  });
});

/** The hop steps of tolls.ts in the order the hop kernel runs them (the class before standing). */
function hop(due: number, congestion: number, payment: number, standing = true) {
  const left = afterFixedToll(due, payment);
  const drop = congestionDropProbability(congestion, left);
  return { left, drop, cls: hopClass(due, congestion, payment, drop, standing), on: carriedOn(left, congestion, drop), kept: keptAtHop(due, congestion, payment) };
}

describe("one hop of the rule: drop, class, what goes on, what is kept", () => {
  it("a packet that pays both tolls: premium, carries the rest on", () => {
    // Fixed toll due 6, congestion toll 4, the packet carries 15: it pays 6, has 9 ≥ 4, pays 4.
    expect(hop(6, 4, 15)).toEqual({ left: 9, drop: 0, cls: 1, on: 5, kept: 10 }); // on = 15 − 6 − 4, kept = 6 + 4
    // The same packet from a sender with unpaid debts pays the same but is second class.
    expect(hop(6, 4, 15, false)).toEqual({ left: 9, drop: 0, cls: 0, on: 5, kept: 10 });
  });

  it("a packet that underpays the congestion toll: dropped at (toll − left) / toll, gives up all it carries", () => {
    // Carries 10, pays the fixed 6, 4 left against a congestion toll of 5: dropped with (5 − 4) / 5 = 0.2.
    const h = hop(6, 5, 10);
    expect(h.drop).toBeCloseTo(0.2, 15);
    expect(h).toMatchObject({ left: 4, cls: 0, on: 0, kept: 10 });
  });

  it("a packet that underpays the fixed toll: capped at what it carries, second class", () => {
    // Due 50, carries 20: pays 20, carries 0 on; with a congestion toll of 3 it then has 0 < 3: dropped surely.
    expect(hop(50, 0, 20)).toEqual({ left: 0, drop: 0, cls: 0, on: 0, kept: 20 });
    expect(hop(50, 3, 20)).toEqual({ left: 0, drop: 1, cls: 0, on: 0, kept: 20 });
  });

  it("a link that asks nothing: the packet passes untouched and is not premium; a covered congestion toll alone is premium", () => {
    expect(hop(0, 0, 10)).toEqual({ left: 10, drop: 0, cls: 0, on: 10, kept: 0 });
    expect(hop(0, 3, 10)).toEqual({ left: 10, drop: 0, cls: 1, on: 7, kept: 3 }); // 10 − 3 = 7 goes on
  });

  it("property: money is conserved at a hop (kept + carried on = payment), and premium means nothing underpaid", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 100 }), fc.boolean(), (due, congestion, payment, standing) => {
      const h = hop(due, congestion, payment, standing);
      expect(h.kept + h.on).toBe(payment);
      expect(h.drop).toBeGreaterThanOrEqual(0);
      expect(h.drop).toBeLessThanOrEqual(1);
      if (h.drop > 0) expect(h.on).toBe(0);
      if (h.cls === 1) {
        expect(standing).toBe(true);
        expect(h.drop).toBe(0);
        expect(h.on).toBe(payment - due - congestion);
      }
    }));
  });
});

/** ISP links 0..hops-1 in a chain (link 0's sender optionally a host), ample capacity. */
function chain(tariffs: { perPacket: number; perByte: number; proportional: number; congestion: number; denied: boolean }[], firstIsHost: boolean): LinkInputs {
  const col = (k: "perPacket" | "perByte" | "proportional" | "congestion") => Float64Array.from(tariffs, (t) => t[k]);
  const n = tariffs.length;
  return {
    perPacket: col("perPacket"), perByte: col("perByte"), proportional: col("proportional"), congestion: col("congestion"),
    dropShare: new Float64Array(n), senderIsHost: Uint8Array.from(tariffs, (_t, l) => (l === 0 && firstIsHost ? 1 : 0)),
    noPremium: Uint8Array.from(tariffs, (t) => (t.denied ? 1 : 0)), capacityBits: new Float64Array(n).fill(1e15),
    oadFrom: new Float64Array(n), admitNormal: new Float64Array(n), admitPremium: new Float64Array(n),
  };
}

describe("the queueing-delay replay classes a path as the hop kernel does", () => {
  it("property: forEachHopClass's class at each link is hopLocal's, for any tariffs, standing and payment", () => {
    const tariff = fc.record({
      perPacket: fc.integer({ min: 0, max: 8 }), perByte: fc.constantFrom(0, 0.001, 0.004), proportional: fc.constantFrom(0, 0.1, 0.5),
      congestion: fc.integer({ min: 0, max: 6 }), denied: fc.boolean(),
    });
    fc.assert(fc.property(fc.array(tariff, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 40, max: 1500 }), (tariffs, firstIsHost, payment, bytes) => {
      const links = chain(tariffs, firstIsHost);
      const path = Int32Array.from(tariffs, (_t, l) => l);
      const b = createBatches(1);
      b.count = 1; b.flow[0] = 0; b.packets[0] = 1000; b.payment[0] = payment; b.bitsPerPacket[0] = bytes * 8;
      b.pathStart[0] = 0; b.pathLength[0] = path.length;
      const totals = createLinkTotals(path.length);
      const engine: (number | null)[] = [];
      for (let hop = 0; hop < path.length; hop++) {
        const ctx = { seed: 9, round: 0, leg: 0, hop, pathPool: path };
        const arriving = b.packets[0]!;
        hopLocal(links, b, totals, ctx, 0, 1);
        engine.push(arriving > 0 ? b.premium[0]! : null);
        computeAdmission(links, totals, true);
        hopForward(links, b, totals, ctx, 0, 1);
      }
      const replay: number[] = [];
      const route = { tariffs: links, senderIsHost: (l: number) => links.senderIsHost[l] === 1, noPremium: links.noPremium };
      forEachHopClass(route, path, payment, bytes, (_link, premium) => replay.push(premium ? 1 : 0));
      // Where packets still arrive (a congestion toll may drop them all), the classes agree.
      engine.forEach((cls, h) => { if (cls !== null) expect(replay[h]).toBe(cls); });
    }));
  });
});

describe("what the payee keeps (receiverKept), as the return leg pays it", () => {
  it("perPacket plus a fraction of what arrived, whole units, never more than arrived", () => {
    expect(receiverKept(1, 0, 14)).toBe(1);
    expect(receiverKept(0, 0.5, 5)).toBe(3); // 2.5 rounds to 3
    expect(receiverKept(10, 0, 4)).toBe(4);
    expect(receiverKept(0, 0, 7)).toBe(0);
    expect(receiverKept(2, 0.25, 0)).toBe(0);
  });
});

describe("the tariff checks", () => {
  const columns = (rows: Partial<Record<keyof typeof FREE_TARIFF, number>>[]) => Object.fromEntries(
    (Object.keys(FREE_TARIFF) as (keyof typeof FREE_TARIFF)[]).map((key) => [key, Float64Array.from(rows, (r) => r[key] ?? 0)]),
  ) as Record<keyof typeof FREE_TARIFF, Float64Array>;

  it("invalidTariffField names the amounts before the shares", () => {
    expect(invalidTariffField(FREE_TARIFF)).toBeNull();
    expect(invalidTariffField({ ...FREE_TARIFF, dropShare: 1, proportional: 1 })).toBeNull();
    expect(invalidTariffField({ ...FREE_TARIFF, dropShare: 2, congestion: -1 })).toBe("congestion");
    expect(invalidTariffField({ ...FREE_TARIFF, proportional: 1.5 })).toBe("proportional");
    expect(invalidTariffField({ ...FREE_TARIFF, perByte: Infinity })).toBe("perByte");
  });

  it("firstInvalidTariffRow finds the lowest bad row over all columns", () => {
    expect(firstInvalidTariffRow(columns([{ perPacket: 3 }, { dropShare: 1 }]), 2)).toBe(-1);
    // Row 2's share and row 1's NaN toll: row 1 comes first.
    expect(firstInvalidTariffRow(columns([{}, { perByte: Number.NaN }, { dropShare: 1.01 }]), 3)).toBe(1);
    expect(firstInvalidTariffRow(columns([{}, {}, { dropShare: 1.01 }]), 3)).toBe(2);
    // Rows past `count` are not read.
    expect(firstInvalidTariffRow(columns([{}, { perPacket: -1 }]), 1)).toBe(-1);
  });

  it("firstInvalidTariffRow agrees with invalidTariffField row by row", () => {
    const value = fc.oneof(fc.constantFrom(0, 1, -1, 0.5, 1.5, Infinity, Number.NaN), fc.double());
    const row = fc.record({ perPacket: value, perByte: value, proportional: value, congestion: value, dropShare: value });
    fc.assert(fc.property(fc.array(row, { maxLength: 6 }), (rows) => {
      const expected = rows.findIndex((r) => invalidTariffField(r) !== null);
      expect(firstInvalidTariffRow(columns(rows), rows.length)).toBe(expected);
    }));
  });
});
