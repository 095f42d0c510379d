import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TollwayError } from "../../src/errors.js";
import { AnomalyRule } from "../../src/security/anomaly.js";
import {
  deriveEdgeKey,
  edgeVerify,
  encodeHostPacket,
  secretaryChecksum,
  type HostPacketFields,
} from "../../src/security/host-mac.js";
import { createHmac } from "node:crypto";
import { drkey } from "../../src/security/keys.js";

const secret = Buffer.from("00112233445566778899aabbccddeeff", "hex");
const key = deriveEdgeKey(secret, "A");
const packet: HostPacketFields = { source: "A", destination: "B", payment: 20n, seq: 1 };

describe("secretary checksum and edge check", () => {
  it("encodes the fields as worked out by hand", () => {
    // u16 1, "A", u16 1, "B", u64 20, u32 1
    expect(encodeHostPacket(packet).toString("hex")).toBe("000141" + "000142" + "0000000000000014" + "00000001");
  });

  it("the checksum is HMAC-SHA-256 over those bytes, cut to 16 bytes", () => {
    const bytes = Buffer.from("00014100014200000000000000140000" + "0001", "hex");
    const full = createHmac("sha256", key).update(bytes).digest();
    expect(secretaryChecksum(key, packet).equals(full.subarray(0, 16))).toBe(true);
  });

  it("the edge key is the AS's DRKey for the host: HMAC-SHA-256(local secret, host id)", () => {
    expect(key.equals(createHmac("sha256", secret).update("A", "utf8").digest())).toBe(true);
    expect(key.equals(drkey({ localSecret: secret }, "A"))).toBe(true);
  });

  it("a valid packet passes", () => {
    expect(edgeVerify(key, packet, secretaryChecksum(key, packet))).toBe(true);
  });

  it("each tampering fails", () => {
    const mac = secretaryChecksum(key, packet);
    expect(edgeVerify(key, { ...packet, payment: 21n }, mac)).toBe(false);
    expect(edgeVerify(key, { ...packet, destination: "C" }, mac)).toBe(false);
    expect(edgeVerify(key, { ...packet, seq: 2 }, mac)).toBe(false);
    expect(edgeVerify(key, { ...packet, source: "X" }, mac)).toBe(false);
    const flipped = Buffer.from(mac);
    flipped[0] = flipped[0]! ^ 1;
    expect(edgeVerify(key, packet, flipped)).toBe(false);
    expect(edgeVerify(key, packet, mac.subarray(0, 15))).toBe(false);
    expect(edgeVerify(deriveEdgeKey(secret, "B"), packet, mac)).toBe(false);
  });

  it("keys differ per host and are derived deterministically", () => {
    expect(deriveEdgeKey(secret, "A").equals(key)).toBe(true);
    expect(deriveEdgeKey(secret, "B").equals(key)).toBe(false);
  });

  it("bad input gets a TollwayError naming the field", () => {
    expect(() => encodeHostPacket({ ...packet, payment: -1n })).toThrow(TollwayError);
    expect(() => encodeHostPacket({ ...packet, seq: 1.5 })).toThrow(/seq/);
    expect(() => encodeHostPacket({ ...packet, destination: "" })).toThrow(/destination/);
    expect(() => deriveEdgeKey(Buffer.alloc(4), "A")).toThrow(/asSecret/);
  });

  it("money is conserved: a dropped packet moves nothing, and only untampered packets pass", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ payment: fc.bigInt({ min: 0n, max: 1000n }), delta: fc.bigInt({ min: 0n, max: 5n }) }), { maxLength: 30 }),
        (rows) => {
          let sent = 0n;
          let delivered = 0n;
          let refunded = 0n;
          rows.forEach((row, seq) => {
            const vouched = { ...packet, payment: row.payment, seq };
            const mac = secretaryChecksum(key, vouched);
            const onWire = { ...vouched, payment: row.payment + row.delta }; // MITM adds delta
            sent += onWire.payment;
            const ok = edgeVerify(key, onWire, mac);
            expect(ok).toBe(row.delta === 0n);
            if (ok) delivered += onWire.payment;
            else refunded += onWire.payment;
          });
          expect(delivered + refunded).toBe(sent);
        },
      ),
    );
  });
});

describe("secretary anomaly rule", () => {
  it("limits spending per window, worked by hand (window 10 s, budget 100)", () => {
    const rule = new AnomalyRule({ windowSec: 10, budgetPerWindow: 100n });
    expect(rule.approve("A", 0, 40n)).toBe(true); // 40
    expect(rule.approve("A", 3, 40n)).toBe(true); // 80
    expect(rule.approve("A", 5, 30n)).toBe(false); // 110 > 100: refused, not counted
    expect(rule.approve("A", 9.9, 20n)).toBe(true); // 100
    expect(rule.approve("B", 9.9, 100n)).toBe(true); // another host has its own budget
    expect(rule.approve("A", 10, 100n)).toBe(true); // new window
    expect(rule.approve("A", 19, 1n)).toBe(false);
  });

  it("never approves more than the budget in any window", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(100), fc.bigInt({ min: 0n, max: 60n }))), (reqs) => {
        const rule = new AnomalyRule({ windowSec: 10, budgetPerWindow: 100n });
        const perWindow = new Map<number, bigint>();
        [...reqs].sort((a, b) => a[0] - b[0]).forEach(([t, p]) => {
          if (rule.approve("A", t, p)) perWindow.set(Math.floor(t / 10), (perWindow.get(Math.floor(t / 10)) ?? 0n) + p);
        });
        for (const total of perWindow.values()) expect(total <= 100n).toBe(true);
      }),
    );
  });

  it("rejects bad options naming the field", () => {
    expect(() => new AnomalyRule({ windowSec: 0, budgetPerWindow: 1n })).toThrow(/anomaly.windowSec/);
    expect(() => new AnomalyRule({ windowSec: 1, budgetPerWindow: -1n })).toThrow(/anomaly.budgetPerWindow/);
  });
});
