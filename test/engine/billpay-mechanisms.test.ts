import { describe, expect, it } from "vitest";
import { runInline } from "../support/run.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";

const paid = (s: { ledger: { from: string; to: string; amount: number }[] }, from: string, to: string) =>
  s.ledger.find((e) => e.from === from && e.to === to)?.amount ?? 0;

describe("receiver pays (Bill-Pay §2): the server mirrors what remains of the client's payment", () => {
  it("B pays 20 in its request over B-Z-X-A; A keeps 1 and mirrors 17 into the data packet over A-X-Y-B", async () => {
    const s = await runInline({
      name: "receiver-pays", rounds: 1, topology: { kind: "figure1" },
      isps: { default: { strategy: "fixed-toll", params: { perPacket: 1 } }, byNode: { Y: { strategy: "fixed-toll", params: { perPacket: 10 } } } },
      flows: [{
        from: "A", to: "B", mode: "receiver-pays", strategy: "fixed-payment", params: { payment: 20, path: ["B", "Z", "X", "A"] },
        packetsPerRound: 1, packetBytes: 1500, ackBytes: 100, receiverKeeps: { perPacket: 1, fraction: 0 }, returnPath: ["A", "X", "Y", "B"],
      }],
    });
    // Request: B → Z 20; Z keeps 1 → X 19; X keeps 1 → A 18. A keeps 1, mirrors 17: A → X 17; X keeps 1 → Y 16; Y keeps 10 → B 6.
    expect([paid(s, "B", "Z"), paid(s, "Z", "X"), paid(s, "X", "A"), paid(s, "A", "X"), paid(s, "X", "Y"), paid(s, "Y", "B")]).toEqual([20, 19, 18, 17, 16, 6]);
    expect(s.net).toEqual({ A: 1, B: -14, X: 2, Y: 10, Z: 1 });
    // The data (the mirrored leg) reached the client.
    expect(s.packets).toEqual({ sent: 1, delivered: 1, dropped: 0 });
  });
});

/** Hosts A and C share X's 10-packet-per-round link to Y; A pays, C does not. */
function sharedBottleneck(defaulters: string[]): ScenarioInput {
  const big = 1e9;
  return {
    name: "debtor", rounds: 3, scheduling: "payment",
    topology: {
      kind: "inline",
      nodes: [{ id: "A", kind: "host" }, { id: "C", kind: "host" }, { id: "B", kind: "host" }, { id: "X", kind: "isp" }, { id: "Y", kind: "isp" }],
      links: [
        { a: "X", b: "A", relation: "provider-customer", capacityBps: big },
        { a: "X", b: "C", relation: "provider-customer", capacityBps: big },
        { a: "X", b: "Y", relation: "peer", capacityBps: 10 * 8000 },
        { a: "Y", b: "B", relation: "provider-customer", capacityBps: big },
      ],
    },
    isps: { default: { strategy: "fixed-toll", params: { perPacket: 1 } }, byNode: {} },
    settlement: { threshold: 10, billingCycleRounds: 100, defaulters },
    flows: [
      { id: "A", from: "A", to: "B", strategy: "fixed-payment", params: { payment: 5 }, packetsPerRound: 10, packetBytes: 1000, ackBytes: 0 },
      { id: "C", from: "C", to: "B", strategy: "never-pay", params: {}, packetsPerRound: 10, packetBytes: 1000, ackBytes: 0 },
    ],
  };
}

describe("a debtor that does not settle loses preferential service (Bill-Pay §2.3)", () => {
  it("paying packets go first at a full link while their sender settles its debts", async () => {
    const s = await runInline(sharedBottleneck([]));
    expect(s.flows.find((f) => f.id === "A")!.delivered).toBe(30);
    expect(s.flows.find((f) => f.id === "C")!.delivered).toBe(0);
    expect(s.settlements.refused).toBe(0);
    expect(s.settlements.count).toBeGreaterThan(0);
  });

  it("after A refuses to settle in round 0, X serves A's packets like everyone else's", async () => {
    const s = await runInline(sharedBottleneck(["A"]));
    const a = s.flows.find((f) => f.id === "A")!.delivered;
    const c = s.flows.find((f) => f.id === "C")!.delivered;
    expect(s.settlements.refused).toBeGreaterThan(0);
    // Round 0: all 10 of A's; rounds 1 and 2: the 10 places are shared about evenly.
    expect(a + c).toBe(30);
    expect(a).toBeGreaterThanOrEqual(16);
    expect(a).toBeLessThanOrEqual(24);
  });
});
