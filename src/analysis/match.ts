/**
 * One match: a scenario run with some ISPs' strategies replaced (and optionally every user's),
 * under a given seed, measured with all the game-theory metrics. The building block of
 * deviation studies, tournaments and sweeps; its spec is plain data so it can travel to a worker.
 */
import { dirname, resolve } from "node:path";
import { TollwayError } from "../errors.js";
import { loadStrategy } from "../agents/loader.js";
import type { AnyStrategy } from "../agents/strategy.js";
import { checkScenario, parseParams } from "../scenario/build.js";
import type { LoadedScenario } from "../scenario/load.js";
import { runScenario } from "../scenario/run.js";
import type { StrategyChoice } from "../scenario/schema.js";
import { GameMetrics, type RunMetrics } from "../metrics/game-metrics.js";
import { givenParams, strategySpecName, type ParamsByStrategy, type StrategySpec } from "./strategy-spec.js";

/** What to change in the scenario for one match. Plain data. */
export interface MatchSpec {
  /** Strategy (and params) replacing the scenario's, by ISP node id. */
  isps?: Record<string, StrategyChoice>;
  /** Strategy every flow (listed or generated) plays instead of its own, with these params (its defaults fill in the rest). */
  userStrategy?: StrategyChoice;
  /** Seed of the run (from {@link replicationSeed}). */
  seed: number;
  /** Rounds (default: the scenario's). */
  rounds?: number | undefined;
  /** ε of the price settling time, money units (default 1). */
  epsilon?: number | undefined;
}

/** A strategy as it was played: id and the parameters after its schema filled in defaults. */
export interface PlayedStrategy {
  id: string;
  params: unknown;
}

/** What one match produced. */
export interface MatchResult {
  seed: number;
  /** Fingerprint of the network the match played on. */
  topologyHash: string;
  metrics: RunMetrics;
  /** The strategy every ISP played, by node id. */
  isps: Record<string, PlayedStrategy>;
}

/**
 * Runs one match.
 *
 * @example
 * const { metrics } = await runMatch(loaded, { seed: 7, isps: { Y: { strategy: "fake-congestion", params: {} } } });
 * metrics.isps.Y.revenue;
 */
export async function runMatch(loaded: LoadedScenario, spec: MatchSpec): Promise<MatchResult> {
  const scenario = spec.userStrategy === undefined ? loaded : withUserStrategy(loaded, spec.userStrategy);
  const metrics = GameMetrics.forScenario(loaded.scenario, spec.epsilon);
  const { built } = await runScenario(scenario, {
    seed: spec.seed,
    ...(spec.rounds !== undefined ? { rounds: spec.rounds } : {}),
    ...(spec.isps !== undefined ? { ispOverrides: spec.isps } : {}),
    observers: metrics.observers,
  });
  return { seed: built.seed, topologyHash: built.topologyHash, metrics: metrics.result(), isps: Object.fromEntries(built.ispChoices) };
}

/** The scenario with every listed flow, and the generated traffic, playing `choice` (the flows' own params dropped). */
function withUserStrategy(loaded: LoadedScenario, choice: StrategyChoice): LoadedScenario {
  const { flows, traffic } = loaded.scenario;
  const { strategy, params } = choice;
  return {
    ...loaded,
    scenario: {
      ...loaded.scenario,
      flows: flows.map((f) => ({ ...f, strategy, params })),
      ...(traffic !== undefined ? { traffic: { ...traffic, user: { strategy, params } } } : {}),
    },
  };
}

/** The ISPs of a scenario and the strategy each plays in it. */
export interface ScenarioIsps {
  /** Strategy id and checked params by ISP node id, in node order. */
  isps: Map<string, PlayedStrategy>;
  /** All node ids (ISPs and hosts). */
  nodes: Set<string>;
  /** Fingerprint of the scenario's network, the one every match of a study plays on. */
  topologyHash: string;
}

/** Checks the scenario (a build that holds no flows and runs no round) to learn its ISPs and their strategies. */
export async function scenarioIsps(loaded: LoadedScenario): Promise<ScenarioIsps> {
  const built = await checkScenario(loaded);
  return { isps: built.ispChoices, nodes: new Set(built.topology.nodeIds), topologyHash: built.topologyHash };
}

/**
 * Checks that every match played on the scenario's network (replications vary the noise, never
 * the graph), so a study cannot compare different networks under the same node names.
 * @throws Error (an internal error: the build must never let a run seed redraw the network).
 */
export function requireSameNetwork(results: readonly { seed: number; topologyHash: string | null }[], known: ScenarioIsps): void {
  const other = results.find((r) => r.topologyHash !== known.topologyHash);
  if (other) throw new Error(`the match with seed ${other.seed} played on network ${other.topologyHash}, not the scenario's ${known.topologyHash}`);
}

/**
 * Checks that `id` names an ISP of the scenario.
 * @throws TollwayError naming `where` (an option or a field) and listing the ISPs.
 */
export function requireIsp(id: string, known: ScenarioIsps, where: string): void {
  if (known.isps.has(id)) return;
  if (known.nodes.has(id)) throw new TollwayError(`"${id}" is an end host, not an ISP`, { field: where });
  const ids = [...known.isps.keys()];
  const listed = ids.length > 12 ? `${ids.slice(0, 12).join(", ")}, … (${ids.length} in all)` : ids.join(", ");
  throw new TollwayError(`no ISP "${id}" in the scenario (ISPs: ${listed})`, { field: where });
}

/**
 * Checks that `ref` is a strategy of the given kind (a built-in id, or a file resolved against
 * the scenario's folder) and returns its id.
 * @throws TollwayError naming `where` (an option or a field) and listing the built-ins.
 */
export async function requireStrategy(kind: "isp" | "user", ref: string, loaded: LoadedScenario, where: string): Promise<string> {
  const baseDir = scenarioDir(loaded);
  try {
    return (kind === "isp" ? await loadStrategy("isp", { ref, baseDir }) : await loadStrategy("user", { ref, baseDir })).id;
  } catch (error) {
    if (error instanceof TollwayError) throw new TollwayError(error.reason, { field: where }, { cause: error });
    throw error;
  }
}

/** A strategy of a study, resolved: its name in the study, ref, id and the parameters it plays with. */
export interface Candidate {
  /** `ref`, or `ref:key=value;...` when parameters were given (see strategySpecName). */
  name: string;
  ref: string;
  id: string;
  /** Its defaults plus the parameters given: exactly what it plays with. */
  params: Record<string, unknown>;
}

/**
 * Resolves a study's strategy: loads it (as {@link requireStrategy}) and checks the parameters
 * given for it (inline, over those `file` gives for its ref or id) against its own schema, which fills in its defaults. Nothing of the scenario's
 * parameters carries over.
 * @throws TollwayError naming `where` and the strategy for an unknown strategy or a bad parameter.
 */
export async function resolveCandidate(
  kind: "isp" | "user", spec: StrategySpec, loaded: LoadedScenario, where: string, file?: ParamsByStrategy,
): Promise<Candidate> {
  const baseDir = scenarioDir(loaded);
  let strategy: AnyStrategy;
  try {
    strategy = kind === "isp" ? await loadStrategy("isp", { ref: spec.ref, baseDir }) : await loadStrategy("user", { ref: spec.ref, baseDir });
  } catch (error) {
    if (error instanceof TollwayError) throw new TollwayError(error.reason, { field: where }, { cause: error });
    throw error;
  }
  const params = parseParams(strategy, givenParams(spec, strategy.id, file), undefined, `${where} ${spec.ref}`) as Record<string, unknown>;
  return { name: strategySpecName(spec), ref: spec.ref, id: strategy.id, params };
}

/** The folder strategy files named in the scenario are resolved against (as `buildScenario` does). */
export function scenarioDir(loaded: LoadedScenario): string {
  return loaded.file === "<inline>" ? process.cwd() : dirname(resolve(loaded.file));
}

/**
 * The strategic ISPs: the scenario's `players`, else the ISPs it lists in `isps.byNode`.
 * @throws TollwayError when there are none or one is not an ISP.
 */
export function resolvePlayers(loaded: LoadedScenario, known: ScenarioIsps): string[] {
  const listed = loaded.scenario.players;
  const players = listed ?? Object.keys(loaded.scenario.isps.byNode);
  if (players.length === 0) {
    throw new TollwayError("no players: list the strategic ISPs in \"players\" (or give them strategies in isps.byNode)", { file: loaded.file, field: "players" });
  }
  players.forEach((id, i) => {
    try {
      requireIsp(id, known, listed ? `players.${i}` : `isps.byNode.${id}`);
    } catch (error) {
      if (error instanceof TollwayError) throw new TollwayError(error.reason, { ...error.place, file: loaded.file });
      throw error;
    }
  });
  return players;
}
