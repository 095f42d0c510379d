/**
 * All the game-theory measures of one run, from one call: attach `GameMetrics.observers` to a
 * simulation (or pass them to `runScenario`), run it, then read `result()`. The measures
 * themselves live one per file (net-utility, isp-profit, welfare, drop-share, path-flapping,
 * price-oscillation); this file only wires them and totals them. docs/game-theory.md gives every
 * formula.
 */
import type { SimulationObserver } from "../engine/simulation.js";
import type { Economics, Scenario } from "../scenario/schema.js";
import { AgentTrafficReporter, type AgentTraffic, type DelayOptions } from "./agent-traffic.js";
import { DropShareReporter } from "./drop-share.js";
import { IspProfitReporter, type CostModel, type IspTotals } from "./isp-profit.js";
import { PathFlappingReporter } from "./path-flapping.js";
import { PriceOscillationReporter, type PriceOscillation } from "./price-oscillation.js";
import { DEFAULT_UTILITY, NetUtilityReporter, type UtilityParams } from "./net-utility.js";
import { welfareSeries, type WelfareRound } from "./welfare.js";

/** The economics of a scenario with every default filled in. */
export interface ResolvedEconomics {
  utility: UtilityParams;
  costs: CostModel;
}

/**
 * A scenario's `economics` with defaults: F(x) = 1000 · ln(1 + x/Mbps) per second, no costs.
 *
 * @example resolveEconomics(undefined) // { utility: { weight: 1000, bandwidthUnitBps: 1e6 }, costs: { perMegabit: 0, perLinkPerSecond: 0 } }
 */
export function resolveEconomics(economics: Economics | undefined): ResolvedEconomics {
  return {
    utility: { ...DEFAULT_UTILITY, ...economics?.utility },
    costs: { perMegabit: 0, perLinkPerSecond: 0, ...economics?.costs },
  };
}

/** Options of {@link GameMetrics}. */
export interface GameMetricsOptions {
  /** Seconds per round. */
  roundSeconds: number;
  economics: ResolvedEconomics;
  /** Half-width of the band prices must stay in to count as settled, money units (default 1). */
  epsilon?: number | undefined;
  /** Also total each user agent's packets, throughput and spend (a pass over the flows per round; on for scenarios with listed flows). */
  agentTraffic?: boolean | undefined;
  /** How the per-agent traffic weighs queueing delay (scheduling, deadlines); FIFO and none when left out. */
  delay?: DelayOptions | undefined;
}

/** Totals of one run. */
export interface RunTotals {
  /** Σ Δt · F(x) over flows and rounds. */
  value: number;
  /** Eq. 1 summed over rounds: value − payers' net spend. */
  userUtility: number;
  consumerSurplus: number;
  ispRevenue: number;
  ispCost: number;
  ispProfit: number;
  welfare: number;
  sentPackets: number;
  deliveredPackets: number;
  dropShare: number;
}

/** Everything measured in one run. */
export interface RunMetrics {
  totals: RunTotals;
  /** Revenue, cost and profit by ISP node id. */
  isps: Record<string, IspTotals>;
  /** Eq. 1 utility by user agent (scenario flow index). */
  userUtilityByAgent: number[];
  /** Packets, loss, throughput and net spend by user agent; empty unless `agentTraffic` was asked for. */
  trafficByAgent: AgentTraffic[];
  oscillation: {
    /** Σ switches / Σ flow-minutes over all flows. */
    switchesPerFlowMinute: number;
    switches: number;
    flowMinutes: number;
    prices: PriceOscillation;
  };
  /** Per-round aggregates, one row per round. */
  rounds: RoundMetrics[];
}

/** One round's aggregates. */
export interface RoundMetrics extends WelfareRound {
  /** Eq. 1 for the round. */
  userUtility: number;
  sent: number;
  delivered: number;
  dropShare: number;
  switches: number;
  switchesPerFlowMinute: number;
}

/** The reporters of one run, attached together. */
export class GameMetrics {
  readonly utility: NetUtilityReporter;
  readonly profit: IspProfitReporter;
  readonly drops = new DropShareReporter();
  readonly flapping: PathFlappingReporter;
  readonly prices = new PriceOscillationReporter();
  readonly traffic: AgentTrafficReporter | null;
  private readonly options: GameMetricsOptions;

  constructor(options: GameMetricsOptions) {
    this.options = options;
    this.utility = new NetUtilityReporter(options.roundSeconds, options.economics.utility);
    this.profit = new IspProfitReporter(options.roundSeconds, options.economics.costs);
    this.flapping = new PathFlappingReporter(options.roundSeconds);
    this.traffic = options.agentTraffic ? new AgentTrafficReporter(options.roundSeconds, options.delay) : null;
  }

  /** For a scenario: its round length and economics. */
  static forScenario(scenario: Scenario, epsilon?: number): GameMetrics {
    return new GameMetrics({ roundSeconds: scenario.roundSeconds, economics: resolveEconomics(scenario.economics), epsilon, agentTraffic: scenario.flows.length > 0,
      delay: { byPayment: scenario.scheduling === "payment", deadlinesMs: scenario.flows.map((f) => f.deadlineMs) } });
  }

  /** The observers to attach to the simulation. */
  get observers(): SimulationObserver[] {
    const all: SimulationObserver[] = [this.utility, this.profit, this.drops, this.flapping, this.prices];
    return this.traffic ? [...all, this.traffic] : all;
  }

  /** The measures, once the run has finished. */
  result(): RunMetrics {
    const welfare = welfareSeries(this.utility.rounds, this.profit.roundSums());
    const rounds: RoundMetrics[] = welfare.map((w, t) => {
      const drops = this.drops.rounds[t]!;
      const flapping = this.flapping.rounds[t]!;
      return {
        ...w, userUtility: this.utility.rounds[t]!.utility,
        sent: drops.sent, delivered: drops.delivered, dropShare: drops.dropShare,
        switches: flapping.switches, switchesPerFlowMinute: flapping.switchesPerFlowMinute,
      };
    });
    const sum = (key: keyof RoundMetrics): number => rounds.reduce((s, r) => s + r[key], 0);
    const drops = this.drops.total();
    const flapping = this.flapping.total();
    return {
      totals: {
        value: sum("value"), userUtility: sum("userUtility"), consumerSurplus: sum("consumerSurplus"),
        ispRevenue: sum("ispRevenue"), ispCost: sum("ispCost"), ispProfit: sum("producerSurplus"), welfare: sum("welfare"),
        sentPackets: drops.sent, deliveredPackets: drops.delivered, dropShare: drops.dropShare,
      },
      isps: Object.fromEntries(this.profit.totals),
      userUtilityByAgent: [...this.utility.byAgent],
      trafficByAgent: this.traffic?.byAgent() ?? [],
      oscillation: {
        switchesPerFlowMinute: flapping.switchesPerFlowMinute, switches: flapping.switches, flowMinutes: flapping.flowMinutes,
        prices: this.prices.summarize(this.options.roundSeconds, this.options.epsilon ?? 1),
      },
      rounds,
    };
  }
}
