/**
 * From a scenario's `secretary` section to the engine's SecretaryPlan: each host's secretary
 * with its willingness to pay per class (the class default, refined from the host's simulated
 * user's answers), its budget, and the listed flows it governs.
 */
import { TollwayError } from "../errors.js";
import { DigitalSecretary, refineWillingness } from "../mechanisms/billpay/secretary.js";
import { KIND_HOST, type CompiledTopology } from "../model/topology.js";
import type { SecretaryPlan, GovernedFlow } from "../engine/secretary-desk.js";
import type { FlowInit } from "../engine/flows.js";
import type { Scenario } from "./schema.js";

/**
 * The plan for `scenario.secretary` (undefined without one). `flows[f]` is listed flow f as the
 * engine adds it (its user agent is f). Throws a TollwayError naming the field when a flow names
 * an application without a secretary, a class that is not listed, or a paying node that is not
 * an end host, and when `secretary.hosts` names a node that is not an end host or a class that
 * is not listed.
 */
export function secretaryPlan(scenario: Scenario, flows: readonly FlowInit[], agents: number, topology: CompiledTopology, file: string): SecretaryPlan | undefined {
  const config = scenario.secretary;
  const classes = config?.classes ?? {};
  scenario.flows.forEach((flow, f) => {
    if (flow.application === undefined) return;
    const field = `flows.${f}.application`;
    if (!config) throw new TollwayError(`"${flow.application}" needs a "secretary" section listing the application classes`, { file, field });
    if (!Object.hasOwn(classes, flow.application)) {
      throw new TollwayError(`unknown application class "${flow.application}" (secretary.classes: ${Object.keys(classes).join(", ")})`, { file, field });
    }
    const payer = flows[f]!.payer;
    if (topology.nodeKind[payer] !== KIND_HOST) {
      throw new TollwayError(`the paying node "${topology.nodeIds[payer]}" is an ISP; a digital secretary sits on an end host`, { file, field });
    }
  });
  if (!config) return undefined;
  for (const [id, host] of Object.entries(config.hosts)) {
    const n = topology.nodeIndex.get(id);
    if (n === undefined) throw new TollwayError(`unknown node "${id}"`, { file, field: `secretary.hosts.${id}` });
    if (topology.nodeKind[n] !== KIND_HOST) throw new TollwayError(`"${id}" is an ISP, not an end host`, { file, field: `secretary.hosts.${id}` });
    for (const name of Object.keys(host.values)) {
      if (!Object.hasOwn(classes, name)) throw new TollwayError(`unknown application class "${name}"`, { file, field: `secretary.hosts.${id}.values.${name}` });
    }
  }
  const { questions, tolerance, high } = config.elicitation;
  // Each host's secretary learns only the classes its flows use (it asks its user about nothing else).
  const used = new Map<number, Set<string>>();
  scenario.flows.forEach((flow, f) => {
    if (flow.application === undefined) return;
    const host = flows[f]!.payer;
    used.set(host, (used.get(host) ?? new Set()).add(flow.application));
  });
  const secretaries = new Map<number, DigitalSecretary>();
  for (const [host, names] of used) {
    const id = topology.nodeIds[host]!;
    const own = config.hosts[id];
    const values = own?.values ?? {};
    const learned = Object.fromEntries([...names].map((name) => {
      const truth = values[name];
      const r = refineWillingness(BigInt(classes[name]!.willingness), truth === undefined ? null : (p) => p <= BigInt(truth), {
        high: BigInt(high), questionBudget: questions, tolerance: BigInt(tolerance),
      });
      return [name, { willingness: r.willingness, questions: r.questions }];
    }));
    const budget = own?.budget ?? config.budget;
    secretaries.set(host, new DigitalSecretary(id, learned, budget === undefined ? null : BigInt(budget)));
  }
  const governed: GovernedFlow[] = [];
  const willingness = new Float64Array(agents).fill(-1);
  scenario.flows.forEach((flow, f) => {
    if (flow.application === undefined) return;
    const init = flows[f]!;
    willingness[f] = Number(secretaries.get(init.payer)!.willingnessFor(flow.application));
    governed.push({ agent: f, host: init.payer, application: flow.application, startTime: init.startTime, endTime: init.endTime });
  });
  return { willingness, flows: governed, secretaries };
}
