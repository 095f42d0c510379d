import { describe, it, expect } from "vitest";
import { buildKeyRing, drkey } from "../../src/security/keys.js";
import { PaymentLedger, makePaymentField } from "../../src/security/payment.js";
import type { PaymentField } from "../../src/security/payment.js";

const ring = buildKeyRing(1, ["S", "X", "Y"]);
const X = ring.byAs.get("X")!;
const Y = ring.byAs.get("Y")!;
/** S pays 10 into X; X keeps 4 and passes 6 to Y, which keeps 6. Valid until t = 100. */
const fieldX = makePaymentField(drkey(X, "S"), "S", 7n, 0, 10n, 4n, 100);
const fieldY = makePaymentField(drkey(Y, "S"), "S", 7n, 1, 6n, 6n, 100);

describe("authenticated payments (Eq. 10)", () => {
  it("honest fields are accepted and summed per neighbour", () => {
    const lx = new PaymentLedger(), ly = new PaymentLedger();
    expect(lx.accept(X, "S", "S", 7n, 0, fieldX, 50)).toBe("ok");
    expect(ly.accept(Y, "S", "X", 7n, 1, fieldY, 50)).toBe("ok");
    expect(lx.accept(X, "S", "S", 8n, 0, makePaymentField(drkey(X, "S"), "S", 8n, 0, 10n, 4n, 100), 60)).toBe("ok");
    expect(lx.totalFrom("S")).toBe(8n); // 4 + 4
    expect(ly.totalFrom("X")).toBe(6n);
    expect(lx.neighbours).toBe(1);
  });

  it("forged, replayed (expired t_i) and altered fields are dropped and no money moves", () => {
    const cases: Array<[string, PaymentField, number, bigint, number, string]> = [
      ["forged under a guessed key", makePaymentField(Buffer.alloc(32, 1), "S", 7n, 0, 10n, 4n, 100), 50, 7n, 0, "bad-mac"],
      ["Y's field replayed at X", fieldY, 50, 7n, 0, "bad-mac"],
      ["replay after t_i", fieldX, 101, 7n, 0, "expired"],
      ["P_rcv altered", { ...fieldX, pRcv: 11n }, 50, 7n, 0, "bad-mac"],
      ["P_own altered", { ...fieldX, pOwn: 5n }, 50, 7n, 0, "bad-mac"],
      ["t_i extended", { ...fieldX, expiry: 1000 }, 500, 7n, 0, "bad-mac"],
      ["MAC altered", { ...fieldX, mac: Uint8Array.from(fieldX.mac, (b, i) => (i === 0 ? b ^ 1 : b)) }, 50, 7n, 0, "bad-mac"],
      ["packet id altered", fieldX, 50, 8n, 0, "bad-mac"],
      ["hop index altered", fieldX, 50, 7n, 1, "bad-mac"],
      ["negative P_own", { ...fieldX, pOwn: -1n }, 50, 7n, 0, "negative"],
    ];
    for (const [name, field, now, id, hop, verdict] of cases) {
      const ledger = new PaymentLedger();
      expect(ledger.accept(X, "S", "S", id, hop, field, now), name).toBe(verdict);
      expect(ledger.totalFrom("S"), name).toBe(0n);
      expect(ledger.neighbours, name).toBe(0);
    }
    // the field claiming a different source is checked under K_{X→T}, not K_{X→S}
    expect(new PaymentLedger().accept(X, "T", "S", 7n, 0, fieldX, 50)).toBe("bad-mac");
  });

  it("accepts exactly at t_i and not one second later", () => {
    const l = new PaymentLedger();
    expect(l.accept(X, "S", "S", 7n, 0, fieldX, 100)).toBe("ok");
    expect(l.accept(X, "S", "S", 7n, 0, fieldX, 101)).toBe("expired");
    expect(l.totalFrom("S")).toBe(4n);
  });
});
