/**
 * ISPs' revenue and profit per round. Revenue is what the engine reports an ISP kept in the
 * round (`RoundReport.kept`: tolls, plus the payments of packets it dropped). Profit subtracts a
 * simple cost model:
 *
 *   cost_n(t) = perMegabit · (bits n carried on its outgoing links in t) / 1e6
 *             + perLinkPerSecond · (outgoing links of n) · Δt
 *
 * The first term stands for the cost of carrying traffic, the second for the sunk cost of the
 * network that Bill-Pay's fixed tolls are meant to recover (§2.1). Links whose sender is an end
 * host belong to no ISP.
 */
import type { RoundReport, Simulation, SimulationObserver } from "../engine/simulation.js";
import { KIND_HOST } from "../model/topology.js";

/** What carrying traffic costs an ISP, in money units. */
export interface CostModel {
  /** Units per megabit carried on one of the ISP's outgoing links. */
  perMegabit: number;
  /** Units per second for each outgoing link the ISP runs, used or not. */
  perLinkPerSecond: number;
}

/** No costs: profit equals revenue. */
export const ZERO_COSTS: Readonly<CostModel> = Object.freeze({ perMegabit: 0, perLinkPerSecond: 0 });

/** One ISP in one round. */
export interface IspRound {
  round: number;
  isp: string;
  revenue: number;
  cost: number;
  /** revenue − cost. */
  profit: number;
}

/** One ISP over the whole run. */
export interface IspTotals {
  revenue: number;
  cost: number;
  profit: number;
}

/**
 * Revenue, cost and profit of every ISP, per round and in total.
 *
 * @example
 * const profits = new IspProfitReporter(1, { perMegabit: 2, perLinkPerSecond: 0 });
 * simulation.observe(profits);
 * await simulation.run(10);
 * profits.totals.get("Y"); // { revenue, cost, profit }
 */
export class IspProfitReporter implements SimulationObserver {
  /** One row per ISP per round, rounds in order and ISPs in node order within a round. */
  readonly rounds: IspRound[] = [];
  /** Totals by ISP node id, in node order. */
  readonly totals = new Map<string, IspTotals>();
  private readonly costs: CostModel;
  private readonly roundSeconds: number;

  /** @param roundSeconds the scenario's round length, seconds. */
  constructor(roundSeconds: number, costs: CostModel = ZERO_COSTS) {
    this.roundSeconds = roundSeconds;
    this.costs = costs;
  }

  onRound(report: RoundReport, simulation: Simulation): void {
    const t = simulation.topology;
    const cost = new Float64Array(t.nodeIds.length);
    for (let l = 0; l < t.linkCount; l++) {
      const from = t.linkFrom[l]!;
      if (t.nodeKind[from] === KIND_HOST) continue;
      cost[from]! += (report.links.carriedBits[l]! / 1e6) * this.costs.perMegabit + this.costs.perLinkPerSecond * this.roundSeconds;
    }
    for (let n = 0; n < t.nodeIds.length; n++) {
      if (t.nodeKind[n] === KIND_HOST) continue;
      const isp = t.nodeIds[n]!;
      const revenue = report.kept[n]!;
      const row = { round: report.round, isp, revenue, cost: cost[n]!, profit: revenue - cost[n]! };
      this.rounds.push(row);
      const total = this.totals.get(isp) ?? { revenue: 0, cost: 0, profit: 0 };
      total.revenue += row.revenue;
      total.cost += row.cost;
      total.profit += row.profit;
      this.totals.set(isp, total);
    }
  }

  /** Revenue, cost and profit of all ISPs together, per round. */
  roundSums(): { round: number; revenue: number; cost: number; profit: number }[] {
    const sums: { round: number; revenue: number; cost: number; profit: number }[] = [];
    for (const row of this.rounds) {
      let last = sums[sums.length - 1];
      if (last === undefined || last.round !== row.round) sums.push((last = { round: row.round, revenue: 0, cost: 0, profit: 0 }));
      last.revenue += row.revenue;
      last.cost += row.cost;
      last.profit += row.profit;
    }
    return sums;
  }
}
