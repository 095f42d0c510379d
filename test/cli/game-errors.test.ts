import { describe, expect, it } from "vitest";
import { deviationStudy } from "../../src/analysis/deviation.js";
import { oscillationStudy } from "../../src/analysis/oscillation-study.js";
import { tournament } from "../../src/analysis/tournament.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { cli, expectCleanError, ROOT } from "../support/run.js";


const FIGURE1 = "scenarios/billpay-figure1.json";
const TWO_TRANSITS = "test/fixtures/game-two-transits.json";
const load = (file: string) => loadScenarioFile(ROOT + file);

describe("the CLI answers bad input with one line", () => {
  it("deviation: an unknown ISP id lists the ISPs", () => {
    expectCleanError(["deviation", FIGURE1, "--isp", "W", "--to", "fake-congestion"], /--isp: no ISP "W" in the scenario \(ISPs: X, Y, Z\)/);
  });

  it("deviation: an unknown strategy lists the built-ins", () => {
    expectCleanError(["deviation", FIGURE1, "--isp", "Y", "--to", "cheat-harder"], /--to: unknown isp strategy "cheat-harder" \(built-in: fixed-toll, honest-congestion, fake-congestion/);
  });

  it("deviation: --params must be a JSON object", () => {
    const { status, stderr } = cli("deviation", FIGURE1, "--isp", "Y", "--to", "fake-congestion", "--params", "fakeToll=3");
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/--params must be a JSON object/);
  });

  it("tournament: an unknown ISP strategy", () => {
    expectCleanError(["tournament", TWO_TRANSITS, "--isp-strategies", "honest-congestion,nope"], /--isp-strategies: unknown isp strategy "nope"/);
  });

  it("tournament: an unknown player id names the file and field", () => {
    expectCleanError(["tournament", "test/fixtures/unknown-player.json", "--isp-strategies", "honest-congestion"], /unknown-player\.json: players\.1: no ISP "W" in the scenario/);
  });

  it("tournament: a bad --payoff", () => {
    const { status, stderr } = cli("tournament", TWO_TRANSITS, "--isp-strategies", "fixed-toll", "--payoff", "fun");
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/--payoff must be revenue or profit/);
  });

  it("oscillation: a scenario without a sweep", () => {
    expectCleanError(["oscillation", FIGURE1], /billpay-figure1\.json: no "sweep" in the scenario/);
  });
});

describe("the studies name the bad input (the CLI prints these messages after `tollway: `)", () => {
  it("deviation: an end host is not an ISP", async () => {
    await expect(deviationStudy(load(FIGURE1), { isp: "A", to: "fake-congestion" })).rejects.toThrow(/^--isp: "A" is an end host, not an ISP$/);
  });

  it("deviation: a user strategy is not an ISP strategy", async () => {
    await expect(deviationStudy(load(FIGURE1), { isp: "Y", to: "never-pay" })).rejects.toThrow(/^--to: unknown isp strategy "never-pay"/);
  });

  it("deviation: no deviation named anywhere", async () => {
    await expect(deviationStudy(load(FIGURE1))).rejects.toThrow(/billpay-figure1\.json: no deviation to study: give --isp and --to/);
  });

  it("deviation: parameters the new strategy refuses are named", async () => {
    await expect(deviationStudy(load(FIGURE1), { isp: "Y", to: "fake-congestion", params: { fakeToll: -1 }, reps: 1 })).rejects.toThrow(/^--to fake-congestion\.fakeToll: .*>=\s*0/);
  });

  it("tournament: an unknown user strategy", async () => {
    await expect(tournament(load(TWO_TRANSITS), { ispStrategies: ["honest-congestion"], userStrategies: ["fake-congestion"] })).rejects.toThrow(/^--user-strategies: unknown user strategy "fake-congestion"/);
  });

  it("tournament: a scenario without players", async () => {
    await expect(tournament(load(FIGURE1.replace("billpay-figure1", "oscillation-smoothing")), { ispStrategies: ["fixed-toll"] })).rejects.toThrow(/players: no players: list the strategic ISPs/);
  });

  it("tournament: a start profile outside the strategies", async () => {
    await expect(tournament(load(TWO_TRANSITS), { ispStrategies: ["honest-congestion"], equilibria: true, start: ["honest-congestion", "fixed-toll"] }))
      .rejects.toThrow(/^--start: "fixed-toll" \(for Z\) is not among the tournament's strategies/);
  });

  it("tournament: a strategy named twice", async () => {
    await expect(tournament(load(TWO_TRANSITS), { ispStrategies: ["fixed-toll", "fixed-toll"] })).rejects.toThrow(/^--isp-strategies: "fixed-toll" is named twice$/);
  });

  it("oscillation: a swept parameter the strategy does not have", async () => {
    await expect(oscillationStudy(load("test/fixtures/bad-sweep-param.json"))).rejects.toThrow(/bad-sweep-param\.json: sweep\.params \(ISP X, strategy "fixed-toll"\): unknown field "smoothing" \(known: perPacket, perByte, proportional\)/);
  });
});

describe("metrics", () => {
  it("prints JSON with totals and per-ISP rows carrying strategy and params", () => {
    const { status, stdout } = cli("metrics", FIGURE1, "--json");
    expect(status).toBe(0);
    const m = JSON.parse(stdout) as { scenarioHash: string; totals: { ispRevenue: number }; isps: { isp: string; strategy: string; params: unknown; revenue: number }[] };
    expect(m.totals.ispRevenue).toBe(13);
    expect(m.isps.find((i) => i.isp === "Y")).toMatchObject({ strategy: "fixed-toll", params: { perPacket: 10 }, revenue: 10 });
  });
});
