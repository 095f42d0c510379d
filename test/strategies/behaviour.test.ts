/**
 * Each built-in strategy's behaviour as a script (after Axelrod's versus_test): what it observes
 * round after round, and the action it must take. The state carries from step to step as in a
 * run. Numbers are worked out by hand from each strategy's definition (in its file's comment).
 */
import { describe, expect, it } from "vitest";
import type { IspAction, UserAction } from "../../src/agents/strategy.js";
import { acked, isp, ispLink, priced, pricedWithLatency, user } from "../../src/testing/observations.js";
import { versusTest } from "../../src/testing/versus.js";
import bulkTransfer from "../../strategies/user/bulk-transfer.js";
import cheapestPath from "../../strategies/user/cheapest-path.js";
import fixedPayment from "../../strategies/user/fixed-payment.js";
import neverPay from "../../strategies/user/never-pay.js";
import timeSensitive from "../../strategies/user/time-sensitive.js";
import dynamicPrice from "../../strategies/isp/dynamic-price.js";
import fakeCongestion from "../../strategies/isp/fake-congestion.js";
import fixedToll from "../../strategies/isp/fixed-toll.js";
import honestCongestion from "../../strategies/isp/honest-congestion.js";
import keepAndDrop from "../../strategies/isp/keep-and-drop.js";
import regulatedCap from "../../strategies/isp/regulated-cap.js";
import staticPrice from "../../strategies/isp/static-price.js";

/** A user action: `packets` on `path`, paying `payment` in each. */
const send = (packets: number, payment: number, path: number): UserAction => ({ packets, payment, path });
/** Links observed at these loads (utilization = min(1, load)). */
const loads = (...values: number[]) => values.map((load, link) => ispLink({ link, load }));
const tariffs = (...t: IspAction["tariffs"]): IspAction => ({ tariffs: t });

describe("user strategies", () => {
  it("never-pay: its whole demand, no payment, on the cheapest path", () => {
    versusTest(neverPay, [
      [user({ paths: priced(3, 5) }), send(100, 0, 0)],
      [user({ paths: priced(5, 3), last: acked() }), send(100, 0, 1)],
      [user({ paths: priced(5, 3), demandPackets: 40 }), send(40, 0, 1)],
    ]);
  });

  it("fixed-payment: the same payment in every packet, on the cheapest path or the one pinned", () => {
    versusTest(fixedPayment, [
      [user({ paths: priced(4, 2) }), send(100, 20, 1)],
      [user({ paths: priced(1, 2), last: acked({ throughputBps: 0 }) }), send(100, 20, 0)],
    ], { payment: 20 });
    versusTest(fixedPayment, [
      [user({ paths: priced(4, 2) }), send(100, 20, 0)],
    ], { payment: 20, path: ["A", "X0", "B"] });
  });

  it("bulk-transfer: raises its payment to the budget while under target, then tries the other path; lowers it while tolls stay below", () => {
    const slow = acked({ throughputBps: 1e5 });
    const fast = acked({ throughputBps: 2e6, tollPerPacket: 3 });
    const paths = priced(3, 5);
    versusTest(bulkTransfer, [
      [user({ paths }), send(100, 0, 0)], // no payment by default, on the cheapest path
      [user({ paths, last: slow }), send(100, 2, 0)], // under target: + step
      [user({ paths, last: slow }), send(100, 4, 0)],
      [user({ paths, last: slow }), send(100, 6, 0)], // the budget
      [user({ paths, last: slow }), send(100, 6, 0)], // starved once at the budget (patience 2)
      [user({ paths, last: slow }), send(100, 6, 1)], // starved twice: the other path
      [user({ paths, last: fast }), send(100, 6, 1)], // on target, tolls 3 < 6 once (relaxAfter 2)
      [user({ paths, last: fast }), send(100, 4, 1)], // twice: max(⌈3⌉, 6 − 2) = 4
    ], { targetBps: 1e6, budgetPerPacket: 6, step: 2, patience: 2, relaxAfter: 2 });
  });

  it("cheapest-path: pays the announced price of the cheapest path; switches only while more than 2 s remain", () => {
    versusTest(cheapestPath, [
      [user({ paths: priced(5, 3), remainingSeconds: 10 }), send(100, 3, 1)],
      [user({ paths: priced(2, 3), remainingSeconds: 10 }), send(100, 2, 0)], // cheaper elsewhere, 10 s left: switch
      [user({ paths: priced(4, 3), remainingSeconds: 1 }), send(100, 4, 0)], // 1 s left: stay and pay its price
      [user({ paths: priced(4, 3), remainingSeconds: null }), send(100, 3, 1)], // length unknown: a long flow, switch
    ], { switchAfterSec: 2 });
  });

  it("time-sensitive: the cheapest path within the latency bound, paying a margin over the highest recent or announced toll", () => {
    const paths = pricedWithLatency([2, 150], [4, 20]);
    versusTest(timeSensitive, [
      [user({ paths }), send(100, 6, 1)], // path 0 is too slow; ⌈1.5 × 4⌉
      [user({ paths, last: acked({ tollPerPacket: 6 }) }), send(100, 9, 1)], // ⌈1.5 × 6⌉
      [user({ paths, last: acked({ tollPerPacket: 10 }) }), send(100, 15, 1)],
      [user({ paths, last: acked({ tollPerPacket: 3 }) }), send(100, 15, 1)], // remembers 10 and 3 (memory 2)
      [user({ paths, last: acked({ tollPerPacket: 2 }) }), send(100, 6, 1)], // 10 forgotten: the announced 4 is highest
      [user({ paths, last: acked({ tollPerPacket: 30 }) }), send(100, 20, 1)], // ⌈45⌉ capped at the budget
      [user({ paths, last: acked({ tollPerPacket: 50, acknowledged: 0 }) }), send(100, 20, 1)], // nothing acknowledged: no new toll
    ], { maxLatencyMs: 100, margin: 1.5, memory: 2, budgetPerPacket: 20 });
    versusTest(timeSensitive, [
      [user({ paths: pricedWithLatency([5, 200], [3, 300]) }), send(100, 5, 1)], // none fast enough: the cheapest, ⌈4.5⌉
    ], { maxLatencyMs: 100, margin: 1.5 });
  });
});

describe("ISP strategies", () => {
  it("fixed-toll: the same fixed and proportional toll on every link, whatever the load", () => {
    const toll = { perPacket: 2, perByte: 0.001, proportional: 0.1 };
    versusTest(fixedToll, [
      [isp(loads(0.5, 3)), tariffs(toll, toll)],
      [isp(loads(0, 0), { round: 1 }), tariffs(toll, toll)],
    ], toll);
  });

  it("honest-congestion: the fixed toll plus 20 units per unit of load above 1, rounded", () => {
    versusTest(honestCongestion, [
      [isp(loads(0.5, 1.5)), tariffs({ perPacket: 1, congestion: 0 }, { perPacket: 1, congestion: 10 })],
      [isp(loads(2.26, 1)), tariffs({ perPacket: 1, congestion: 25 }, { perPacket: 1, congestion: 0 })], // 20 × 1.26 = 25.2
    ], { perPacket: 1, threshold: 1, unitsPerOverload: 20 });
  });

  it("fake-congestion: the honest toll where congested, fakeToll where not", () => {
    versusTest(fakeCongestion, [
      [isp(loads(0.5, 1.5)), tariffs({ perPacket: 1, congestion: 5 }, { perPacket: 1, congestion: 10 })],
      [isp(loads(1, 3)), tariffs({ perPacket: 1, congestion: 5 }, { perPacket: 1, congestion: 40 })], // load 1 is not above the threshold
    ], { fakeToll: 5 });
  });

  it("keep-and-drop: keeps the fixed toll and drops its share of packets on every link", () => {
    versusTest(keepAndDrop, [
      [isp(loads(0.2, 2)), tariffs({ perPacket: 1, dropShare: 0.5 }, { perPacket: 1, dropShare: 0.5 })],
    ], { perPacket: 1, dropShare: 0.5 });
  });

  it("regulated-cap: the honest congestion toll, fixed and congestion together never above the cap", () => {
    versusTest(regulatedCap, [
      [isp(loads(1.5, 3, 0.5)), tariffs({ perPacket: 1, congestion: 4 }, { perPacket: 1, congestion: 4 }, { perPacket: 1, congestion: 0 })],
      [isp(loads(1.1)), tariffs({ perPacket: 1, congestion: 2 })], // 20 × 0.1 = 2 is under the cap
    ], { cap: 5 });
    versusTest(regulatedCap, [
      [isp(loads(2)), tariffs({ perPacket: 0.5, congestion: 0 })], // the cap binds the fixed toll first
    ], { cap: 0.5 });
  });

  it("static-price: 12.5 PU per Mbit on every link is 12,500 mPU per 125,000 bytes, 0.1 per byte", () => {
    versusTest(staticPrice, [
      [isp(loads(0.1, 0.9)), tariffs({ perByte: 0.1 }, { perByte: 0.1 })],
      [isp(loads(1, 1), { round: 5 }), tariffs({ perByte: 0.1 }, { perByte: 0.1 })],
    ], { price: 12.5 });
  });

  it("dynamic-price: B + F(u) every `interval` rounds, smoothed by s (Eq. 11), held in between", () => {
    // B = 12 − 4 = 8 PU; F(0.75) = e^2.5 − 1 = 11.182493960703473; per byte = price × 1000 / 125,000.
    const u = (...values: number[]) => values.map((utilization, link) => ispLink({ link, utilization }));
    versusTest(dynamicPrice, [
      [isp(u(0.3, 0.75), { round: 0 }), tariffs({ perByte: 8 / 125 }, { perByte: 19.182493960703473 / 125 })], // first price: the target
      [isp(u(1, 1), { round: 1 }), tariffs({ perByte: 8 / 125 }, { perByte: 19.182493960703473 / 125 })], // not an update round: held
      [isp(u(0.3, 0.3), { round: 2 }), tariffs({ perByte: 8 / 125 }, { perByte: 13.591246980351737 / 125 })], // (19.18 + 8) / 2
    ], { pStatic: 12, alpha: 4, s: 0.5, interval: 2 });
  });
});

describe("versusTest", () => {
  it("names the step whose action differs", () => {
    expect(() => versusTest(neverPay, [[user({ paths: priced(3, 5) }), send(100, 0, 0)], [user({ paths: priced(3, 5) }), send(100, 1, 0)]]))
      .toThrow(/user strategy "never-pay", step 2 of 2: expected \{"packets":100,"payment":1,"path":0\}, got \{"packets":100,"payment":0,"path":0\}/);
  });
});
