import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineImpersonation } from "../../src/security/attacker.js";
import { impersonation, manInTheMiddle } from "../../src/security/attackers/index.js";
import { anomalyBudget, DEFAULT_HIJACK_SETUP, perHour, REGIMES, simulateHijack, type HijackSetup } from "../../src/security/hijack-sim.js";

/** 10 s; an honest packet of 20 every second (t = 1 … 9); willingness 50; anomaly: 200 per 5 s. */
const setup: HijackSetup = {
  durationSec: 10, host: "host-1", edgeAs: "edge",
  honest: { application: "video-call", ratePerSec: 1, payment: 20, destination: "198.51.100.10", spacing: "even" },
  willingness: { "video-call": 50 }, hijackedApplication: "video-call",
  anomaly: { windowSec: 5, budgetPerWindow: 200 },
};

/** A hijacked application asking for its willingness every 0.5 s (t = 0.5 … 9.5, 19 requests). */
const metronome = defineImpersonation({
  id: "metronome", name: "Metronome", params: z.object({}),
  meta: { description: "test attacker: fixed gap", memoryDepth: 0, stochastic: false, cheats: true },
  init: () => null,
  decide: (o, s) => ({ state: s, action: { waitSec: 0.5, payment: o.willingness, destination: "203.0.113.66" } }),
});

describe("impersonation through the secretary, worked by hand", () => {
  it("no defences and MACs alone: every request is paid (19 × 50 = 950 leaked), honest traffic untouched (9 × 20)", () => {
    for (const regime of ["none", "macs"] as const) {
      const o = simulateHijack(setup, { strategy: metronome }, regime, 1);
      expect(o).toMatchObject({ leaked: 950n, honestAsked: 180n, honestPaid: 180n, honestRefused: 0n, attackerAsked: 950n, accepted: 1130n });
      expect(o.frames).toEqual({ received: 28, accepted: 28, malformed: 0, badMac: 0, replayed: 0 });
    }
  });

  it("the anomaly rule caps it per window and refuses honest packets once the budget is gone", () => {
    // Window [0,5): 0.5 A 50 | 1.0 H 70 (honest first on a tie) | 1.0 A 120 | 1.5 A 170 | 2.0 H 190 | then
    //   every request would pass 200: A at 2.0…4.5 and H at 3, 4 refused → A 150, H 40 paid, H 40 refused.
    // Window [5,10): 5.0 H 20 | 5.0 A 70 | 5.5 A 120 | 6.0 H 140 | 6.0 A 190 | then refused: H at 7, 8, 9
    //   → A 150, H 40 paid, H 60 refused. Totals: leaked 300, honest paid 80, refused 100.
    for (const regime of ["anomaly", "macs+anomaly"] as const) {
      const o = simulateHijack(setup, { strategy: metronome }, regime, 1);
      expect(o).toMatchObject({ leaked: 300n, honestPaid: 80n, honestRefused: 100n, honestLost: 0n, accepted: 380n });
      expect(o.requests).toEqual({ honest: 9, attacker: 19 });
    }
  });

  it("a payment above the hijacked application's willingness is refused in every regime", () => {
    for (const regime of REGIMES) {
      expect(simulateHijack(setup, { strategy: impersonation, params: { payment: 51 } }, regime, 1).leaked).toBe(0n);
    }
  });
});

describe("man in the middle between secretary and router, worked by hand", () => {
  const only = (share: Record<string, number>) => ({ strategy: manInTheMiddle, params: { redirectShare: 0, inflateShare: 0, replayShare: 0, injectShare: 0, ...share } });

  it("redirecting every frame steals all 180 without MACs, and nothing with them (9 frames fail the MAC)", () => {
    const none = simulateHijack(setup, only({ redirectShare: 1 }), "none", 1);
    expect(none).toMatchObject({ leaked: 180n, honestPaid: 0n, honestLost: 180n });
    const macs = simulateHijack(setup, only({ redirectShare: 1 }), "macs", 1);
    expect(macs).toMatchObject({ leaked: 0n, honestPaid: 0n, honestLost: 180n, accepted: 0n });
    expect(macs.frames.badMac).toBe(9);
  });

  it("inflating every payment to 100 leaks 9 × (100 − 20) = 720 without MACs", () => {
    expect(simulateHijack(setup, only({ inflateShare: 1, inflateTo: 100 }), "none", 1)).toMatchObject({ leaked: 720n, honestPaid: 180n, accepted: 900n });
    expect(simulateHijack(setup, only({ inflateShare: 1, inflateTo: 100 }), "macs", 1)).toMatchObject({ leaked: 0n, honestPaid: 0n, honestLost: 180n });
  });

  it("replaying the previous frame leaks 8 × 20 = 160 without the MAC'd sequence check, 0 with it", () => {
    expect(simulateHijack(setup, only({ replayShare: 1 }), "none", 1)).toMatchObject({ leaked: 160n, honestPaid: 180n });
    const macs = simulateHijack(setup, only({ replayShare: 1 }), "macs", 1);
    expect(macs).toMatchObject({ leaked: 0n, honestPaid: 180n });
    expect(macs.frames).toMatchObject({ received: 17, accepted: 9, replayed: 8, badMac: 0 });
  });

  it("forged frames leak 9 × 1000 without MACs, even with the anomaly rule (they bypass the secretary)", () => {
    for (const regime of ["none", "anomaly"] as const) {
      expect(simulateHijack(setup, only({ injectShare: 1 }), regime, 1)).toMatchObject({ leaked: 9000n, honestPaid: 180n });
    }
    const macs = simulateHijack(setup, only({ injectShare: 1 }), "macs+anomaly", 1);
    expect(macs).toMatchObject({ leaked: 0n, honestPaid: 180n });
    expect(macs.frames.badMac).toBe(9);
  });
});

describe("invariants over random attackers, regimes and seeds", () => {
  it("money is conserved, MACs leave a man in the middle nothing, and the anomaly rule bounds impersonation", () => {
    const share = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(
        fc.record({ redirect: share, inflate: share, replay: share, inject: share, rate: fc.double({ min: 0.5, max: 30, noNaN: true }) }),
        fc.constantFrom(...REGIMES), fc.nat(1000), fc.boolean(),
        (p, regime, seed, mitm) => {
          const poisson: HijackSetup = { ...setup, durationSec: 20, honest: { ...setup.honest, ratePerSec: 3, spacing: "poisson" } };
          const attack = mitm
            ? { strategy: manInTheMiddle, params: { redirectShare: p.redirect / 2, inflateShare: p.inflate / 2, replayShare: p.replay, injectShare: p.inject } }
            : { strategy: impersonation, params: { ratePerSec: p.rate } };
          const o = simulateHijack(poisson, attack, regime, seed);
          expect(o.accepted).toBe(o.honestPaid + o.leaked);
          expect(o.honestAsked).toBe(o.honestPaid + o.honestRefused + o.honestLost);
          expect(o.frames.received).toBe(o.frames.accepted + o.frames.malformed + o.frames.badMac + o.frames.replayed);
          if (mitm && regime.startsWith("macs")) expect(o.leaked).toBe(0n);
          // 20 s in windows of 5 s: the secretary approves at most 4 × 200 in all. (A man in the
          // middle inflates or forges after the secretary, so without MACs it is not bounded.)
          if (!mitm && regime.includes("anomaly")) expect(o.accepted <= 800n).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("every regime sees the same honest traffic for one seed, and seeds differ", () => {
    const asked = REGIMES.map((r) => simulateHijack({ ...DEFAULT_HIJACK_SETUP, durationSec: 30 }, { strategy: impersonation }, r, 9).requests.honest);
    expect(new Set(asked).size).toBe(1);
    expect(simulateHijack({ ...DEFAULT_HIJACK_SETUP, durationSec: 30 }, { strategy: impersonation }, "none", 10).requests.honest).not.toBe(asked[0]);
  });
});

describe("setup checks and helpers", () => {
  it("the default anomaly budget is 1.5 × 10 × 20 × 60 = 18000, and per-hour scaling is linear", () => {
    expect(DEFAULT_HIJACK_SETUP.anomaly.budgetPerWindow).toBe(18000);
    expect(anomalyBudget({ ratePerSec: 2, payment: 3 }, 10, 1)).toBe(60);
    expect(perHour(300n, 10)).toBe(108000); // 300 in 10 s = 300 × 360 per hour
  });

  it("bad setups and attacker parameters get one-line errors naming the field", () => {
    expect(() => simulateHijack({ ...setup, durationSec: 0 }, { strategy: metronome }, "none", 1)).toThrow("hijack.durationSec: must be a positive finite number (got 0)");
    expect(() => simulateHijack({ ...setup, honest: { ...setup.honest, payment: 60 } }, { strategy: metronome }, "none", 1)).toThrow(/hijack.honest.payment/);
    expect(() => simulateHijack({ ...setup, hijackedApplication: "mail" }, { strategy: metronome }, "none", 1)).toThrow(/hijack.hijackedApplication/);
    expect(() => simulateHijack(setup, { strategy: impersonation, params: { ratePerSec: -1 } }, "none", 1)).toThrow(/^impersonation.ratePerSec: /);
    expect(() => simulateHijack(setup, { strategy: manInTheMiddle, params: { redirectShare: 0.8, inflateShare: 0.8 } }, "none", 1)).toThrow(/^man-in-the-middle.inflateShare: /);
  });
});
