import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEFAULT_MAX_WAIT_MS, linkWaitMs } from "../../src/metrics/queueing-delay.js";
import { loadScenarioFile, parseScenario } from "../../src/scenario/load.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";
import { runScenario } from "../../src/scenario/run.js";
import { ROOT } from "../support/run.js";
import { trafficOf } from "../support/traffic.js";

describe("the two-class priority queue of one link (linkWaitMs)", () => {
  it("one link by hand: 50 Mbps, 5000 packets of 8000 bits carried in 1 s, 20 Mbit of them paid in full", () => {
    // ρ = 40e6 / 50e6 = 0.8; 1/μ = 8000 / 50e6 s = 0.16 ms; W0 = ρ/μ = 0.128 ms; σ1 = 20e6 / 50e6 = 0.4.
    // W1 = 0.128 / 0.6 = 0.21333… ms; W2 = 0.128 / (0.6 × 0.2) = 1.06666… ms; FIFO: 0.128 / 0.2 = 0.64 ms.
    const args = [40e6, 20e6, 5000, 50e6, 1] as const;
    expect(linkWaitMs(...args, true, true, 50)).toBeCloseTo(0.128 / 0.6, 12);
    expect(linkWaitMs(...args, false, true, 50)).toBeCloseTo(0.128 / 0.12, 12);
    expect(linkWaitMs(...args, true, false, 50)).toBeCloseTo(0.64, 12);
    expect(linkWaitMs(...args, false, false, 50)).toBeCloseTo(0.64, 12);
  });

  it("a full link (ρ = 1) or a link full of paid packets (σ1 = 1) waits a full buffer, not forever", () => {
    // ρ = 1: W2 = W0 / ((1 − σ1) · 0) = ∞ → the 50 ms buffer; W1 = 0.16 / 0.6 stays finite.
    expect(linkWaitMs(50e6, 20e6, 6250, 50e6, 1, false, true, 50)).toBe(50);
    expect(linkWaitMs(50e6, 20e6, 6250, 50e6, 1, true, true, 50)).toBeCloseTo(0.16 / 0.6, 12);
    expect(linkWaitMs(50e6, 50e6, 6250, 50e6, 1, true, true, 7)).toBe(7);
    expect(linkWaitMs(0, 0, 0, 50e6, 1, false, true, 50)).toBe(0);
  });

  it("property: paid in full never waits longer than the rest, and waits grow with load", () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 10_000 }), (rho, share, packets) => {
      const capacity = 1e7;
      const carried = rho * capacity;
      const premium = share * carried;
      const w1 = linkWaitMs(carried, premium, packets, capacity, 1, true, true, DEFAULT_MAX_WAIT_MS);
      const w2 = linkWaitMs(carried, premium, packets, capacity, 1, false, true, DEFAULT_MAX_WAIT_MS);
      expect(w1).toBeLessThanOrEqual(w2);
      expect(w2).toBeLessThanOrEqual(DEFAULT_MAX_WAIT_MS);
      expect(w1).toBeGreaterThanOrEqual(0);
      const more = linkWaitMs(Math.min(capacity, carried * 1.1), premium, packets, capacity, 1, false, true, DEFAULT_MAX_WAIT_MS);
      expect(more).toBeGreaterThanOrEqual(w2);
    }));
  });
});

/**
 * Host A reaches B through ISP X (A→X, X→B), both links 10 Mbps and 5 ms, X charges 1 per
 * packet, no acknowledgments. "paid" sends 500 packets of 1000 bytes paying 5 (premium on X→B),
 * "unpaid" 500 of 1000 bytes paying 0 (fixed toll underpaid: carried, second class).
 */
function twoLinks(scheduling: "payment" | "fifo"): ScenarioInput {
  const path = ["A", "X", "B"];
  return {
    name: "two-links", seed: 1, rounds: 1, roundSeconds: 1, scheduling,
    topology: {
      kind: "inline",
      nodes: [{ id: "A", kind: "host" }, { id: "B", kind: "host" }, { id: "X", kind: "isp" }],
      links: [
        { a: "X", b: "A", relation: "provider-customer", capacityBps: 10e6, latencyMs: 5 },
        { a: "X", b: "B", relation: "provider-customer", capacityBps: 10e6, latencyMs: 5 },
      ],
    },
    isps: { default: { strategy: "fixed-toll", params: { perPacket: 1 } } },
    flows: [
      { id: "paid", from: "A", to: "B", strategy: "fixed-payment", params: { payment: 5, path }, packetsPerRound: 500, packetBytes: 1000, ackBytes: 0, deadlineMs: 15 },
      { id: "unpaid", from: "A", to: "B", strategy: "fixed-payment", params: { payment: 0, path }, packetsPerRound: 500, packetBytes: 1000, ackBytes: 0, deadlineMs: 15 },
    ],
  } as ScenarioInput;
}

/**
 * twoLinks in receiver-pays mode: client B pays in 40-byte requests over B-X-A (X keeps 1 of
 * each), server A keeps nothing and mirrors what reached it into 1000-byte data packets over
 * A-X-B. "paid" pays 5 per request, so its data carries 4 and pays X's toll on X→B in full;
 * "unpaid" pays 0.
 */
function twoLinksReceiverPays(): ScenarioInput {
  const base = twoLinks("payment");
  return {
    ...base,
    flows: base.flows.map((f) => ({
      ...f, from: "A", to: "B", mode: "receiver-pays", ackBytes: 40, returnPath: ["A", "X", "B"],
      params: { ...(f.params as object), path: ["B", "X", "A"] },
    })),
  } as ScenarioInput;
}

describe("each agent's delay: Σ over its route of latency + its class's wait", () => {
  // Receiver pays: the requests cross B→X and X→A, the data A→X and X→B, so the data links carry
  // what twoLinks' do. paid's requests reach A with 5 − 1 = 4, mirrored into its data, which pays
  // X's 1 on X→B in full (premium); unpaid's data carries 0. The same delays, on the return route.
  it.each([
    ["sender pays (the data on the paying leg)", () => twoLinks("payment")],
    ["receiver pays (the data on the return leg)", twoLinksReceiverPays],
  ])("two links by hand, scheduling by payment: %s", async (_mode, input) => {
    const [paid, unpaid] = await trafficOf(input());
    // Both data links carry 1000 packets of 8000 bits = 8e6 of 10e6 bits: ρ = 0.8, 1/μ = 0.8 ms, W0 = 0.64 ms.
    // A→X: sent by a host, no toll, no one is premium (σ1 = 0): W2 = 0.64 / 0.2 = 3.2 ms for both.
    // X→B: paid's 4e6 bits are premium, σ1 = 0.4: W1 = 0.64 / 0.6 = 1.0667 ms, W2 = 0.64 / 0.12 = 5.3333 ms.
    // paid: 5 + 3.2 + 5 + 1.0667 = 14.2667 ms (within 15); unpaid: 5 + 3.2 + 5 + 5.3333 = 18.5333 ms (late).
    expect(paid!.deliveredPackets).toBe(500);
    expect(unpaid!.deliveredPackets).toBe(500);
    expect(paid!.delayMs).toBeCloseTo(10 + 3.2 + 0.64 / 0.6, 9);
    expect(unpaid!.delayMs).toBeCloseTo(10 + 3.2 + 0.64 / 0.12, 9);
    expect(paid!.lateShare).toBe(0);
    expect(unpaid!.lateShare).toBe(1);
  });

  it("receiver pays: a payee that keeps the 4 a request brings sends data that pays nothing, so no one is premium (16.4 ms each)", async () => {
    const input = twoLinksReceiverPays();
    input.flows[0]!.receiverKeeps = { perPacket: 4, fraction: 0 };
    const [paid, unpaid] = await trafficOf(input);
    // σ1 = 0 on X→B: W2 = 0.64 / 0.2 = 3.2 ms there too: 5 + 3.2 + 5 + 3.2.
    expect(paid!.delayMs).toBeCloseTo(16.4, 9);
    expect(unpaid!.delayMs).toBeCloseTo(16.4, 9);
  });

  it("the engine counts the premium bits the model reads: 4e6 on X→B (paid's), none on A→X (a host sends it)", async () => {
    const loaded = parseScenario(twoLinks("payment"));
    const premium: number[] = [];
    let links: Int32Array | undefined;
    await runScenario(loaded, { observers: [{ onRound: (report, sim) => {
      links = sim.offeredPaths.offered(sim.topology.nodeIds.indexOf("A"), sim.topology.nodeIds.indexOf("B"))[0]!.links;
      for (const l of links) premium.push(report.links.carriedPremiumBits[l]!);
    } }] });
    expect(links!.length).toBe(2);
    expect(premium).toEqual([0, 4e6]);
  });

  it("two links by hand, FIFO: one class, both wait 0.64 / 0.2 = 3.2 ms per link, 16.4 ms, both late", async () => {
    const [paid, unpaid] = await trafficOf(twoLinks("fifo"));
    expect(paid!.delayMs).toBeCloseTo(16.4, 9);
    expect(unpaid!.delayMs).toBeCloseTo(16.4, 9);
    expect(paid!.lateShare).toBe(1);
  });

  it("one lightly loaded link: Figure 1's single packet waits nanoseconds, so its delay is the 15 ms of propagation", async () => {
    const base = loadScenarioFile(`${ROOT}scenarios/billpay-figure1.json`).scenario;
    const [flow] = await trafficOf(base);
    // 12,000 bits on 10 Gbps: ρ = 1.2e-6, 1/μ = 1.2e-3 ms, W0 = 1.44e-9 ms per link.
    expect(flow!.delayMs).toBeCloseTo(15, 6);
    expect(flow!.delayMs).toBeGreaterThan(15);
    expect(flow!.lateShare).toBe(0);
  });

  it("is the same, to the bit, in-thread and with 1 and 2 workers (the congested time-sensitive scenario)", async () => {
    const base = loadScenarioFile(`${ROOT}scenarios/billpay-time-sensitive.json`).scenario;
    const input = { ...base, rounds: 20 } as ScenarioInput;
    const serial = JSON.stringify(await trafficOf(input));
    const game = JSON.parse(serial)[0];
    expect(game.delayMs).toBeGreaterThan(15);
    for (const workers of [1, 2]) expect(JSON.stringify(await trafficOf(input, workers)), `${workers} workers`).toBe(serial);
  });
});
