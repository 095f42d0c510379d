import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { buildScenario } from "../../src/scenario/build.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";
import { FlowBandwidthReporter } from "../../src/metrics/flow-bandwidth.js";
import { IspRevenueReporter } from "../../src/metrics/isp-revenue.js";
import { UnitPriceReporter } from "../../src/metrics/unit-price.js";
import { PricingUtilityReporter } from "../../src/metrics/pricing-utility.js";
import { LinkUtilizationReporter } from "../../src/metrics/link-utilization.js";
import { PathSwitchReporter } from "../../src/metrics/path-switches.js";

/**
 * A chain A → B → C of ISPs (A provides B, B provides C) with static prices A 10 and B 12 PU per
 * Mbit, so the path price is 22 PU per Mbit = 22,000 mPU per 1-Mbit packet. One flow A → C of
 * 10 packets (10 Mbit) per 1-s round.
 */
function chain(capacityBC: number, rounds = 3): ScenarioInput {
  return {
    name: "chain", unit: "milli-price-unit", rounds, roundSeconds: 1,
    topology: {
      kind: "inline",
      nodes: [{ id: "A", kind: "isp" }, { id: "B", kind: "isp" }, { id: "C", kind: "isp" }],
      links: [
        { a: "A", b: "B", relation: "provider-customer", capacityBps: 100e6 },
        { a: "B", b: "C", relation: "provider-customer", capacityBps: capacityBC },
      ],
    },
    isps: {
      default: { strategy: "static-price", params: { price: 10 } },
      byNode: { B: { strategy: "static-price", params: { price: 12 } } },
    },
    flows: [{ id: "A->C", from: "A", to: "C", strategy: "cheapest-path", packetsPerRound: 10, packetBytes: 125_000, ackBytes: 0 }],
    settlement: { threshold: 1e12 },
  };
}

async function measure(input: ScenarioInput) {
  const loaded = parseScenario(input);
  const { simulation } = await buildScenario(loaded);
  const r = {
    bandwidth: new FlowBandwidthReporter(), revenue: new IspRevenueReporter(), price: new UnitPriceReporter(1000),
    utility: new PricingUtilityReporter(1, 1000), links: new LinkUtilizationReporter(1), switches: new PathSwitchReporter(),
  };
  for (const observer of Object.values(r)) simulation.observe(observer);
  await simulation.run(loaded.scenario.rounds);
  return r;
}

describe("pricing metrics on a hand-checkable chain", () => {
  it("uncongested: every number by hand", async () => {
    const r = await measure(chain(100e6));
    // 3 rounds × 10 packets delivered, each paying 22,000 mPU: Eq. 2 revenue 660,000 mPU = 660 PU.
    expect(r.revenue.result()).toEqual({ revenue: 660_000n, collected: 660_000n });
    expect(r.price.result().pathPricePerMbit).toBeCloseTo(22, 12);
    expect(r.price.result().deliveredMbit).toBe(30);
    // Links A→B, B→A, B→C, C→B priced 10, 10, 12, 12: mean 11.
    expect(r.price.result().meanLinkPrice).toBeCloseTo(11, 12);
    // x = 10 Mbps for 3 × 1 s: U = 3 · (1000 ln 11 − 10 · 22) = 3 · (2397.8952727983707 − 220).
    expect(r.utility.result().utility).toBeCloseTo(3 * (1000 * Math.log(11) - 220), 8);
    expect(r.utility.result().value).toBeCloseTo(3 * 1000 * Math.log(11), 8);
    // 10 Mbit per 1-s round on 100 Mbps links: peak 10% on A→B and B→C, 0 on the reverse links.
    expect(Array.from(r.links.result().peaks)).toEqual([0.1, 0, 0.1, 0]);
    expect(r.links.result().shareUnderThreshold).toBe(1);
    expect(r.bandwidth.result()).toEqual({ flows: 1, meanMbps: 10, deliveredShare: 1 });
    expect(r.switches.result()).toEqual({ users: 1, counts: [1], neverSwitched: 1, meanSwitches: 0 });
  });

  it("congested: revenue counts delivered packets only; ISPs keep more, from the dropped ones", async () => {
    // B → C carries 4 Mbps: 4 of the 10 packets pass each round.
    const r = await measure(chain(4e6));
    expect(r.bandwidth.result().meanMbps).toBeCloseTo(4, 12);
    expect(r.bandwidth.result().deliveredShare).toBeCloseTo(0.4, 12);
    expect(r.revenue.result().revenue).toBe(3n * 4n * 22_000n);
    // A keeps 10,000 from all 10 packets; B keeps the remaining 12,000 of all 10, the 6 it drops included.
    expect(r.revenue.result().collected).toBe(3n * 10n * 22_000n);
    expect(r.price.result().pathPricePerMbit).toBeCloseTo(22, 12);
    expect(r.links.result().peaks[2]).toBe(1);
    expect(r.links.result().shareUnderThreshold).toBe(0.75);
  });
});
