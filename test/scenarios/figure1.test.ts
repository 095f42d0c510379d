import { describe, expect, it } from "vitest";
import { runFile, cli } from "../support/run.js";
import { expectGolden } from "../support/golden.js";
import { VERSION } from "../../src/version.js";

describe("Bill-Pay Figure 1 (paper §1.1)", () => {
  it("reproduces every number of the example", async () => {
    const s = await runFile("scenarios/billpay-figure1.json");
    expect(s.unit).toBe("nanodollar");
    const paid = (from: string, to: string) => s.ledger.find((e) => e.from === from && e.to === to)?.amount ?? 0;
    // Data packet A-X-Y-B: A puts 20 in; X keeps 1 and passes 19; Y keeps 10 and passes 9.
    expect(paid("A", "X")).toBe(20);
    expect(paid("X", "Y")).toBe(19);
    expect(paid("Y", "B")).toBe(9);
    // Acknowledgment B-Z-X-A: B keeps 1 and returns 8; Z keeps 1 (7); X keeps 1 (6).
    expect(paid("B", "Z")).toBe(8);
    expect(paid("Z", "X")).toBe(7);
    expect(paid("X", "A")).toBe(6);
    expect(s.ledger).toHaveLength(6);
    // "A owes ISP X 14 nanodollars": 20 sent, 6 received.
    expect(paid("A", "X") - paid("X", "A")).toBe(14);
    expect(s.net).toEqual({ A: -14, X: 2, Y: 10, Z: 1, B: 1 });
    expect(s.revenue).toEqual({ X: 2, Y: 10, Z: 1 });
    expect(s.packets).toEqual({ sent: 1, delivered: 1, dropped: 0 });
    expect(s.acks).toEqual({ sent: 1, delivered: 1 });
    expect(Object.values(s.net).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it("matches the committed golden summary", async () => {
    expectGolden("billpay-figure1", await runFile("scenarios/billpay-figure1.json"));
  });

  it("prints the same numbers from the CLI with --json", () => {
    const { status, stdout } = cli("run", "scenarios/billpay-figure1.json", "--json");
    expect(status).toBe(0);
    const s = JSON.parse(stdout);
    expect(s.ledger).toContainEqual({ from: "A", to: "X", amount: 20 });
    expect(s.net.A).toBe(-14);
    expect(s.unit).toBe("nanodollar");
    expect(s).toMatchObject({ scenario: "billpay-figure1", seed: 1, rep: 0, version: VERSION });
    expect(s.scenarioHash).toMatch(/^[0-9a-f]{16}$/);
  });
});
