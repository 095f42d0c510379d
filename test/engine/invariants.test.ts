import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runInline } from "../support/run.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";

const ISP_CHOICES = [
  { strategy: "fixed-toll", params: { perPacket: 2 } },
  { strategy: "honest-congestion", params: { perPacket: 1, unitsPerOverload: 30 } },
  { strategy: "fake-congestion", params: { fakeToll: 4 } },
  { strategy: "keep-and-drop", params: { dropShare: 0.3 } },
  { strategy: "regulated-cap", params: { cap: 3 } },
];
const USER_CHOICES = [
  { strategy: "fixed-payment", params: { payment: 25 } },
  { strategy: "never-pay", params: {} },
  { strategy: "bulk-transfer", params: { targetBps: 5e6, budgetPerPacket: 40 } },
  { strategy: "time-sensitive", params: { budgetPerPacket: 60 } },
];

function scenario(seed: number, isp: number, flows: { from: number; to: number; user: number; packets: number; keep: number; app?: number }[], secretary?: SecretaryInput): ScenarioInput {
  return {
    ...(secretary ? { secretary } : {}),
    name: "invariants", seed, rounds: 6, scheduling: seed % 2 === 0 ? "payment" : "fifo",
    topology: { kind: "generated", nodes: 12, hosts: 6, capacityBps: 2e6 },
    isps: { default: ISP_CHOICES[isp]!, byNode: { AS1: ISP_CHOICES[(isp + 1) % ISP_CHOICES.length]! } },
    settlement: { threshold: 500, billingCycleRounds: 3, defaulters: seed % 3 === 0 ? ["H2"] : [] },
    flows: flows.filter((f) => f.from !== f.to).map((f) => ({
      from: `H${f.from}`, to: `H${f.to}`, ...USER_CHOICES[f.user]!, packetsPerRound: f.packets, packetBytes: 1000,
      receiverKeeps: { perPacket: f.keep, fraction: 0 },
      ...(secretary && f.app !== undefined && f.app < APPS.length ? { application: APPS[f.app]! } : {}),
    })),
  };
}

type SecretaryInput = NonNullable<ScenarioInput["secretary"]>;
const APPS = ["web", "video"] as const;
const secretaryArb: fc.Arbitrary<SecretaryInput> = fc.record({
  classes: fc.record({ web: fc.record({ willingness: fc.integer({ min: 0, max: 40 }) }), video: fc.record({ willingness: fc.integer({ min: 0, max: 80 }) }) }),
  elicitation: fc.record({ questions: fc.integer({ min: 0, max: 6 }), tolerance: fc.integer({ min: 1, max: 5 }), high: fc.constant(100) }),
  budget: fc.integer({ min: 0, max: 5000 }),
  hosts: fc.record({ H1: fc.record({ budget: fc.integer({ min: 0, max: 800 }), values: fc.record({ video: fc.integer({ min: 0, max: 100 }) }) }) }),
});

const flowArb = fc.record({
  from: fc.integer({ min: 1, max: 6 }), to: fc.integer({ min: 1, max: 6 }), user: fc.integer({ min: 0, max: 3 }),
  packets: fc.integer({ min: 0, max: 600 }), keep: fc.integer({ min: 0, max: 3 }),
});

describe("engine invariants (property tests)", () => {
  it("money is conserved: nets sum to zero, each ISP's net is its revenue, each flow's spend is its payer's loss", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 4 }), fc.array(flowArb, { minLength: 1, maxLength: 6 }), async (seed, isp, flows) => {
        const s = await runInline(scenario(seed, isp, flows));
        expect(Object.values(s.net).reduce((a, b) => a + b, 0)).toBe(0);
        for (const [id, revenue] of Object.entries(s.revenue)) expect(s.net[id] ?? 0, `ISP ${id}`).toBe(revenue);
        expect(s.packets.delivered).toBeLessThanOrEqual(s.packets.sent);
        for (const entry of s.ledger) expect(Number.isSafeInteger(entry.amount) && entry.amount > 0).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it("money is conserved with digital secretaries, each host's statement is its governed flows' spend, and no host spends over its budget", async () => {
    const governedFlowArb = fc.record({
      from: fc.integer({ min: 1, max: 6 }), to: fc.integer({ min: 1, max: 6 }), user: fc.integer({ min: 0, max: 3 }),
      packets: fc.integer({ min: 0, max: 600 }), keep: fc.integer({ min: 0, max: 3 }), app: fc.integer({ min: 0, max: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 4 }), fc.array(governedFlowArb, { minLength: 1, maxLength: 6 }), secretaryArb, async (seed, isp, flows, secretary) => {
        const base = scenario(seed, isp, flows, secretary);
        const input = { ...base, flows: base.flows!.map((f, i) => ({ ...f, id: `f${i}` })) };
        const s = await runInline(input);
        expect(Object.values(s.net).reduce((a, b) => a + b, 0)).toBe(0);
        for (const [id, revenue] of Object.entries(s.revenue)) expect(s.net[id] ?? 0, `ISP ${id}`).toBe(revenue);
        const billing = s.billing!;
        for (const host of billing.hosts) {
          if (host.budget !== null) expect(host.spent).toBeLessThanOrEqual(host.budget);
          expect(billing.lines.filter((l) => l.host === host.host).reduce((a, l) => a + l.amount, 0)).toBe(host.spent);
          const mine = input.flows.filter((f) => f.application !== undefined && f.from === host.host);
          const spent = s.flows.filter((f) => mine.some((m) => m.id === f.id)).reduce((a, f) => a + f.spent, 0);
          expect(spent, host.host).toBe(host.spent);
        }
        // A governed flow never spends more than its class's willingness per packet sent.
        for (const f of input.flows.filter((f) => f.application !== undefined)) {
          const w = billing.applications.find((a) => a.host === f.from && a.application === f.application)!.willingness;
          const summary = s.flows.find((x) => x.id === f.id)!;
          expect(summary.spent, f.id).toBeLessThanOrEqual(w * summary.sent);
        }
      }),
      { numRuns: 20 },
    );
  });

  it("a run is deterministic for a seed", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 4 }), fc.array(flowArb, { minLength: 1, maxLength: 4 }), async (seed, isp, flows) => {
        const a = await runInline(scenario(seed, isp, flows));
        const b = await runInline(scenario(seed, isp, flows));
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      }),
      { numRuns: 10 },
    );
  });

  it("a different seed changes a congested run", async () => {
    const flows = [{ from: 1, to: 2, user: 1, packets: 500, keep: 0 }, { from: 3, to: 2, user: 1, packets: 500, keep: 0 }, { from: 4, to: 5, user: 0, packets: 500, keep: 0 }];
    const runs = await Promise.all([1, 2, 3, 4].map((seed) => runInline(scenario(seed * 2 + 1, 3, flows))));
    expect(new Set(runs.map((s) => JSON.stringify(s.packets))).size).toBeGreaterThan(1);
  });
});
