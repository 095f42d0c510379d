/** Runs a scenario to its summary; the one entry point the CLI, notebooks and analyses share. */
import type { Simulation, SimulationObserver } from "../engine/simulation.js";
import { TollwayError } from "../errors.js";
import { ShardedFlows, type ShardedRunnerOptions } from "../parallel/supervisor.js";
import { summarize, SummaryCollector, type RunSummary } from "../metrics/summary.js";
import { VERSION } from "../version.js";
import { buildScenario, type BuildOptions, type BuiltScenario } from "./build.js";
import type { LoadedScenario } from "./load.js";

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
}

export interface RunResult {
  summary: RunSummary;
  built: BuiltScenario;
}

/**
 * Runs a scenario to its summary (who paid whom, each party's net, packets, flows).
 *
 * @example
 * const { summary } = await runScenario(loadScenarioFile("scenarios/billpay-figure1.json"), { workers: 2 });
 * summary.net.Y; // 10
 */
export async function runScenario(loaded: LoadedScenario, options: RunOptions = {}): Promise<RunResult> {
  const parallel = options.parallel ?? (options.workers !== undefined && options.workers > 1 ? { workers: options.workers } : undefined);
  if (!parallel || !worthSharding(loaded, parallel)) return runBuilt(loaded, options);
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
  const collector = new SummaryCollector();
  simulation.observe(collector);
  for (const observer of options.observers ?? []) simulation.observe(observer);
  await stepRounds(simulation, options.rounds ?? loaded.scenario.rounds, options);
  simulation.finish();
  const summary = summarize(simulation, collector, {
    scenario: loaded.scenario.name, scenarioHash: loaded.hash, topologyHash: built.topologyHash, seed: built.seed, version: VERSION, unit: loaded.scenario.unit,
  });
  return { summary, built };
}

/** How often (ms) the round loop lets the event loop run, so that a signal handler (Ctrl-C) is heard. */
const YIELD_EVERY_MS = 50;

/**
 * Steps `rounds` rounds, reporting each. Once `signal` is aborted the run ends with a
 * TollwayError saying how far it got: at the next round boundary, or at once while a round
 * waits (for workers: the caller then shuts them down). The loop lets the event loop run every
 * few tens of milliseconds, since rounds that stay in this thread never wait for anything.
 */
export async function stepRounds(
  simulation: Simulation,
  rounds: number,
  options: { signal?: AbortSignal | undefined; onProgress?: ((done: number, total: number) => void) | undefined },
): Promise<void> {
  const { signal } = options;
  let done = 0;
  const interrupted = (): TollwayError => new TollwayError(`interrupted after ${done} of ${rounds} rounds`);
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => (onAbort = () => reject(interrupted())));
  aborted.catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    let yielded = performance.now();
    for (; done < rounds; done++) {
      if (signal?.aborted) throw interrupted();
      if (signal) await Promise.race([simulation.step(), aborted]);
      else await simulation.step();
      options.onProgress?.(done + 1, rounds);
      if (performance.now() - yielded > YIELD_EVERY_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        yielded = performance.now();
      }
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}
