/**
 * Price per bandwidth unit (pricing paper, Table I, second row): what users paid per Mbit they
 * obtained, i.e. the path price p of Eq. 1 and 2 averaged over delivered traffic. It equals
 * Eq. 2's revenue divided by the bandwidth-seconds delivered, so revenue = unit price × volume.
 * Also kept: the plain mean of the link prices announced (per link and round), for comparison.
 */
import type { RoundReport, Simulation, SimulationObserver } from "../engine/simulation.js";
import { BITS_PER_BANDWIDTH_UNIT, linkPriceOfToll } from "../mechanisms/pricing/link-tariff.js";
import { forEachFlowOfRound } from "./round-flows.js";

/** Mean prices in price units (PU) per bandwidth unit (Mbit). */
export interface UnitPriceResult {
  /** Σ payment of delivered packets / Σ delivered Mbit, PU per Mbit. */
  pathPricePerMbit: number;
  /** Mean over links and rounds of the announced link price, PU per Mbit (links carrying ISP tolls). */
  meanLinkPrice: number;
  /** Mbit delivered. */
  deliveredMbit: number;
}

/** Volume-weighted path price and mean link price. */
export class UnitPriceReporter implements SimulationObserver {
  private paid = 0;
  private bits = 0;
  private linkPriceSum = 0;
  private linkRounds = 0;
  private readonly moneyPerPU: number;
  private readonly agent: number | undefined;

  /**
   * @param moneyPerPU money units per price unit (1000 for the milli-price-unit).
   * @param agent count only the flows of this user agent.
   */
  constructor(moneyPerPU: number, agent?: number) {
    this.moneyPerPU = moneyPerPU;
    this.agent = agent;
  }

  onRound(report: RoundReport, simulation: Simulation): void {
    if (this.agent === undefined) {
      // All flows: the shards' exact sums (whole numbers), so no pass over the flows here.
      this.paid += report.flows.paid;
      this.bits += report.flows.deliveredBits;
    } else {
      forEachFlowOfRound(simulation, this.agent, (_c, _row, delivered, payment, packetBits) => {
        this.paid += delivered * payment;
        this.bits += delivered * packetBits;
      });
    }
    const { perByte } = report.tariffs;
    const { linkFrom, nodeKind } = simulation.topology;
    for (let l = 0; l < perByte.length; l++) {
      if (nodeKind[linkFrom[l]!] !== 0) continue; // hosts charge nothing
      this.linkPriceSum += linkPriceOfToll(perByte[l]!, this.moneyPerPU);
      this.linkRounds++;
    }
  }

  result(): UnitPriceResult {
    const mbit = this.bits / BITS_PER_BANDWIDTH_UNIT;
    return {
      pathPricePerMbit: mbit > 0 ? this.paid / this.moneyPerPU / mbit : 0,
      meanLinkPrice: this.linkRounds > 0 ? this.linkPriceSum / this.linkRounds : 0,
      deliveredMbit: mbit,
    };
  }
}
