/**
 * congestion-quantile's probing phase (Bill-Pay §3.1: time-sensitive senders "discover in advance
 * the paths that provide an acceptable loss rate and delay through active probing ... in close
 * cooperation with the local digital cartographer"): a few probe packets on each candidate path
 * in turn, then the path pinned from what the cartographer learned.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { AckReport, UserAction, UserStrategy } from "../../src/agents/strategy.js";
import { isAdequate } from "../../src/mechanisms/billpay/cartographer.js";
import { createRng } from "../../src/engine/random.js";
import { conformanceChecks } from "../../src/testing/conformance.js";
import { acked, user } from "../../src/testing/observations.js";
import { versusTest } from "../../src/testing/versus.js";
import congestionQuantile from "../../strategies/user/congestion-quantile.js";

// Figure 1's network: X offers two routes to B, choice 1 through Y (announced 2 units, 15 ms) and
// choice 2 through Z (3 units, 25 ms). Both are within the 30 ms bound; Y is the announced cheapest.
const paths = [
  { nodes: ["A", "X", "Y", "B"], price: 2, latencyMs: 15 },
  { nodes: ["A", "X", "Z", "B"], price: 3, latencyMs: 25 },
];
const viaY = [{ isp: "X", alternatives: 0b11, choice: 1 }, { isp: "Y", alternatives: 0b1, choice: 1 }];
const viaZ = [{ isp: "X", alternatives: 0b11, choice: 2 }, { isp: "Z", alternatives: 0b1, choice: 1 }];
/** Last round on Y: a share of the packets lost whatever they paid (Y's link is full), the rest charged 2. */
const onY = (sent: number, delivered: number): AckReport => acked({ sent, delivered, acknowledged: delivered, tollPerPacket: 2, path: 0, ispOads: viaY });
/** Last round on Z: charged `toll` per packet, `delivered` of `sent` arrived. */
const onZ = (sent: number, delivered: number, toll = 3): AckReport => acked({ sent, delivered, acknowledged: delivered, tollPerPacket: toll, path: 1, ispOads: viaZ });
const send = (packets: number, payment: number, path: number): UserAction => ({ packets, payment, path });
const params = { maxLatencyMs: 30, budgetPerPacket: 40, quantile: 0.9, initialPayment: 4 };

describe("congestion-quantile: the announced-cheapest path is congested", () => {
  it("without probing it pins the announced cheapest (Y) and pays ever more there in vain", () => {
    // Nothing learned: the initial payment 4, on Y (announced 2 < 3).
    // Loss 0.6 at payment 4: c = 4 / (1 − 0.6) = 10; estimates [10], nearest rank ⌈0.9⌉ = 1: pay 10.
    // Loss 0.6 again at 10: 10 / 0.4 = 25; sorted [10, 25], rank ⌈1.8⌉ = 2: 25.
    // Loss 0.6 at 25: 62.5; sorted [10, 25, 62.5], rank ⌈2.7⌉ = 3: 62.5 → ⌈62.5⌉ = 63, capped at the budget 40.
    versusTest(congestionQuantile, [
      [user({ paths }), send(100, 4, 0)],
      [user({ paths, last: onY(100, 40) }), send(100, 10, 0)],
      [user({ paths, last: onY(100, 40) }), send(100, 25, 0)],
      [user({ paths, last: onY(100, 40) }), send(100, 40, 0)],
    ], params);
  });

  it("with one probe round per path it probes Y, then Z, and pins Z, the one that delivered", () => {
    versusTest(congestionQuantile, [
      // Probe round 1 of 2: 5 packets on the first candidate, Y, each carrying the budget 40.
      [user({ paths }), send(5, 40, 0)],
      // Y delivered 2 of 5 (share 0.4 < minDelivery 0.9: not adequate); estimate 40 / (1 − 0.6) = 100.
      // Probe round 2 of 2: 5 packets on Z.
      [user({ paths, last: onY(5, 2) }), send(5, 40, 1)],
      // Z delivered 5 of 5 at toll 3: adequate, estimate 3. Probing is over: pin Z, the only adequate
      // route; its estimates [3] seed the memory: pay ⌈1 × 3⌉ = 3, and send the application's 100 packets.
      [user({ paths, last: onZ(5, 5) }), send(100, 3, 1)],
      // From here as without probing: no loss at 3, estimates [3, 3], pay 3.
      [user({ paths, last: onZ(100, 100) }), send(100, 3, 1)],
      // 75 of 100 at 3: 3 / 0.75 = 4; sorted [3, 3, 4], rank ⌈2.7⌉ = 3: 4. Z is kept though Y is announced cheaper.
      [user({ paths, last: onZ(100, 75) }), send(100, 4, 1)],
    ], { ...params, probeRounds: 1, probePackets: 5, minDelivery: 0.9 });
  });

  it("keeps what the probes taught in the cartographer's data, packet by packet, under the echoed route", () => {
    const p = congestionQuantile.params.parse({ ...params, probeRounds: 1, probePackets: 5 });
    const rng = createRng(1);
    let state = congestionQuantile.init(p);
    for (const last of [null, onY(5, 2)]) state = congestionQuantile.decide(user({ paths, last }), state, p, rng).state;
    const map = (state as { probe: { map: { routes: Map<string, Map<string, unknown>> } } }).probe.map;
    // Y's probe round: 2 acknowledged at toll 2 and 3 lost, each losing its whole payment of 40:
    // toll sum 2 × 2 + 3 × 40 = 124 over 5 packets.
    expect(map.routes.get("B")!.get("X:1 Y:1")).toEqual({ route: "X:1 Y:1", choices: [{ isp: "X", choice: 1 }, { isp: "Y", choice: 1 }], packets: 5, delivered: 2, tollSum: 124n });
  });
});

describe("congestion-quantile: how probing ranks the candidates", () => {
  it("pins the lowest toll quantile among the adequate paths, learned over two probe rounds each", () => {
    // Both deliver. Y: tolls 2 then 9 (estimates [2, 9], quantile 0.5 by nearest rank ⌈1⌉ = 1: 2).
    // Z: tolls 3 then 3 (quantile 3). Y's 2 < 3: Y is pinned, its estimates [2, 9] seed the memory, pay 2.
    versusTest(congestionQuantile, [
      [user({ paths }), send(3, 40, 0)],
      [user({ paths, last: acked({ sent: 3, delivered: 3, acknowledged: 3, tollPerPacket: 2, ispOads: viaY }) }), send(3, 40, 0)],
      [user({ paths, last: acked({ sent: 3, delivered: 3, acknowledged: 3, tollPerPacket: 9, ispOads: viaY }) }), send(3, 40, 1)],
      [user({ paths, last: onZ(3, 3) }), send(3, 40, 1)],
      [user({ paths, last: onZ(3, 3) }), send(100, 2, 0)],
      // 100 delivered at toll 2: sorted [2, 2, 9], rank ⌈1.5⌉ = 2: 2.
      [user({ paths, last: acked({ tollPerPacket: 2, ispOads: viaY }) }), send(100, 2, 0)],
    ], { ...params, quantile: 0.5, probeRounds: 2, probePackets: 3 });
  });

  it("with equal quantiles pins the lower announced price; with none adequate, the larger delivered share", () => {
    // Equal tolls (3 on both): Y, announced 2 < 3.
    versusTest(congestionQuantile, [
      [user({ paths }), send(5, 40, 0)],
      [user({ paths, last: acked({ sent: 5, delivered: 5, acknowledged: 5, tollPerPacket: 3, ispOads: viaY }) }), send(5, 40, 1)],
      [user({ paths, last: onZ(5, 5) }), send(100, 3, 0)],
    ], { ...params, probeRounds: 1, probePackets: 5 });
    // Neither is adequate (0.9 of 5 is 4.5): Y delivered 2 of 5 (0.4), Z 4 of 5 (0.8): Z.
    // Z's estimate: loss 0.2 at the probe payment 40: 40 / 0.8 = 50; pay ⌈50⌉, capped at 40.
    versusTest(congestionQuantile, [
      [user({ paths }), send(5, 40, 0)],
      [user({ paths, last: onY(5, 2) }), send(5, 40, 1)],
      [user({ paths, last: onZ(5, 4) }), send(100, 40, 1)],
    ], { ...params, probeRounds: 1, probePackets: 5 });
  });

  it("probes only the paths within the latency bound (all of them when none is)", () => {
    // With a 20 ms bound only Y (15 ms) is a candidate: one probe round, then Y is pinned.
    versusTest(congestionQuantile, [
      [user({ paths }), send(5, 40, 0)],
      [user({ paths, last: onY(5, 5) }), send(100, 2, 0)], // 5 of 5 at toll 2: pay 2
    ], { ...params, maxLatencyMs: 20, probeRounds: 1, probePackets: 5 });
    // With a 10 ms bound none is within: both are probed.
    versusTest(congestionQuantile, [
      [user({ paths }), send(5, 40, 0)],
      [user({ paths, last: onY(5, 2) }), send(5, 40, 1)],
      [user({ paths, last: onZ(5, 5) }), send(100, 3, 1)],
    ], { ...params, maxLatencyMs: 10, probeRounds: 1, probePackets: 5 });
  });

  it("a probe round that sent nothing teaches nothing; with nothing learned the announced choice is pinned", () => {
    const nothing = acked({ sent: 0, delivered: 0, acknowledged: 0 });
    versusTest(congestionQuantile, [
      [user({ paths }), send(5, 40, 0)],
      [user({ paths, last: nothing }), send(5, 40, 1)],
      [user({ paths, last: nothing }), send(100, 4, 0)], // Y, the cheapest within 30 ms, at the initial payment 4
    ], { ...params, probeRounds: 1, probePackets: 5 });
  });
});

describe("isAdequate (the cartographer's rule)", () => {
  it("asks for minPackets observed and a minDelivery share delivered", () => {
    const route = { route: "X:1", choices: [], packets: 10, delivered: 9, tollSum: 0n };
    expect(isAdequate(route, { minDelivery: 0.9 })).toBe(true); // 9 ≥ 0.9 × 10
    expect(isAdequate(route, { minDelivery: 0.95 })).toBe(false); // 9 < 9.5
    expect(isAdequate(route)).toBe(false); // default: every packet delivered
    expect(isAdequate(route, { minDelivery: 0.5, minPackets: 11 })).toBe(false); // only 10 observed
  });
});

// The kit plays the defaults (no probing); with probing on by default it checks that the column
// form probes, learns and pins as decide does (random ISP-OADs, path counts and latencies).
describe("the conformance kit with probing on", () => {
  const probing: UserStrategy = {
    ...congestionQuantile,
    params: z.preprocess((v) => ({ probeRounds: 1, probePackets: 3, maxLatencyMs: 150, ...(v as object) }), congestionQuantile.params),
  } as UserStrategy;
  for (const check of conformanceChecks(probing)) it(check.name, check.run);
});

