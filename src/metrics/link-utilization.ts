/**
 * Each link's peak utilization over the run (pricing paper, Figure 5 and section V): carried
 * bits over capacity, per directed link and round, and its maximum over the rounds observed.
 * The share of links whose peak stays at or under 50% is the paper's measure of
 * over-provisioned links (72% under static pricing, 52% under dynamic).
 */
import type { RoundReport, Simulation, SimulationObserver } from "../engine/simulation.js";

/** Peak utilization per directed link, and a summary. */
export interface LinkUtilizationResult {
  /** Peak carried/capacity per directed link, in link order. */
  peaks: Float64Array;
  /** Mean over links and rounds of carried/capacity. */
  meanUtilization: number;
  /** Share of links whose peak is ≤ `threshold`. */
  shareUnderThreshold: number;
  /** The threshold used (default 0.5). */
  threshold: number;
}

/** Tracks the peak utilization of every directed link. */
export class LinkUtilizationReporter implements SimulationObserver {
  private peaks: Float64Array | undefined;
  private sum = 0;
  private samples = 0;
  private readonly roundSeconds: number;
  private readonly fromRound: number;
  private readonly threshold: number;

  /**
   * @param roundSeconds the simulation's round length, seconds.
   * @param options.fromRound rounds before it are a warm-up and not counted (default 0).
   * @param options.threshold peak utilization a link must stay at or under (default 0.5).
   */
  constructor(roundSeconds: number, options: { fromRound?: number; threshold?: number } = {}) {
    this.roundSeconds = roundSeconds;
    this.fromRound = options.fromRound ?? 0;
    this.threshold = options.threshold ?? 0.5;
  }

  onRound(report: RoundReport, simulation: Simulation): void {
    const { linkCapacityBps, linkCount } = simulation.topology;
    const peaks = (this.peaks ??= new Float64Array(linkCount));
    if (report.round < this.fromRound) return;
    const seconds = this.roundSeconds;
    for (let l = 0; l < linkCount; l++) {
      const capacity = linkCapacityBps[l]! * seconds;
      const u = capacity > 0 ? report.links.carriedBits[l]! / capacity : 0;
      if (u > peaks[l]!) peaks[l] = u;
      this.sum += u;
    }
    this.samples += linkCount;
  }

  result(): LinkUtilizationResult {
    const peaks = this.peaks ?? new Float64Array(0);
    let under = 0;
    for (const peak of peaks) if (peak <= this.threshold) under++;
    return {
      peaks,
      meanUtilization: this.samples > 0 ? this.sum / this.samples : 0,
      shareUnderThreshold: peaks.length > 0 ? under / peaks.length : 0,
      threshold: this.threshold,
    };
  }
}
