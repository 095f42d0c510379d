import { describe, expect, it } from "vitest";
import type { IspObservation, UserObservation } from "../../src/agents/strategy.js";
import { createRng } from "../../src/engine/random.js";
import { linkPriceOfToll, perByteToll, pricePerMbit, staticLinkPrice } from "../../src/mechanisms/pricing/link-tariff.js";
import staticPrice from "../../strategies/isp/static-price.js";
import dynamicPrice from "../../strategies/isp/dynamic-price.js";
import cheapestPath from "../../strategies/user/cheapest-path.js";

const rng = createRng(1);

/** An observation of two links at the given utilizations, in `round`. */
function isp(round: number, utilizations: number[], links = [7, 8]): IspObservation {
  return {
    round, isp: "X", roundSeconds: 1, revenue: 0, cumulativeRevenue: 0, neighbours: [], rivals: [],
    links: utilizations.map((utilization, j) => ({
      link: links[j]!, to: `N${j}`, relation: "peer" as const, capacityBitsPerRound: 1e9, offeredBits: utilization * 1e9,
      carriedBits: utilization * 1e9, carriedPackets: 0, droppedPackets: 0, utilization, load: utilization, revenue: 0,
      tariff: { perPacket: 0, perByte: 0, proportional: 0, congestion: 0, dropShare: 0 },
    })),
  };
}

/** Link prices (PU per Mbit) an ISP strategy announced, read back from its per-byte tolls. */
function prices(action: { tariffs: { perByte?: number }[] }, moneyPerPU = 1000): number[] {
  return action.tariffs.map((t) => linkPriceOfToll(t.perByte ?? 0, moneyPerPU));
}

// Hand values, k = 5, θ = 0.5, c = 1: F(0.75) = e^2.5 − 1 = 11.182493960703473,
// F(1) = e^5 − 1 = 147.4131591025766, F(u ≤ 0.5) = 0.
const F75 = 11.182493960703473;
const F100 = 147.4131591025766;

describe("the per-packet toll is the link price times the packet size", () => {
  it("converts PU per Mbit to a per-byte toll in milli-price-units", () => {
    // 12.5 PU/Mbit × 1000 mPU/PU = 12,500 mPU per Mbit = 12,500 / 125,000 bytes = 0.1 mPU per byte.
    expect(perByteToll(12.5, 1000)).toBeCloseTo(0.1, 15);
    expect(Math.round(perByteToll(12.5, 1000) * 125_000)).toBe(12_500); // a 1-Mbit packet
    expect(Math.round(perByteToll(12.5, 1000) * 1_500)).toBe(150); // a 1500-byte packet: 12.5 × 0.012
    expect(linkPriceOfToll(0.1, 1000)).toBeCloseTo(12.5, 12);
    expect(pricePerMbit(37_500, 1e6, 1000)).toBe(37.5);
  });

  it("draws static link prices in [10, 15], the same for a link every time, different across links", () => {
    const drawn = Array.from({ length: 200 }, (_, l) => staticLinkPrice(l, [10, 15], 3));
    expect(Math.min(...drawn)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...drawn)).toBeLessThanOrEqual(15);
    expect(new Set(drawn).size).toBe(200);
    expect(staticLinkPrice(17, [10, 15], 3)).toBe(drawn[17]);
    expect(staticLinkPrice(17, [10, 15], 4)).not.toBe(drawn[17]);
    const mean = drawn.reduce((a, b) => a + b, 0) / drawn.length;
    expect(mean).toBeGreaterThan(12);
    expect(mean).toBeLessThan(13);
  });
});

describe("static-price", () => {
  it("charges the given price on every link whatever the load", () => {
    const params = staticPrice.params.parse({ price: 12.5 });
    for (const u of [[0, 0], [0.9, 1]]) {
      const { action } = staticPrice.decide(isp(3, u), null, params, rng);
      expect(action.tariffs).toEqual([{ perByte: 0.1 }, { perByte: 0.1 }]);
    }
  });

  it("without a price, draws each link's from the range by its index", () => {
    const params = staticPrice.params.parse({ priceSeed: 9 });
    const { action } = staticPrice.decide(isp(0, [0.2, 0.2]), null, params, rng);
    expect(prices(action)[0]).toBeCloseTo(staticLinkPrice(7, [10, 15], 9), 10);
    expect(prices(action)[1]).toBeCloseTo(staticLinkPrice(8, [10, 15], 9), 10);
  });
});

describe("dynamic-price: B + F(u), Eq. 11, update interval", () => {
  it("prices B = P_static − α up to 50% utilization and B + F(u) above", () => {
    const params = dynamicPrice.params.parse({ pStatic: 12, alpha: 4 });
    const { action, state } = dynamicPrice.decide(isp(0, [0.3, 0.75]), null, params, rng);
    // B = 12 − 4 = 8; at u = 0.75, 8 + 11.182… = 19.182…
    expect(state).toEqual([8, 8 + F75]);
    expect(prices(action)[0]).toBeCloseTo(8, 10);
    expect(prices(action)[1]).toBeCloseTo(19.182493960703473, 10);
    // Full use: B + F(1) = 8 + 147.413… ; above 1 the price is clamped to the same.
    expect(dynamicPrice.decide(isp(1, [1, 1.4]), null, params, rng).state).toEqual([8 + F100, 8 + F100]);
  });

  it("smooths with sensitivity s: P(t) = (1 − s) P(t − 1) + s (F + B)", () => {
    const params = dynamicPrice.params.parse({ pStatic: 12, alpha: 4, s: 0.5 });
    // Round 0: nothing to smooth from, so P(0) = B + F(0) = 8.
    let state = dynamicPrice.decide(isp(0, [0, 0]), null, params, rng).state;
    expect(state).toEqual([8, 8]);
    // Round 1 at u = 0.75: 0.5 · 8 + 0.5 · 19.182493960703473 = 13.591246980351737.
    state = dynamicPrice.decide(isp(1, [0.75, 0]), state, params, rng).state;
    expect(state![0]).toBeCloseTo(13.591246980351737, 12);
    expect(state![1]).toBe(8);
    // Round 2 at u = 1: 0.5 · 13.591246980351737 + 0.5 · 155.4131591025766 = 84.50220304146417.
    state = dynamicPrice.decide(isp(2, [1, 0]), state, params, rng).state;
    expect(state![0]).toBeCloseTo(84.50220304146417, 12);
  });

  it("recomputes only every `interval` rounds and holds the price in between", () => {
    const params = dynamicPrice.params.parse({ pStatic: 12, alpha: 4, interval: 3 });
    let state = dynamicPrice.decide(isp(0, [0, 0]), null, params, rng).state;
    const seen: number[] = [];
    // Utilization is high from round 1 on; the price moves at round 3 and not before.
    for (let round = 1; round <= 4; round++) {
      state = dynamicPrice.decide(isp(round, [0.75, 0.75]), state, params, rng).state;
      seen.push(state![0]!);
    }
    expect(seen).toEqual([8, 8, 8 + F75, 8 + F75]);
  });

  it("refuses α above P_static (B would be negative)", () => {
    expect(dynamicPrice.params.safeParse({ pStatic: 12, alpha: 13 }).success).toBe(false);
    expect(dynamicPrice.params.safeParse({ alpha: 11 }).success).toBe(false); // low end of 10–15
    expect(dynamicPrice.params.safeParse({ alpha: 8 }).success).toBe(true);
  });

  it("starts from the same P_static as static-price when both draw it", () => {
    const stat = staticPrice.decide(isp(0, [0, 0]), null, staticPrice.params.parse({ priceSeed: 5 }), rng).action;
    const dyn = dynamicPrice.decide(isp(0, [0, 0]), null, dynamicPrice.params.parse({ priceSeed: 5, alpha: 2 }), rng).action;
    prices(dyn).forEach((p, j) => expect(p).toBeCloseTo(prices(stat)[j]! - 2, 10));
  });
});

describe("cheapest-path", () => {
  const observation = (pathPrices: number[], remainingSeconds: number | null): UserObservation => ({
    round: 0, user: "u", roundSeconds: 1, demandPackets: 7, packetBits: 1e6, age: 0, remainingSeconds,
    paths: pathPrices.map((price, i) => ({ nodes: ["A", `X${i}`, "B"], price, latencyMs: 10 })),
    last: null, cumulativeSpent: 0,
  });
  const params = cheapestPath.params.parse({});

  it("starts on the cheapest path, first offered on ties, and pays its price for all its demand", () => {
    expect(cheapestPath.decide(observation([30, 25, 25], 0.1), -1, params, rng)).toEqual({ state: 1, action: { packets: 7, payment: 25, path: 1 } });
  });

  it("stays on its path, paying its new price, when 2 s or less remain", () => {
    expect(cheapestPath.decide(observation([30, 25], 2), 0, params, rng)).toEqual({ state: 0, action: { packets: 7, payment: 30, path: 0 } });
  });

  it("switches to a strictly cheaper path when more than 2 s remain (or the end is unknown)", () => {
    expect(cheapestPath.decide(observation([30, 25], 2.01), 0, params, rng).action.path).toBe(1);
    expect(cheapestPath.decide(observation([30, 25], null), 0, params, rng).action.path).toBe(1);
    expect(cheapestPath.decide(observation([25, 25], 10), 1, params, rng).action.path).toBe(1);
  });

  it("takes the threshold as a parameter", () => {
    const patient = cheapestPath.params.parse({ switchAfterSec: 5 });
    expect(cheapestPath.decide(observation([30, 25], 4), 0, patient, rng).action.path).toBe(0);
    expect(cheapestPath.decide(observation([30, 25], 6), 0, patient, rng).action.path).toBe(1);
  });
});
