/**
 * Copies of packets on a second, independent path (Bill-Pay §3.1, `UserAction.duplicate`),
 * worked by hand. A sends 100 packets of 1500 bytes a round to B at 10 per packet on A-X-Y-B,
 * with copies of half of them (50) on A-X-Z-B. Every ISP keeps 1 per packet; B keeps nothing;
 * every acknowledgment returns on B-Y-X-A, where Y and X keep 1 each.
 *
 *   an original or a copy that arrives: 10 − 1 − 1 = 8 reach B, 8 − 1 − 1 = 6 come back;
 *   a packet dropped at a full link leaves all its 10 with the ISP that dropped it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";
import { ROOT } from "../support/run.js";

const FIXTURE = `${ROOT}test/fixtures/strategies/duplicating.ts#duplicating`;
const link = (a: string, b: string, relation: "peer" | "provider-customer", capacityBps = 1e9) => ({ a, b, relation, capacityBps, latencyMs: 5 });

/** The network, X→Y carrying `xyPackets` packets of 1500 bytes a round, and one duplicating flow. */
function scenario(params: Record<string, number>, xyPackets = 1000, rounds = 1, extra: Partial<ScenarioInput> = {}): ScenarioInput {
  return {
    name: "duplicates", seed: 3, rounds,
    topology: {
      kind: "inline",
      nodes: [{ id: "A", kind: "host" }, { id: "B", kind: "host" }, { id: "X", kind: "isp" }, { id: "Y", kind: "isp" }, { id: "Z", kind: "isp" }],
      links: [link("X", "A", "provider-customer"), link("X", "Y", "peer", xyPackets * 12_000), link("X", "Z", "peer"), link("Y", "B", "provider-customer"), link("Z", "B", "provider-customer")],
    },
    isps: { default: { strategy: "fixed-toll", params: { perPacket: 1 } } },
    flows: [{ id: "game", from: "A", to: "B", strategy: FIXTURE, params, packetsPerRound: 100, packetBytes: 1500, ackBytes: 40 }],
    ...extra,
  } as ScenarioInput;
}

async function run(input: ScenarioInput, workers?: number) {
  return (await runScenario(parseScenario(input), workers === undefined ? {} : { parallel: { workers, minFlowsToShard: 1 } })).summary;
}

describe("copies on a second path (UserAction.duplicate)", () => {
  it("with nothing lost: the copies are paid and acknowledged, but sent and delivered count the 100 originals", async () => {
    const s = await run(scenario({}));
    const game = s.flows[0]!;
    // Out: 150 packets at 10 = 1,500; back: 150 acks with 6 each = 900; net 600.
    expect(game).toMatchObject({ sent: 100, delivered: 100, spent: 600 });
    // X: 150 data packets and 150 acks; Y: 100 data and 150 acks; Z: the 50 copies.
    expect(s.net).toMatchObject({ A: -600, B: 0, X: 300, Y: 250, Z: 50 });
    expect(s.acks).toEqual({ sent: 150, delivered: 150 });
  });

  it("with 20 originals dropped at X→Y: 10 of them are made up by their copies", async () => {
    // X→Y takes 80 of the 100 originals (share 0.8: ⌊80 + u⌋ = 80) and keeps the 20 dropped ones' 10.
    // The 50 copies all arrive; each stands for a lost original with chance 20/100: ⌊50 · 0.2 + u⌋ = 10.
    const s = await run(scenario({}, 80));
    // Out 1,500; back (80 + 50) · 6 = 780; net 720. Delivered: 80 + 10 = 90 of 100.
    expect(s.flows[0]).toMatchObject({ sent: 100, delivered: 90, spent: 720 });
    // X: 80 + 50 data at 1, 20 drops at 10, 130 acks at 1: 80 + 50 + 200 + 130 = 460; Y: 80 + 130; Z: 50.
    expect(s.net).toMatchObject({ A: -720, B: 0, X: 460, Y: 210, Z: 50 });
  });

  it("the next round's report: tollPerPacket over every acknowledgment, delivered counting either copy", async () => {
    // congestion-quantile reads sent 100, delivered 90 and tollPerPacket 10 − 780/130 = 4; run two
    // rounds and check the second round's totals double: nothing in the report feeds back here.
    const s = await run(scenario({}, 80, 2));
    expect(s.flows[0]).toMatchObject({ sent: 200, delivered: 180, spent: 1440 });
  });

  it("a share of 0 sends no copies, and the run is the one without the field", async () => {
    const none = await run(scenario({ share: 0 }));
    expect(none.flows[0]).toMatchObject({ sent: 100, delivered: 100, spent: 400 }); // 100 · (10 − 6)
    expect(none.acks).toEqual({ sent: 100, delivered: 100 });
  });

  it("refuses a copy on the same path, outside the offered paths, or with a share outside [0, 1], naming the field", async () => {
    await expect(run(scenario({ copyPath: 0 }))).rejects.toThrow(/strategy "duplicating" \(user game\) in round 0 chose duplicate\.path 0: must be another path than the action's own/);
    await expect(run(scenario({ copyPath: 5 }))).rejects.toThrow(/duplicate\.path 5: must be an index in \[0, 1\]/);
    await expect(run(scenario({ share: 1.5 }))).rejects.toThrow(/duplicate\.share 1\.5: must be a number in \[0, 1\]/);
  });

  it("refuses a second path that shares a link an ISP sends on", async () => {
    // Z reaches B only through its customer Y: the offered paths A-X-Y-B and A-X-Z-Y-B share Y→B.
    const input = scenario({});
    const topology = input.topology as { links: ReturnType<typeof link>[] };
    topology.links = topology.links.filter((l) => !(l.a === "Z" && l.b === "B")).concat(link("Z", "Y", "provider-customer"));
    await expect(run(input)).rejects.toThrow(/chose duplicate\.path 1: it shares the link Y→B with the originals' route/);
  });

  it("refuses copies for a flow its host's secretary governs", async () => {
    const input = scenario({}, 1000, 1, {
      secretary: { classes: { game: { willingness: 20 } } },
    });
    (input.flows![0] as { application?: string }).application = "game";
    await expect(run(input)).rejects.toThrow(/copies are not supported for a flow whose host has a digital secretary/);
  });

  it("refuses copies when the payments are authenticated (a copy would need payment fields of its own)", async () => {
    const input = scenario({}, 1000, 1, { security: { payments: {} } });
    await expect(run(input)).rejects.toThrow(/copies are not supported with security\.payments/);
  });
});

describe("copies in the shipped time-sensitive scenario", () => {
  it("congestion-quantile with duplicateShare 0.5: the same summary in-thread and in 2 and 3 workers", async () => {
    const { loadScenarioFile } = await import("../../src/scenario/load.js");
    const { changeScenario } = await import("../../src/scenario/change.js");
    const base = loadScenarioFile(`${ROOT}scenarios/billpay-time-sensitive.json`);
    const copied = changeScenario(base, (s) => ({ rounds: 20, flows: s.flows.map((f, i) => (i === 0 ? { ...f, params: { ...f.params, duplicateShare: 0.5 } } : f)) }));
    const summary = async (workers?: number) => JSON.stringify((await runScenario(copied, workers === undefined ? {} : { parallel: { workers, minFlowsToShard: 1 } })).summary);
    const inThread = await summary();
    expect(JSON.parse(inThread).acks.sent).toBeGreaterThan(JSON.parse(inThread).flows.find((f: { id: string }) => f.id === "game").delivered);
    expect(await summary(2)).toBe(inThread);
    expect(await summary(3)).toBe(inThread);
  });
});

describe("copies: invariants (property test)", () => {
  const isps = [
    { strategy: "fixed-toll", params: { perPacket: 2 } },
    { strategy: "honest-congestion", params: { perPacket: 1, threshold: 0.5, unitsPerOverload: 30 } },
    { strategy: "keep-and-drop", params: { dropShare: 0.3 } },
  ];
  it("money is conserved, delivered ≤ sent, and the payer spends at most what its originals and copies carried", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: 0, max: 1000 }), isp: fc.integer({ min: 0, max: 2 }), xy: fc.integer({ min: 1, max: 200 }),
          packets: fc.integer({ min: 0, max: 200 }), payment: fc.integer({ min: 0, max: 30 }), share: fc.double({ min: 0, max: 1, noNaN: true }),
          keep: fc.integer({ min: 0, max: 3 }),
        }),
        async ({ seed, isp, xy, packets, payment, share, keep }) => {
          const input = scenario({ packets, payment, share }, xy, 3, { seed, isps: { default: isps[isp]!, byNode: {} }, scheduling: seed % 2 === 0 ? "payment" : "fifo" });
          input.flows![0]!.receiverKeeps = { perPacket: keep, fraction: 0 };
          const s = await run(input);
          expect(Object.values(s.net).reduce((a, b) => a + b, 0)).toBe(0);
          for (const [id, revenue] of Object.entries(s.revenue)) expect(s.net[id] ?? 0, `ISP ${id}`).toBe(revenue);
          const game = s.flows[0]!;
          expect(game.sent).toBe(3 * packets);
          expect(game.delivered).toBeLessThanOrEqual(game.sent);
          expect(game.spent + (s.net["A"] ?? 0)).toBe(0);
          expect(game.spent).toBeLessThanOrEqual(3 * (packets + Math.floor(share * packets)) * payment);
        },
      ),
      { numRuns: 30 },
    );
  });
});

