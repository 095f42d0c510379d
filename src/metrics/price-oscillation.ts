/**
 * Price oscillation: how each link's price moves from round to round. A link's price is the toll
 * its owner announces for a reference data packet (default 1500 bytes), before rounding:
 *
 *   price_l(t) = perPacket_l(t) + perByte_l(t) · bytes + congestion_l(t)
 *
 * (proportional tolls depend on the payment and are left out). Over a run, per link:
 *
 * - volatility: the standard deviation of the round-to-round changes (`volatility` in stats.ts);
 * - dominant period: the period of the strongest Fourier component of the series, in seconds,
 *   with the share of the variance it carries (`dominantPeriod`, mathjs FFT);
 * - settling time: the time from which the price stays within ±ε of its final value
 *   (`timeToSettle`); null when it did not settle in the run. A price counts as settled only if
 *   it stayed in its final band for at least the last quarter of the run (and 2 rounds): a price
 *   held between updates, or caught between two swings, at the end of a run has not converged.
 *
 * Only links "in play" are summarised: links an ISP sends on that carried traffic or changed
 * price at some round. The run's figures: the mean volatility over them, the most volatile link
 * and its dominant period, and the latest settling time (null if any of them never settled).
 */
import type { RoundReport, Simulation, SimulationObserver } from "../engine/simulation.js";
import { KIND_HOST } from "../model/topology.js";
import { dominantPeriod, timeToSettle, volatility } from "./stats.js";

/** Default size of the reference packet whose announced toll is the link price, bytes. */
export const REFERENCE_PACKET_BYTES = 1500;

/** How one link's price moved over a run. */
export interface LinkOscillation {
  link: number;
  from: string;
  to: string;
  /** Mean price over the rounds. */
  mean: number;
  /** Standard deviation of the round-to-round price changes. */
  volatility: number;
  /** Period of the strongest oscillation, seconds; null for a constant price. */
  periodSec: number | null;
  /** Share of the price's variance at that period, in [0, 1]; 0 for a constant price. */
  power: number;
  /** Seconds from the start until the price stays within ±ε of its final value; null if it did not settle (see the module comment). */
  settleSec: number | null;
}

/** The run's price oscillation, over the links in play. */
export interface PriceOscillation {
  /** Links in play. */
  links: number;
  /** Mean volatility over the links in play (0 when none). */
  meanVolatility: number;
  /** The most volatile link, or null when no link is in play. */
  mostVolatile: LinkOscillation | null;
  /** Dominant period of the most volatile link's price, seconds; null when prices never move. */
  dominantPeriodSec: number | null;
  /** Latest settling time over the links in play, seconds; null if some price never settles. */
  settleSec: number | null;
  /** The ε used for settling, in money units. */
  epsilon: number;
  /** Every link in play, in link order. */
  perLink: LinkOscillation[];
}

/**
 * How one price series moved: volatility, dominant period and settling time.
 *
 * @param series the price at each round, in order.
 * @param roundSeconds seconds per round (periods and settling times come out in seconds).
 * @param epsilon half-width of the settling band, money units.
 * @example
 * // A price that flips between 10 and 14 every 2 rounds, for 16 rounds: period 4 rounds.
 * seriesOscillation([10, 10, 14, 14, 10, 10, 14, 14, 10, 10, 14, 14, 10, 10, 14, 14], 1, 0.5);
 * // { mean: 12, volatility: ≈2.72, periodSec: 4, power: 1 (all the variance), settleSec: null }
 */
export function seriesOscillation(series: readonly number[], roundSeconds: number, epsilon: number): Omit<LinkOscillation, "link" | "from" | "to"> {
  const mean = series.length > 0 ? series.reduce((s, v) => s + v, 0) / series.length : 0;
  const period = dominantPeriod(series, roundSeconds);
  const settleIndex = timeToSettle(series, epsilon);
  const n = series.length;
  const settled = settleIndex !== null && (n === 1 || n - settleIndex >= Math.max(2, Math.ceil(n / 4)));
  return {
    mean,
    volatility: volatility(series),
    periodSec: period?.period ?? null,
    power: period?.power ?? 0,
    settleSec: settled ? settleIndex * roundSeconds : null,
  };
}

/** Records each ISP link's price every round, then summarises the oscillation. */
export class PriceOscillationReporter implements SimulationObserver {
  /** Prices by round: `prices[t][j]` is the price of `links[j]` in round t. */
  readonly prices: Float64Array[] = [];
  /** The links recorded (those whose sender is an ISP), set in the first round. */
  links: Int32Array = new Int32Array(0);
  private carried: Uint8Array = new Uint8Array(0);
  private names: { from: string; to: string }[] = [];
  private readonly packetBytes: number;

  constructor(packetBytes = REFERENCE_PACKET_BYTES) {
    this.packetBytes = packetBytes;
  }

  onRound(report: RoundReport, simulation: Simulation): void {
    const t = simulation.topology;
    if (this.prices.length === 0) {
      const links: number[] = [];
      for (let l = 0; l < t.linkCount; l++) if (t.nodeKind[t.linkFrom[l]!] !== KIND_HOST) links.push(l);
      this.links = Int32Array.from(links);
      this.carried = new Uint8Array(links.length);
      this.names = links.map((l) => ({ from: t.nodeIds[t.linkFrom[l]!]!, to: t.nodeIds[t.linkTo[l]!]! }));
    }
    const { perPacket, perByte, congestion } = report.tariffs;
    const row = new Float64Array(this.links.length);
    this.links.forEach((l, j) => {
      row[j] = perPacket[l]! + perByte[l]! * this.packetBytes + congestion[l]!;
      if (report.links.carriedBits[l]! > 0) this.carried[j] = 1;
    });
    this.prices.push(row);
  }

  /** The price series of the j-th recorded link. */
  series(j: number): number[] {
    return this.prices.map((row) => row[j]!);
  }

  /** Summary over the links in play (see the module comment). */
  summarize(roundSeconds: number, epsilon: number): PriceOscillation {
    const perLink: LinkOscillation[] = [];
    this.links.forEach((link, j) => {
      const series = this.series(j);
      const moved = series.some((v) => v !== series[0]);
      if (this.carried[j] === 0 && !moved) return;
      perLink.push({ link, ...this.names[j]!, ...seriesOscillation(series, roundSeconds, epsilon) });
    });
    let mostVolatile: LinkOscillation | null = null;
    for (const l of perLink) if (mostVolatile === null || l.volatility > mostVolatile.volatility) mostVolatile = l;
    const settle = perLink.map((l) => l.settleSec);
    return {
      links: perLink.length,
      meanVolatility: perLink.length > 0 ? perLink.reduce((s, l) => s + l.volatility, 0) / perLink.length : 0,
      mostVolatile,
      dominantPeriodSec: mostVolatile !== null && mostVolatile.volatility > 0 ? mostVolatile.periodSec : null,
      settleSec: settle.includes(null) ? null : settle.reduce<number>((m, s) => Math.max(m, s ?? 0), 0),
      epsilon,
      perLink,
    };
  }
}
