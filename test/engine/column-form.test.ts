/**
 * The engine uses a strategy's column form when it has one, and gets exactly what the per-flow
 * `decide` gets: the same run with the built-ins and with copies of them stripped of their
 * column form gives byte-identical summaries and reporters, in-thread and in workers.
 */
import { describe, expect, it } from "vitest";
import { createRng } from "../../src/engine/random.js";
import { FlowBandwidthReporter } from "../../src/metrics/flow-bandwidth.js";
import { IspRevenueReporter } from "../../src/metrics/isp-revenue.js";
import { PathSwitchReporter } from "../../src/metrics/path-switches.js";
import { UnitPriceReporter } from "../../src/metrics/unit-price.js";
import { DEFAULT_LOAD, policyScenario, SCALES, type Policy } from "../../src/reproduce/table1.js";
import { parseScenario } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";
import { ROOT } from "../support/run.js";

const FIXTURE = `${ROOT}test/fixtures/strategies/per-flow-builtins.ts`;
const USERS = [
  { id: "fixed-payment", params: { payment: 12 } },
  { id: "never-pay", params: {} },
  { id: "bulk-transfer", params: { targetBps: 4e6, budgetPerPacket: 30 } },
  { id: "time-sensitive", params: { budgetPerPacket: 40, maxLatencyMs: 30 } },
  { id: "cheapest-path", params: {} },
  { id: "modulated-bulk", params: { targetBps: 4e6, budgetPerPacket: 30 } },
  { id: "modulated-bulk", params: { targetBps: 4e6, budgetPerPacket: 30, alternates: "oads" } },
  { id: "congestion-quantile", params: { budgetPerPacket: 40, maxLatencyMs: 30, duplicateShare: 0.5 } },
  { id: "congestion-quantile", params: { budgetPerPacket: 40, maxLatencyMs: 100, probeRounds: 1, probePackets: 5 } },
  { id: "damped-steer", params: { margin: 1, probability: 0.5, minStay: 1 } },
];
const camel = (id: string) => id.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** A congested 550-AS network with 300 flows of every built-in user strategy, each by `ref(id)`. */
function mixed(ref: (id: string) => string): ScenarioInput {
  const rng = createRng(77);
  return {
    name: "mixed-users", seed: 5, rounds: 4, scheduling: "payment",
    topology: { kind: "generated", nodes: 550, hosts: 100, capacityBps: 4e6 },
    isps: { default: { strategy: "honest-congestion", params: { unitsPerOverload: 10 } }, byNode: {} },
    flows: Array.from({ length: 300 }, (_, i) => {
      const from = 1 + rng.int(100);
      const to = 1 + ((from + rng.int(99)) % 100);
      const user = USERS[i % USERS.length]!;
      return { from: `H${from}`, to: `H${to}`, strategy: ref(user.id), params: user.params, packetsPerRound: 50 + rng.int(400), packetBytes: 1000, receiverKeeps: { perPacket: 1, fraction: 0 } };
    }),
  };
}

async function summary(input: ScenarioInput, workers: number | null): Promise<string> {
  const { summary } = await runScenario(parseScenario(input), workers === null ? {} : { parallel: { workers, minFlowsToShard: 1 } });
  return JSON.stringify({ ...summary, scenarioHash: "" });
}

describe("the column form inside the engine", () => {
  it("listed flows of every built-in user strategy: the same summary as their per-flow decide, in-thread and in 2 workers", async () => {
    const perFlow = await summary(mixed((id) => `${FIXTURE}#${camel(id)}PerFlow`), null);
    const parsed = JSON.parse(perFlow);
    expect(parsed.packets.dropped).toBeGreaterThan(0);
    expect(parsed.flows.some((f: { pathSwitches: number }) => f.pathSwitches > 0)).toBe(true);
    expect(await summary(mixed((id) => id), null)).toBe(perFlow);
    expect(await summary(mixed((id) => id), 2)).toBe(perFlow);
  }, 120_000);

  it("generated traffic (Table I, test scale): cheapest-path's column form gives the per-flow reporters' numbers", async () => {
    const run = async (strategy: string) => {
      const input = policyScenario({ kind: "dynamic", alpha: 2 }, { scale: { ...SCALES.test, rounds: 4 }, seed: 1 });
      input.traffic!.user = { strategy, params: { switchAfterSec: 2 } };
      const bandwidth = new FlowBandwidthReporter();
      const price = new UnitPriceReporter(1000);
      const switches = new PathSwitchReporter();
      const { summary: s } = await runScenario(parseScenario(input), { observers: [bandwidth, price, switches] });
      return JSON.stringify({ s: { ...s, scenarioHash: "" }, b: bandwidth.result(), p: price.result(), w: switches.result() });
    };
    const perFlow = await run(`${FIXTURE}#cheapestPathPerFlow`);
    // Its decide throws: the run passes only through the column form.
    expect(await run(`${FIXTURE}#cheapestPathColumnsOnly`)).toBe(perFlow);
    expect(await run("cheapest-path")).toBe(perFlow);
  }, 120_000);

  it("ISPs (Table I, test scale): static-price's and dynamic-price's column forms give their per-link runs, in-thread and in 2 workers", async () => {
    const run = async (policy: Policy, strategy: string, workers: number | null) => {
      // Eight times the default load, so that links pass the 50% threshold and dynamic prices move.
      const input = policyScenario(policy, { scale: { ...SCALES.test, rounds: 3 }, seed: 1, load: 8 * DEFAULT_LOAD });
      input.isps!.default = { ...input.isps!.default!, strategy };
      const price = new UnitPriceReporter(1000);
      const revenue = new IspRevenueReporter();
      const { summary: s } = await runScenario(parseScenario(input), { observers: [price, revenue], ...(workers === null ? {} : { parallel: { workers, minFlowsToShard: 1 } }) });
      return JSON.stringify({ s: { ...s, scenarioHash: "" }, p: price.result(), r: revenue.result() }, (_, v: unknown) => (typeof v === "bigint" ? String(v) : v));
    };
    for (const [policy, id] of [[{ kind: "static" }, "static-price"], [{ kind: "dynamic", alpha: 2 }, "dynamic-price"]] as const) {
      const perLink = await run(policy, `${FIXTURE}#${camel(id)}PerLink`, null);
      expect(await run(policy, id, null), id).toBe(perLink);
      expect(await run(policy, id, 2), id).toBe(perLink);
    }
    // Its decide throws: the run passes only through the column form.
    expect(await run({ kind: "dynamic", alpha: 2 }, `${FIXTURE}#dynamicPriceColumnsOnly`, null)).toBe(await run({ kind: "dynamic", alpha: 2 }, "dynamic-price", null));
  }, 120_000);
});
