/**
 * congestion-quantile's copies on an independent path (Bill-Pay §3.1, `duplicateShare`), and the
 * helper that says whether two offered paths share a link an ISP sends on.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { UserAction, UserStrategy } from "../../src/agents/strategy.js";
import { sharesIspLink } from "../../src/agents/paths.js";
import { conformanceChecks } from "../../src/testing/conformance.js";
import { acked, pricedWithLatency, user } from "../../src/testing/observations.js";
import { versusTest } from "../../src/testing/versus.js";
import congestionQuantile from "../../strategies/user/congestion-quantile.js";

describe("sharesIspLink", () => {
  it("leaves out the payer's own access link and finds any other common hop", () => {
    expect(sharesIspLink(["A", "X", "Y", "B"], ["A", "X", "Z", "B"])).toBe(false); // only A→X in common
    expect(sharesIspLink(["A", "X", "Y", "B"], ["A", "X", "Z", "Y", "B"])).toBe(true); // Y→B
    expect(sharesIspLink(["A", "X", "Y", "B"], ["A", "W", "Y", "B"])).toBe(true); // Y→B again
    expect(sharesIspLink(["A", "X", "Y", "B"], ["A", "Y", "X", "B"])).toBe(false); // X→Y is not Y→X
  });
});

describe("congestion-quantile with duplicateShare 0.5", () => {
  it("copies half its packets, at the same payment, on the cheapest other path, whatever its latency", () => {
    // Paths 0 (4 units, 20 ms), 1 (3, 50 ms), 2 (6, 10 ms), each A-X<i>-B: no ISP link in common.
    // Within 30 ms the cheapest is path 0; the copies take the cheapest other path, 1, though it is slower.
    const paths = pricedWithLatency([4, 20], [3, 50], [6, 10]);
    const send = (payment: number, copyPath: number): UserAction => ({ packets: 100, payment, path: 0, duplicate: { path: copyPath, share: 0.5 } });
    versusTest(congestionQuantile, [
      [user({ paths }), send(4, 1)],
      [user({ paths, last: acked({ tollPerPacket: 3 }) }), send(3, 1)], // paid as without copies: the toll learned, 3
      [user({ paths: pricedWithLatency([4, 20], [9, 50], [6, 10]), last: acked({ tollPerPacket: 3 }) }), send(3, 2)], // path 1 dearer now: copies on 2
    ], { maxLatencyMs: 30, duplicateShare: 0.5 });
  });

  it("with one offered path there is nowhere to copy to: no duplicate field", () => {
    versusTest(congestionQuantile, [[user({ paths: pricedWithLatency([4, 20]) }), { packets: 100, payment: 4, path: 0 }]], { duplicateShare: 0.5 });
  });

  // The kit plays the defaults (no copies); with copies on by default it checks the column form's
  // `actions.duplicate` against decide's `duplicate`.
  describe("the conformance kit with copies on", () => {
    const copying: UserStrategy = {
      ...congestionQuantile,
      params: z.preprocess((v) => ({ duplicateShare: 0.5, ...(v as object) }), congestionQuantile.params),
    } as UserStrategy;
    for (const check of conformanceChecks(copying)) it(check.name, check.run);
  });
});
