import { describe, expect, it } from "vitest";
import { TollwayError } from "../../src/errors.js";
import { CampusCartographer, Cartographer, routeName } from "../../src/mechanisms/billpay/cartographer.js";
import { compareExploration } from "../../src/mechanisms/billpay/exploration.js";

// Figure 1 of Bill-Pay §2.2: X offers two choices toward B (1 = via Y, 2 = via Z); Y and Z one each.
const viaY = [
  { isp: "X", alternatives: 0b11, choice: 1 },
  { isp: "Y", alternatives: 0b1, choice: 1 },
];
const viaZ = [
  { isp: "X", alternatives: 0b11, choice: 2 },
  { isp: "Z", alternatives: 0b1, choice: 1 },
];

describe("Cartographer", () => {
  it("names routes by their choices", () => {
    expect(routeName(viaY)).toBe("X:1 Y:1");
  });

  it("after the first packet knows X's choice 2 is untried; after two, Z is cheapest", () => {
    const c = new Cartographer();
    c.observe({ dst: "B", oads: viaY, toll: 14, delivered: true });
    expect(c.untried("B")).toEqual([{ isp: "X", choice: 2 }]);
    expect(c.best("B")?.route).toBe("X:1 Y:1");
    c.observe({ dst: "B", oads: viaZ, toll: 6, delivered: true });
    expect(c.untried("B")).toEqual([]);
    expect(c.best("B")?.route).toBe("X:2 Z:1");
  });

  it("skips routes that fail the delivery bar and compares mean tolls exactly", () => {
    const c = new Cartographer();
    // via Y: 14 + 14 = 28 over 2 packets, mean 14, both delivered.
    c.observe({ dst: "B", oads: viaY, toll: 14, delivered: true });
    c.observe({ dst: "B", oads: viaY, toll: 14, delivered: true });
    // via Z: 6 + 0 over 2 packets, mean 3, one lost: delivery 1/2.
    c.observe({ dst: "B", oads: viaZ, toll: 6, delivered: true });
    c.observe({ dst: "B", oads: viaZ, toll: 0, delivered: false });
    expect(c.known("B").map((r) => [r.route, r.packets, r.delivered, r.tollSum])).toEqual([
      ["X:1 Y:1", 2, 2, 28n],
      ["X:2 Z:1", 2, 1, 6n],
    ]);
    expect(c.best("B")?.route).toBe("X:1 Y:1");
    expect(c.best("B", { minDelivery: 0.5 })?.route).toBe("X:2 Z:1");
    expect(c.best("B", { minPackets: 3 })).toBeUndefined();
  });

  it("rejects a toll that is not a non-negative integer", () => {
    const c = new Cartographer();
    expect(() => c.observe({ dst: "B", oads: viaY, toll: -1, delivered: true })).toThrow(TollwayError);
    expect(() => c.observe({ dst: "B", oads: viaY, toll: 1.5, delivered: true })).toThrow("ack.toll");
  });
});

describe("CampusCartographer", () => {
  it("a second host starts from the first host's map: it needs 0 probes instead of 2", () => {
    const campus = new CampusCartographer();
    campus.observeFrom("A1", { dst: "B", oads: viaY, toll: 14, delivered: true });
    campus.observeFrom("A1", { dst: "B", oads: viaZ, toll: 6, delivered: true });
    // Host A2 alone would need 2 packets (one per route) to know the cheapest; pooled it already does.
    expect(campus.best("B")?.route).toBe("X:2 Z:1");
    expect(new Cartographer().best("B")).toBeUndefined();
    expect(campus.contributors()).toEqual(["A1"]);
  });
});

describe("exploration cost", () => {
  it("Figure 1, 3 hosts: alone 2 packets each (6), campus-wide 2 in all; both find X:2 Z:1", () => {
    const routes = [
      { oads: viaY, toll: 14, delivered: true },
      { oads: viaZ, toll: 6, delivered: true },
    ];
    expect(compareExploration(3, "B", routes)).toEqual({
      alonePackets: 6,
      campusPackets: 2,
      aloneBest: "X:2 Z:1",
      campusBest: "X:2 Z:1",
    });
  });
});
