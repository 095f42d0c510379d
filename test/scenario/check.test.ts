/**
 * checkScenario checks what buildScenario checks without allocating a flow table (the policies
 * of `reproduce table1` are checked with it before the first one runs): the same network and
 * choices from good input, the same error from bad input, and a simulation that cannot run.
 */
import { describe, expect, it } from "vitest";
import { policyScenario, SCALES } from "../../src/reproduce/table1.js";
import { buildScenario, checkScenario } from "../../src/scenario/build.js";
import { parseScenario } from "../../src/scenario/load.js";

const table1 = (alpha: number) => parseScenario(policyScenario({ kind: "dynamic", alpha }, { scale: SCALES.test, seed: 1 }), "<alpha>");

describe("checkScenario", () => {
  it("gives the network, the ISPs' choices and the topology hash buildScenario gives, and a simulation that refuses to run", async () => {
    const checked = await checkScenario(table1(4));
    const built = await buildScenario(table1(4));
    expect(checked.topologyHash).toBe(built.topologyHash);
    expect(checked.topology.linkCount).toBe(built.topology.linkCount);
    expect([...checked.ispChoices]).toEqual([...built.ispChoices]);
    expect(checked.simulation.flowCount).toBe(0);
    await expect(checked.simulation.run(1)).rejects.toThrow(/only checks its scenario/);
  });

  it("refuses bad input with buildScenario's error: alpha above the smallest static price", async () => {
    const error = await buildScenario(table1(11)).catch((e: unknown) => e);
    expect(String(error)).toMatch(/alpha must be ≤ the smallest P_static/);
    await expect(checkScenario(table1(11))).rejects.toThrow((error as Error).message);
  });
});
