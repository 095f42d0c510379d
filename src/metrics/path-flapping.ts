/**
 * Path flapping: how often flows change path, as path switches per flow per simulated minute.
 *
 *   run:    Σ_flows switches_i / Σ_flows (duration_i / 60 s)
 *   round:  switches in round t / (flows sending in t · Δt / 60 s)
 *
 * Over the run this weighs flows by their duration, so a long flow that switches once a minute
 * and a short one that switches once in its minute count alike, and flows of no duration do not
 * divide by zero. A switch is counted by the engine when a flow sends on another offered path
 * than in its previous round (`FlowRecord.pathSwitches`).
 */
import type { FlowRecord, RoundReport, Simulation, SimulationObserver } from "../engine/simulation.js";

/** Path switches in one round. */
export interface FlappingRound {
  round: number;
  switches: number;
  /** Flows that sent in the round. */
  flows: number;
  /** switches / (flows · Δt / 60), 0 when no flow sent. */
  switchesPerFlowMinute: number;
}

/**
 * Switches per flow per minute: `switches / flowMinutes`, 0 when there were no flow-minutes.
 *
 * @example switchesPerFlowMinute(30, 10) // 3
 */
export function switchesPerFlowMinute(switches: number, flowMinutes: number): number {
  return flowMinutes > 0 ? switches / flowMinutes : 0;
}

/** Path switches per round and over the run. */
export class PathFlappingReporter implements SimulationObserver {
  /** One row per round. */
  readonly rounds: FlappingRound[] = [];
  private readonly roundSeconds: number;
  /** Switches of flows that already ended, so per-round counts survive flows leaving the table. */
  private endedSwitches = 0;
  private previousTotal = 0;
  private flowSeconds = 0;
  private flowSwitches = 0;
  private flowCount = 0;

  /** @param roundSeconds the scenario's round length, seconds. */
  constructor(roundSeconds: number) {
    this.roundSeconds = roundSeconds;
  }

  onRound(report: RoundReport, simulation: Simulation): void {
    let total = this.endedSwitches;
    let flows = 0;
    simulation.forEachFlow((c, i) => {
      total += c.pathSwitches[i]!;
      if (c.hasReport[i] === 1) flows++;
    });
    const switches = total - this.previousTotal;
    this.previousTotal = total;
    this.rounds.push({
      round: report.round, switches, flows,
      switchesPerFlowMinute: switchesPerFlowMinute(switches, (flows * this.roundSeconds) / 60),
    });
  }

  onFlowEnd(record: FlowRecord): void {
    this.endedSwitches += record.pathSwitches;
    this.flowSwitches += record.pathSwitches;
    this.flowSeconds += Math.max(0, record.durationSec);
    this.flowCount++;
  }

  /** Over the flows that ended (all of them once the run is finished). */
  total(): { flows: number; switches: number; flowMinutes: number; switchesPerFlowMinute: number } {
    const flowMinutes = this.flowSeconds / 60;
    return { flows: this.flowCount, switches: this.flowSwitches, flowMinutes, switchesPerFlowMinute: switchesPerFlowMinute(this.flowSwitches, flowMinutes) };
  }
}
