/**
 * ISPs' revenue, the pricing paper's Eq. 2: R = Σ_t Σ_i x_i(t) · p_i(t), the bandwidth each user
 * obtained times its path price, summed over users and slots. In packets: every delivered
 * packet's payment (its path price) counted once, so R is in the scenario's integer money unit
 * and is exact (a BigInt). Beside it, `collected` is what the ISPs actually kept in the engine,
 * which also includes the tolls of packets dropped further along their path.
 */
import type { RoundReport, Simulation, SimulationObserver } from "../engine/simulation.js";
import { forEachFlowOfRound } from "./round-flows.js";

/** Eq. 2 revenue and what the engine's ISPs kept, in money units. */
export interface IspRevenueResult {
  /** Σ delivered packets × payment per packet (Eq. 2). */
  revenue: bigint;
  /** Σ units the ISPs kept, from delivered and dropped packets alike. */
  collected: bigint;
}

/** Adds up Eq. 2 over the rounds. */
export class IspRevenueReporter implements SimulationObserver {
  private revenue = 0n;
  private collected = 0n;
  private readonly agent: number | undefined;

  /** @param agent count only the flows of this user agent. */
  constructor(agent?: number) {
    this.agent = agent;
  }

  onRound(report: RoundReport, simulation: Simulation): void {
    let round = 0;
    if (this.agent === undefined) {
      // All flows: the shards' exact sum, so no pass over the flows here.
      round = report.flows.paid;
    } else {
      forEachFlowOfRound(simulation, this.agent, (_c, _row, delivered, payment) => {
        round += delivered * payment;
      });
    }
    // Integers below 2^53 add exactly in doubles; a round's sum stays far below at paper scale.
    this.revenue += BigInt(Math.round(round));
    let kept = 0;
    for (let n = 0; n < report.kept.length; n++) kept += report.kept[n]!;
    this.collected += BigInt(Math.round(kept));
  }

  result(): IspRevenueResult {
    return { revenue: this.revenue, collected: this.collected };
  }
}
