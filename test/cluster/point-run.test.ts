import { describe, expect, it } from "vitest";
import { runTask } from "../../src/cluster/point-run.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { ROOT } from "../support/run.js";

const figure1 = loadScenarioFile(ROOT + "scenarios/billpay-figure1.json");

describe("one run of a sweep", () => {
  it("flattens Figure 1 into rows: X keeps 2, Y 10, Z 1; one round; one flow", async () => {
    const out = await runTask({ scenario: figure1.scenario, file: figure1.file, seed: 1 });
    expect(out.status).toBe("ok");
    expect(out.isps.map((i) => [i.isp, i.revenue])).toEqual([["X", 2], ["Y", 10], ["Z", 1]]);
    expect(out.totals!.ispRevenue).toBe(13);
    expect(out.totals!.sentPackets).toBe(1);
    expect(out.rounds.map((r) => [r.round, r.ispRevenue, r.sent, r.delivered])).toEqual([[0, 13, 1, 1]]);
    expect(out.flows.map((f) => f.flow)).toEqual(["A->B"]);
  });

  it("a measure that is not a finite number makes the run fail with its name, not a row of NaN", async () => {
    // ln(1 + x) with x in units of 1e-300 bit/s, weighted 1e308: the value overflows to Infinity.
    const scenario = { ...figure1.scenario, economics: { utility: { weight: 1e308, bandwidthUnitBps: 1e-300 } } };
    const out = await runTask({ scenario, file: figure1.file, seed: 1 });
    expect(out.status).toBe("failed");
    expect(out.error).toMatch(/^the run produced (Infinity|NaN) for value$/);
    expect(out.rounds).toEqual([]);
  });

  it("an error inside the run comes back as one line, never thrown", async () => {
    const scenario = { ...figure1.scenario, flows: [{ ...figure1.scenario.flows[0]!, strategy: "no-such-strategy" }] };
    const out = await runTask({ scenario, file: figure1.file, seed: 1 });
    expect(out.status).toBe("failed");
    expect(out.error).toMatch(/unknown user strategy "no-such-strategy"/);
    expect(out.error).not.toMatch(/\n/);
  });
});
