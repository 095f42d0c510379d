/**
 * Users' total utility, the pricing paper's Eq. 1: U = Σ_t Σ_i (F_i(x_i(t)) − x_i(t) · p_i(t)),
 * with x the bandwidth a user obtained in a slot (Mbps), p its path price per bandwidth unit
 * (PU per Mbit) and F a concave utility of bandwidth (default `logUtility`, w · ln(1 + x)).
 * A round is the slot; a flow that lives only part of a round counts for the seconds it lived,
 * so its term is a · (F(x) − x·p) with a its active seconds and x its delivered bits / a, and
 * Σ a·x·p is exactly Eq. 2's revenue.
 */
import type { RoundReport, Simulation, SimulationObserver } from "../engine/simulation.js";
import { BITS_PER_BANDWIDTH_UNIT } from "../mechanisms/pricing/link-tariff.js";
import { DEFAULT_UTILITY_WEIGHT, logUtility, type UtilityFunction } from "../mechanisms/pricing/price.js";
import { forEachFlowOfRound } from "./round-flows.js";

/** Eq. 1 summed over users and rounds, in PU. */
export interface PricingUtilityResult {
  /** Σ a · (F(x) − x·p). */
  utility: number;
  /** Σ a · F(x): the value of the bandwidth obtained, before payment. */
  value: number;
  /** Flow-rounds counted. */
  terms: number;
}

/** Adds up Eq. 1 over the rounds. */
export class PricingUtilityReporter implements SimulationObserver {
  private utility = 0;
  private value = 0;
  private terms = 0;
  private readonly roundSeconds: number;
  private readonly moneyPerPU: number;
  private readonly utilityOf: UtilityFunction;
  private readonly agent: number | undefined;
  /** With all flows and the default utility it reads the shards' log-utility sums. */
  readonly readsFlowTotals: boolean;

  /**
   * @param roundSeconds the simulation's round length, seconds.
   * @param moneyPerPU money units per price unit (1000 for the milli-price-unit).
   * @param utility F_i, increasing and strictly concave in Mbps (default w · ln(1 + x), w = 1000 PU).
   * @param agent count only the flows of this user agent.
   */
  constructor(roundSeconds: number, moneyPerPU: number, utility: UtilityFunction = logUtility, agent?: number) {
    this.roundSeconds = roundSeconds;
    this.moneyPerPU = moneyPerPU;
    this.utilityOf = utility;
    this.agent = agent;
    this.readsFlowTotals = agent === undefined && utility === logUtility;
  }

  onRound(report: RoundReport, simulation: Simulation): void {
    if (this.readsFlowTotals) {
      // All flows, log utility: the shards' exact sum of its terms (without the weight, applied
      // here) and of what the flows paid, so no pass over the flows.
      const value = DEFAULT_UTILITY_WEIGHT * report.flows.logUtility;
      this.value += value;
      this.utility += value - report.flows.paid / this.moneyPerPU;
      this.terms += report.flows.utilityTerms;
      return;
    }
    const roundStart = report.time;
    const roundEnd = roundStart + this.roundSeconds;
    forEachFlowOfRound(simulation, this.agent, (c, row, delivered, payment, packetBits) => {
      const active = Math.min(roundEnd, c.endTime[row]!) - Math.max(roundStart, c.startTime[row]!);
      if (!(active > 0)) return;
      const mbit = (delivered * packetBits) / BITS_PER_BANDWIDTH_UNIT;
      const x = mbit / active;
      const pricePerMbit = packetBits > 0 ? (payment * BITS_PER_BANDWIDTH_UNIT) / (packetBits * this.moneyPerPU) : 0;
      const value = active * this.utilityOf(x);
      this.value += value;
      this.utility += value - mbit * pricePerMbit;
      this.terms++;
    });
  }

  result(): PricingUtilityResult {
    return { utility: this.utility, value: this.value, terms: this.terms };
  }
}
