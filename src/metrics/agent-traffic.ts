/**
 * What each user agent sent, got through and paid over a run: the per-user outcome a payment
 * strategy is judged by (Bill-Pay §3.1: throughput and spend of a bulk transfer, loss of
 * time-sensitive packets). The agent is the scenario's flow index (generated traffic is the one
 * agent after the listed flows), as in NetUtilityReporter.
 *
 *   throughputBps = Σ delivered data bits / Σ seconds active
 *   lossShare     = 1 − Σ delivered / Σ sent   (0 when nothing was sent)
 *   spent         = Σ (units paid in packets − units refunded in acknowledgments)
 *
 * Queueing delay is not measured: a round carries or drops each packet, so the delay a packet
 * sees is its path's propagation latency.
 */
import type { RoundReport, Simulation, SimulationObserver } from "../engine/simulation.js";
import { forEachFlowOfRound } from "./round-flows.js";

/** One agent's totals over the run. */
export interface AgentTraffic {
  sentPackets: number;
  deliveredPackets: number;
  /** Share of sent data packets that did not arrive, in [0, 1]. */
  lossShare: number;
  /** Delivered data bits per second of activity. */
  throughputBps: number;
  /** Units paid in packets net of refunds. */
  spent: number;
}

interface Sums {
  sent: number;
  delivered: number;
  bits: number;
  seconds: number;
  spent: number;
}

/** Adds up each agent's packets, bits, active seconds and net spend, round by round. */
export class AgentTrafficReporter implements SimulationObserver {
  private readonly sums: Sums[] = [];
  private readonly roundSeconds: number;

  /** @param roundSeconds the scenario's round length, seconds. */
  constructor(roundSeconds: number) {
    this.roundSeconds = roundSeconds;
  }

  onRound(report: RoundReport, simulation: Simulation): void {
    const start = report.time;
    const end = start + this.roundSeconds;
    forEachFlowOfRound(simulation, undefined, (c, i, delivered, _payment, packetBits) => {
      const agent = c.agent[i]!;
      while (this.sums.length <= agent) this.sums.push({ sent: 0, delivered: 0, bits: 0, seconds: 0, spent: 0 });
      const s = this.sums[agent]!;
      s.sent += c.lastSent[i]!;
      s.delivered += delivered;
      s.bits += delivered * packetBits;
      s.seconds += Math.max(0, Math.min(end, c.endTime[i]!) - Math.max(start, c.startTime[i]!));
      s.spent += c.lastSpent[i]! - c.lastRefunded[i]!;
    });
  }

  /** Totals by agent index (an agent that never sent has zeros). */
  byAgent(): AgentTraffic[] {
    return this.sums.map((s) => ({
      sentPackets: s.sent,
      deliveredPackets: s.delivered,
      lossShare: s.sent > 0 ? Math.max(0, 1 - s.delivered / s.sent) : 0,
      throughputBps: s.seconds > 0 ? s.bits / s.seconds : 0,
      spent: s.spent,
    }));
  }
}
