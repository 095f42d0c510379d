import { describe, expect, it } from "vitest";
import { seriesOscillation } from "../../src/metrics/price-oscillation.js";
import { switchesPerFlowMinute } from "../../src/metrics/path-flapping.js";
import { GameMetrics } from "../../src/metrics/game-metrics.js";
import { parseScenario, type LoadedScenario } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";
import { ROOT } from "../support/run.js";

const sine = (n: number, period: number, amplitude: number, base = 0) =>
  Array.from({ length: n }, (_, i) => base + amplitude * Math.sin((2 * Math.PI * i) / period));

describe("price oscillation of a synthetic series", () => {
  it("finds the period of a sine, in seconds, with all of its variance", () => {
    // 128 rounds of half a second, a cycle every 16 rounds = 8 seconds.
    const o = seriesOscillation(sine(128, 16, 3, 20), 0.5, 0.1);
    expect(o.periodSec).toBeCloseTo(8, 10);
    expect(o.power).toBeCloseTo(1, 10);
    expect(o.mean).toBeCloseTo(20, 10);
    // Differences of A sin(ωi) are 2A sin(ω/2) cos(ω(i + ½)): their spread is √2 A sin(ω/2).
    expect(o.volatility).toBeCloseTo(Math.SQRT2 * 3 * Math.sin(Math.PI / 16), 2);
    expect(o.settleSec).toBeNull();
  });

  it("a damped price settles; a constant one settles at once and has no period", () => {
    // 5 + 8 (−1/2)^k: within ±0.5 of the last value from k = 4 on.
    const damped = Array.from({ length: 9 }, (_, k) => 5 + 8 * (-0.5) ** k);
    expect(seriesOscillation(damped, 2, 0.5).settleSec).toBe(8);
    expect(seriesOscillation([7, 7, 7, 7], 1, 0)).toEqual({ mean: 7, volatility: 0, periodSec: null, power: 0, settleSec: 0 });
  });

  it("a price that only stops moving in the last quarter of the run has not settled", () => {
    const held = [...sine(36, 4, 5, 10), 10, 10, 10, 10];
    expect(seriesOscillation(held, 1, 0.5).settleSec).toBeNull();
    const longer = [...sine(20, 4, 5, 10), ...Array<number>(20).fill(10)];
    expect(seriesOscillation(longer, 1, 0.5).settleSec).toBeGreaterThan(0);
  });
});

describe("the oscillation reporters in a run", () => {
  it("read a link price that follows a sine of period 8 rounds", async () => {
    const loaded: LoadedScenario = {
      ...parseScenario({
        name: "sine", rounds: 64, roundSeconds: 0.25, topology: { kind: "figure1" },
        isps: { default: { strategy: "fixed-toll" }, byNode: { Y: { strategy: "./strategies/sine-toll.ts", params: { period: 8, amplitude: 4 } } } },
        flows: [{ from: "A", to: "B", strategy: "fixed-payment", params: { payment: 30, path: ["A", "X", "Y", "B"] }, packetsPerRound: 2 }],
      }),
      file: `${ROOT}test/fixtures/sine.json`,
    };
    const metrics = GameMetrics.forScenario(loaded.scenario);
    await runScenario(loaded, { observers: metrics.observers });
    const prices = metrics.result().oscillation.prices;
    expect(prices.mostVolatile!.from).toBe("Y");
    // Both of Y's links carry its toll, used (to B) or not (to X): both are in play.
    expect(prices.perLink.filter((l) => l.from === "Y").map((l) => l.periodSec)).toEqual([2, 2]);
    expect(prices.dominantPeriodSec).toBeCloseTo(2, 10); // 8 rounds of 0.25 s
    expect(prices.mostVolatile!.power).toBeCloseTo(1, 10);
    expect(prices.settleSec).toBeNull();
    // Fixed tolls elsewhere: the links in play that never moved have zero volatility.
    expect(prices.perLink.filter((l) => l.from !== "Y").every((l) => l.volatility === 0)).toBe(true);
  });

  it("count path switches per flow-minute", () => {
    expect(switchesPerFlowMinute(30, 10)).toBe(3);
    expect(switchesPerFlowMinute(5, 0)).toBe(0);
  });

  it("count every flip of herding users: 8 flows switching every round after the first", async () => {
    const { loadScenarioFile } = await import("../../src/scenario/load.js");
    const loaded = loadScenarioFile(`${ROOT}scenarios/fake-congestion-competition.json`);
    const metrics = GameMetrics.forScenario(loaded.scenario);
    await runScenario(loaded, { rounds: 10, observers: metrics.observers });
    const m = metrics.result();
    expect(m.rounds.map((r) => r.switches)).toEqual([0, 8, 8, 8, 8, 8, 8, 8, 8, 8]);
    // 72 switches over 8 flows × 10 s = 4/3 flow-minutes.
    expect(m.oscillation.switches).toBe(72);
    expect(m.oscillation.switchesPerFlowMinute).toBeCloseTo(54, 10);
    expect(m.rounds[1]!.switchesPerFlowMinute).toBeCloseTo(60, 10);
  });
});
