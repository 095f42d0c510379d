import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TollwayError } from "../../src/errors.js";
import { decodeHostFrame, encodeHostFrame, frameFields, type HostFrame } from "../../src/security/host-frame.js";

const mac = Uint8Array.from({ length: 16 }, (_, i) => i); // 00 01 02 … 0f
const frame: HostFrame = { mac, seq: 258, destination: "B", header: { version: 1, payment: 20, ispOads: [], userOads: [] } };

describe("secretary-to-router frame", () => {
  it("encodes the layout as worked out by hand", () => {
    // MAC 000102…0f | seq 258 = 0x00000102 | length 1 | "B" = 0x42 | header: 0x40 (version 1, no OADs), payment 20 = 0x000014
    const hex = "000102030405060708090a0b0c0d0e0f" + "00000102" + "01" + "42" + "40000014";
    expect(Buffer.from(encodeHostFrame(frame)).toString("hex")).toBe(hex);
    expect(encodeHostFrame(frame).length).toBe(16 + 4 + 1 + 1 + 4); // 26
    expect(encodeHostFrame({ ...frame, destination: "203.0.113.66" }).length).toBe(37); // 16 + 4 + 1 + 12 + 4
  });

  it("round-trips, OADs included, and gives the checksum's fields", () => {
    const withOads: HostFrame = { ...frame, destination: "ü", header: { version: 1, payment: 7, ispOads: [{ alternatives: 3, choice: 2 }], userOads: [{ undesirable: 1, choice: 2 }] } };
    expect(decodeHostFrame(encodeHostFrame(withOads))).toEqual(withOads);
    expect(frameFields(decodeHostFrame(encodeHostFrame(frame)), "A")).toEqual({ source: "A", destination: "B", payment: 20n, seq: 258 });
  });

  it("bad frames get one-line errors naming the field", () => {
    expect(() => encodeHostFrame({ ...frame, mac: new Uint8Array(15) })).toThrow("hostFrame.mac: must be 16 bytes (got 15)");
    expect(() => encodeHostFrame({ ...frame, seq: -1 })).toThrow(/hostFrame.seq/);
    expect(() => encodeHostFrame({ ...frame, destination: "" })).toThrow(/hostFrame.destination/);
    expect(() => encodeHostFrame({ ...frame, destination: "x".repeat(256) })).toThrow(/hostFrame.destination/);
    expect(() => encodeHostFrame({ ...frame, header: { ...frame.header, payment: 1 << 24 } })).toThrow(/header.payment/);
    const bytes = encodeHostFrame(frame);
    expect(() => decodeHostFrame(bytes.subarray(0, 20))).toThrow("hostFrame: too short: need at least 21 bytes, got 20");
    expect(() => decodeHostFrame(bytes.subarray(0, 21))).toThrow("hostFrame: truncated: a 1-byte destination needs 22 bytes before the header, got 21");
    expect(() => decodeHostFrame(bytes.subarray(0, 25))).toThrow(/^header: too short/);
    const zero = Uint8Array.from(bytes);
    zero[20] = 0;
    expect(() => decodeHostFrame(zero)).toThrow("hostFrame.destination: length must be 1 to 255 (got 0)");
    const notUtf8 = Uint8Array.from(bytes);
    notUtf8[21] = 0xff;
    expect(() => decodeHostFrame(notUtf8)).toThrow("hostFrame.destination: is not valid UTF-8");
  });

  it("fuzz: any bytes either decode to a frame that re-encodes to them, or give a TollwayError", () => {
    const honest = encodeHostFrame(frame);
    const mutated = fc.tuple(fc.nat(honest.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, b]) => {
      const copy = Uint8Array.from(honest);
      copy[i] = b;
      return copy;
    });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), mutated), (bytes) => {
        try {
          const decoded = decodeHostFrame(bytes);
          expect(Buffer.from(encodeHostFrame(decoded)).equals(Buffer.from(bytes))).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(TollwayError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
