/**
 * The toll rule of Bill-Pay §2.1 as the engine runs it: the scalar functions of tolls.ts, by
 * hand-worked numbers, and a property that the hop kernel and the announced prices apply exactly
 * these functions (no second copy of the arithmetic to drift).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeAdmission, createBatches, createLinkTotals, hopForward, hopLocal, type LinkInputs } from "../../src/engine/pipeline.js";
import {
  announcedLinkToll, congestionDropProbability, fixedToll, fixedTollCharged, fixedTollDue, FREE_TARIFF,
} from "../../src/mechanisms/billpay/tolls.js";

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
