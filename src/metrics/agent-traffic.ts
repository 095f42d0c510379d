/**
 * What each user agent sent, got through and paid over a run: the per-user outcome a payment
 * strategy is judged by (Bill-Pay §3.1: throughput and spend of a bulk transfer, loss of
 * time-sensitive packets). The agent is the scenario's flow index (generated traffic is the one
 * agent after the listed flows), as in NetUtilityReporter.
 *
 *   throughputBps = Σ delivered data bits / Σ seconds active
 *   lossShare     = 1 − Σ delivered / Σ sent   (0 when nothing was sent)
 *   spent         = Σ (units paid in packets − units refunded in acknowledgments)
 *   delayMs       = Σ delivered × delay / Σ delivered   (data packets; delay per queueing-delay.ts)
 *   lateShare     = Σ delivered with delay > the flow's deadlineMs / Σ delivered
 *
 * A delivered packet's delay is Σ over its route's links of propagation latency plus the
 * queueing wait of its class (metrics/queueing-delay.ts), on the route the data took: the
 * offered path, or the route user-OADs steered them onto (flow column `lastRoute`, whose links the
 * shard hosts keep: FlowColumnsView.steeredLinks); for a receiver-pays flow, the return route, at
 * the payment the requests left for it. delayMs and lateShare are 0 when nothing was measured.
 */
import type { RoundReport, Simulation, SimulationObserver } from "../engine/simulation.js";
import { KIND_HOST } from "../model/topology.js";
import { receiverKept } from "../mechanisms/billpay/tolls.js";
import { DEFAULT_MAX_WAIT_MS, forEachHopClass, roundWaits, type RouteContext } from "./queueing-delay.js";
import { forEachFlowOfRound } from "./round-flows.js";

/** How the reporter weighs delay: the scheduling, each agent's deadline and the buffer. */
export interface DelayOptions {
  /** The scenario schedules by payment (two classes) rather than FIFO. */
  byPayment: boolean;
  /** Deadline per agent index, ms (undefined: none, lateShare 0). */
  deadlinesMs: readonly (number | undefined)[];
  /** Longest wait at one link, ms (default DEFAULT_MAX_WAIT_MS). */
  maxWaitMs?: number;
}

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
  /** Mean delay of the delivered data packets measured, ms. */
  delayMs: number;
  /** Share of the delivered data packets measured that arrived after the agent's deadline. */
  lateShare: number;
}

interface Sums {
  sent: number;
  delivered: number;
  bits: number;
  seconds: number;
  spent: number;
  /** Delivered packets whose delay was measured, Σ of their delays (ms), and how many were late. */
  timed: number;
  delaySum: number;
  late: number;
}

/** Adds up each agent's packets, bits, active seconds and net spend, round by round. */
export class AgentTrafficReporter implements SimulationObserver {
  private readonly sums: Sums[] = [];
  private readonly roundSeconds: number;
  private readonly delay: DelayOptions;
  /** The standing the round just played was under (premiumDenied() is already next round's). */
  private standing: Uint8Array | null = null;

  /**
   * @param roundSeconds the scenario's round length, seconds.
   * @param delay scheduling and deadlines (default: FIFO, no deadlines).
   */
  constructor(roundSeconds: number, delay: DelayOptions = { byPayment: false, deadlinesMs: [] }) {
    this.roundSeconds = roundSeconds;
    this.delay = delay;
  }

  onRound(report: RoundReport, simulation: Simulation): void {
    const start = report.time;
    const end = start + this.roundSeconds;
    const { topology } = simulation;
    const standing = this.standing ?? new Uint8Array(topology.linkCount);
    const waits = roundWaits(report.links, topology.linkCapacityBps, this.roundSeconds, this.delay.byPayment, this.delay.maxWaitMs ?? DEFAULT_MAX_WAIT_MS);
    const route: RouteContext = {
      tariffs: report.tariffs,
      senderIsHost: (l) => topology.nodeKind[topology.linkFrom[l]!] === KIND_HOST,
      noPremium: standing,
    };
    forEachFlowOfRound(simulation, undefined, (c, i, delivered, payment, packetBits, table) => {
      const agent = c.agent[i]!;
      while (this.sums.length <= agent) this.sums.push({ sent: 0, delivered: 0, bits: 0, seconds: 0, spent: 0, timed: 0, delaySum: 0, late: 0 });
      const s = this.sums[agent]!;
      s.sent += c.lastSent[i]!;
      s.delivered += delivered;
      s.bits += delivered * packetBits;
      s.seconds += Math.max(0, Math.min(end, c.endTime[i]!) - Math.max(start, c.startTime[i]!));
      s.spent += c.lastSpent[i]! - c.lastRefunded[i]!;
      if (delivered === 0) return;
      // The paying leg's route: the one user-OADs steered it onto, or the offered path.
      const steered = c.lastRoute[i]!;
      const paying = steered >= 0 ? table.steeredLinks?.[steered] : simulation.offeredPaths.offered(c.payer[i]!, c.payee[i]!)[c.lastPath[i]!]?.links;
      if (paying === undefined) return;
      let delayMs = 0;
      const add = (link: number, premium: boolean): void => {
        delayMs += topology.linkLatencyMs[link]! + (premium ? waits.premium[link]! : waits.normal[link]!);
      };
      if (c.classes.dataLeg[c.flowClass[i]!] === 0) forEachHopClass(route, paying, payment, packetBits / 8, add);
      else {
        // Receiver pays: the data comes back on the return leg, carrying what the request
        // brought to the payee less what the payee keeps (as buildReturnLeg pays it).
        const reached = forEachHopClass(route, paying, payment, c.classes.payingLegBits[c.flowClass[i]!]! / 8, () => undefined);
        const back = simulation.offeredPaths.offered(c.payee[i]!, c.payer[i]!);
        const returning = back[Math.min(c.classes.returnPath[c.flowClass[i]!]!, back.length - 1)];
        if (returning === undefined) return;
        forEachHopClass(route, returning.links, reached - receiverKept(c.classes.keepPerPacket[c.flowClass[i]!]!, c.classes.keepFraction[c.flowClass[i]!]!, reached), packetBits / 8, add);
      }
      s.timed += delivered;
      s.delaySum += delivered * delayMs;
      const deadline = this.delay.deadlinesMs[agent];
      if (deadline !== undefined && delayMs > deadline) s.late += delivered;
    });
    this.standing = Uint8Array.from(simulation.premiumDenied());
  }

  /** Totals by agent index (an agent that never sent has zeros). */
  byAgent(): AgentTraffic[] {
    return this.sums.map((s) => ({
      sentPackets: s.sent,
      deliveredPackets: s.delivered,
      lossShare: s.sent > 0 ? Math.max(0, 1 - s.delivered / s.sent) : 0,
      throughputBps: s.seconds > 0 ? s.bits / s.seconds : 0,
      spent: s.spent,
      delayMs: s.timed > 0 ? s.delaySum / s.timed : 0,
      lateShare: s.timed > 0 ? s.late / s.timed : 0,
    }));
  }
}
