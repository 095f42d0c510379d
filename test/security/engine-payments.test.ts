import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseScenario } from "../../src/scenario/load.js";
import { buildScenario } from "../../src/scenario/build.js";
import { runScenario } from "../../src/scenario/run.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";
import type { RunSummary } from "../../src/metrics/summary.js";
import { policyScenario, SCALES } from "../../src/reproduce/table1.js";
import { computeAdmission, createBatches, createLinkTotals, hopForward, hopLocal, type LinkInputs } from "../../src/engine/pipeline.js";
import { PaymentDesk, paymentKept } from "../../src/engine/payment-desk.js";
import { paymentTamperProblem } from "../../src/engine/payment-tamper.js";
import { findLink } from "../../src/model/topology.js";
import type { FlowColumns } from "../../src/engine/flows.js";
import { decodeExtension, encodeExtension, extensionSize, headerRoom } from "../../src/security/header-extension.js";
import { checkPaymentField } from "../../src/security/payment.js";
import { deriveAsKeys } from "../../src/security/keys.js";
import { runFile, runInline } from "../support/run.js";
import { expectGolden } from "../support/golden.js";
import { formatSummary } from "../../src/report/summary-text.js";

/**
 * Hosts H1 and H2 send to D over X → Y → Z (Y is the provider of X and Z). Fixed tolls per
 * packet: X 2, Y 3, Z 4, so the path price is 9 and every flow pays 9 in each packet. Links
 * are far from full: no packet is lost to capacity. No acknowledgments (no return leg).
 *
 * Honest fields (P_rcv, P_own): X (9, 2), Y (7, 3), Z (4, 4). A flow of 10 packets a round makes
 * X book 20, Y 30 and Z 40 a round from the neighbour it came from.
 */
function chain(attacker: { strategy: string; params: Record<string, unknown> } | null, rounds = 2, payments = true): ScenarioInput {
  const big = 1e9;
  const flow = (id: string, from: string, strategy: string, params: Record<string, unknown>) => ({
    id, from, to: "D", strategy, params, packetsPerRound: 10, packetBytes: 1000, ackBytes: 0,
  });
  return {
    name: "payment-chain", rounds, seed: 7,
    topology: {
      kind: "inline",
      nodes: [{ id: "H1", kind: "host" }, { id: "H2", kind: "host" }, { id: "D", kind: "host" }, { id: "X", kind: "isp" }, { id: "Y", kind: "isp" }, { id: "Z", kind: "isp" }],
      links: [
        { a: "X", b: "H1", relation: "provider-customer", capacityBps: big },
        { a: "X", b: "H2", relation: "provider-customer", capacityBps: big },
        { a: "Y", b: "X", relation: "provider-customer", capacityBps: big },
        { a: "Y", b: "Z", relation: "provider-customer", capacityBps: big },
        { a: "Z", b: "D", relation: "provider-customer", capacityBps: big },
      ],
    },
    isps: {
      default: { strategy: "fixed-toll", params: { perPacket: 2 } },
      byNode: { Y: { strategy: "fixed-toll", params: { perPacket: 3 } }, Z: { strategy: "fixed-toll", params: { perPacket: 4 } } },
    },
    flows: [flow("H1", "H1", "cheapest-path", {}), ...(attacker ? [flow("H2", "H2", attacker.strategy, attacker.params)] : [])],
    ...(payments ? { security: { payments: {} } } : {}),
  };
}

const booked = (s: RunSummary, as: string, neighbour: string) => s.payments!.settlement.find((l) => l.as === as && l.neighbour === neighbour)?.units ?? 0;
const paid = (s: RunSummary, from: string, to: string) => s.ledger.find((e) => e.from === from && e.to === to)?.amount ?? 0;
const spent = (s: RunSummary, id: string) => s.flows.find((f) => f.id === id)!.spent;

describe("authenticated payments in the engine (pricing paper Eq. 10, security.payments)", () => {
  it("honest flows: every AS books its P_own per neighbour, and the run equals the one without security", async () => {
    const on = await runInline(chain(null));
    const off = await runInline(chain(null, 2, false));
    // Two rounds of 10 packets: X 2·20 = 40 from H1, Y 3·20 = 60 from X, Z 4·20 = 80 from Y.
    expect(on.payments!.settlement).toEqual([
      { as: "X", neighbour: "H1", units: 40 }, { as: "Y", neighbour: "X", units: 60 }, { as: "Z", neighbour: "Y", units: 80 },
    ]);
    // 3 fields per batch, one batch a round: 6 checks. HMACs: H1 MACs the 6 fields; each AS
    // derives its key and checks the MAC for each of its fields: 6 + 6 + 6 = 18 (H1's one-time
    // fetch of its 3 keys is not counted).
    expect(on.payments!.checked).toBe(6);
    expect(on.payments!.macs).toBe(18);
    expect(on.payments!.refusedBatches).toBe(0);
    expect(on.revenue).toEqual({ X: 40, Y: 60, Z: 80 });
    const { payments, scenarioHash, ...rest } = on;
    expect(payments).toBeDefined();
    // The scenarios differ only in their security section (so in their hash).
    expect(scenarioHash).not.toBe(off.scenarioHash);
    expect(rest).toEqual({ ...off, scenarioHash: undefined });
    expect(off.payments).toBeUndefined();
  });

  it("forged P_own with made-up MACs: X refuses every packet, no money moves, the honest flow is unaffected", async () => {
    const s = await runInline(chain({ strategy: "forge-payment", params: { ownFactor: 0.5 } }));
    expect(s.payments!.refusedPackets["bad-mac"]).toBe(20);
    expect(s.payments!.refusedBatches).toBe(2);
    expect(booked(s, "X", "H2")).toBe(0);
    expect(paid(s, "H2", "X")).toBe(0);
    expect(spent(s, "H2")).toBe(0);
    expect(s.flows.find((f) => f.id === "H2")!.delivered).toBe(0);
    // H1 as in the honest run.
    expect([booked(s, "X", "H1"), booked(s, "Y", "X"), booked(s, "Z", "Y")]).toEqual([40, 60, 80]);
    expect(spent(s, "H1")).toBe(2 * 10 * 9);
    expect(s.revenue).toEqual({ X: 40, Y: 60, Z: 80 });
  });

  it("a source that lies with the real keys (P_own 1 for X's 2): the MAC passes, X's tariff check refuses it", async () => {
    const s = await runInline(chain({ strategy: "forge-payment", params: { ownFactor: 0.5, validMac: true } }));
    expect(s.payments!.refusedPackets["wrong-amount"]).toBe(20);
    expect(s.payments!.refusedPackets["bad-mac"]).toBe(0);
    expect([booked(s, "X", "H2"), paid(s, "H2", "X"), spent(s, "H2")]).toEqual([0, 0, 0]);
  });

  it("replayed fields: refused once their expiry has passed; a replay inside the validity window is not detected", async () => {
    // expirySeconds 2, 1 s rounds. lagRounds 3: rounds 0–2 send fresh fields; round 3 replays
    // round 0's (t = ⌈0 + 2⌉ = 2 < 3) and round 4 round 1's (3 < 4): 2 × 10 packets expire.
    const s = await runInline(chain({ strategy: "replay-payment", params: { lagRounds: 3 } }, 5));
    expect(s.payments!.refusedPackets.expired).toBe(20);
    // X books 2 × 10 for each of the three fresh rounds only; H2 spends 9 × 30.
    expect(booked(s, "X", "H2")).toBe(60);
    expect(spent(s, "H2")).toBe(270);
    expect(booked(s, "X", "H1")).toBe(100);
    // lagRounds 1: round r replays round r−1's fields, valid until r + 1: accepted (no per-packet-id cache).
    const inWindow = await runInline(chain({ strategy: "replay-payment", params: { lagRounds: 1 } }, 5));
    expect(inWindow.payments!.refusedBatches).toBe(0);
    expect(booked(inWindow, "X", "H2")).toBe(100);
  });

  it("a field altered in transit: the AS whose field it is refuses; the ones before are paid, the rest goes back to the payer", async () => {
    // X's own field: refused at X, nothing moves.
    const atX = await runInline(chain({ strategy: "alter-payment", params: { asIndex: 0, delta: -1 } }));
    expect(atX.payments!.refusedPackets["bad-mac"]).toBe(20);
    expect([booked(atX, "X", "H2"), paid(atX, "H2", "X"), spent(atX, "H2")]).toEqual([0, 0, 0]);
    // Y's field: X accepts and keeps 2 a packet; Y refuses the 7 each packet still carries, which
    // goes back to H2: H2 spends 9 − 7 = 2 a packet, X → Y carries nothing for them.
    const atY = await runInline(chain({ strategy: "alter-payment", params: { asIndex: 1, delta: 5 } }));
    expect(atY.payments!.refusedPackets["bad-mac"]).toBe(20);
    expect(booked(atY, "X", "H2")).toBe(40);
    expect(spent(atY, "H2")).toBe(40);
    expect(paid(atY, "H2", "X")).toBe(40);
    expect(paid(atY, "X", "Y")).toBe(2 * 10 * 7);
    expect(atY.revenue).toEqual({ X: 80, Y: 60, Z: 80 });
  });

  it("attacks give the same bytes with 1, 2 and 3 workers as in-thread", async () => {
    for (const attacker of [{ strategy: "forge-payment", params: {} }, { strategy: "alter-payment", params: { asIndex: 1 } }, { strategy: "replay-payment", params: { lagRounds: 3 } }]) {
      const loaded = parseScenario(chain(attacker, 5));
      const serial = JSON.stringify((await runScenario(loaded)).summary);
      expect(JSON.parse(serial).payments.refusedBatches, attacker.strategy).toBeGreaterThan(0);
      for (const workers of [1, 2, 3]) {
        expect(JSON.stringify((await runScenario(loaded, { parallel: { workers, minFlowsToShard: 1 } })).summary), `${attacker.strategy}, ${workers} workers`).toBe(serial);
      }
    }
  }, 120_000);

  it("without security.payments an attack has no effect: there are no fields, and the money is in the packets", async () => {
    const s = await runInline(chain({ strategy: "forge-payment", params: {} }, 2, false));
    expect(s.payments).toBeUndefined();
    // H2 pays like H1: 2 rounds × 10 packets × 9.
    expect([spent(s, "H2"), paid(s, "H2", "X")]).toEqual([180, 180]);
  });

  it("an invalid attack in an action is a clear error", () => {
    expect(paymentTamperProblem({ kind: "forge", ownFactor: -1, validMac: false })).toMatch(/ownFactor must be a finite number ≥ 0/);
    expect(paymentTamperProblem({ kind: "replay", round: 1.5 })).toMatch(/round must be an integer/);
    expect(paymentTamperProblem({ kind: "steal" })).toMatch(/kind must be "forge", "replay" or "alter"/);
    expect(paymentTamperProblem({ kind: "alter", asIndex: 0, delta: 2 })).toBeNull();
  });
});

describe("scenarios/security-payment-attacks.json (hand-worked, golden)", () => {
  it("three attackers beside an honest host over 5 rounds", async () => {
    const s = await runFile("scenarios/security-payment-attacks.json");
    // Per round each host sends 10 packets paying 9 (fields X (9, 2), Y (7, 3), Z (4, 4)).
    // H1: all 5 rounds accepted: X 2·50 = 100, and Y 150, Z 200 through it.
    // H2 (forge): X refuses 50 packets (bad MAC); nothing is booked.
    // H3 (replay, lag 3): rounds 0–2 fresh: X 60, Y 90, Z 120; rounds 3–4 expired: 20 packets.
    // H4 (altered at Y): X books 2·50 = 100; Y refuses 50 packets (bad MAC), 7 each back to H4.
    expect(s.payments!.settlement).toEqual([
      { as: "X", neighbour: "H1", units: 100 }, { as: "X", neighbour: "H3", units: 60 }, { as: "X", neighbour: "H4", units: 100 },
      { as: "Y", neighbour: "X", units: 150 + 90 }, { as: "Z", neighbour: "Y", units: 200 + 120 },
    ]);
    expect(s.payments!.refusedPackets).toEqual({ "bad-mac": 100, expired: 20, negative: 0, "wrong-amount": 0 });
    expect(s.payments!.refusedBatches).toBe(5 + 2 + 5);
    // Fields checked: H1 5 × 3, H2 5 × 1 (X's fails), H3 3 × 3 + 2 × 1, H4 5 × 2 (Y's fails) = 41.
    // HMACs: the sources MAC 20 batches × 3 fields (60), H2 derives a made-up key per field (15),
    // the ASes derive and check per field checked (2 × 41 = 82): 157.
    expect([s.payments!.checked, s.payments!.macs]).toEqual([41, 157]);
    expect(formatSummary(s)).toContain("authenticated payments (Eq. 10): 41 fields checked, 157 HMACs; packets refused: 100 bad-mac, 20 expired");
    expect(s.revenue).toEqual({ X: 260, Y: 240, Z: 320 });
    expect(s.flows.map((f) => [f.id, f.spent])).toEqual([["H1 honest", 450], ["H2 forges", 0], ["H3 replays", 270], ["H4 altered at Y", 100]]);
    expectGolden("security-payment-attacks", s);
  });
});

describe("the desk's toll rule is the hop kernel's", () => {
  it("P_own (paymentKept) is what hopLocal takes from a surviving packet, for any tariff and payment", () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 0.05, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }),
      fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 200 }),
      (perPacket, perByte, proportional, congestion, payment) => {
        const one = (x: number) => Float64Array.of(x);
        const links: LinkInputs = {
          perPacket: one(perPacket), perByte: one(perByte), proportional: one(proportional), congestion: one(congestion), dropShare: one(0),
          senderIsHost: Uint8Array.of(0), noPremium: Uint8Array.of(0), capacityBits: one(1e12), oadFrom: one(Infinity), admitNormal: one(1), admitPremium: one(1),
        };
        const b = createBatches(1);
        b.count = 1;
        b.packets[0] = 1000;
        b.payment[0] = payment;
        b.bitsPerPacket[0] = 8000;
        b.pathLength[0] = 1;
        const totals = createLinkTotals(1);
        const ctx = { seed: 1, round: 0, leg: 0, hop: 0, pathPool: Int32Array.of(0) };
        hopLocal(links, b, totals, ctx, 0, 1);
        computeAdmission(links, totals, false);
        hopForward(links, b, totals, ctx, 0, 1);
        if (b.packets[0]! === 0) return true;
        expect(payment - b.payment[0]!).toBe(paymentKept(links, 0, payment, 1000));
        // What the AS kept over the batch is P_own per survivor plus P_rcv per packet it dropped.
        expect(totals.kept[0]).toBe(b.packets[0]! * paymentKept(links, 0, payment, 1000) + (1000 - b.packets[0]!) * payment);
        return true;
      }), { numRuns: 300 });
  });
});

describe("the batch layout carries the payment fields the wire format encodes (issue 15 item 8)", () => {
  it("one batch on H1 → X → Y → Z → D: its fields round-trip through the header codec and still verify", async () => {
    const built = await buildScenario(parseScenario(chain(null)));
    const t = built.topology;
    const node = (id: string) => t.nodeIds.indexOf(id);
    const link = (a: string, b: string) => findLink(t, node(a), node(b));
    const L = t.linkCount;
    const links = {
      perPacket: new Float64Array(L), perByte: new Float64Array(L), proportional: new Float64Array(L), congestion: new Float64Array(L),
      senderIsHost: new Uint8Array(L),
    };
    for (let l = 0; l < L; l++) links.senderIsHost[l] = t.nodeIds[t.linkFrom[l]!]!.startsWith("H") ? 1 : 0;
    links.perPacket[link("X", "Y")] = 2;
    links.perPacket[link("Y", "Z")] = 3;
    links.perPacket[link("Z", "D")] = 4;
    const batches = createBatches(1);
    batches.count = 1;
    batches.flow[0] = 42;
    batches.packets[0] = 10;
    batches.payment[0] = 9;
    batches.bitsPerPacket[0] = 8000;
    batches.pathStart[0] = 0;
    batches.pathLength[0] = 4;
    batches.rejectHop = new Int32Array(1);
    const pool = Int32Array.of(link("H1", "X"), link("X", "Y"), link("Y", "Z"), link("Z", "D"));
    const leg = { batches, pool, rows: Int32Array.of(0), sent: Float64Array.of(10) };
    const flows = { payer: Int32Array.of(node("H1")) } as unknown as FlowColumns;
    const desk = new PaymentDesk(t, links, 7, { expirySeconds: 2 });
    desk.sign(leg, flows, [undefined], 3, 3, 1);
    desk.verify(leg, 3);
    expect(batches.rejectHop[0]).toBe(-1);
    const ext = desk.fields.extensionOf(0, 0, 4);
    // Packet id: uid 42 in the high 32 bits, round 3 in the low; expiry ⌈3 + 2⌉ = 5.
    expect(ext.packetId).toBe((42n << 32n) | 3n);
    expect(ext.payments.map((p) => [p.pRcv, p.pOwn, p.expiry])).toEqual([[9n, 2n, 5], [7n, 3n, 5], [4n, 4n, 5]]);
    const bytes = encodeExtension(ext);
    // 9 + 26 · 3 = 87 bytes for three ASes; 9 + 26 · 4 = 113 for four, 133 with the Bill-Pay
    // header and its OADs (the header-room table).
    expect(bytes.length).toBe(87);
    expect(extensionSize(4, 0)).toBe(113);
    expect(headerRoom(4)[2]!.bytes).toBe(20 + 113);
    const back = decodeExtension(bytes);
    expect(back.payments.map((p) => [p.pRcv, p.pOwn, p.expiry])).toEqual(ext.payments.map((p) => [p.pRcv, p.pOwn, p.expiry]));
    ["X", "Y", "Z"].forEach((as, k) => {
      expect(checkPaymentField(deriveAsKeys(7, as), "H1", back.packetId, k, back.payments[k]!, 5), as).toBe("ok");
      expect(checkPaymentField(deriveAsKeys(7, as), "H1", back.packetId, k, back.payments[k]!, 6), as).toBe("expired");
    });
    // A flipped bit of Y's MAC on the wire: Y refuses.
    bytes[9 + 26 + 10]! ^= 1;
    expect(checkPaymentField(deriveAsKeys(7, "Y"), "H1", back.packetId, 1, decodeExtension(bytes).payments[1]!, 5)).toBe("bad-mac");
  });
});

describe("authenticated payments on generated traffic (Table I, test scale)", () => {
  const scenario = (payments: boolean) => {
    const input = policyScenario({ kind: "dynamic", alpha: 4 }, { scale: { ...SCALES.test, rounds: 3 }, seed: 1 });
    return parseScenario(payments ? { ...input, security: { payments: { expirySeconds: 2 } } } : input);
  };
  it("honest users: revenue, ledger and flows equal the run without security; 1, 2, 3 workers give the same bytes", async () => {
    const off = (await runScenario(scenario(false))).summary;
    const on = (await runScenario(scenario(true))).summary;
    expect(on.payments!.checked).toBeGreaterThan(1000);
    expect(on.payments!.refusedBatches).toBe(0);
    const { payments, scenarioHash: _hash, ...rest } = on;
    expect(rest).toEqual({ ...off, scenarioHash: undefined });
    // The settlement per neighbour adds up to each ISP's revenue.
    const perAs: Record<string, number> = {};
    for (const line of payments!.settlement) perAs[line.as] = (perAs[line.as] ?? 0) + line.units;
    for (const [as, revenue] of Object.entries(on.revenue)) expect(perAs[as] ?? 0, as).toBe(revenue);
    const serial = JSON.stringify(on);
    for (const workers of [1, 2, 3]) {
      const sharded = (await runScenario(scenario(true), { parallel: { workers, minFlowsToShard: 1 } })).summary;
      expect(JSON.stringify(sharded), `${workers} workers`).toBe(serial);
    }
  }, 300_000);
});
