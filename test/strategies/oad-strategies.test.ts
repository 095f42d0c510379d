/**
 * Behaviour scripts (versusTest) of the OAD steering strategies, Bill-Pay §2.2: the ISPs that
 * honour or ignore user-OADs, and the sender that steers with a cartographer. Tolls are those of
 * Figure 1 (see test/scenarios/oad-steering.test.ts for where 14 and 5 come from).
 */
import { describe, it } from "vitest";
import type { IspAction, UserAction } from "../../src/agents/strategy.js";
import { acked, isp, ispLink, user } from "../../src/testing/observations.js";
import { versusTest } from "../../src/testing/versus.js";
import honoursOads from "../../strategies/isp/honours-oads.js";
import ignoresOads from "../../strategies/isp/ignores-oads.js";
import honoursWhenPaid from "../../strategies/isp/honours-when-paid.js";
import oadSteer from "../../strategies/user/oad-steer.js";

const links = [ispLink({ link: 0, load: 0.2 }), ispLink({ link: 1, to: "M", load: 1.4 })];
const toll = (perPacket: number, honourOadsFrom: number): IspAction => ({ tariffs: [{ perPacket }, { perPacket }], honourOadsFrom });

describe("ISP strategies: whether user-OADs are honoured", () => {
  it("honours-oads: its toll on every link, every request honoured (from payment 0)", () => {
    versusTest(honoursOads, [[isp(links), toll(3, 0)], [isp(links, { round: 1 }), toll(3, 0)]], { perPacket: 3 });
  });
  it("ignores-oads: its toll on every link, no request honoured (from payment Infinity)", () => {
    versusTest(ignoresOads, [[isp(links), toll(1, Infinity)]]);
  });
  it("honours-when-paid: honours requests from packets that arrive with at least minPayment", () => {
    versusTest(honoursWhenPaid, [[isp(links), toll(2, 15)]], { perPacket: 2, minPayment: 15 });
    versusTest(honoursWhenPaid, [[isp(links), toll(1, 10)]]);
  });
});

describe("oad-steer: a sender with a digital cartographer", () => {
  const paths = [
    { nodes: ["A", "X", "Y", "B"], price: 11, latencyMs: 15 },
    { nodes: ["A", "X", "Z", "B"], price: 2, latencyMs: 15 },
  ];
  const viaY = [{ isp: "X", alternatives: 0b11, choice: 1 }, { isp: "Y", alternatives: 0b1, choice: 1 }];
  const viaZ = [{ isp: "X", alternatives: 0b11, choice: 2 }, { isp: "Z", alternatives: 0b1, choice: 1 }];
  const params = { payment: 20, path: ["A", "X", "Y", "B"], maxToll: 10 };
  const send = (oads: UserAction["oads"]): UserAction => ({ packets: 100, payment: 20, path: 0, oads });
  const askX2 = [{ isp: "X", undesirable: 0, choice: 2 }];

  it("the Figure 1 story: a toll of 14 is too high, so it asks X for the untried choice 2, and keeps asking while the toll is 5", () => {
    versusTest(oadSteer, [
      // First packet: nothing known, no user-OADs.
      [user({ paths }), send([])],
      // Its ack echoes X:1 (of choices 1, 2) and Y:1 with a toll of 14 > 10: X's choice 2 is untried.
      [user({ paths, last: acked({ tollPerPacket: 14, ispOads: viaY }) }), send(askX2)],
      // Via Z, toll 5 ≤ 10: keep asking for the same.
      [user({ paths, last: acked({ tollPerPacket: 5, ispOads: viaZ }) }), send(askX2)],
      [user({ paths, last: acked({ tollPerPacket: 5, ispOads: viaZ }) }), send(askX2)],
    ], params);
  });

  it("when X ignores it, it does not ask again and asks to stay on the route it knows", () => {
    versusTest(oadSteer, [
      [user({ paths }), send([])],
      [user({ paths, last: acked({ tollPerPacket: 14, ispOads: viaY }) }), send(askX2)],
      // Still via Y (X:1): X did not honour choice 2. Nothing else is untried.
      [user({ paths, last: acked({ tollPerPacket: 14, ispOads: viaY }) }), send([{ isp: "X", undesirable: 0, choice: 1 }, { isp: "Y", undesirable: 0, choice: 1 }])],
      [user({ paths, last: acked({ tollPerPacket: 14, ispOads: viaY }) }), send([{ isp: "X", undesirable: 0, choice: 1 }, { isp: "Y", undesirable: 0, choice: 1 }])],
    ], params);
  });

  it("probes a choice further along its route: it keeps the choices before that ISP", () => {
    // X offers one way on (to Y); Y offers two toward B, and the first packet took choice 1.
    const long = [{ isp: "X", alternatives: 0b1, choice: 1 }, { isp: "Y", alternatives: 0b11, choice: 1 }];
    versusTest(oadSteer, [
      [user({ paths }), send([])],
      [user({ paths, last: acked({ tollPerPacket: 14, ispOads: long }) }), send([{ isp: "X", undesirable: 0, choice: 1 }, { isp: "Y", undesirable: 0, choice: 2 }])],
    ], params);
  });

  it("back on the expensive route, asks for the whole cheapest learned route; leaves a route that has become dearer", () => {
    versusTest(oadSteer, [
      [user({ paths }), send([])],
      [user({ paths, last: acked({ tollPerPacket: 14, ispOads: viaY }) }), send(askX2)],
      [user({ paths, last: acked({ tollPerPacket: 5, ispOads: viaZ }) }), send(askX2)],
      // Via Y again (14): the cheapest learned route is X:2 Z:1 (mean 5 < 28/2).
      [user({ paths, last: acked({ tollPerPacket: 14, ispOads: viaY }) }), send([{ isp: "X", undesirable: 0, choice: 2 }, { isp: "Z", undesirable: 0, choice: 1 }])],
      // Via Z at 40: its mean is (5 + 40) / 2 = 22.5 > 14, so X:1 Y:1 is now the cheapest.
      [user({ paths, last: acked({ tollPerPacket: 40, ispOads: viaZ }) }), send([{ isp: "X", undesirable: 0, choice: 1 }, { isp: "Y", undesirable: 0, choice: 1 }])],
    ], params);
  });

  it("a route that loses packets is not adequate: it does not go back to it", () => {
    versusTest(oadSteer, [
      [user({ paths }), send([])],
      [user({ paths, last: acked({ tollPerPacket: 14, ispOads: viaY }) }), send(askX2)],
      // Via Z, cheap but only 50 of 100 delivered (< 0.9): not adequate.
      [user({ paths, last: acked({ tollPerPacket: 5, delivered: 50, ispOads: viaZ }) }), send(askX2)],
      // Via Y at 14: X:1 Y:1 is the only adequate route and nothing is untried: it asks to stay on it.
      [user({ paths, last: acked({ tollPerPacket: 14, ispOads: viaY }) }), send([{ isp: "X", undesirable: 0, choice: 1 }, { isp: "Y", undesirable: 0, choice: 1 }])],
    ], params);
  });
});
