import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../src/scenario/load.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";
import { ROOT } from "../support/run.js";
import { trafficOf } from "../support/traffic.js";

/**
 * Bill-Pay §2.2's walk-through (scenarios/billpay-oad-steering.json) on Figure 1's network with
 * one change: the peering link X–Z is 20 ms long instead of 5. Round 0 goes A-X-Y-B (5 + 5 + 5 =
 * 15 ms); A then asks X by user-OAD for its choice 2, and rounds 1-3 go A-X-Z-B (5 + 20 + 5 =
 * 30 ms). One 1500-byte packet a round on 10 Gbps links waits about 1e-9 ms per link.
 */
function steering(): ScenarioInput {
  const base = loadScenarioFile(`${ROOT}scenarios/billpay-oad-steering.json`).scenario;
  const link = (a: string, b: string, relation: "provider-customer" | "peer", latencyMs = 5) => ({ a, b, relation, capacityBps: 10e9, latencyMs });
  return {
    ...base,
    topology: {
      kind: "inline",
      nodes: [{ id: "A", kind: "host" }, { id: "B", kind: "host" }, { id: "X", kind: "isp" }, { id: "Y", kind: "isp" }, { id: "Z", kind: "isp" }],
      links: [link("X", "A", "provider-customer"), link("X", "Y", "peer"), link("X", "Z", "peer", 20), link("Y", "B", "provider-customer"), link("Z", "B", "provider-customer")],
    },
  } as ScenarioInput;
}

describe("the delay of packets that user-OADs steered", () => {
  it("is measured on the route they took: (15 + 3 × 30) / 4 = 26.25 ms", async () => {
    const [flow] = await trafficOf(steering());
    expect(flow!.deliveredPackets).toBe(4);
    expect(flow!.delayMs).toBeCloseTo(26.25, 6);
    expect(flow!.delayMs).toBeGreaterThan(26.25);
  });

  it("is the same, to the bit, in-thread and with 1 and 2 workers", async () => {
    const serial = JSON.stringify(await trafficOf(steering()));
    for (const workers of [1, 2]) expect(JSON.stringify(await trafficOf(steering(), workers)), `${workers} workers`).toBe(serial);
  });
});
