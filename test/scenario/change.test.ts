import { describe, expect, it } from "vitest";
import { changeScenario } from "../../src/scenario/change.js";
import { loadScenarioFile, parseScenario } from "../../src/scenario/load.js";
import { ROOT } from "../support/run.js";

const file = ROOT + "scenarios/billpay-figure1.json";
const loaded = loadScenarioFile(file);

describe("changeScenario", () => {
  it("replaces top-level fields, keeps the file, and hashes the result as if it had been written so", () => {
    const longer = changeScenario(loaded, { rounds: 5 });
    expect(longer.scenario.rounds).toBe(5);
    expect(longer.file).toBe(file);
    expect(longer.hash).toBe(parseScenario({ ...loaded.scenario, rounds: 5 }).hash);
    expect(longer.hash).not.toBe(loaded.hash);
    expect(loaded.scenario.rounds).toBe(1);
  });

  it("changes nothing (same hash) when the fields are the same", () => {
    expect(changeScenario(loaded, {}).hash).toBe(loaded.hash);
  });

  it("computes the change from the current scenario when given a function", () => {
    const k1 = changeScenario(loaded, (s) => ({ paths: { ...s.paths, k: 1 } }));
    expect(k1.scenario.paths.k).toBe(1);
  });

  it("checks the changed scenario, naming the file and the field", () => {
    expect(() => changeScenario(loaded, { rounds: -1 })).toThrow(/billpay-figure1\.json: rounds: /);
  });
});
