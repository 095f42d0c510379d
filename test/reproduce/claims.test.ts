import { describe, expect, it } from "vitest";
import { checkClaims, mutualWindow, probeAlpha } from "../../src/reproduce/claims.js";
import { alphaGrid } from "../../src/reproduce/alpha-frontier.js";
import type { PolicyOutcome } from "../../src/reproduce/outcome.js";
import { outcome, PAPER } from "../support/table1-outcomes.js";

describe("the claims of Table I", () => {
  it("all hold on the paper's own numbers", () => {
    const claims = checkClaims(PAPER);
    expect(claims.map((c) => c.id)).toEqual([
      "dynamic-more-bandwidth", "alpha-lowers-revenue-and-price", "smallest-alpha-highest",
      "some-alpha-beats-static", "fewer-links-under-50pct", "most-users-never-switch",
    ]);
    for (const c of claims) expect(c.holds, c.id).toBe(true);
    expect(claims[3]!.detail).toMatch(/both better: alpha=4/);
  });

  it("each fails when its numbers say so", () => {
    const [s, a2, a4, a6] = PAPER;
    const verdict = (outcomes: PolicyOutcome[], id: string) => checkClaims(outcomes).find((c) => c.id === id)!.holds;
    expect(verdict([s!, { ...a2!, avgBandwidthMbps: 8.1 }, a4!, a6!], "dynamic-more-bandwidth")).toBe(false);
    expect(verdict([s!, a2!, { ...a4!, revenue: 700_000 }, a6!], "alpha-lowers-revenue-and-price")).toBe(false);
    expect(verdict([s!, { ...a2!, unitPrice: 34.5 }, { ...a4!, unitPrice: 34 }, a6!], "smallest-alpha-highest")).toBe(false);
    expect(verdict([s!, a2!, { ...a4!, unitPrice: 36 }, a6!], "some-alpha-beats-static")).toBe(false);
    expect(verdict([s!, a2!, a4!, { ...a6!, linksUnder50Pct: 72 }], "fewer-links-under-50pct")).toBe(false);
    expect(verdict([s!, a2!, { ...a4!, usersNeverSwitched: 75 }, a6!], "most-users-never-switch")).toBe(false);
  });

  it("a probe inside the interpolated window can show that some alpha beats static", () => {
    const s = outcome(null, 9.5, 35.5, 100, 99, 100);
    const dynamic = [outcome(2, 9.7, 38, 110, 98, 99.7), outcome(4, 9.7, 32, 92, 98, 99.7), outcome(6, 9.7, 26, 75, 98, 99.7)];
    // Price crosses 35.5 at α = 2 + 2·2.5/6 = 2.8333…; revenue crosses 100 at α = 2 + 2·10/18 = 3.1111…
    const window = mutualWindow(s, dynamic)!;
    expect(window.from).toBeCloseTo(2.833333333, 8);
    expect(window.to).toBeCloseTo(3.111111111, 8);
    const without = checkClaims([s, ...dynamic]).find((c) => c.id === "some-alpha-beats-static")!;
    expect(without.holds).toBe(false);
    expect(without.detail).toMatch(/interpolation suggests alpha in \(2\.83, 3\.11\)/);
    const probe = outcome(2.97, 9.7, 35, 101, 98, 99.7);
    const withProbe = checkClaims([s, ...dynamic], probe).find((c) => c.id === "some-alpha-beats-static")!;
    expect(withProbe.holds).toBe(true);
    expect(withProbe.detail).toMatch(/a run at alpha=2\.97 gives revenue \+1\.0%, price −1\.4%: better on both/);
    // No window when the revenue falls below static before the price does.
    expect(mutualWindow(s, [outcome(2, 9.6, 38, 99, 98, 99), outcome(4, 9.6, 32, 90, 98, 99)])).toBeNull();
  });

  it("the alpha grid includes both ends and refuses alphas above the lowest static price", () => {
    expect(alphaGrid(0, 8, 0.5)).toHaveLength(17);
    expect(alphaGrid(0, 1, 0.1)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(() => alphaGrid(0, 12, 1)).toThrow(/--to: must be ≤ 10/);
    expect(() => alphaGrid(0, 8, 0)).toThrow(/--step: must be a positive number/);
  });
});

describe("probeAlpha", () => {
  it("takes the middle of the window's part below the largest valid alpha", () => {
    // (3.33 + 3.61) / 2 = 3.47; (8 + min(Infinity, 10)) / 2 = 9
    expect(probeAlpha({ from: 3.33, to: 3.61 }, 10)).toBe(3.47);
    expect(probeAlpha({ from: 8, to: Infinity }, 10)).toBe(9);
  });
  it("probes nothing when the window starts at or past the largest valid alpha (load 4 gave from ≈ 14)", () => {
    expect(probeAlpha({ from: 14.08, to: Infinity }, 10)).toBeNull();
    expect(probeAlpha({ from: 10, to: 12 }, 10)).toBeNull();
    expect(probeAlpha(null, 10)).toBeNull();
  });
});
