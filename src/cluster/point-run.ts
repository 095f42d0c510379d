/**
 * One run of a sweep: a point's scenario under one replication's seed, measured with every
 * game-theory metric, flattened into the rows the store keeps. Plain data in and out, so it runs
 * the same in this thread, in a worker thread, or in a SLURM task. A run that throws, or whose
 * measures are not finite numbers, comes back as failed with its error; it never stops a sweep.
 */
import { performance } from "node:perf_hooks";
import { GameMetrics, type RunTotals } from "../metrics/game-metrics.js";
import { parseScenario } from "../scenario/load.js";
import { runScenario } from "../scenario/run.js";
import type { Scenario } from "../scenario/schema.js";
import type { Policy, PolicyOutcome, ReproductionOptions } from "../reproduce/table1.js";

/** What a run needs. */
export interface RunTask {
  /** The point's scenario (checked by the plan). */
  scenario: Scenario;
  /** The base scenario file: strategy and topology files resolve against its folder. */
  file: string;
  seed: number;
  /** ε of the price settling time, money units (default 1). */
  epsilon?: number | undefined;
  /**
   * A pricing policy of `tollway reproduce` instead of a game-theory run: measured by
   * `runPolicy` (its pricing reporters), which runs `policyScenario(policy, options)` — the
   * point's scenario — with that scenario's seed.
   */
  pricing?: PricingTask | undefined;
}

/** What a pricing-policy run needs: plain data (no callbacks), so it travels to a worker. */
export interface PricingTask {
  policy: Policy;
  options: PricingRunOptions;
}

/** The options of a reproduction that define its runs. */
export type PricingRunOptions = Omit<ReproductionOptions, "onProgress" | "signal" | "beforeRun">;

/** A run's totals: the columns of the runs table. */
export interface RunTotalsRow extends RunTotals {
  switchesPerFlowMinute: number;
  priceVolatility: number;
  /** Latest price settling time over links, seconds; null when a price never settled. */
  settleSec: number | null;
  /** Dominant period of the most volatile link's price, seconds; null when prices never moved. */
  dominantPeriodSec: number | null;
  /** Share of that link's price variance at the dominant period (0 when prices never moved). */
  periodPower: number;
}

/** Per-round aggregates, one per round: the columns of the round_metrics table. */
export interface RoundRow {
  round: number;
  value: number;
  ispRevenue: number;
  ispCost: number;
  consumerSurplus: number;
  producerSurplus: number;
  welfare: number;
  userUtility: number;
  sent: number;
  delivered: number;
  dropShare: number;
  switches: number;
}

/** One ISP over the run. */
export interface IspRow {
  isp: string;
  strategy: string;
  revenue: number;
  cost: number;
  profit: number;
}

/** One listed or generated user agent over the run. */
export interface FlowRow {
  /** The scenario's flow index (generated traffic is the agent after the listed flows). */
  agent: number;
  flow: string;
  userUtility: number;
  /** What the agent sent, got through and paid (src/metrics/agent-traffic.ts). */
  sentPackets: number;
  deliveredPackets: number;
  lossShare: number;
  throughputBps: number;
  spent: number;
  /** Mean delay of delivered data packets, ms, and the share over the flow's deadline (src/metrics/queueing-delay.ts). */
  delayMs: number;
  lateShare: number;
}

/** What a run produced. */
export interface RunOutcome {
  status: "ok" | "failed";
  /** One line: why it failed. */
  error: string | null;
  wallSeconds: number;
  /** Fingerprint of the network the run played on (null when it failed before building it). */
  topologyHash: string | null;
  totals: RunTotalsRow | null;
  rounds: RoundRow[];
  isps: IspRow[];
  flows: FlowRow[];
  /** What a pricing-policy run measured (tasks with `pricing`). */
  policy?: PolicyOutcome | undefined;
}

/** Runs one task; never throws. */
export async function runTask(task: RunTask): Promise<RunOutcome> {
  const start = performance.now();
  try {
    if (task.pricing !== undefined) return await runPricing(task, task.pricing, start);
    const loaded = parseScenario(task.scenario, task.file);
    const metrics = GameMetrics.forScenario(loaded.scenario, task.epsilon);
    const { built } = await runScenario(loaded, { seed: task.seed, observers: metrics.observers });
    const m = metrics.result();
    const totals: RunTotalsRow = {
      value: m.totals.value, userUtility: m.totals.userUtility, consumerSurplus: m.totals.consumerSurplus,
      ispRevenue: m.totals.ispRevenue, ispCost: m.totals.ispCost, ispProfit: m.totals.ispProfit, welfare: m.totals.welfare,
      sentPackets: m.totals.sentPackets, deliveredPackets: m.totals.deliveredPackets, dropShare: m.totals.dropShare,
      switchesPerFlowMinute: m.oscillation.switchesPerFlowMinute, priceVolatility: m.oscillation.prices.meanVolatility,
      settleSec: m.oscillation.prices.settleSec,
      dominantPeriodSec: m.oscillation.prices.dominantPeriodSec, periodPower: m.oscillation.prices.mostVolatile?.power ?? 0,
    };
    const notFinite = Object.entries(totals).find(([key, v]) => v !== null && !Number.isFinite(v) && key !== "settleSec");
    if (notFinite) return failed(start, `the run produced ${notFinite[1]} for ${notFinite[0]}`);
    const names = loaded.scenario.flows.map((f) => f.id ?? `${f.from}->${f.to}`);
    return {
      status: "ok", error: null, wallSeconds: (performance.now() - start) / 1000, topologyHash: built.topologyHash, totals,
      rounds: m.rounds.map((r) => ({
        round: r.round, value: r.value, ispRevenue: r.ispRevenue, ispCost: r.ispCost, consumerSurplus: r.consumerSurplus,
        producerSurplus: r.producerSurplus, welfare: r.welfare, userUtility: r.userUtility, sent: r.sent, delivered: r.delivered,
        dropShare: r.dropShare, switches: r.switches,
      })),
      isps: Object.entries(m.isps).map(([isp, t]) => ({ isp, strategy: built.ispChoices.get(isp)?.id ?? "", revenue: t.revenue, cost: t.cost, profit: t.profit })),
      flows: m.userUtilityByAgent.map((u, agent) => ({ agent, flow: names[agent] ?? "generated", userUtility: u, ...(m.trafficByAgent[agent] ?? NO_TRAFFIC) })),
    };
  } catch (error) {
    return failed(start, (error instanceof Error ? error.message : String(error)).split("\n")[0]!);
  }
}

/** Runs tasks one after another in this thread; one outcome per task, in order. */
export async function runTasks(tasks: readonly RunTask[]): Promise<RunOutcome[]> {
  const outcomes: RunOutcome[] = [];
  for (const task of tasks) outcomes.push(await runTask(task));
  return outcomes;
}

const NO_TRAFFIC = { sentPackets: 0, deliveredPackets: 0, lossShare: 0, throughputBps: 0, spent: 0, delayMs: 0, lateShare: 0 } as const;

async function runPricing(task: RunTask, pricing: PricingTask, start: number): Promise<RunOutcome> {
  const { runPolicy } = await import("../reproduce/table1.js");
  const expected = parseScenario(task.scenario, task.file).hash;
  const policy = await runPolicy(pricing.policy, pricing.options);
  if (policy.scenarioHash !== expected) return failed(start, `the policy ran scenario ${policy.scenarioHash}, not the point's ${expected}`);
  return { status: "ok", error: null, wallSeconds: (performance.now() - start) / 1000, topologyHash: null, totals: null, rounds: [], isps: [], flows: [], policy };
}

function failed(start: number, error: string): RunOutcome {
  return { status: "failed", error, wallSeconds: (performance.now() - start) / 1000, topologyHash: null, totals: null, rounds: [], isps: [], flows: [] };
}
