/** Runs a scenario to its summary; the one entry point the CLI, notebooks and analyses share. */
import type { SimulationObserver } from "../engine/simulation.js";
import type { ShardedRunnerOptions } from "../parallel/supervisor.js";
import { summarize, SummaryCollector, type RunSummary } from "../metrics/summary.js";
import { VERSION } from "../version.js";
import { buildScenario, type BuildOptions, type BuiltScenario } from "./build.js";
import type { LoadedScenario } from "./load.js";

/** How to run a scenario: what to observe, where the flows run, how to follow and stop it. */
export interface RunOptions extends BuildOptions {
  /** Overrides the scenario's number of rounds. */
  rounds?: number;
  observers?: SimulationObserver[];
  /** Called after each round with (rounds done, rounds in all). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Worker threads to shard the flows across (their strategies, batches and hop passes); the
   * result is the same for any number. Left out (or 1), the run stays in the calling thread.
   * Small runs stay there anyway: see `minFlowsToShard` in `parallel`.
   */
  workers?: number;
  /** The sharding in full (`workers` is short for `parallel: { workers }`); tests swap the worker file here. */
  parallel?: ShardedRunnerOptions;
  /** Stops the run (Ctrl-C): between rounds, or at once while the round waits for workers or runs strategies from files. */
  signal?: AbortSignal;
  /**
   * One line per flow in the summary's `flows` (default true). Runs of millions of generated
   * flows say false: the packet totals are kept, the lines are not.
   */
  flowSummaries?: boolean;
}

/** A finished run: its summary and what it was built from (topology, paths, simulation). */
export interface RunResult {
  summary: RunSummary;
  built: BuiltScenario;
}

/**
 * Builds and runs a scenario, in the calling thread or with its flows sharded across workers
 * (`parallel`), and summarizes it: the one way every command, study and benchmark runs one.
 *
 * @example
 * const { summary } = await runScenario(loadScenarioFile("scenarios/billpay-figure1.json"), { workers: 2 });
 * summary.net.Y; // 10
 */
export async function runScenario(loaded: LoadedScenario, options: RunOptions = {}): Promise<RunResult> {
  const parallel = options.parallel ?? (options.workers !== undefined && options.workers > 1 ? { workers: options.workers } : undefined);
  if (!parallel || !worthSharding(loaded, parallel)) return runBuilt(loaded, options);
  // Loaded here, not above: a run that stays in its thread (every point of most sweeps) never loads piscina.
  const { ShardedFlows } = await import("../parallel/supervisor.js");
  const sharded = new ShardedFlows(parallel);
  try {
    return await runBuilt(loaded, { ...options, simulation: { ...options.simulation, flowShards: sharded.factory } });
  } finally {
    await sharded.close();
  }
}

/** Small runs (a few listed flows, no generated traffic) stay in the calling thread: workers would cost more than the work. */
function worthSharding(loaded: LoadedScenario, options: ShardedRunnerOptions): boolean {
  return loaded.scenario.traffic !== undefined || loaded.scenario.flows.length >= (options.minFlowsToShard ?? 256);
}

async function runBuilt(loaded: LoadedScenario, options: RunOptions): Promise<RunResult> {
  const built = await buildScenario(loaded, options);
  const { simulation } = built;
  const collector = new SummaryCollector({ keepFlows: options.flowSummaries ?? true });
  simulation.observe(collector);
  for (const observer of options.observers ?? []) simulation.observe(observer);
  await simulation.run(options.rounds ?? loaded.scenario.rounds, { signal: options.signal, onProgress: options.onProgress });
  const summary = summarize(simulation, collector, {
    scenario: loaded.scenario.name, scenarioHash: loaded.hash, topologyHash: built.topologyHash, seed: built.seed, version: VERSION, unit: loaded.scenario.unit,
  });
  return { summary, built };
}
