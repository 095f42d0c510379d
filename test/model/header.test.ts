import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TollwayError } from "../../src/errors.js";
import {
  MAX_PAYMENT,
  decodeHeader,
  encodeHeader,
  headerSize,
  withIspOad,
  withPayment,
  type BillPayHeader,
  type IspOad,
  type UserOad,
} from "../../src/model/header.js";

const empty = (payment: number): BillPayHeader => ({ version: 1, payment, ispOads: [], userOads: [] });

/** Runs `fn` and returns the TollwayError it throws (failing the test otherwise). */
function tollwayErrorOf(fn: () => unknown): TollwayError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TollwayError);
    return error as TollwayError;
  }
  throw new Error("expected a TollwayError, nothing was thrown");
}

// Arbitraries for valid headers: ISP choices are among the offered alternatives when any are
// offered; user choices are never marked undesirable.
const bits = (bitmap: number): number[] => [1, 2, 3, 4, 5, 6, 7, 8].filter((c) => (bitmap & (1 << (c - 1))) !== 0);

const ispOadArb: fc.Arbitrary<IspOad> = fc.integer({ min: 0, max: 255 }).chain((alternatives) =>
  (alternatives === 0
    ? fc.integer({ min: 0, max: 8 })
    : fc.constantFrom(0, ...bits(alternatives))
  ).map((choice) => ({ alternatives, choice })),
);

const userOadArb: fc.Arbitrary<UserOad> = fc.integer({ min: 0, max: 255 }).chain((undesirable) =>
  fc.constantFrom(0, ...[1, 2, 3, 4, 5, 6, 7, 8].filter((c) => !bits(undesirable).includes(c))).map((choice) => ({
    undesirable,
    choice,
  })),
);

const headerArb: fc.Arbitrary<BillPayHeader> = fc.record(
  {
    version: fc.constant(1 as const),
    payment: fc.oneof(fc.integer({ min: 0, max: MAX_PAYMENT }), fc.constantFrom(0, 1, 255, 256, MAX_PAYMENT)),
    ispOads: fc.array(ispOadArb, { maxLength: 7 }),
    userOads: fc.array(userOadArb, { maxLength: 7 }),
  },
  // decodeHeader returns plain objects; fast-check would otherwise sometimes make null-prototype ones.
  { noNullPrototype: true },
);

describe("Bill-Pay header bytes", () => {
  it("encodes a bare payment of 20 as 4 bytes", () => {
    expect([...encodeHeader(empty(20))]).toEqual([0x40, 0x00, 0x00, 0x14]);
    expect(decodeHeader(Uint8Array.from([0x40, 0x00, 0x00, 0x14]))).toStrictEqual(empty(20));
  });

  it("writes the payment big-endian in 24 bits", () => {
    expect([...encodeHeader(empty(0x123456))]).toEqual([0x40, 0x12, 0x34, 0x56]);
    expect([...encodeHeader(empty(MAX_PAYMENT))]).toEqual([0x40, 0xff, 0xff, 0xff]);
    expect(MAX_PAYMENT).toBe(2 ** 24 - 1);
  });

  it("lays out ISP-OADs then user-OADs after the counts in byte 0", () => {
    // The paper's Figure 1 story: X offers choices 1 (via Y) and 2 (via Z) and took 1; Y offers
    // nothing. The sender then tells X that choice 1 is undesirable and it prefers 2.
    const h: BillPayHeader = {
      version: 1,
      payment: 20,
      ispOads: [
        { alternatives: 0b11, choice: 1 },
        { alternatives: 0, choice: 0 },
      ],
      userOads: [{ undesirable: 0b01, choice: 2 }],
    };
    const bytes = [0b01_010_001, 0x00, 0x00, 0x14, 0x03, 0x01, 0x00, 0x00, 0x01, 0x02];
    expect([...encodeHeader(h)]).toEqual(bytes);
    expect(decodeHeader(Uint8Array.from(bytes))).toStrictEqual(h);
  });

  it("is 4 bytes with no OADs and 20 bytes for a 4-AS path with both kinds", () => {
    expect(headerSize(empty(5))).toBe(4);
    const four: BillPayHeader = {
      version: 1,
      payment: 5,
      ispOads: Array.from({ length: 4 }, () => ({ alternatives: 0b1, choice: 1 })),
      userOads: Array.from({ length: 4 }, () => ({ undesirable: 0, choice: 0 })),
    };
    expect(headerSize(four)).toBe(20);
    expect(encodeHeader(four)).toHaveLength(20);
    expect(encodeHeader(empty(5))).toHaveLength(4);
  });

  it("appends an ISP-OAD as a router would, growing the header by 2 bytes and leaving the input alone", () => {
    const h = empty(20);
    const x = withIspOad(h, { alternatives: 0b11, choice: 1 });
    const y = withIspOad(x, { alternatives: 0, choice: 0 });
    expect(h.ispOads).toEqual([]);
    expect(y.ispOads).toEqual([{ alternatives: 0b11, choice: 1 }, { alternatives: 0, choice: 0 }]);
    expect(headerSize(y)).toBe(headerSize(h) + 4);
    expect(withPayment(y, 6)).toStrictEqual({ ...y, payment: 6 });
    expect(y.payment).toBe(20);
  });

  it("round-trips every valid header", () => {
    fc.assert(
      fc.property(headerArb, (h) => {
        const bytes = encodeHeader(h);
        expect(bytes).toHaveLength(headerSize(h));
        expect(decodeHeader(bytes)).toStrictEqual(h);
      }),
      { numRuns: 500 },
    );
  });

  it("decodes any bytes to a header that re-encodes to the same bytes, or throws a TollwayError", () => {
    const anyBytes = fc.uint8Array({ maxLength: 40 });
    // Version 1 with any counts and a tail of any length: exercises truncation and trailing bytes.
    const plausible = fc
      .tuple(fc.integer({ min: 0, max: 63 }), fc.uint8Array({ minLength: 3, maxLength: 3 }), fc.uint8Array({ maxLength: 28 }))
      .map(([counts, payment, rest]) => Uint8Array.from([0x40 | counts, ...payment, ...rest]));
    // Valid headers with up to three bytes overwritten: near misses and many that still decode.
    const mutated = fc
      .tuple(headerArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }))
      .map(([h, edits]) => {
        const bytes = encodeHeader(h);
        for (const [at, value] of edits) bytes[at % bytes.length] = value;
        return bytes;
      });
    let decoded = 0;
    fc.assert(
      fc.property(fc.oneof(anyBytes, plausible, mutated), (bytes) => {
        let h: BillPayHeader;
        try {
          h = decodeHeader(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(TollwayError);
          return;
        }
        decoded++;
        expect([...encodeHeader(h)]).toEqual([...bytes]);
      }),
      { numRuns: 2000 },
    );
    // About a third of the inputs are mutated valid headers, most of which still decode.
    expect(decoded).toBeGreaterThan(200);
  });
});

describe("Bill-Pay header errors", () => {
  it("says exactly what is wrong with malformed bytes", () => {
    expect(tollwayErrorOf(() => decodeHeader(Uint8Array.from([0x40, 0, 0]))).message).toBe(
      "header: too short: need at least 4 bytes, got 3",
    );
    expect(tollwayErrorOf(() => decodeHeader(Uint8Array.from([0x80, 0, 0, 1]))).message).toBe(
      "header: version 2 is not supported (expected 1)",
    );
    expect(tollwayErrorOf(() => decodeHeader(Uint8Array.from([0x00, 0, 0, 1]))).message).toBe(
      "header: version 0 is not supported (expected 1)",
    );
    expect(tollwayErrorOf(() => decodeHeader(Uint8Array.from([0b01_011_000, 0, 0, 1, 1, 1, 0]))).message).toBe(
      "header: truncated: 3 ISP-OADs need 10 bytes, got 7",
    );
    expect(tollwayErrorOf(() => decodeHeader(Uint8Array.from([0b01_011_010, 0, 0, 1, 1, 1, 0]))).message).toBe(
      "header: truncated: 3 ISP-OADs and 2 user-OADs need 14 bytes, got 7",
    );
    expect(tollwayErrorOf(() => decodeHeader(Uint8Array.from([0b01_000_001, 0, 0, 1]))).message).toBe(
      "header: truncated: 1 user-OAD needs 6 bytes, got 4",
    );
    expect(tollwayErrorOf(() => decodeHeader(Uint8Array.from([0x40, 0, 0, 1, 9]))).message).toBe(
      "header: 1 trailing byte after a 4-byte header",
    );
    expect(tollwayErrorOf(() => decodeHeader(Uint8Array.from([0b01_001_000, 0, 0, 1, 1, 1, 0, 0, 0]))).message).toBe(
      "header: 3 trailing bytes after a 6-byte header",
    );
  });

  it("rejects decoded OAD fields that are out of range", () => {
    const badChoice = tollwayErrorOf(() => decodeHeader(Uint8Array.from([0b01_001_000, 0, 0, 1, 0, 9])));
    expect(badChoice.place.field).toBe("header.ispOads.0.choice");
    expect(badChoice.message).toBe("header.ispOads.0.choice: must be 0 (none) or a choice 1..8 (got 9)");
    const notOffered = tollwayErrorOf(() => decodeHeader(Uint8Array.from([0b01_001_000, 0, 0, 1, 0b101, 2])));
    expect(notOffered.message).toBe(
      "header.ispOads.0.choice: choice 2 is not among the offered alternatives 0b00000101 (choices 1, 3)",
    );
    const selfContradicting = tollwayErrorOf(() => decodeHeader(Uint8Array.from([0b01_000_001, 0, 0, 1, 0b10, 2])));
    expect(selfContradicting.place.field).toBe("header.userOads.0.choice");
  });

  it("names the field of an invalid header object", () => {
    const cases: [BillPayHeader, string][] = [
      [empty(-1), "header.payment"],
      [empty(1.5), "header.payment"],
      [empty(Number.NaN), "header.payment"],
      [empty(MAX_PAYMENT + 1), "header.payment"],
      [{ ...empty(1), version: 2 as 1 }, "header.version"],
      [{ ...empty(1), ispOads: Array.from({ length: 8 }, () => ({ alternatives: 0, choice: 0 })) }, "header.ispOads"],
      [{ ...empty(1), userOads: Array.from({ length: 8 }, () => ({ undesirable: 0, choice: 0 })) }, "header.userOads"],
      [{ ...empty(1), ispOads: [{ alternatives: 256, choice: 0 }] }, "header.ispOads.0.alternatives"],
      [{ ...empty(1), ispOads: [{ alternatives: -1, choice: 0 }] }, "header.ispOads.0.alternatives"],
      [{ ...empty(1), ispOads: [{ alternatives: 0, choice: 9 }] }, "header.ispOads.0.choice"],
      [{ ...empty(1), ispOads: [{ alternatives: 1, choice: 0 }, { alternatives: 0b10, choice: 1 }] }, "header.ispOads.1.choice"],
      [{ ...empty(1), userOads: [{ undesirable: 300, choice: 0 }] }, "header.userOads.0.undesirable"],
      [{ ...empty(1), userOads: [{ undesirable: 0, choice: 0.5 }] }, "header.userOads.0.choice"],
      [{ ...empty(1), userOads: [{ undesirable: 0b100, choice: 3 }] }, "header.userOads.0.choice"],
    ];
    for (const [h, field] of cases) {
      const error = tollwayErrorOf(() => encodeHeader(h));
      expect(error.place.field).toBe(field);
      expect(error.message.startsWith(`${field}: `)).toBe(true);
    }
    expect(tollwayErrorOf(() => encodeHeader(empty(-1))).message).toBe(
      "header.payment: must be an integer in 0..16777215 (got -1)",
    );
  });

  it("accepts an ISP choice when the ISP advertises no alternatives, and choice 0 when it does", () => {
    expect(() => encodeHeader({ ...empty(1), ispOads: [{ alternatives: 0, choice: 4 }] })).not.toThrow();
    expect(() => encodeHeader({ ...empty(1), ispOads: [{ alternatives: 0b1000, choice: 0 }] })).not.toThrow();
  });

  it("refuses an eighth ISP-OAD and an invalid payment in the helpers", () => {
    let h = empty(1);
    for (let k = 0; k < 7; k++) h = withIspOad(h, { alternatives: 0, choice: 0 });
    expect(headerSize(h)).toBe(18);
    expect(tollwayErrorOf(() => withIspOad(h, { alternatives: 0, choice: 0 })).place.field).toBe("header.ispOads");
    expect(tollwayErrorOf(() => withIspOad(empty(1), { alternatives: 0b1, choice: 2 })).place.field).toBe(
      "header.ispOads.0.choice",
    );
    expect(tollwayErrorOf(() => withPayment(h, MAX_PAYMENT + 1)).place.field).toBe("header.payment");
    expect(tollwayErrorOf(() => withPayment(h, -3)).place.field).toBe("header.payment");
  });
});
