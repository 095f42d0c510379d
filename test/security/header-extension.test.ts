import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { encodeHeader, headerSize } from "../../src/model/header.js";
import { buildKeyRing, drkey } from "../../src/security/keys.js";
import { checkPaymentField, makePaymentField } from "../../src/security/payment.js";
import { acceptPriceUpdates, makePriceUpdate } from "../../src/security/price-update.js";
import {
  decodeExtension, encodeExtension, extensionSize, headerRoom, priceUpdatesOnPath, type SecurityExtension,
} from "../../src/security/header-extension.js";
import { TollwayError } from "../../src/errors.js";

const path = ["X", "Y", "Z", "W"];
const ring = buildKeyRing(1, ["S", ...path]);
const key = (as: string) => drkey(ring.byAs.get(as)!, "S");
/** S pays 40 into X, each AS keeps 10 (P_rcv 40, 30, 20, 10); valid until t = 100; every AS sends price 12 + hop until t = 60. */
const ext: SecurityExtension = {
  packetId: 7n,
  payments: path.map((as, k) => makePaymentField(key(as), "S", 7n, k, BigInt(40 - 10 * k), 10n, 100)),
  updates: path.map((as, k) => ({ hop: k, ...withoutAs(makePriceUpdate(key(as), 7n, as, BigInt(12 + k), 60)) })),
};
function withoutAs<T extends { as: string }>(u: T): Omit<T, "as"> {
  const { as: _as, ...rest } = u;
  return rest;
}

describe("the security extension on the wire", () => {
  it("is 9 + 26 per payment field + 25 per price update bytes, and survives encoding with its MACs valid", () => {
    const bytes = encodeExtension(ext);
    expect(bytes.length).toBe(9 + 4 * 26 + 4 * 25); // 213
    expect(bytes[0]).toBe(0b01_100_100); // version 1, P = 4, Q = 4
    expect(Array.from(bytes.subarray(9, 15))).toEqual([0, 0, 40, 0, 0, 10]); // hop 0: P_rcv 40, P_own 10
    const back = decodeExtension(bytes);
    expect(back.packetId).toBe(7n);
    back.payments.forEach((field, k) => expect(checkPaymentField(ring.byAs.get(path[k]!)!, "S", 7n, k, field, 50)).toBe("ok"));
    const accepted = acceptPriceUpdates(priceUpdatesOnPath(back.updates, path), 7n, 50, key);
    expect([...accepted]).toEqual([["X", 12n], ["Y", 13n], ["Z", 14n], ["W", 15n]]);
  });

  it("a flipped bit in any MAC-covered byte makes that hop's check fail, and only that hop's", () => {
    const bytes = encodeExtension(ext);
    for (let at = 9; at < 9 + 4 * 26; at++) {
      const hop = Math.floor((at - 9) / 26);
      const bent = bytes.slice();
      bent[at] = bent[at]! ^ 0x01;
      const back = decodeExtension(bent);
      back.payments.forEach((field, k) => {
        const verdict = checkPaymentField(ring.byAs.get(path[k]!)!, "S", 7n, k, field, 50);
        expect(verdict, `byte ${at}, hop ${k}`).toBe(k === hop ? "bad-mac" : "ok");
      });
    }
    const updateAt = 9 + 4 * 26 + 25 + 1; // the link price of Y's update
    const bent = bytes.slice();
    bent[updateAt + 3] = bent[updateAt + 3]! ^ 0x01;
    expect([...acceptPriceUpdates(priceUpdatesOnPath(decodeExtension(bent).updates, path), 7n, 50, key).keys()]).toEqual(["X", "Z", "W"]);
  });

  it("says what is wrong with malformed bytes and bad fields", () => {
    const bytes = encodeExtension(ext);
    expect(() => decodeExtension(bytes.subarray(0, 5))).toThrow("security extension: truncated: the extension needs at least 9 bytes, got 5");
    expect(() => decodeExtension(bytes.subarray(0, 200))).toThrow("security extension: truncated: 4 payment fields and 4 price updates need 213 bytes, got 200");
    expect(() => decodeExtension(Uint8Array.from([...bytes, 0]))).toThrow("trailing bytes: 4 payment fields and 4 price updates need 213 bytes, got 214");
    expect(() => decodeExtension(Uint8Array.from(bytes, (b, i) => (i === 0 ? b | 0xc0 : b)))).toThrow("security extension: version 3 is not 1");
    expect(() => encodeExtension({ ...ext, payments: [{ ...ext.payments[0]!, pOwn: 1n << 24n }] })).toThrow("security extension: payments.0.pOwn: must be in 0..16777215 (got 16777216)");
    expect(() => encodeExtension({ ...ext, updates: [{ ...ext.updates[0]!, mac: new Uint8Array(15) }] })).toThrow("security extension: updates.0.mac: must be 16 bytes (got 15)");
    expect(() => encodeExtension({ ...ext, payments: Array(8).fill(ext.payments[0]!) })).toThrow(TollwayError);
  });

  it("fuzz: any bytes either decode to an extension that encodes back to them, or give a TollwayError", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      let decoded: SecurityExtension;
      try {
        decoded = decodeExtension(bytes);
      } catch (error) {
        return error instanceof TollwayError;
      }
      return Buffer.from(encodeExtension(decoded)).equals(Buffer.from(bytes));
    }), { numRuns: 2000 });
    // Also from valid headers with a few bytes changed (random bytes rarely get the length right).
    const valid = encodeExtension(ext);
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.nat(255)), { maxLength: 4 }), (edits) => {
      const bent = valid.slice();
      for (const [at, value] of edits) bent[at] = value;
      try {
        return Buffer.from(encodeExtension(decodeExtension(bent))).equals(Buffer.from(bent));
      } catch (error) {
        return error instanceof TollwayError;
      }
    }), { numRuns: 2000 });
  });

  it("header room for a 4-AS path: 4, 20, 133 and 233 bytes, the first two as the Bill-Pay codec encodes them", () => {
    const rows = headerRoom(4);
    expect(rows.map((r) => r.bytes)).toEqual([4, 20, 133, 233]);
    const oad = { alternatives: 0b11, choice: 1 }, pref = { undesirable: 0, choice: 0 };
    const full = { version: 1 as const, payment: 40, ispOads: [oad, oad, oad, oad], userOads: [pref, pref, pref, pref] };
    expect(encodeHeader(full).length).toBe(rows[1]!.bytes);
    expect(headerSize({ ...full, ispOads: [], userOads: [] })).toBe(rows[0]!.bytes);
    expect(rows[3]!.bytes - rows[1]!.bytes).toBe(encodeExtension(ext).length);
    expect(extensionSize(4, 0)).toBe(113);
  });
});
