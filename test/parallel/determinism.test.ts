import { describe, expect, it } from "vitest";
import { loadScenarioFile, parseScenario } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";
import { createRng } from "../../src/engine/random.js";
import { ROOT } from "../support/run.js";
import { policyScenario, SCALES } from "../../src/reproduce/table1.js";
import type { SimulationObserver } from "../../src/engine/simulation.js";
import { PricingUtilityReporter } from "../../src/metrics/pricing-utility.js";
import { UnitPriceReporter } from "../../src/metrics/unit-price.js";
import { IspRevenueReporter } from "../../src/metrics/isp-revenue.js";
import { NetUtilityReporter } from "../../src/metrics/net-utility.js";
import { DropShareReporter } from "../../src/metrics/drop-share.js";
import { PathFlappingReporter } from "../../src/metrics/path-flapping.js";
import { FlowBandwidthReporter } from "../../src/metrics/flow-bandwidth.js";
import { oadGenerated } from "../fixtures/oad-generated.js";

/** A congested 550-AS network with 120 hosts and 400 flows of mixed user strategies. */
function generated550(): ScenarioInput {
  const rng = createRng(550);
  const users = [
    { strategy: "fixed-payment", params: { payment: 12 } },
    { strategy: "never-pay", params: {} },
    { strategy: "bulk-transfer", params: { targetBps: 4e6, budgetPerPacket: 30 } },
    { strategy: "time-sensitive", params: { budgetPerPacket: 40 } },
  ];
  const flows = Array.from({ length: 400 }, (_, i) => {
    const from = 1 + rng.int(120);
    const to = 1 + ((from + rng.int(119)) % 120);
    return { from: `H${from}`, to: `H${to}`, ...users[i % users.length]!, packetsPerRound: 50 + rng.int(400), packetBytes: 1000, receiverKeeps: { perPacket: 1, fraction: 0 } };
  });
  return {
    name: "generated-550", seed: 9, rounds: 4, scheduling: "payment",
    topology: { kind: "generated", nodes: 550, hosts: 120, capacityBps: 5e6 },
    isps: { default: { strategy: "honest-congestion", params: { unitsPerOverload: 10 } }, byNode: { AS2: { strategy: "fake-congestion", params: {} }, AS3: { strategy: "keep-and-drop", params: { dropShare: 0.2 } } } },
    settlement: { threshold: 2000, billingCycleRounds: 2, defaulters: ["H7"] },
    flows,
  };
}

async function summaryWith(loaded: ReturnType<typeof parseScenario>, workers: number | null): Promise<string> {
  const { summary } = await runScenario(loaded, workers === null ? {} : { parallel: { workers, minFlowsToShard: 1 } });
  return JSON.stringify(summary);
}

/** The summary and what every reporter that reads the flow table each round (or ended flows) found. */
async function reportsWith(loaded: ReturnType<typeof parseScenario>, workers: number | null): Promise<string> {
  const roundSeconds = loaded.scenario.roundSeconds;
  const reporters = {
    pricingUtility: new PricingUtilityReporter(roundSeconds, 1000), unitPrice: new UnitPriceReporter(1000), revenue: new IspRevenueReporter(),
    netUtility: new NetUtilityReporter(roundSeconds), drops: new DropShareReporter(), flapping: new PathFlappingReporter(roundSeconds),
    bandwidth: new FlowBandwidthReporter(),
  };
  const observers: SimulationObserver[] = Object.values(reporters);
  const { summary } = await runScenario(loaded, { observers, ...(workers === null ? {} : { parallel: { workers, minFlowsToShard: 1 } }) });
  const results = {
    pricingUtility: reporters.pricingUtility.result(), unitPrice: reporters.unitPrice.result(), revenue: reporters.revenue.result(),
    netUtility: reporters.netUtility.rounds, drops: reporters.drops.rounds, flapping: [reporters.flapping.rounds, reporters.flapping.total()],
    bandwidth: reporters.bandwidth.result(),
  };
  return JSON.stringify({ summary, results }, (_key, value: unknown) => (typeof value === "bigint" ? `${value}n` : value));
}

describe("the sharded engine gives byte-identical summaries for any number of workers", () => {
  it("Bill-Pay Figure 1 with 1, 2 and 3 workers and in-thread", async () => {
    const loaded = loadScenarioFile(ROOT + "scenarios/billpay-figure1.json");
    const serial = await summaryWith(loaded, null);
    for (const workers of [1, 2, 3]) expect(await summaryWith(loaded, workers), `${workers} workers`).toBe(serial);
  });

  it("OAD steering (Bill-Pay §2.2): the Figure 1 story and a generated 120-AS network, with 1, 2 and 3 workers", async () => {
    for (const loaded of [loadScenarioFile(ROOT + "scenarios/billpay-oad-steering.json"), parseScenario(oadGenerated())]) {
      const serial = await summaryWith(loaded, null);
      for (const workers of [1, 2, 3]) expect(await summaryWith(loaded, workers), `${loaded.scenario.name}, ${workers} workers`).toBe(serial);
    }
  });

  it("a congested generated 550-AS scenario with 1, 2 and 3 workers, repeated", async () => {
    const loaded = parseScenario(generated550());
    const serial = await summaryWith(loaded, null);
    const parsed = JSON.parse(serial);
    // The scenario must exercise drops and payments, or the comparison proves little.
    expect(parsed.packets.dropped).toBeGreaterThan(0);
    expect(parsed.ledger.length).toBeGreaterThan(100);
    for (const workers of [1, 2, 3]) expect(await summaryWith(loaded, workers), `${workers} workers`).toBe(serial);
    expect(await summaryWith(loaded, 2)).toBe(serial);
  });

  it("generated traffic (Table I, test scale, one dynamic policy): summary and per-flow reporters", async () => {
    const loaded = parseScenario(policyScenario({ kind: "dynamic", alpha: 4 }, { scale: { ...SCALES.test, rounds: 5 }, seed: 1 }));
    const serial = await reportsWith(loaded, null);
    const parsed = JSON.parse(serial);
    // Thousands of generated flows, most of which end during the run.
    expect(parsed.summary.flows.length).toBeGreaterThan(1000);
    for (const workers of [1, 2, 3]) expect(await reportsWith(loaded, workers), `${workers} workers`).toBe(serial);
  }, 120_000);

  it("a stochastic user strategy loaded from the user's own .ts file runs inside the workers", async () => {
    const input = generated550();
    input.flows = input.flows!.map((flow, i) => (i % 3 === 0 ? { ...flow, strategy: `${ROOT}test/fixtures/strategies/random-path.ts#randomPath`, params: { markup: 4 } } : flow));
    const loaded = parseScenario(input);
    const serial = await reportsWith(loaded, null);
    for (const workers of [1, 2, 3]) expect(await reportsWith(loaded, workers), `${workers} workers`).toBe(serial);
  }, 120_000);
});
