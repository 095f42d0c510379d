/**
 * The payment-field attack strategies as scripts (see test/strategies/behaviour.test.ts): each
 * sends its whole demand on the cheapest path at its announced price, and asks for its attack
 * in `payments`. What the engine does with the attacks is in test/security/engine-payments.test.ts.
 */
import { describe, it } from "vitest";
import { priced, user } from "../../src/testing/observations.js";
import { versusTest } from "../../src/testing/versus.js";
import forgePayment from "../../strategies/user/forge-payment.js";
import replayPayment from "../../strategies/user/replay-payment.js";
import alterPayment from "../../strategies/user/alter-payment.js";

describe("payment-field attacks", () => {
  it("forge-payment: cheapest path at its price, every P_own halved with a made-up MAC (or the real keys)", () => {
    versusTest(forgePayment, [
      [user({ paths: priced(9, 7) }), { packets: 100, payment: 7, path: 1, payments: { kind: "forge", ownFactor: 0.5, validMac: false } }],
      [user({ paths: priced(6, 7), demandPackets: 40 }), { packets: 40, payment: 6, path: 0, payments: { kind: "forge", ownFactor: 0.5, validMac: false } }],
    ]);
    versusTest(forgePayment, [
      [user({ paths: priced(9) }), { packets: 100, payment: 9, path: 0, payments: { kind: "forge", ownFactor: 0.25, validMac: true } }],
    ], { ownFactor: 0.25, validMac: true });
  });

  it("replay-payment: fresh fields for its first lagRounds rounds, then those of lagRounds rounds before", () => {
    versusTest(replayPayment, [0, 1, 2, 3, 4].map((round) => [
      user({ round, paths: priced(9) }),
      { packets: 100, payment: 9, path: 0, ...(round >= 3 ? { payments: { kind: "replay" as const, round: round - 3 } } : {}) },
    ]), { lagRounds: 3 });
  });

  it("alter-payment: honest fields, one AS's P_own changed in transit", () => {
    versusTest(alterPayment, [
      [user({ paths: priced(5, 4) }), { packets: 100, payment: 4, path: 1, payments: { kind: "alter", asIndex: 0, delta: -1 } }],
    ]);
    versusTest(alterPayment, [
      [user({ paths: priced(5) }), { packets: 100, payment: 5, path: 0, payments: { kind: "alter", asIndex: 2, delta: 3 } }],
    ], { asIndex: 2, delta: 3 });
  });
});
