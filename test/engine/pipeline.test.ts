import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  computeAdmission, createBatches, createLinkTotals, hopForward, hopForwardThenLocal, hopLocal, LINK_TOTAL_KEYS, sampleCount,
  type Batches, type LinkInputs, type LinkTotals,
} from "../../src/engine/pipeline.js";
import { congestionOutcome, fixedToll, FREE_TARIFF } from "../../src/mechanisms/billpay/tolls.js";

/** One ISP-owned link with the given tariff and capacity (bits per round). */
function oneLink(capacityBits: number, tariff: Partial<typeof FREE_TARIFF> = {}): LinkInputs {
  const t = { ...FREE_TARIFF, ...tariff };
  const f = (v: number) => Float64Array.of(v);
  return {
    perPacket: f(t.perPacket), perByte: f(t.perByte), proportional: f(t.proportional), congestion: f(t.congestion), dropShare: f(t.dropShare),
    senderIsHost: Uint8Array.of(0), noPremium: Uint8Array.of(0), capacityBits: f(capacityBits),
    admitNormal: f(0), admitPremium: f(0),
  };
}

function batchesOf(rows: { packets: number; payment: number; bits?: number }[]) {
  const b = createBatches(rows.length);
  rows.forEach((r, i) => {
    b.flow[i] = i; b.packets[i] = r.packets; b.payment[i] = r.payment; b.bitsPerPacket[i] = r.bits ?? 1000;
    b.pathStart[i] = 0; b.pathLength[i] = 1;
  });
  b.count = rows.length;
  return b;
}

function hop(links: LinkInputs, b: ReturnType<typeof batchesOf>, byPayment: boolean) {
  const totals = createLinkTotals(1);
  const ctx = { seed: 7, round: 0, leg: 0, hop: 0, pathPool: Int32Array.of(0) };
  hopLocal(links, b, totals, ctx, 0, b.count);
  computeAdmission(links, totals, byPayment);
  hopForward(links, b, totals, ctx, 0, b.count);
  return totals;
}

describe("tolls (Bill-Pay §2.1)", () => {
  it("fixed, per-byte and proportional tolls, rounded to whole units and never above the payment", () => {
    expect(fixedToll({ ...FREE_TARIFF, perPacket: 1 }, 20, 1500)).toBe(1);
    // 2 + 0.001 × 1500 + 0.1 × 20 = 5.5 → 6
    expect(fixedToll({ ...FREE_TARIFF, perPacket: 2, perByte: 0.001, proportional: 0.1 }, 20, 1500)).toBe(6);
    expect(fixedToll({ ...FREE_TARIFF, perPacket: 50 }, 20, 1500)).toBe(20);
  });

  it("congestion toll: paid in full passes; underpayment is dropped with probability (toll − payment) / toll", () => {
    expect(congestionOutcome(10, 12)).toEqual({ kept: 10, dropProbability: 0 });
    expect(congestionOutcome(10, 4)).toEqual({ kept: 4, dropProbability: 0.6 });
    expect(congestionOutcome(0, 4)).toEqual({ kept: 0, dropProbability: 0 });
  });

  it("drops 60% of 1,000 packets paying 4 against a congestion toll of 10, and keeps what they carried", () => {
    const b = batchesOf([{ packets: 1000, payment: 4 }]);
    const totals = hop(oneLink(1e12, { congestion: 10 }), b, false);
    expect([400, 401]).toContain(b.packets[0]);
    expect(b.payment[0]).toBe(0);
    // Every arriving packet's 4 units stay with the ISP: survivors paid them as toll, the dropped kept.
    expect(totals.kept[0]).toBe(4000);
    expect(totals.transferred[0]).toBe(0);
  });

  it("a packet that pays the congestion toll passes with the toll deducted", () => {
    const b = batchesOf([{ packets: 10, payment: 25 }]);
    const totals = hop(oneLink(1e12, { perPacket: 1, congestion: 10 }), b, false);
    expect(b.packets[0]).toBe(10);
    expect(b.payment[0]).toBe(14);
    expect(totals.kept[0]).toBe(110);
    expect(totals.transferred[0]).toBe(140);
  });
});

describe("capacity and scheduling", () => {
  it("FIFO shares a full link in proportion: 20 packets offered to a 10-packet link each pass with probability 1/2", () => {
    const b = batchesOf([{ packets: 12, payment: 5 }, { packets: 8, payment: 0 }]);
    const links = oneLink(10_000, { perPacket: 1 });
    const totals = hop(links, b, false);
    expect(links.admitNormal[0]).toBe(0.5);
    expect(links.admitPremium[0]).toBe(0.5);
    expect(b.packets[0]).toBe(6);
    expect(b.packets[1]).toBe(4);
    expect(totals.carriedPackets[0]).toBe(10);
    expect(totals.droppedPackets[0]).toBe(10);
  });

  it("by payment: packets that paid their toll in full are served first", () => {
    const b = batchesOf([{ packets: 8, payment: 5 }, { packets: 12, payment: 0 }]);
    const links = oneLink(10_000, { perPacket: 1 });
    hop(links, b, true);
    expect(links.admitPremium[0]).toBe(1);
    expect(links.admitNormal[0]).toBeCloseTo(2 / 12, 12);
    expect(b.packets[0]).toBe(8);
    expect(b.packets[1]).toBe(2);
  });

  it("keep-and-drop drops its share after keeping the payment", () => {
    const b = batchesOf([{ packets: 100, payment: 10 }]);
    const totals = hop(oneLink(1e12, { perPacket: 1, dropShare: 0.5 }), b, false);
    expect(b.packets[0]).toBe(50);
    expect(totals.kept[0]).toBe(100 * 10 - 50 * 9);
  });

  it("sampleCount rounds at random with the right mean", () => {
    expect(sampleCount(10, 0.25, 0.49)).toBe(2);
    expect(sampleCount(10, 0.25, 0.5)).toBe(3);
    expect(sampleCount(7, 1, 0.9)).toBe(7);
    expect(sampleCount(7, 0, 0.9)).toBe(0);
  });
});

describe("one pass per hop", () => {
  /** A leg's hops the two ways: hop by hop (local, admission, forward), or fused (forward h then local h + 1). */
  function playLeg(links: LinkInputs, b: Batches, pool: Int32Array, byPayment: boolean, fused: boolean): LinkTotals {
    const totals = createLinkTotals(links.capacityBits.length);
    let longest = 0;
    for (let i = 0; i < b.count; i++) longest = Math.max(longest, b.pathLength[i]!);
    const ctx = (hop: number) => ({ seed: 11, round: 3, leg: 0, hop, pathPool: pool });
    if (fused && longest > 0) hopLocal(links, b, totals, ctx(0), 0, b.count);
    for (let hop = 0; hop < longest; hop++) {
      if (!fused) hopLocal(links, b, totals, ctx(hop), 0, b.count);
      computeAdmission(links, totals, byPayment);
      if (fused && hop + 1 < longest) hopForwardThenLocal(links, b, totals, ctx(hop), 0, b.count);
      else hopForward(links, b, totals, ctx(hop), 0, b.count);
    }
    return totals;
  }

  it("property: hopForwardThenLocal leaves every batch column and link total as the separate passes do", () => {
    const linkCount = 6;
    const tariff = fc.record({
      perPacket: fc.integer({ min: 0, max: 3 }), perByte: fc.constantFrom(0, 0.001), proportional: fc.constantFrom(0, 0.1),
      congestion: fc.integer({ min: 0, max: 12 }), dropShare: fc.constantFrom(0, 0, 0.25), host: fc.boolean(), noPremium: fc.boolean(),
      capacity: fc.integer({ min: 0, max: 40_000 }),
    });
    const batch = fc.record({
      packets: fc.integer({ min: 0, max: 60 }), payment: fc.integer({ min: 0, max: 30 }), bits: fc.constantFrom(800, 1000, 12_000),
      path: fc.array(fc.integer({ min: 0, max: linkCount - 1 }), { maxLength: 5 }), reject: fc.integer({ min: -1, max: 5 }),
    });
    fc.assert(fc.property(fc.array(tariff, { minLength: linkCount, maxLength: linkCount }), fc.array(batch, { maxLength: 24 }), fc.boolean(), fc.boolean(), (tariffs, rows, byPayment, checked) => {
      const f = (pick: (t: (typeof tariffs)[number]) => number) => Float64Array.from(tariffs, pick);
      const links = (): LinkInputs => ({
        perPacket: f((t) => t.perPacket), perByte: f((t) => t.perByte), proportional: f((t) => t.proportional), congestion: f((t) => t.congestion),
        dropShare: f((t) => t.dropShare), senderIsHost: Uint8Array.from(tariffs, (t) => (t.host ? 1 : 0)), noPremium: Uint8Array.from(tariffs, (t) => (t.noPremium ? 1 : 0)),
        capacityBits: f((t) => t.capacity), oadFrom: f(() => Infinity), admitNormal: new Float64Array(linkCount), admitPremium: new Float64Array(linkCount),
      });
      const pool = Int32Array.from(rows.flatMap((r) => r.path));
      const batches = (): Batches => {
        const b = createBatches(rows.length);
        let start = 0;
        rows.forEach((r, i) => {
          b.flow[i] = 100 + i; b.packets[i] = r.packets; b.payment[i] = r.payment; b.bitsPerPacket[i] = r.bits;
          b.pathStart[i] = start; b.pathLength[i] = r.path.length;
          start += r.path.length;
        });
        b.count = rows.length;
        b.hopTransferred = new Float64Array(pool.length);
        b.hopPackets = new Float64Array(pool.length);
        if (checked) {
          b.rejectHop = Int32Array.from(rows, (r) => r.reject);
          b.refused = new Float64Array(rows.length);
        }
        return b;
      };
      const [a, b] = [batches(), batches()];
      const separate = playLeg(links(), a, pool, byPayment, false);
      const fused = playLeg(links(), b, pool, byPayment, true);
      for (const key of LINK_TOTAL_KEYS) expect(Array.from(fused[key]), key).toEqual(Array.from(separate[key]));
      for (const key of ["packets", "payment", "arrivedPackets", "arrivedPayment", "premium", "dropped", "leftSender", "hopTransferred", "hopPackets", "refused"] as const) {
        expect(Array.from(b[key]), key).toEqual(Array.from(a[key]));
      }
    }), { numRuns: 300 });
  });
});
