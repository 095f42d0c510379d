/**
 * What `validate` does (load the file, build topology, paths, strategies and parameters) refuses
 * every input that `run` could not honour, with a TollwayError naming the file and the field —
 * the cases found by fuzzing 410 mutated scenarios, and inputs that point at devices.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TollwayError } from "../../src/errors.js";
import { MAX_PAYMENT } from "../../src/model/header.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { buildScenario } from "../../src/scenario/build.js";
import { ROOT } from "../support/run.js";

const dir = mkdtempSync(join(tmpdir(), "tollway-bounds-"));
const FIGURE1 = JSON.parse(readFileSync(join(ROOT, "scenarios/billpay-figure1.json"), "utf8")) as Record<string, unknown> & {
  flows: Record<string, unknown>[];
};
const flow0 = FIGURE1.flows[0]!;

let written = 0;
/** Writes `text` (or the scenario as JSON) to a fresh file and returns its path. */
function file(content: unknown, name = `s${written++}.json`): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

/** `tollway validate` without the CLI: load and build, no rounds. */
async function validate(path: string) {
  return buildScenario(loadScenarioFile(path));
}

async function rejection(path: string): Promise<TollwayError> {
  try {
    await validate(path);
  } catch (error) {
    if (error instanceof TollwayError) return error;
    throw error;
  }
  throw new Error(`${path} was accepted`);
}

describe("numbers the engine cannot honour are refused by validate", () => {
  it.each([
    ["a generated topology of 10^6 ISPs", { topology: { kind: "generated", nodes: 1e6 } }, "topology.nodes", "Too big: expected number to be <=100000"],
    ["a generated topology of 10^9 ISPs", { topology: { kind: "generated", nodes: 1e9 } }, "topology.nodes", "Too big: expected number to be <=100000"],
    ["10^7 generated hosts", { topology: { kind: "generated", nodes: 10, hosts: 1e7 } }, "topology.hosts", "Too big: expected number to be <=100000"],
    ["thresholdDollars 1e308", { settlement: { thresholdDollars: 1e308 } }, "settlement.thresholdDollars", "Too big: expected number to be <=1000000000000"],
    // 1e-300 dollars is 1e-291 nanodollars, which rounds to 0.
    ["thresholdDollars 1e-300", { settlement: { thresholdDollars: 1e-300 } }, "settlement.thresholdDollars", "must be at least one nanodollar (got $1e-300)"],
    ["packetsPerRound 1e308", { flows: [{ ...flow0, packetsPerRound: 1e308 }] }, "flows.0.packetsPerRound", "Too big: expected number to be <=1000000000"],
    ["a payment one above the header's 24-bit field", { flows: [{ ...flow0, params: { payment: MAX_PAYMENT + 1 } }] }, "flows.0.params.payment", "Too big: expected number to be <=16777215"],
    ["a payee keeping more than a header carries", { flows: [{ ...flow0, receiverKeeps: { perPacket: 2 ** 24 } }] }, "flows.0.receiverKeeps.perPacket", "Too big: expected number to be <=16777215"],
    ["a toll above the header's maximum", { isps: { default: { strategy: "fixed-toll", params: { perPacket: 1e9 } } } }, "isps.default.params.perPacket", "Too big: expected number to be <=16777215"],
  ])("%s", async (_what, change, field, reason) => {
    const path = file({ ...FIGURE1, ...change });
    const error = await rejection(path);
    expect(error.place).toEqual({ file: path, field });
    expect(error.reason).toBe(reason);
  });

  const OSCILLATION = JSON.parse(readFileSync(join(ROOT, "scenarios/oscillation-smoothing.json"), "utf8")) as {
    traffic: Record<string, unknown>; isps: { default: { strategy: string; params: Record<string, unknown> } }; topology: { links: object[] };
  };
  const pricing = (params: Record<string, unknown>) => ({ isps: { default: { ...OSCILLATION.isps.default, params: { ...OSCILLATION.isps.default.params, ...params } } } });
  it.each([
    ["a link capacity of 1e-300 bit/s", { topology: { ...OSCILLATION.topology, links: [{ ...OSCILLATION.topology.links[0], capacityBps: 1e-300 }] } }, "topology.links.0.capacityBps", "Too small: expected number to be >=1"],
    ["roundSeconds 1e308", { roundSeconds: 1e308 }, "roundSeconds", "Too big: expected number to be <=31536000"],
    ["generated packets of 1e-300 bits", { traffic: { ...OSCILLATION.traffic, packetBits: 1e-300 } }, "traffic.packetBits", "Too small: expected number to be >=1"],
    ["a demand spread of 1e308", { traffic: { ...OSCILLATION.traffic, flow: { demandSigma: 1e308 } } }, "traffic.flow.demandSigma", "Too big: expected number to be <=20"],
    ["a congestion steepness of 10^9", pricing({ k: 1e9 }), "isps.default.params.k", "Too big: expected number to be <=50"],
    ["a static price of 10^20 PU", pricing({ pStatic: 1e20 }), "isps.default.params.pStatic", "Too big: expected number to be <=1000000"],
  ])("pricing: %s", async (_what, change, field, reason) => {
    const path = file({ ...OSCILLATION, ...change });
    const error = await rejection(path);
    expect(error.place).toEqual({ file: path, field });
    expect(error.reason).toBe(reason);
  });

  it("a payment of exactly the header's maximum is accepted", async () => {
    const built = await validate(file({ ...FIGURE1, flows: [{ ...flow0, params: { ...(flow0.params as object), payment: MAX_PAYMENT } }] }));
    expect(built.topology.nodeIds).toHaveLength(5);
  });

  it("generated traffic beyond 10^7 arrivals per round (rate × roundSeconds)", async () => {
    const scenario = JSON.parse(readFileSync(join(ROOT, "scenarios/oscillation-smoothing.json"), "utf8")) as { traffic: object; roundSeconds: number };
    const path = file({ ...scenario, roundSeconds: 10, traffic: { ...scenario.traffic, ratePerSec: 2e6 } });
    const error = await rejection(path);
    expect(error.place).toEqual({ file: path, field: "traffic.ratePerSec" });
    expect(error.reason).toBe("2000000 × roundSeconds 10 = 20000000 flow arrivals per round, over the limit of 10000000");
  });
});

describe("the file itself", () => {
  it("a scenario nested 5,000 deep is refused with the field, not a stack overflow", async () => {
    const deep = '{"x":'.repeat(5000) + "1" + "}".repeat(5000);
    const path = file(JSON.stringify({ ...FIGURE1, isps: { default: { strategy: "fixed-toll", params: { perPacket: "@" } } } }).replace('"@"', deep));
    const error = await rejection(path);
    expect(error.place).toEqual({ file: path, field: "isps.default.params.perPacket.x.x.x.x.…" });
    expect(error.reason).toBe("nested more than 64 levels deep");
  });

  it("a UTF-8 byte-order mark is accepted and does not change the scenario", async () => {
    const plain = loadScenarioFile(file(FIGURE1));
    const marked = loadScenarioFile(file("\uFEFF" + JSON.stringify(FIGURE1, null, 2)));
    expect(marked.hash).toBe(plain.hash);
    expect(marked.scenario).toEqual(plain.scenario);
  });

  it.each([
    ["the scenario", () => "/dev/zero", "/dev/zero", "not a regular file (a character device); a scenario file must be a regular file"],
    ["a JSON topology", () => file({ ...FIGURE1, topology: { kind: "json", file: "/dev/zero" } }), "/dev/zero", "not a regular file (a character device); a topology file must be a regular file"],
    ["a CAIDA topology", () => file({ ...FIGURE1, topology: { kind: "caida", file: "/dev/null" } }), "/dev/null", "not a regular file (a character device); a topology file must be a regular file"],
    ["a delegation file", () => file({ ...FIGURE1, topology: { kind: "caida", file: file("1|2|-1\n", "r.txt"), country: "JP", delegationFile: "/dev/zero" } }), "/dev/zero", "not a regular file (a character device); a delegation file must be a regular file"],
  ])("%s pointing at a device is refused before it is read", async (_what, make, named, reason) => {
    const error = await rejection(make());
    expect(error.place).toEqual({ file: named });
    expect(error.reason).toBe(reason);
  });

  it("a strategy pointing at a device is refused with the scenario's field and the path", async () => {
    const path = file({ ...FIGURE1, isps: { default: { strategy: "/dev/zero" } } });
    const error = await rejection(path);
    expect(error.place).toEqual({ file: path, field: "isps.default.strategy" });
    expect(error.reason).toBe("/dev/zero: not a regular file (a character device); a strategy file must be a regular file");
  });
});

describe("topologies that describe no network or contradict themselves", () => {
  const withCaida = (text: string) => {
    const rel = file(text, `rel${written++}.txt`);
    return { rel, path: file({ ...FIGURE1, topology: { kind: "caida", file: rel }, isps: undefined, flows: [] }) };
  };

  it("a CAIDA file with no links", async () => {
    const { rel, path } = withCaida("# source: nothing\n\n");
    const error = await rejection(path);
    expect(error.message).toBe(`${rel}: no AS links (the file has only comments and blank lines)`);
  });

  it.each([
    ["1|2|-1\n1|2|0\n", "contradicts line 1 (AS1 provides AS2): here AS1 and AS2 peer"],
    ["1|2|-1\n2|1|-1\n", "contradicts line 1 (AS1 provides AS2): here AS2 provides AS1"],
  ])("conflicting relationships for one pair: %j", async (text, reason) => {
    const { rel, path } = withCaida(text);
    const error = await rejection(path);
    expect(error.place).toEqual({ file: rel, line: 2 });
    expect(error.reason).toBe(reason);
  });

  it("a repeated identical relationship is not a conflict", async () => {
    const { path } = withCaida("1|2|-1\n1|2|-1|bgp\n2|3|0\n");
    expect((await validate(path)).topology.linkCount / 2).toBe(2);
  });

  it("an inline topology without an ISP", async () => {
    const path = file({ ...FIGURE1, topology: { kind: "inline", nodes: [], links: [] }, isps: undefined, flows: [] });
    const error = await rejection(path);
    expect(error.place).toEqual({ file: path, field: "topology.nodes" });
    expect(error.reason).toBe("a topology needs at least one ISP");
  });
});
