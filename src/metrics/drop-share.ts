/**
 * Share of packets dropped: of the data packets users sent (on the paying leg; in receiver-pays
 * mode, the requests), the share whose data never reached the receiver — lost to congestion
 * tolls, capacity, or an ISP that kept the payment and dropped the packet.
 *
 *   dropShare(t) = 1 − Σ delivered_i(t) / Σ sent_i(t)      (0 when nothing was sent)
 */
import type { RoundReport, Simulation, SimulationObserver } from "../engine/simulation.js";
import { forEachFlowOfRound } from "./round-flows.js";

/** Packets sent and delivered in one round. */
export interface DropRound {
  round: number;
  sent: number;
  delivered: number;
  /** 1 − delivered / sent, or 0 when nothing was sent. */
  dropShare: number;
}

/**
 * 1 − delivered / sent, clamped to [0, 1] (a flow that probes may get more back than it sent
 * in one leg's count); 0 when nothing was sent.
 *
 * @example dropShare(100, 75) // 0.25
 */
export function dropShare(sent: number, delivered: number): number {
  if (sent <= 0) return 0;
  return Math.min(1, Math.max(0, 1 - delivered / sent));
}

/** Sent and delivered data packets per round, and over the run. */
export class DropShareReporter implements SimulationObserver {
  /** One row per round. */
  readonly rounds: DropRound[] = [];

  onRound(report: RoundReport, simulation: Simulation): void {
    let sent = 0;
    let delivered = 0;
    forEachFlowOfRound(simulation, undefined, (c, i, got) => {
      sent += c.lastSent[i]!;
      delivered += got;
    });
    this.rounds.push({ round: report.round, sent, delivered, dropShare: dropShare(sent, delivered) });
  }

  /** Packets over the whole run and their drop share. */
  total(): { sent: number; delivered: number; dropShare: number } {
    let sent = 0;
    let delivered = 0;
    for (const r of this.rounds) {
      sent += r.sent;
      delivered += r.delivered;
    }
    return { sent, delivered, dropShare: dropShare(sent, delivered) };
  }
}
