/**
 * Behaviour scripts of the two payment-modulation strategies of Bill-Pay §3.1 (after Axelrod's
 * versus_test): what each observes round after round and the action it must take, the state
 * carried from step to step as in a run. The arithmetic of every step is in its comment.
 */
import { describe, it } from "vitest";
import type { UserAction } from "../../src/agents/strategy.js";
import { acked, priced, pricedWithLatency, user } from "../../src/testing/observations.js";
import { versusTest } from "../../src/testing/versus.js";
import congestionQuantile from "../../strategies/user/congestion-quantile.js";
import modulatedBulk from "../../strategies/user/modulated-bulk.js";

const send = (packets: number, payment: number, path: number): UserAction => ({ packets, payment, path });
/** A report of last round at this throughput (bit/s) and toll per packet. */
const at = (throughputBps: number, tollPerPacket = 0) => acked({ throughputBps, tollPerPacket });

describe("modulated-bulk (target 1 Mbit/s, budget 6, step 2, a raise helps when it adds ≥ 0.1 × target, relax after 2)", () => {
  const params = { targetBps: 1e6, budgetPerPacket: 6, step: 2, minGainShare: 0.1, relaxAfter: 2 };

  it("starts unpaid, raises while under target, moves when a raise does not help or the budget is reached, lowers while tolls stay below", () => {
    const paths = priced(3, 5);
    versusTest(modulatedBulk, [
      [user({ paths }), send(100, 0, 0)], // no payment by default, on the cheapest path
      [user({ paths, last: at(1e5) }), send(100, 2, 0)], // under target: raise 0 → 2 (throughput before: 1e5)
      [user({ paths, last: at(3e5) }), send(100, 4, 0)], // +2e5 ≥ 1e5: it helped, raise again 2 → 4
      [user({ paths, last: at(3e5, 4) }), send(100, 6, 0)], // +0, but the tolls took all 4: still underpaying, raise 4 → 6 = the budget
      [user({ paths, last: at(3.5e5, 2) }), send(100, 4, 1)], // +5e4 < 1e5 with 4 of 6 refunded: paying more buys nothing here; the next path, the raise taken back (6 − 2)
      [user({ paths, last: at(4e5) }), send(100, 6, 1)], // a move, not a raise, came before: raise 4 → 6
      [user({ paths, last: at(9e5) }), send(100, 6, 0)], // it helped (+5e5) but 9e5 < target at the budget: the next path, (1 + 1) mod 2 = 0
      [user({ paths, last: at(2e6, 4.5) }), send(100, 6, 0)], // on target, toll 4.5 < 6: calm once
      [user({ paths, last: at(2e6, 4.5) }), send(100, 5, 0)], // calm twice: max(⌈4.5⌉, 6 − 2) = 5
      [user({ paths, last: at(2e6, 5) }), send(100, 5, 0)], // toll 5 is not below 5: calm count back to 0
      [user({ paths, last: at(2e6, 1) }), send(100, 5, 0)], // calm once
      [user({ paths, last: at(2e6, 1) }), send(100, 3, 0)], // calm twice: max(1, 5 − 2) = 3
    ], params);
  });

  it("without undo, the failed raise is kept on the next path", () => {
    versusTest(modulatedBulk, [
      [user({ paths: priced(3, 5) }), send(100, 0, 0)],
      [user({ paths: priced(3, 5), last: at(1e5) }), send(100, 2, 0)],
      [user({ paths: priced(3, 5), last: at(1.5e5, 1) }), send(100, 2, 1)], // +5e4 < 1e5, 1 of 2 refunded: the next path, still paying 2
    ], { ...params, undo: false });
  });

  it("with one offered path, a raise that does not help is followed by another raise", () => {
    versusTest(modulatedBulk, [
      [user({ paths: priced(3) }), send(100, 0, 0)],
      [user({ paths: priced(3), last: at(1e5) }), send(100, 2, 0)],
      [user({ paths: priced(3), last: at(1e5, 1) }), send(100, 4, 0)], // +0 with 1 of 2 refunded, but nowhere to move: raise 2 → 4
      [user({ paths: priced(3), last: at(1e5) }), send(100, 6, 0)],
      [user({ paths: priced(3), last: at(1e5) }), send(100, 6, 0)], // at the budget with one path: it stays
    ], params);
  });
});

describe("modulated-bulk with alternates \"oads\": moves by user-OAD, learned from the echoed ISP-OADs, on the path it keeps", () => {
  const params = { targetBps: 1e6, budgetPerPacket: 6, step: 2, minGainShare: 0.1, relaxAfter: 2, alternates: "oads" };
  // X offers choices 1 (to Y) and 2 (to Z); Y and Z one each, as in Figure 1.
  const viaY = [{ isp: "X", alternatives: 0b11, choice: 1 }, { isp: "Y", alternatives: 0b1, choice: 1 }];
  const viaZ = [{ isp: "X", alternatives: 0b11, choice: 2 }, { isp: "Z", alternatives: 0b1, choice: 1 }];
  const paths = priced(3, 5);
  const via = (echo: typeof viaY, throughputBps: number, tollPerPacket = 0) => acked({ throughputBps, tollPerPacket, ispOads: echo });
  const ask = (packets: number, payment: number, oads: UserAction["oads"]): UserAction => ({ packets, payment, path: 0, oads });
  const askX = (choice: number) => [{ isp: "X", undesirable: 0, choice }];

  it("a raise that buys nothing asks X for its other choice (2, then back to 1), with the raise taken back; the offered path stays 0", () => {
    versusTest(modulatedBulk, [
      [user({ paths }), ask(100, 0, [])], // first round: unpaid, no user-OADs
      [user({ paths, last: via(viaY, 1e5) }), ask(100, 2, [])], // under target: raise 0 → 2
      [user({ paths, last: via(viaY, 1.5e5, 1) }), ask(100, 0, askX(2))], // +5e4 < 1e5 with 1 of 2 refunded: X's next choice after 1 is 2; the raise taken back
      [user({ paths, last: via(viaZ, 4e5) }), ask(100, 2, askX(2))], // honoured (the echo shows X:2); a move came before, so raise 0 → 2
      [user({ paths, last: via(viaZ, 4.2e5, 2) }), ask(100, 4, askX(2))], // +2e4, but the tolls took all 2: still underpaying, raise 2 → 4
      [user({ paths, last: via(viaZ, 4.3e5, 1) }), ask(100, 2, askX(1))], // +1e4 < 1e5 with 3 of 4 refunded: X's next choice after 2 is 1 (cyclic); 4 − 2
      [user({ paths, last: via(viaY, 2e6, 1) }), ask(100, 2, askX(1))], // on target: calm once, the request kept
    ], params);
  });

  it("when no ISP on the route offers a second choice it has nowhere to move, and raises instead", () => {
    const only = [{ isp: "X", alternatives: 0b1, choice: 1 }, { isp: "Y", alternatives: 0, choice: 0 }];
    versusTest(modulatedBulk, [
      [user({ paths }), ask(100, 0, [])],
      [user({ paths, last: via(only, 1e5) }), ask(100, 2, [])],
      [user({ paths, last: via(only, 1e5, 1) }), ask(100, 4, [])], // the raise failed, but no choice to ask for: raise 2 → 4
    ], params);
  });

  it("a choice further along the route: the choices before that ISP are asked for as the echo showed them", () => {
    // X offers only Y; Y offers choices 1 and 3 toward B and the packets took 3.
    const long = [{ isp: "X", alternatives: 0b1, choice: 1 }, { isp: "Y", alternatives: 0b101, choice: 3 }];
    versusTest(modulatedBulk, [
      [user({ paths }), ask(100, 0, [])],
      [user({ paths, last: via(long, 1e5) }), ask(100, 2, [])],
      [user({ paths, last: via(long, 1e5, 0) }), ask(100, 0, [{ isp: "X", undesirable: 0, choice: 1 }, { isp: "Y", undesirable: 0, choice: 1 }])], // after 3 comes 1 (cyclic over 1..8)
    ], params);
  });
});

describe("congestion-quantile", () => {
  it("keeps its first path and pays the 0.75 quantile of its last 4 toll estimates (paid tolls, and p / (1 − loss) after drops)", () => {
    // Paths 1 (4 units, 20 ms) and 2 (3 units, 50 ms) are within 100 ms: path 2 is the cheapest of them.
    const paths = pricedWithLatency([2, 150], [4, 20], [3, 50]);
    const lost = (delivered: number) => acked({ sent: 100, delivered, acknowledged: delivered, tollPerPacket: 3 });
    versusTest(congestionQuantile, [
      [user({ paths }), send(100, 4, 2)], // nothing learned yet: the initial payment 4
      [user({ paths, last: acked({ tollPerPacket: 3 }) }), send(100, 3, 2)], // no loss: toll 3; estimates [3], rank ⌈0.75⌉ = 1: 3
      [user({ paths, last: lost(75) }), send(100, 4, 2)], // loss 0.25 at 3: 3 / 0.75 = 4; [3, 4], rank ⌈1.5⌉ = 2: 4
      [user({ paths, last: lost(50) }), send(100, 8, 2)], // loss 0.5 at 4: 8; [3, 4, 8], rank ⌈2.25⌉ = 3: 8
      [user({ paths, last: lost(0) }), send(100, 8, 2)], // all lost at 8: double it, 16; sorted [3, 4, 8, 16], rank 3: 8
      [user({ paths, last: acked({ tollPerPacket: 5 }) }), send(100, 8, 2)], // 3 forgotten (memory 4): sorted [4, 5, 8, 16], rank 3: 8
      [user({ paths: pricedWithLatency([2, 150], [1, 20], [3, 50]), last: acked({ sent: 0, delivered: 0, acknowledged: 0 }) }), send(100, 8, 2)], // nothing sent: nothing learned; path 1 is cheaper now, but the path is kept
      [user({ paths, last: acked({ tollPerPacket: 30 }) }), send(100, 16, 2)], // sorted [5, 8, 16, 30], rank 3: 16
      [user({ paths, last: acked({ tollPerPacket: 40 }) }), send(100, 20, 2)], // sorted [5, 16, 30, 40], rank 3: 30, capped at the budget 20
    ], { quantile: 0.75, memory: 4, margin: 1, initialPayment: 4, budgetPerPacket: 20, maxLatencyMs: 100 });
  });

  it("learns a toll from losses when it paid nothing, and from the payment when no acknowledgment reports one", () => {
    // Neither path is within 100 ms: the cheapest of all, path 1.
    const paths = pricedWithLatency([5, 200], [3, 300]);
    versusTest(congestionQuantile, [
      [user({ paths }), send(100, 0, 1)], // initial payment 0
      [user({ paths, last: acked({ sent: 100, delivered: 40, acknowledged: 40 }) }), send(100, 3, 1)], // losses at payment 0: 2 × max(1, 0) = 2; ⌈1.5 × 2⌉ = 3
      [user({ paths, last: acked({ sent: 100, delivered: 100, acknowledged: 0 }) }), send(100, 5, 1)], // no loss, no ack: at most the payment, 3; highest of [2, 3] is 3; ⌈4.5⌉ = 5
    ], { quantile: 1, margin: 1.5, initialPayment: 0 });
  });
});
