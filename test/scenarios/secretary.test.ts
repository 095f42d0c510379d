import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, runFile, runInline } from "../support/run.js";
import { expectGolden } from "../support/golden.js";
import { VERSION } from "../../src/version.js";
import { parseScenario } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";

const root = mkdtempSync(join(tmpdir(), "tollway-secretary-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the digital secretary on Figure 1 (scenarios/billpay-secretary.json, hand-worked)", () => {
  it("caps the payments and writes the statement worked out by hand", async () => {
    const s = await runFile("scenarios/billpay-secretary.json");
    // Willingness: voice, default 15, the user's 25 learned in 6 questions (15 28 21 24 26 25);
    // bulk, default 12, no answers: the default stands.
    // Budget 100, shared by A's two flows each round (shareBudget):
    //   round 0: 50 each; call pays 20 (Figure 1: X 1+1, Y 10, Z 1, B 1, 6 back: spent 14);
    //            backup asks 20, capped at 12 (X 1, Y 10, B 1; 0 back: spent 12). Spent 26.
    //   round 1: 74 -> 37 each, same payments: spent 52.  round 2: 48 -> 24 each: spent 78.
    //   round 3: 22 -> 11 each: both capped at 11 by the budget (X 1, Y 10; 0 reach B): spent 100.
    //   round 4: nothing left: both send unpaid (X's toll takes 0 of 0), spent 0.
    // voice: X 2+2+2+1 = 7, Y 40, Z 3, B 3 = 53; bulk: X 4, Y 40, B 3 = 47.
    expect(s.billing).toEqual({
      hosts: [{ host: "A", budget: 100, spent: 100 }],
      applications: [
        { host: "A", application: "bulk", willingness: 12, questions: 0, packets: 5, spent: 47, cappedByWillingness: 3, cappedByBudget: 2 },
        { host: "A", application: "voice", willingness: 25, questions: 6, packets: 5, spent: 53, cappedByWillingness: 0, cappedByBudget: 2 },
      ],
      lines: [
        { host: "A", application: "bulk", party: "B", role: "host", amount: 3 },
        { host: "A", application: "bulk", party: "X", role: "isp", amount: 4 },
        { host: "A", application: "bulk", party: "Y", role: "isp", amount: 40 },
        { host: "A", application: "voice", party: "B", role: "host", amount: 3 },
        { host: "A", application: "voice", party: "X", role: "isp", amount: 7 },
        { host: "A", application: "voice", party: "Y", role: "isp", amount: 40 },
        { host: "A", application: "voice", party: "Z", role: "isp", amount: 3 },
      ],
    });
    // The statement is the ledger's money seen from A: A's net loss, each ISP's revenue and B's gain.
    expect(s.net).toEqual({ A: -100, B: 6, X: 11, Y: 80, Z: 3 });
    expect(s.revenue).toEqual({ X: 11, Y: 80, Z: 3 });
    expect(s.flows.map((f) => [f.id, f.spent])).toEqual([["backup", 47], ["call", 53]]);
    // The ledger, link by link: A->X carried 20+12 three times, then 11+11, then 0.
    expect(s.ledger.find((e) => e.from === "A" && e.to === "X")?.amount).toBe(3 * 32 + 22);
  });

  it("matches the committed golden summary", async () => {
    expectGolden("billpay-secretary", await runFile("scenarios/billpay-secretary.json"));
  });

  it("prints the statement as tables, puts it in --json, and writes billing.csv with provenance under --out", () => {
    const text = cli("run", "scenarios/billpay-secretary.json");
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain("billing statement (digital secretary, nanodollar), per host and application:");
    expect(text.stdout).toMatch(/A\s+voice\s+25\s+6\s+5\s+53\s+0\s+2/);
    expect(text.stdout).toMatch(/A\s+voice\s+Y\s+isp\s+40/);
    expect(text.stdout).toMatch(/per party, all hosts and applications:\nparty\s+amount\n[- ]+\nB\s+6\nX\s+11\nY\s+80\nZ\s+3/);

    const json = cli("run", "scenarios/billpay-secretary.json", "--json");
    expect(json.status).toBe(0);
    const s = JSON.parse(json.stdout);
    expect(s.billing.hosts).toEqual([{ host: "A", budget: 100, spent: 100 }]);
    expect(s).toMatchObject({ scenario: "billpay-secretary", version: VERSION, seed: 1, rep: 0 });

    const out = join(root, "run");
    const written = cli("run", "scenarios/billpay-secretary.json", "--out", out);
    expect(written.status, written.stderr).toBe(0);
    const csv = readFileSync(join(out, "billing.csv"), "utf8").trim().split(/\r?\n/);
    const header = csv[0]!.split(",");
    for (const column of ["scenario", "scenarioHash", "version", "seed", "rep", "host", "application", "party", "role", "amount", "unit"]) expect(header).toContain(column);
    const at = (row: string, column: string) => row.split(",")[header.indexOf(column)];
    expect(csv.slice(1).map((row) => [at(row, "application"), at(row, "party"), at(row, "amount")])).toEqual([
      ["bulk", "B", "3"], ["bulk", "X", "4"], ["bulk", "Y", "40"], ["voice", "B", "3"], ["voice", "X", "7"], ["voice", "Y", "40"], ["voice", "Z", "3"],
    ]);
  });

  it("in receiver-pays mode the client's secretary pays for its requests: Figure 1's numbers from the client's side", async () => {
    // A fetches from B: A's requests carry 20 over A-X-Y-B (X 1, Y 10), B keeps 1 and mirrors 8
    // into its data over B-Z-X-A (Z 1, X 1), 6 reach A: spent 14 per round, 2 rounds.
    const s = await runInline({
      name: "secretary-receiver-pays", rounds: 2, topology: { kind: "figure1" }, scheduling: "payment",
      isps: { default: { strategy: "fixed-toll", params: { perPacket: 1 } }, byNode: { Y: { strategy: "fixed-toll", params: { perPacket: 10 } } } },
      secretary: { classes: { web: { willingness: 20 } } },
      flows: [{
        id: "fetch", application: "web", from: "B", to: "A", mode: "receiver-pays", strategy: "fixed-payment",
        params: { payment: 20, path: ["A", "X", "Y", "B"] }, receiverKeeps: { perPacket: 1 }, returnPath: ["B", "Z", "X", "A"],
      }],
    });
    expect(s.billing!.lines.map((l) => [l.party, l.amount])).toEqual([["B", 2], ["X", 4], ["Y", 20], ["Z", 2]]);
    expect(s.billing!.hosts).toEqual([{ host: "A", budget: null, spent: 28 }]);
    expect(s.net.A).toBe(-28);
  });

  it("a run without a secretary has no billing (and no billing.csv)", async () => {
    const s = await runFile("scenarios/billpay-figure1.json");
    expect(s.billing).toBeUndefined();
  });
});

/** Several hosts with several governed flows each on a congested generated network, budgets that bind. */
function busy(seed: number): ScenarioInput {
  const flows = Array.from({ length: 24 }, (_, i) => ({
    id: `f${i}`, from: `H${1 + (i % 6)}`, to: `H${1 + ((i * 5 + 3) % 6 === i % 6 ? (i + 1) % 6 : (i * 5 + 3) % 6)}`,
    ...(i % 4 === 3 ? {} : { application: ["web", "video", "bulk"][Math.floor(i / 6) % 3]! }),
    strategy: i % 2 === 0 ? "fixed-payment" : "time-sensitive",
    params: i % 2 === 0 ? { payment: 10 + (i % 5) * 7 } : { budgetPerPacket: 50 },
    packetsPerRound: 20 + (i % 7) * 30, packetBytes: 1000, receiverKeeps: { perPacket: i % 3, fraction: 0 },
  }));
  return {
    name: "secretary-busy", seed, rounds: 6, scheduling: "payment",
    topology: { kind: "generated", nodes: 12, hosts: 6, capacityBps: 2e6, seed: 5 },
    isps: { default: { strategy: "honest-congestion", params: { perPacket: 1, unitsPerOverload: 30 } }, byNode: { AS1: { strategy: "keep-and-drop", params: { dropShare: 0.2 } } } },
    settlement: { threshold: 500, billingCycleRounds: 3 },
    secretary: {
      classes: { web: { willingness: 12 }, video: { willingness: 30 }, bulk: { willingness: 4 } },
      elicitation: { questions: 4, tolerance: 2, high: 60 },
      budget: 20_000,
      hosts: { H1: { budget: 3000, values: { video: 45 } }, H2: { budget: 0 } },
    },
    flows,
  };
}

describe("the secretary and the workers", () => {
  it("gives the same summary and statement for 1, 2 and 3 workers", async () => {
    const loaded = parseScenario(busy(3));
    const runs = [];
    for (const workers of [null, 2, 3]) {
      const { summary } = await runScenario(loaded, workers === null ? {} : { parallel: { workers, minFlowsToShard: 1 } });
      runs.push(JSON.stringify(summary));
    }
    expect(runs[1]).toBe(runs[0]);
    expect(runs[2]).toBe(runs[0]);
    const s = JSON.parse(runs[0]!);
    // The budgets bind somewhere, and H2 (budget 0) never pays.
    expect(s.billing.applications.some((a: { cappedByBudget: number }) => a.cappedByBudget > 0)).toBe(true);
    expect(s.billing.hosts.find((h: { host: string }) => h.host === "H2")).toMatchObject({ budget: 0, spent: 0 });
  });

  it("spends within every budget, and each host's statement is its governed flows' spend", async () => {
    for (const seed of [1, 2]) {
      const s = await runInline(busy(seed));
      const scenario = busy(seed);
      for (const host of s.billing!.hosts) {
        if (host.budget !== null) expect(host.spent).toBeLessThanOrEqual(host.budget);
        const lines = s.billing!.lines.filter((l) => l.host === host.host).reduce((a, l) => a + l.amount, 0);
        expect(lines).toBe(host.spent);
        const governed = scenario.flows!.filter((f) => f.application !== undefined && f.from === host.host).map((f) => f.id);
        const spent = s.flows.filter((f) => governed.includes(f.id)).reduce((a, f) => a + f.spent, 0);
        expect(spent).toBe(host.spent);
      }
    }
  });
});
