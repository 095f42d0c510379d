/** What each user agent sent, got through, paid and waited in one run (the delay tests). */
import { GameMetrics } from "../../src/metrics/game-metrics.js";
import { parseScenario } from "../../src/scenario/load.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";
import { runScenario } from "../../src/scenario/run.js";

/** Runs `input` in this thread, or sharded over `workers` workers (even a single flow), and returns its per-agent traffic. */
export async function trafficOf(input: ScenarioInput, workers: number | null = null) {
  const loaded = parseScenario(input);
  const metrics = GameMetrics.forScenario(loaded.scenario);
  await runScenario(loaded, { observers: metrics.observers, ...(workers === null ? {} : { parallel: { workers, minFlowsToShard: 1 } }) });
  return metrics.result().trafficByAgent;
}
