/**
 * From a checked scenario to a ready Simulation: resolve the topology, the strategies (with their
 * parameters checked against each strategy's own schema) and the flows.
 */
import { createHash } from "node:crypto";
import { dirname, resolve } from "node:path";
import { TollwayError } from "../errors.js";
import { compileTopology, KIND_ISP, type CompiledTopology, type TopologyGraph } from "../model/topology.js";
import { figure1Topology } from "../model/figure1.js";
import { topologyHash } from "../model/topology-hash.js";
import { generateInternetTopology } from "../model/generator.js";
import { loadAsRelationshipsFile, parseAsRelationships, type AsRelationshipsOptions } from "../model/loaders/caida.js";
import { readInputText } from "../io/files.js";
import { loadAsnsOfCountryFile } from "../model/loaders/rir.js";
import { loadTopologyJsonFile, topologyFromJson } from "../model/loaders/json.js";
import { PathTable } from "../model/paths.js";
import { loadStrategy } from "../agents/loader.js";
import { isBuiltInStrategy } from "../agents/registry.js";
import type { AnyStrategy } from "../agents/strategy.js";
import { Simulation, type FlowSource, type IspAgent, type SimulationOptions } from "../engine/simulation.js";
import type { FlowShards, UserAgent } from "../engine/types.js";
import type { FlowInit } from "../engine/flows.js";
import { MAX_ARRIVALS_PER_ROUND, MONEY_UNITS, type FlowConfig, type Scenario, type StrategyChoice, type TopologySource } from "./schema.js";
import { zodError, ZOD_PARSE_OPTIONS, type LoadedScenario } from "./load.js";
import type { TrafficSpec } from "../mechanisms/pricing/counter-arrivals.js";
import { validateFlowParams } from "../mechanisms/pricing/traffic.js";
import { secretaryPlan } from "./secretary-plan.js";
import { securityPlan } from "./security-plan.js";

export interface BuildOptions {
  /**
   * Overrides the scenario's seed for the run's noise (strategies' draws, drops, generated
   * traffic) — never for its structure: the network, host placement and anything else drawn
   * once per scenario come from the scenario's own `seed` (or `topology.seed`), so every
   * replication of a study plays on the same graph. To vary the network, vary `topology.seed`.
   */
  seed?: number;
  /** Replaces pieces of the simulation (e.g. a sharded hop runner). */
  simulation?: Partial<Pick<SimulationOptions, "hopRunner" | "flowShards">>;
  /** Extra flow sources (generated traffic). */
  flowSources?: FlowSource[];
  /** Replaces ISP strategies by node id (deviation studies). */
  ispOverrides?: Record<string, StrategyChoice>;
  /**
   * Budget of one call of a strategy loaded from a file, in ms (default 5000, `--strategy-timeout`;
   * 0: no limit): a call that takes longer ends the run with an error naming the strategy, the
   * agent and the round.
   */
  strategyTimeoutMs?: number;
}

export interface BuiltScenario {
  simulation: Simulation;
  topology: CompiledTopology;
  paths: PathTable;
  /** The run's (noise) seed. */
  seed: number;
  /** Fingerprint of the network the run played on (see {@link topologyHash}). */
  topologyHash: string;
  /** Strategy id and params of each ISP node, by node id. */
  ispChoices: Map<string, { id: string; params: unknown }>;
}

export async function buildScenario(loaded: LoadedScenario, options: BuildOptions = {}): Promise<BuiltScenario> {
  const { scenario, file } = loaded;
  const baseDir = file === "<inline>" ? process.cwd() : dirname(resolve(file));
  const seed = options.seed ?? scenario.seed;
  // Structure is drawn from the scenario's seed, noise from the run's: see BuildOptions.seed.
  const graph = loadTopology(scenario.topology, baseDir, scenario.seed, file, caidaGraphOnce);
  const topology = compileTopology(graph);
  const paths = new PathTable(topology, { k: scenario.paths.k });
  const nodeOf = (id: string, field: string): number => {
    const n = topology.nodeIndex.get(id);
    if (n === undefined) throw new TollwayError(`unknown node "${id}"`, { file, field });
    return n;
  };

  for (const id of Object.keys(scenario.isps.byNode)) {
    const n = nodeOf(id, `isps.byNode.${id}`);
    if (topology.nodeKind[n] !== KIND_ISP) throw new TollwayError(`"${id}" is an end host, not an ISP`, { file, field: `isps.byNode.${id}` });
  }
  const ispAgents: IspAgent[] = [];
  const ispChoices = new Map<string, { id: string; params: unknown }>();
  const cache = new Map<string, AnyStrategy>();
  for (let n = 0; n < topology.nodeIds.length; n++) {
    if (topology.nodeKind[n] !== KIND_ISP) continue;
    const id = topology.nodeIds[n]!;
    const override = options.ispOverrides?.[id];
    const listed = scenario.isps.byNode[id];
    const choice = override ?? listed ?? scenario.isps.default;
    const field = override ? `--isp ${id}` : listed ? `isps.byNode.${id}` : "isps.default";
    const strategy = await resolveStrategy("isp", choice.strategy, baseDir, file, `${field}.strategy`, cache);
    const params = parseParams(strategy, choice.params, file, `${field}.params`);
    ispAgents.push({ node: n, strategy: strategy as IspAgent["strategy"], params, builtIn: isBuiltInStrategy(strategy) });
    ispChoices.set(id, { id: strategy.id, params });
  }

  const userAgents: UserAgent[] = [];
  const flows: FlowInit[] = [];
  for (const [f, flow] of scenario.flows.entries()) {
    const field = `flows.${f}`;
    const strategy = await resolveStrategy("user", flow.strategy, baseDir, file, `${field}.strategy`, cache);
    const params = parseParams(strategy, flow.params, file, `${field}.params`);
    userAgents.push({ strategy: strategy as UserAgent["strategy"], params, source: { ref: flow.strategy, baseDir }, builtIn: isBuiltInStrategy(strategy) });
    flows.push(flowInit(flow, f, scenario, paths, (id, sub) => nodeOf(id, `${field}.${sub}`), file));
  }

  const secretary = secretaryPlan(scenario, flows, scenario.flows.length + (scenario.traffic !== undefined ? 1 : 0), topology, file);
  const sources: FlowSource[] = [staticFlows(flows)];
  let generated: TrafficSpec | undefined;
  if (scenario.traffic !== undefined) {
    const traffic = scenario.traffic;
    const arrivals = traffic.ratePerSec * scenario.roundSeconds;
    if (!(arrivals <= MAX_ARRIVALS_PER_ROUND)) {
      throw new TollwayError(`${traffic.ratePerSec} × roundSeconds ${scenario.roundSeconds} = ${arrivals} flow arrivals per round, over the limit of ${MAX_ARRIVALS_PER_ROUND}`, { file, field: "traffic.ratePerSec" });
    }
    const strategy = await resolveStrategy("user", traffic.user.strategy, baseDir, file, "traffic.user.strategy", cache);
    const params = parseParams(strategy, traffic.user.params, file, "traffic.user.params");
    const agent = userAgents.length;
    userAgents.push({ strategy: strategy as UserAgent["strategy"], params, source: { ref: traffic.user.strategy, baseDir }, builtIn: isBuiltInStrategy(strategy) });
    const nodes = traffic.nodes !== undefined
      ? Int32Array.from(traffic.nodes, (id, i) => nodeOf(id, `traffic.nodes.${i}`))
      : Int32Array.from(topology.nodeIds.keys()).filter((n) => topology.nodeKind[n] === KIND_ISP);
    if (nodes.length < 2) throw new TollwayError(`needs at least 2 ISPs to draw sources and destinations from (got ${nodes.length})`, { file, field: "traffic" });
    // The flows are drawn by the shards (see mechanisms/pricing/counter-arrivals.ts); checked here, once.
    validateFlowParams(traffic.flow);
    generated = { seed, ratePerSec: traffic.ratePerSec, flow: traffic.flow, nodes, packetBits: traffic.packetBits, agent };
  }

  const settlement = scenario.settlement;
  const dollars = MONEY_UNITS[scenario.unit];
  if (settlement.threshold === undefined && dollars === null) {
    throw new TollwayError(`required when the unit is "${scenario.unit}" (it has no dollar value)`, { file, field: "settlement.threshold" });
  }
  const threshold = BigInt(settlement.threshold ?? Math.round(settlement.thresholdDollars * (dollars ?? 1)));
  if (threshold < 1n) {
    throw new TollwayError(`must be at least one ${scenario.unit} (got $${settlement.thresholdDollars})`, { file, field: "settlement.thresholdDollars" });
  }

  const simulation = new Simulation({
    topology, paths, seed, roundSeconds: scenario.roundSeconds, scheduling: scenario.scheduling,
    ispAgents, userAgents,
    flowSources: [...sources, ...(options.flowSources ?? [])],
    traffic: generated,
    settlement: {
      threshold, billingCycleRounds: settlement.billingCycleRounds,
      defaulters: new Set(settlement.defaulters.map((id, i) => nodeOf(id, `settlement.defaulters.${i}`))),
    },
    ...(options.strategyTimeoutMs !== undefined ? { strategyTimeoutMs: options.strategyTimeoutMs } : {}),
    ...(secretary ? { secretary } : {}),
    ...(scenario.security?.payments ? { payments: { expirySeconds: scenario.security.payments.expirySeconds } } : {}),
    security: securityPlan(scenario, flows, file),
    ...options.simulation,
  });
  return { simulation, topology, paths, seed, topologyHash: topologyHash(topology), ispChoices };
}

/** The flows of a simulation built only to check its scenario (`checkScenario`): none, and it is never run. */
const UNPLAYED_SHARDS: FlowShards = {
  count: 1,
  playRound: () => {
    throw new TollwayError("a simulation built by checkScenario only checks its scenario; run it with buildScenario");
  },
  tables: () => [],
};

/**
 * Checks a scenario as `buildScenario` does (its topology, strategies and their parameters,
 * flows, traffic, settlement, security, and the simulation's own setup), without the flow
 * table a simulation in this thread would allocate (a few hundred ms at Table I's small scale):
 * for refusing bad input before a long run starts. The simulation it returns cannot be run.
 */
export async function checkScenario(loaded: LoadedScenario, options: BuildOptions = {}): Promise<BuiltScenario> {
  return buildScenario(loaded, { ...options, simulation: { ...options.simulation, flowShards: () => UNPLAYED_SHARDS } });
}

/**
 * The scenario's network. `seed` draws a generated graph when `topology.seed` is not given: pass
 * the scenario's seed (structure), never a replication's. `readCaida` reads a CAIDA file (a
 * build passes `caidaGraphOnce`, whose graph only `compileTopology` reads).
 */
export function loadTopology(
  source: TopologySource, baseDir: string, seed: number, file: string,
  readCaida: (path: string, options: Omit<AsRelationshipsOptions, "file">) => TopologyGraph = loadAsRelationshipsFile,
): TopologyGraph {
  const at = (path: string): string => resolve(baseDir, path);
  switch (source.kind) {
    case "figure1":
      return figure1Topology();
    case "generated":
      return generateInternetTopology({
        nodes: source.nodes, seed: source.seed ?? seed, hosts: source.hosts,
        ...(source.capacityBps !== undefined ? { capacityBps: source.capacityBps } : {}),
        ...(source.latencyMs !== undefined ? { latencyMs: source.latencyMs } : {}),
      });
    case "caida": {
      if (source.country !== undefined && source.delegationFile === undefined) {
        throw new TollwayError("required with topology.country", { file, field: "topology.delegationFile" });
      }
      const restrictTo = source.country !== undefined ? loadAsnsOfCountryFile(at(source.delegationFile!), source.country) : undefined;
      return readCaida(at(source.file), {
        largestComponent: source.largestComponent,
        ...(restrictTo ? { restrictTo } : {}),
        ...(source.capacityBps !== undefined ? { capacityBps: source.capacityBps } : {}),
        ...(source.latencyMs !== undefined ? { latencyMs: source.latencyMs } : {}),
      });
    }
    case "json":
      return loadTopologyJsonFile(at(source.file));
    case "inline": {
      const { kind: _kind, ...json } = source;
      return topologyFromJson(json, { file, field: "topology" });
    }
  }
}

/** The last CAIDA file `caidaGraphOnce` parsed: its path, options and a hash of its bytes, and its graph. */
let lastCaida: { key: string; graph: TopologyGraph } | undefined;

/**
 * `loadAsRelationshipsFile`, parsed once per process while the same path holds the same bytes
 * (read and hashed every call; the options are part of the key): `reproduce table1` builds the
 * same file for 4 checks and 5 runs. For builds only: the graph is shared, so whoever gets it
 * must not change it (`compileTopology` only reads it). Errors are not kept: a bad file fails
 * with the same error every time.
 */
function caidaGraphOnce(path: string, options: Omit<AsRelationshipsOptions, "file">): TopologyGraph {
  const text = readInputText(path, "topology");
  const { restrictTo, ...rest } = options;
  const hash = createHash("sha256").update(text).digest("hex");
  const key = JSON.stringify([path, hash, rest, restrictTo && [...restrictTo]]);
  if (lastCaida?.key !== key) lastCaida = { key, graph: parseAsRelationships(text, { ...options, file: path }) };
  return lastCaida.graph;
}

async function resolveStrategy(kind: "isp" | "user", ref: string, baseDir: string, file: string, field: string, cache: Map<string, AnyStrategy>): Promise<AnyStrategy> {
  const key = `${kind}:${ref}`;
  let strategy = cache.get(key);
  if (!strategy) {
    try {
      strategy = kind === "isp" ? await loadStrategy("isp", { ref, baseDir }) : await loadStrategy("user", { ref, baseDir });
    } catch (error) {
      if (error instanceof TollwayError) throw new TollwayError(error.reason, { file, field }, { cause: error });
      throw error;
    }
    cache.set(key, strategy);
  }
  return strategy;
}

/** Checks params against the strategy's schema, filling in its defaults. */
export function parseParams(strategy: AnyStrategy, params: unknown, file: string | undefined, field: string): unknown {
  const result = strategy.params.safeParse(params ?? {}, ZOD_PARSE_OPTIONS);
  if (!result.success) throw zodError(result.error, file, field);
  return result.data;
}

function flowInit(flow: FlowConfig, index: number, scenario: Scenario, paths: PathTable, nodeOf: (id: string, sub: string) => number, file: string): FlowInit {
  const from = nodeOf(flow.from, "from");
  const to = nodeOf(flow.to, "to");
  const receiverPays = flow.mode === "receiver-pays";
  const payer = receiverPays ? to : from;
  const payee = receiverPays ? from : to;
  const dataBits = flow.packetBytes * 8;
  const requestBits = flow.ackBytes * 8;
  let returnPath = 0;
  if (flow.returnPath) {
    const offered = paths.offered(payee, payer);
    returnPath = offered.findIndex((p) => p.nodes.length === flow.returnPath!.length && flow.returnPath!.every((id, i) => p.nodes[i] === nodeOf(id, `returnPath.${i}`)));
    if (returnPath < 0) {
      const names = offered.map((p) => Array.from(p.nodes, (n) => paths.topology.nodeIds[n]).join("-")).join(", ");
      throw new TollwayError(`${flow.returnPath.join("-")} is not an offered path (offered: ${names || "none"})`, { file, field: `flows.${index}.returnPath` });
    }
  }
  return {
    name: flow.id ?? `${flow.from}->${flow.to}`,
    payer, payee, agent: index,
    startTime: flow.startRound * scenario.roundSeconds,
    endTime: flow.endRound !== undefined ? flow.endRound * scenario.roundSeconds : Infinity,
    demandBps: (flow.packetsPerRound * dataBits) / scenario.roundSeconds,
    payingLegBits: receiverPays ? requestBits : dataBits,
    returnLegBits: receiverPays ? dataBits : requestBits,
    dataLeg: receiverPays ? 1 : 0,
    keepPerPacket: flow.receiverKeeps.perPacket,
    keepFraction: flow.receiverKeeps.fraction,
    returnPath,
    state: undefined,
  };
}

/** The scenario's listed flows, each added in the round it starts. */
function staticFlows(flows: FlowInit[]): FlowSource {
  return {
    arrivals(_round, startTime, endTime, add) {
      for (const flow of flows) if (flow.startTime >= startTime && flow.startTime < endTime) add({ ...flow });
    },
  };
}
