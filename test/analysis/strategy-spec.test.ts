import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseStrategyList, parseStrategySpec, readParamsFile, strategySpecName } from "../../src/analysis/strategy-spec.js";
import { tournament } from "../../src/analysis/tournament.js";
import { deviationStudy } from "../../src/analysis/deviation.js";
import { parseScenario } from "../../src/scenario/load.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";
import { cli, ROOT } from "../support/run.js";

describe("the strategy list syntax: ref[:key=value;key=value],...", () => {
  it("reads ids alone, parameters as JSON values (strings otherwise), and brackets that hold commas", () => {
    expect(parseStrategyList("fixed-toll:perPacket=2,honest-congestion", "--x")).toEqual([
      { ref: "fixed-toll", params: { perPacket: 2 } },
      { ref: "honest-congestion", params: {} },
    ]);
    expect(parseStrategySpec("static-price:staticRange=[10,15];price=12.5;flag=true;name=abc", "--x"))
      .toEqual({ ref: "static-price", params: { staticRange: [10, 15], price: 12.5, flag: true, name: "abc" } });
    expect(parseStrategyList("a:r=[1,2],b:s=\"x,y\"", "--x").map((s) => s.params)).toEqual([{ r: [1, 2] }, { s: "x,y" }]);
  });

  it("names a variant by its sorted parameters, so two variants of one strategy differ", () => {
    expect(strategySpecName(parseStrategySpec("fixed-toll", "--x"))).toBe("fixed-toll");
    expect(strategySpecName(parseStrategySpec("fixed-toll:proportional=0.1;perPacket=2", "--x"))).toBe("fixed-toll:perPacket=2;proportional=0.1");
    expect(strategySpecName({ ref: "x", params: { s: "2", t: "abc" } })).toBe('x:s="2";t=abc');
  });

  it("rejects a pair without '=', a repeated key and an empty entry, naming the option", () => {
    expect(() => parseStrategySpec("fixed-toll:perPacket", "--isp-strategies")).toThrow(/^--isp-strategies: "perPacket" in "fixed-toll:perPacket" is not a key=value pair/);
    expect(() => parseStrategySpec("fixed-toll:a=1;a=2", "--isp-strategies")).toThrow(/^--isp-strategies: "a" is given twice/);
    expect(() => parseStrategyList("fixed-toll,,honest-congestion", "--isp-strategies")).toThrow(/^--isp-strategies: must be a comma-separated list/);
  });

  it("reads a params file, naming the file and the strategy when it is not an object of objects", () => {
    const dir = mkdtempSync(join(tmpdir(), "tollway-params-"));
    const good = join(dir, "good.json");
    writeFileSync(good, '{"fixed-toll": {"perPacket": 2}}');
    expect(readParamsFile(good)).toEqual({ "fixed-toll": { perPacket: 2 } });
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{"fixed-toll": 2}');
    expect(() => readParamsFile(bad)).toThrow(/bad\.json: fixed-toll: must be an object of parameters$/);
    expect(() => readParamsFile(join(dir, "missing.json"))).toThrow(/missing\.json: no such file$/);
  });
});

/** Figure 1 with Y and Z playing honest congestion tolls of 3 and 7: parameters a swap must not inherit. */
function unequalPlayers(): ScenarioInput {
  return {
    name: "unequal-players", unit: "nanodollar", seed: 1, rounds: 1, topology: { kind: "figure1" },
    isps: {
      default: { strategy: "fixed-toll", params: { perPacket: 1 } },
      byNode: { Y: { strategy: "honest-congestion", params: { perPacket: 3 } }, Z: { strategy: "honest-congestion", params: { perPacket: 7 } } },
    },
    players: ["Y", "Z"],
    flows: [{ from: "A", to: "B", strategy: "fixed-payment", params: { payment: 20 }, packetsPerRound: 10, ackBytes: 0 }],
  };
}

describe("a swapped-in strategy plays with defined parameters", () => {
  it("two players swapped to fixed-toll play its own defaults alike, not their scenario tolls", async () => {
    const r = await tournament(parseScenario(unequalPlayers()), { ispStrategies: ["fixed-toll"], reps: 1 });
    const played = r.payoffs.map((p) => [p.player, p.params]);
    expect(played).toEqual([["Y", { perPacket: 1, perByte: 0, proportional: 0 }], ["Z", { perPacket: 1, perByte: 0, proportional: 0 }]]);
    expect(r.candidates).toEqual([{ name: "fixed-toll", ref: "fixed-toll", id: "fixed-toll", params: { perPacket: 1, perByte: 0, proportional: 0 } }]);
  });

  it("inline parameters, a params file (under inline ones) and two variants of one strategy", async () => {
    const r = await tournament(parseScenario(unequalPlayers()), {
      ispStrategies: ["fixed-toll:perPacket=2", "fixed-toll:perPacket=4", "honest-congestion"],
      params: { "honest-congestion": { perPacket: 5 }, "fixed-toll": { proportional: 0.5, perPacket: 9 } },
      reps: 1,
    });
    expect(r.candidates.map((c) => [c.name, c.params])).toEqual([
      ["fixed-toll:perPacket=2", { perPacket: 2, perByte: 0, proportional: 0.5 }],
      ["fixed-toll:perPacket=4", { perPacket: 4, perByte: 0, proportional: 0.5 }],
      ["honest-congestion", { perPacket: 5, threshold: 1, unitsPerOverload: 20 }],
    ]);
    // Y on the route A-X-Y-B keeps its per-packet toll from all 10 packets (Z carries nothing).
    const revenue = (profile: string) => r.matches.find((m) => m.profile === profile)!;
    const yRevenue = (s: string) => r.payoffs.find((p) => p.player === "Y" && p.profile === `Y=${s} Z=honest-congestion`)!.revenue;
    expect(revenue("Y=fixed-toll:perPacket=2 Z=honest-congestion")).toBeDefined();
    // 10 packets × (2 + 0.5 × 19 rounded) — X keeps 1 of 20 first, so Y sees 19: 2 + round(9.5) = 12 per packet.
    expect(yRevenue("fixed-toll:perPacket=2")).toBe(10 * 12);
    expect(yRevenue("fixed-toll:perPacket=4")).toBe(10 * Math.min(19, Math.round(4 + 9.5)));
  });

  it("rejects a params file that names a strategy the study does not play, and a bad parameter, naming the strategy", async () => {
    await expect(tournament(parseScenario(unequalPlayers()), { ispStrategies: ["fixed-toll"], params: { "fake-congestion": { fakeToll: 1 } } }))
      .rejects.toThrow(/^--params-file: gives parameters for "fake-congestion", which the study does not play/);
    await expect(tournament(parseScenario(unequalPlayers()), { ispStrategies: ["fixed-toll:perPacket=-1"] }))
      .rejects.toThrow(/^--isp-strategies fixed-toll\.perPacket: /);
  });

  it("user populations play the given parameters, not the flows' own", async () => {
    const r = await tournament(parseScenario(unequalPlayers()), { ispStrategies: ["fixed-toll"], userStrategies: ["fixed-payment:payment=7"], reps: 1 });
    expect(r.userCandidates.map((c) => [c.name, (c.params as { payment: number }).payment])).toEqual([["fixed-payment:payment=7", 7]]);
    expect(r.userStrategies).toEqual(["fixed-payment:payment=7"]);
  });

  it("a deviation's new strategy takes its own defaults plus the given parameters; the result says what both arms played", async () => {
    const r = await deviationStudy(parseScenario(unequalPlayers()), { isp: "Z", to: "fixed-toll:perPacket=4", reps: 1 });
    expect(r.fromParams).toEqual({ perPacket: 7, threshold: 1, unitsPerOverload: 20 });
    expect(r.toParams).toEqual({ perPacket: 4, perByte: 0, proportional: 0 });
    expect(r.rows[0]!.toParams).toEqual(r.toParams);
  });

  it("the CLI prints the parameters every strategy played with and documents the syntax in --help", () => {
    const dir = mkdtempSync(join(tmpdir(), "tollway-params-cli-"));
    const scenario = join(dir, "s.json");
    writeFileSync(scenario, JSON.stringify(unequalPlayers()));
    const { status, stdout, stderr } = cli("tournament", scenario, "--isp-strategies", "fixed-toll:perPacket=2,honest-congestion", "--reps", "1");
    expect(stderr).toMatch(/^(tollway: tournament: [^\n]*\n)*$/); // progress lines only
    expect(status).toBe(0);
    expect(stdout).toMatch(/fixed-toll:perPacket=2\s+fixed-toll\s+\{"perPacket":2,"perByte":0,"proportional":0\}/);
    expect(stdout).toMatch(/honest-congestion\s+honest-congestion\s+\{"perPacket":1,"threshold":1,"unitsPerOverload":20\}/);
    const dev = cli("deviation", scenario, "--isp", "Z", "--to", "fixed-toll:perPacket=4", "--reps", "1");
    expect(dev.stdout).toContain('parameters played: baseline honest-congestion {"perPacket":7,"threshold":1,"unitsPerOverload":20}; deviation fixed-toll {"perPacket":4,"perByte":0,"proportional":0}');
    const paramsFile = join(dir, "params.json");
    writeFileSync(paramsFile, '{"fixed-toll": {"perPacket": 6}}');
    const viaFile = cli("tournament", scenario, "--isp-strategies", "fixed-toll,honest-congestion", "--params-file", paramsFile, "--reps", "1", "--equilibria", "--start", "fixed-toll,honest-congestion");
    expect(viaFile.status).toBe(0);
    expect(viaFile.stdout).toMatch(/fixed-toll\s+fixed-toll\s+\{"perPacket":6,"perByte":0,"proportional":0\}/);
    expect(viaFile.stdout).toContain("best-response dynamics from Y=fixed-toll Z=honest-congestion");
    expect(JSON.parse(cli("tournament", scenario, "--isp-strategies", "fixed-toll", "--params-file", paramsFile, "--reps", "1", "--json").stdout).candidates)
      .toEqual([{ name: "fixed-toll", ref: "fixed-toll", id: "fixed-toll", params: { perPacket: 6, perByte: 0, proportional: 0 } }]);
    expect(cli("tournament", "--help").stdout).toContain("id:key=value;key=value");
    expect(cli("tournament", `${ROOT}test/fixtures/game-two-transits.json`, "--isp-strategies", "fixed-toll:perPacket").stderr)
      .toMatch(/^.*--isp-strategies: "perPacket" in "fixed-toll:perPacket" is not a key=value pair/);
  });
});
