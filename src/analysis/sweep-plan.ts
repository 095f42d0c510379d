/**
 * From an experiment file to its plan: the points (each a complete scenario with its factor
 * values applied and checked), the runs (points × replications, seeds derived on the
 * coordinator by {@link expandPoints}) and the ids that name them in a results store. The same
 * file always gives the same plan, which is what lets a killed sweep resume and a cluster's
 * shards agree on which run is which.
 */
import { dirname, resolve } from "node:path";
import { loadStrategy } from "../agents/loader.js";
import { TollwayError } from "../errors.js";
import { checkScenario, parseParams } from "../scenario/build.js";
import { experimentSchema, type ExperimentSpec, type FactorValue } from "../scenario/experiment.js";
import { canonicalJson, parseScenario, scenarioHash, type LoadedScenario } from "../scenario/load.js";
import { requirePath, scenarioPaths, setPath } from "../scenario/scenario-paths.js";
import type { Scenario, StrategyChoice } from "../scenario/schema.js";
import { VERSION } from "../version.js";
import type { PricingRunOptions, PricingTask } from "../cluster/point-run.js";
import type { PolicyAxis } from "../reproduce/variant.js";
import type { Policy } from "../reproduce/table1.js";
import { expandDesign, factorName, factorPaths } from "./design.js";
import { expandPoints, type Point } from "./points.js";

/** SQL-ready type of a factor's column. */
export type FactorType = "DOUBLE" | "VARCHAR" | "BOOLEAN";

/** One point of the experiment: a scenario with the factors applied. */
export interface SweepPoint {
  /** Position in the design, 0-based. */
  index: number;
  /** sha256 (16 hex) of the factor values: stable across runs of the same file. */
  id: string;
  values: Record<string, FactorValue>;
  /** The point's scenario, checked, as plain JSON. */
  scenario: Scenario;
  /** Hash of the point's scenario. */
  scenarioHash: string;
}

/** Everything needed to run, store and resume an experiment. */
export interface SweepPlan {
  /** sha256 (16 hex) of the base scenario's hash and the experiment spec. */
  experimentId: string;
  name: string;
  /** The file the experiment came from. */
  file: string;
  /** The scenario file the points vary (strategy and topology files resolve against it). */
  baseFile: string;
  baseHash: string;
  spec: ExperimentSpec;
  seed: number;
  replications: number;
  factors: { name: string; type: FactorType; paths: string[] }[];
  points: SweepPoint[];
  /** Points × replications, point-major; `config` is the point. */
  runs: Point<SweepPoint>[];
  version: string;
  /** ISPs the base scenario was given explicit `isps.byNode` entries for (`withExplicitIsps`) before planning. */
  explicitIsps?: string[] | undefined;
  /**
   * Pricing policies of `tollway reproduce`, the options they run with and the grid they were
   * planned over (src/reproduce/policy-plan.ts); `tasks[i]` is what point i runs (plain data):
   * runs measured by `runPolicy`, not the game metrics.
   */
  pricing?: { policies: Policy[]; options: PricingRunOptions; axes?: PolicyAxis[]; seeds?: number[]; tasks: PricingTask[] } | undefined;
}

/**
 * Plans `spec` over `loaded`. `field` is where the spec sits in `file` ("" for an experiment
 * file, "experiment" inside a scenario).
 */
export async function planExperiment(loaded: LoadedScenario, spec: ExperimentSpec, file: string, field: string): Promise<SweepPlan> {
  const at = (sub: string): string => [field, sub].filter((s) => s !== "").join(".");
  const { experiment: _e, sweep: _s, ...base } = loaded.scenario;
  const fixed = structuredClone(base) as Record<string, unknown>;
  if (spec.rounds !== undefined) fixed.rounds = spec.rounds;

  const baseKnown = await scenarioPaths(loaded);
  for (const [path, value] of Object.entries(spec.set)) {
    requirePath(path, baseKnown, file, at(`set.${path}`));
    setPath(fixed, path, value);
  }
  const fixedLoaded = checkPoint(fixed, loaded.file, file, at("set"));
  const known = Object.keys(spec.set).length > 0 ? await scenarioPaths(fixedLoaded) : baseKnown;
  spec.factors.forEach((factor, i) => {
    for (const path of factorPaths(factor)) {
      const where = "levels" in factor ? at(`factors.${i}.levels`) : at(`factors.${i}.path`);
      requirePath(path, known, file, where);
    }
  });

  const design = expandDesign(spec.factors, spec.design, file, field);
  if (design.length === 0) throw new TollwayError("the design has no points", { file, field: at("factors") });
  const factorField = new Map<string, string>(spec.factors.map((f, i) => [factorName(f), at(`factors.${i}`)]));
  const points: SweepPoint[] = [];
  for (const [index, point] of design.entries()) {
    const scenario = structuredClone(fixed);
    const changed = new Set<string>();
    for (const [path, value] of point.set) {
      // A copy: a level's object is shared by the points it is in, and a later factor may set a field inside it.
      setPath(scenario, path, structuredClone(value));
      changed.add(path);
    }
    const where = Object.keys(point.values).map((n) => factorField.get(n)!).join(", ");
    await dropUnknownParams(scenario, changed, loaded.file);
    const checked = checkPoint(scenario, loaded.file, file, where);
    await checkChangedStrategies(checked, changed, file, where);
    points.push({ index, id: scenarioHash(point.values), values: point.values, scenario: checked.scenario, scenarioHash: checked.hash });
  }
  const seen = new Map<string, number>();
  for (const p of points) {
    const other = seen.get(p.id);
    if (other !== undefined && spec.design.kind === "grid") throw new TollwayError(`points ${other} and ${p.index} have the same factor values ${JSON.stringify(p.values)}`, { file, field: at("factors") });
    seen.set(p.id, p.index);
  }
  // Random designs may draw a point twice; it is then a distinct point with its own id.
  for (const p of points) if (points.some((q) => q.id === p.id && q.index < p.index)) p.id = scenarioHash({ ...p.values, "#": p.index });

  const seed = spec.seed ?? loaded.scenario.seed;
  const experimentId = scenarioHash({ base: loaded.hash, spec });
  return {
    experimentId, name: spec.name ?? loaded.scenario.name, file, baseFile: loaded.file, baseHash: loaded.hash, spec, seed,
    replications: spec.replications,
    factors: spec.factors.map((f) => ({ name: factorName(f), type: factorType(points.map((p) => p.values[factorName(f)]!), file, factorField.get(factorName(f))!), paths: factorPaths(f) })),
    points,
    runs: expandPoints(points, spec.replications, seed),
    version: VERSION,
  };
}

/** Options of {@link oscillationPlan}: those of `tollway oscillation`. */
export interface OscillationPlanOptions {
  /** Replications per grid point (default 3). */
  reps?: number | undefined;
  seed?: number | undefined;
  rounds?: number | undefined;
  /** ε of the price settling time, money units (default 1). */
  epsilon?: number | undefined;
}

/**
 * The `sweep` section of `tollway oscillation` as an experiment: each swept parameter is one
 * factor setting that parameter of every swept ISP (made explicit in `isps.byNode`), crossed in a
 * grid; 3 replications, as the oscillation study runs by default. `tollway sweep` of the scenario
 * and `tollway oscillation` with its defaults make the same plan, so they share a store's runs.
 */
export async function oscillationPlan(loaded: LoadedScenario, file: string, options: OscillationPlanOptions = {}): Promise<SweepPlan> {
  const sweep = loaded.scenario.sweep!;
  const swept = sweep.isps ?? loaded.scenario.players ?? (await ispIds(loaded));
  const spec = experimentSchema.parse({
    replications: options.reps ?? 3,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.rounds !== undefined ? { rounds: options.rounds } : {}),
    ...(options.epsilon !== undefined && options.epsilon !== 1 ? { epsilon: options.epsilon } : {}),
    factors: Object.entries(sweep.params).map(([name, values]) => ({ name, path: swept.map((id) => `isps.byNode.${id}.params.${name}`), values })),
    measures: ["switches_per_flow_minute", "price_volatility", "welfare"],
  });
  return { ...(await planExperiment(withExplicitIsps(loaded, swept), spec, file, "sweep")), explicitIsps: [...swept] };
}

/**
 * The scenario with `isps` given explicit entries in `isps.byNode` (the strategy and parameters
 * they play anyway), so that their strategy is a scenario path a factor can set. Runs the same.
 */
export function withExplicitIsps(loaded: LoadedScenario, isps: readonly string[]): LoadedScenario {
  const { isps: config } = loaded.scenario;
  const byNode = { ...config.byNode };
  for (const id of isps) byNode[id] ??= { strategy: config.default.strategy, params: { ...config.default.params } };
  const scenario = { ...loaded.scenario, isps: { ...config, byNode } };
  return { ...loaded, scenario, hash: scenarioHash(scenario) };
}

/** The ids of the scenario's ISPs, as the engine builds them. */
export async function ispIds(loaded: LoadedScenario): Promise<string[]> {
  const built = await checkScenario(loaded);
  return [...built.ispChoices.keys()];
}

/** A factor's values share one type: numbers, strings or booleans. */
function factorType(values: FactorValue[], file: string, field: string): FactorType {
  const types = new Set(values.map((v) => typeof v));
  if (types.size > 1) throw new TollwayError(`values mix ${[...types].join(" and ")}; a factor's values must share one type`, { file, field });
  const type = [...types][0];
  return type === "number" ? "DOUBLE" : type === "boolean" ? "BOOLEAN" : "VARCHAR";
}

function checkPoint(value: Record<string, unknown>, baseFile: string, file: string, where: string): LoadedScenario {
  try {
    return parseScenario(value, baseFile);
  } catch (error) {
    if (error instanceof TollwayError) throw new TollwayError(`${error.place.field !== undefined ? `${error.place.field}: ` : ""}${error.reason}`, { file, field: where });
    throw error;
  }
}

const CHOICE = /^(isps\.default|isps\.byNode\.[^.]+|flows\.\d+|traffic\.user)\.(strategy|params)(\.|$)/;

/** A choice whose strategy a factor changed keeps only the parameters the new strategy has. */
async function dropUnknownParams(scenario: Record<string, unknown>, changed: Set<string>, baseFile: string): Promise<void> {
  for (const path of changed) {
    const m = /^(.*)\.strategy$/.exec(path);
    if (!m || !CHOICE.test(path)) continue;
    const choice = getPath(scenario, m[1]!) as StrategyChoice | undefined;
    if (!choice || typeof choice.strategy !== "string") continue;
    const kind = m[1]!.startsWith("isps") ? "isp" : "user";
    let shape: Record<string, unknown> | undefined;
    try {
      const strategy = kind === "isp" ? await loadStrategy("isp", { ref: choice.strategy, baseDir: dirname(resolve(baseFile)) }) : await loadStrategy("user", { ref: choice.strategy, baseDir: dirname(resolve(baseFile)) });
      shape = (strategy.params as { shape?: Record<string, unknown> }).shape;
    } catch {
      continue; // an unknown strategy is reported by checkChangedStrategies
    }
    if (shape && choice.params) {
      const explicit = new Set([...changed].filter((p) => p.startsWith(`${m[1]}.params.`)).map((p) => p.slice(m[1]!.length + 8).split(".")[0]!));
      choice.params = Object.fromEntries(Object.entries(choice.params).filter(([k]) => k in shape || explicit.has(k)));
    }
  }
}

/** Strategies and parameters the factors touched must load and validate now, not in the middle of the sweep. */
async function checkChangedStrategies(loaded: LoadedScenario, changed: Set<string>, file: string, where: string): Promise<void> {
  const choices = new Set<string>();
  for (const path of changed) {
    const m = CHOICE.exec(path);
    if (m) choices.add(m[1]!);
  }
  const baseDir = dirname(resolve(loaded.file));
  for (const at of choices) {
    const choice = getPath(loaded.scenario, at) as StrategyChoice;
    const kind = at.startsWith("isps") ? "isp" : "user";
    try {
      const strategy = kind === "isp" ? await loadStrategy("isp", { ref: choice.strategy, baseDir }) : await loadStrategy("user", { ref: choice.strategy, baseDir });
      parseParams(strategy, choice.params, undefined, `${at}.params`);
    } catch (error) {
      if (error instanceof TollwayError) throw new TollwayError(`${error.place.field ?? at}: ${error.reason}`, { file, field: where });
      throw error;
    }
  }
}

function getPath(value: unknown, path: string): unknown {
  let node = value;
  for (const key of path.split(".")) node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

/** The canonical text of a plan's identity (for tests and manifests). */
export function planIdentity(plan: SweepPlan): string {
  return canonicalJson({ experimentId: plan.experimentId, points: plan.points.map((p) => p.id), replications: plan.replications, seed: plan.seed });
}
