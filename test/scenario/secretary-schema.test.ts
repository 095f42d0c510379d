import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { buildScenario } from "../../src/scenario/build.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";

/** Figure 1 with a secretary; `change` edits a copy. */
function figure1(change: (s: Record<string, any>) => void = () => undefined): ScenarioInput {
  const s: Record<string, any> = {
    name: "secretary-errors", rounds: 1, topology: { kind: "figure1" },
    secretary: { classes: { voice: { willingness: 15 } }, hosts: { A: { budget: 50, values: { voice: 20 } } } },
    flows: [{ id: "call", application: "voice", from: "A", to: "B", strategy: "fixed-payment", params: { payment: 20 } }],
  };
  change(s);
  return s as ScenarioInput;
}

async function buildError(input: ScenarioInput): Promise<string> {
  try {
    await buildScenario(parseScenario(input));
  } catch (error) {
    return (error as Error).message;
  }
  return "built";
}

function parseError(input: ScenarioInput): string {
  try {
    parseScenario(input);
  } catch (error) {
    return (error as Error).message;
  }
  return "parsed";
}

describe("the secretary section and flows.N.application", () => {
  it("accepts the section with its defaults filled in", () => {
    const { scenario } = parseScenario(figure1());
    expect(scenario.secretary).toEqual({
      classes: { voice: { willingness: 15 } },
      elicitation: { questions: 0, tolerance: 1, high: 1000 },
      hosts: { A: { budget: 50, values: { voice: 20 } } },
    });
    expect(scenario.flows[0]!.application).toBe("voice");
  });

  it("refuses unknown fields, bad numbers and an empty class list, naming the field", () => {
    expect(parseError(figure1((s) => (s.secretary.classes.voice.extra = 1)))).toMatch(/secretary\.classes\.voice/);
    expect(parseError(figure1((s) => (s.secretary.classes.voice.willingness = -1)))).toMatch(/secretary\.classes\.voice\.willingness/);
    expect(parseError(figure1((s) => (s.secretary.classes.voice.willingness = 2 ** 24)))).toMatch(/secretary\.classes\.voice\.willingness/);
    expect(parseError(figure1((s) => (s.secretary.classes = {})))).toMatch(/secretary\.classes: needs at least one application class/);
    expect(parseError(figure1((s) => (s.secretary.elicitation = { questions: 65 })))).toMatch(/secretary\.elicitation\.questions/);
    expect(parseError(figure1((s) => (s.secretary.elicitation = { tolerance: 0 })))).toMatch(/secretary\.elicitation\.tolerance/);
    expect(parseError(figure1((s) => (s.secretary.budget = 0.5)))).toMatch(/secretary\.budget/);
    expect(parseError(figure1((s) => (s.secretary.hosts.A.budget = -3)))).toMatch(/secretary\.hosts\.A\.budget/);
    expect(parseError(figure1((s) => (s.flows[0].application = "")))).toMatch(/flows\.0\.application/);
  });

  it("refuses a flow whose class is unknown, or that names one without a secretary", async () => {
    expect(await buildError(figure1((s) => (s.flows[0].application = "mail")))).toMatch(/flows\.0\.application: unknown application class "mail" \(secretary\.classes: voice\)/);
    expect(await buildError(figure1((s) => delete s.secretary))).toMatch(/flows\.0\.application: "voice" needs a "secretary" section/);
  });

  it("refuses a governed flow paid by an ISP, and hosts that are not end hosts or values of unknown classes", async () => {
    expect(await buildError(figure1((s) => (s.flows[0].from = "X")))).toMatch(/flows\.0\.application: the paying node "X" is an ISP/);
    expect(await buildError(figure1((s) => (s.secretary.hosts = { Q: {} })))).toMatch(/secretary\.hosts\.Q: unknown node "Q"/);
    expect(await buildError(figure1((s) => (s.secretary.hosts = { Y: {} })))).toMatch(/secretary\.hosts\.Y: "Y" is an ISP, not an end host/);
    expect(await buildError(figure1((s) => (s.secretary.hosts.A.values = { mail: 3 })))).toMatch(/secretary\.hosts\.A\.values\.mail: unknown application class "mail"/);
  });

  it("in receiver-pays mode the client (`to`) is the paying host whose secretary governs the flow", async () => {
    const built = await buildScenario(parseScenario(figure1((s) => {
      s.flows[0] = { ...s.flows[0], from: "B", to: "A", mode: "receiver-pays" };
    })));
    const plan = built.simulation.secretary!.plan;
    expect(plan.flows.map((f) => built.topology.nodeIds[f.host])).toEqual(["A"]);
    expect(built.simulation.secretary!.secretaries().map((s) => s.host)).toEqual(["A"]);
  });
});
