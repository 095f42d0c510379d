/**
 * Users' utility measured on what actually left their pockets: Eq. 1 of the pricing paper,
 * U(t) = Σ_i F(x_i(t)) − x_i(t) p_i(t), with the payment term x_i p_i taken as the flow's net
 * spend in the round — units that left it inside packets minus the refunds that came back in
 * acknowledgments. That is the right price term for Bill-Pay flows, which put more in a packet
 * than the tolls and get the rest back. (`pricing-utility.ts` computes Eq. 1 with the payment per
 * packet as the price, as the pricing paper's users pay exactly the path price; for such users
 * the two agree.)
 *
 * The value of bandwidth is the concave F(x) = w · ln(1 + x / unit) money units per second (the
 * pricing model's `logUtility`); a flow active for a seconds of the round with d delivered data
 * bits is worth a · F(d / a).
 */
import type { RoundReport, Simulation, SimulationObserver } from "../engine/simulation.js";
import { logUtility } from "../mechanisms/pricing/price.js";
import { forEachFlowOfRound } from "./round-flows.js";

/** The value of bandwidth: F(x) = weight · ln(1 + x / bandwidthUnitBps) money units per second. */
export interface UtilityParams {
  /** Money units per second that ln(1 + x) is worth; the concavity comes from the logarithm. */
  weight: number;
  /** The unit x is measured in, bit/s (1e6: Mbps). */
  bandwidthUnitBps: number;
}

/** Defaults: the pricing model's w = 1000 money units per second, x in Mbps. */
export const DEFAULT_UTILITY: Readonly<UtilityParams> = Object.freeze({ weight: 1000, bandwidthUnitBps: 1e6 });

/**
 * What `deliveredBits` of data over `activeSeconds` is worth: a · w · ln(1 + x), x = d / a / unit.
 *
 * @example valueOfDelivery(12e6, 1, DEFAULT_UTILITY) // 12 Mbps for 1 s: 1000 · ln 13 ≈ 2564.95
 */
export function valueOfDelivery(deliveredBits: number, activeSeconds: number, params: UtilityParams): number {
  if (!(activeSeconds > 0)) return 0;
  return activeSeconds * logUtility(deliveredBits / activeSeconds / params.bandwidthUnitBps, params.weight);
}

/** Users' utility in one round, summed over the flows that sent in it. */
export interface UtilityRound {
  round: number;
  /** Σ a · F(x): what the delivered data was worth. */
  value: number;
  /** Σ net spend: units paid in packets minus units refunded in acknowledgments. */
  spend: number;
  /** value − spend: Eq. 1 for the round. */
  utility: number;
  /** Flows that sent in the round. */
  flows: number;
}

/**
 * Eq. 1 (net spend) per round, and each user agent's total (index = the scenario's flow index,
 * which is how tournaments rank user strategies).
 */
export class NetUtilityReporter implements SimulationObserver {
  /** One row per round. */
  readonly rounds: UtilityRound[] = [];
  /** Σ over rounds of value − spend, by user agent index. */
  readonly byAgent: number[] = [];
  private readonly params: UtilityParams;
  private readonly roundSeconds: number;

  /** @param roundSeconds the scenario's round length, seconds. */
  constructor(roundSeconds: number, params: UtilityParams = DEFAULT_UTILITY) {
    this.roundSeconds = roundSeconds;
    this.params = params;
  }

  onRound(report: RoundReport, simulation: Simulation): void {
    const start = report.time;
    const end = start + this.roundSeconds;
    let value = 0;
    let spend = 0;
    let flows = 0;
    forEachFlowOfRound(simulation, undefined, (c, i, delivered, _payment, packetBits) => {
      const active = Math.min(end, c.endTime[i]!) - Math.max(start, c.startTime[i]!);
      const v = valueOfDelivery(delivered * packetBits, active, this.params);
      const s = c.lastSpent[i]! - c.lastRefunded[i]!;
      value += v;
      spend += s;
      flows++;
      const agent = c.agent[i]!;
      while (this.byAgent.length <= agent) this.byAgent.push(0);
      this.byAgent[agent]! += v - s;
    });
    this.rounds.push({ round: report.round, value, spend, utility: value - spend, flows });
  }
}
