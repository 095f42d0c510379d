import { describe, it, expect } from "vitest";
import { buildKeyRing, drkey } from "../../src/security/keys.js";
import { acceptPriceUpdates, makePriceUpdate } from "../../src/security/price-update.js";

const ring = buildKeyRing(1, ["X", "Y", "Z"]);
const keyOf = (as: string) => { const k = ring.byAs.get(as); return k === undefined ? undefined : drkey(k, "S"); };

describe("in-path price updates (Eq. 8–9)", () => {
  const x = makePriceUpdate(keyOf("X")!, 5n, "X", 12n, 30);
  const y = makePriceUpdate(keyOf("Y")!, 5n, "Y", 7n, 20);

  it("the source keeps authentic, current prices", () => {
    expect([...acceptPriceUpdates([x, y], 5n, 20, keyOf)]).toEqual([["X", 12n], ["Y", 7n]]);
    expect([...acceptPriceUpdates([x, y], 5n, 21, keyOf)]).toEqual([["X", 12n]]); // Y expired at 20
  });

  it("drops altered prices, extended validity, wrong packet, wrong AS key, unknown AS", () => {
    expect(acceptPriceUpdates([{ ...x, linkPrice: 1n }], 5n, 0, keyOf).size).toBe(0);
    expect(acceptPriceUpdates([{ ...y, validUntil: 99 }], 5n, 50, keyOf).size).toBe(0);
    expect(acceptPriceUpdates([x], 6n, 0, keyOf).size).toBe(0);
    expect(acceptPriceUpdates([{ ...x, as: "Y" }], 5n, 0, keyOf).size).toBe(0);
    expect(acceptPriceUpdates([makePriceUpdate(Buffer.alloc(32), 5n, "Q", 1n, 9)], 5n, 0, keyOf).size).toBe(0);
    // an on-path attacker who knows Y's key for another source cannot speak for S
    const other = makePriceUpdate(drkey(ring.byAs.get("Y")!, "T"), 5n, "Y", 1n, 20);
    expect(acceptPriceUpdates([other], 5n, 0, keyOf).size).toBe(0);
  });
});
