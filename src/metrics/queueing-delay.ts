/**
 * Queueing delay of a round's packets (docs/billpay.md, "Delay"). A round carries or drops each
 * packet; this module adds the wait a carried packet would see in the link's queue, from what the
 * link carried in the round, so a delivered packet's delay is
 *
 *   delay = Σ over its route's links (propagation latency + queueing wait of its class there).
 *
 * A Bill-Pay ISP that schedules by payment serves packets that paid their tolls in full first
 * (`computeAdmission` in engine/pipeline.ts), so each link is a two-class non-preemptive priority
 * queue (Cobham's formula, as in Kleinrock, Queueing Systems vol. II, §3.6), with M/M/1 service:
 *
 *   1/μ = mean carried packet bits / capacity bps        (mean service time, s)
 *   ρ   = carried bits / capacity bits                    (carried utilization of the round)
 *   σ1  = carried premium bits / capacity bits            (utilization of the first class)
 *   W0  = ρ / μ                                           (mean residual work found on arrival)
 *   W1  = W0 / (1 − σ1)                                   (paid in full)
 *   W2  = W0 / ((1 − σ1)(1 − ρ))                          (everyone else)
 *
 * each capped at the link's buffer, `maxWaitMs` (a packet never waits longer than a full buffer
 * takes to drain), so ρ → 1 stays finite. Under FIFO scheduling (`scheduling: "fifo"`) there is
 * one class: W = W0 / (1 − ρ) (the same formula with σ1 = 0), capped alike.
 *
 * Which class a packet was in at each link is replayed from its payment and the round's tariffs
 * with the scalar rule that `hopLocal` runs (the hop steps of mechanisms/billpay/tolls.ts):
 * premium at a link when it paid a positive toll there in full and its previous link's sender is
 * in good standing.
 */
import { afterFixedToll, carriedOn, congestionDropProbability, fixedTollDue, hopClass } from "../mechanisms/billpay/tolls.js";
import type { LinkTotals } from "../engine/pipeline.js";

/** The default buffer: the longest a packet waits at one link, ms. */
export const DEFAULT_MAX_WAIT_MS = 50;

/**
 * The mean wait at one link, ms, of the first class (`premium`) or the second.
 * @param carriedBits, carriedPremiumBits, carriedPackets what the link carried in the round
 * @param capacityBps the link's capacity; `roundSeconds` the round's length
 * (A worked one-link and two-link case: test/metrics/queueing-delay.test.ts.)
 */
export function linkWaitMs(
  carriedBits: number, carriedPremiumBits: number, carriedPackets: number,
  capacityBps: number, roundSeconds: number, premium: boolean, byPayment: boolean, maxWaitMs: number,
): number {
  if (carriedPackets <= 0 || capacityBps <= 0) return 0;
  const capacityBits = capacityBps * roundSeconds;
  const rho = Math.min(1, carriedBits / capacityBits);
  const sigma1 = byPayment ? Math.min(1, carriedPremiumBits / capacityBits) : 0;
  const serviceMs = (1000 * carriedBits) / carriedPackets / capacityBps;
  const w0 = rho * serviceMs;
  const first = 1 - sigma1;
  const wait = byPayment && premium ? w0 / first : w0 / (first * (1 - rho));
  return Number.isFinite(wait) ? Math.min(maxWaitMs, wait) : maxWaitMs;
}

/** The tariff columns the class replay reads (a RoundReport's `tariffs`). */
export interface TariffColumns {
  perPacket: Float64Array;
  perByte: Float64Array;
  proportional: Float64Array;
  congestion: Float64Array;
}

/** What the route of one batch needs: its links, the hosts among senders, the standing. */
export interface RouteContext {
  tariffs: TariffColumns;
  senderIsHost: (link: number) => boolean;
  /** 1 at a link whose receiver denied its sender preferential service in the round played. */
  noPremium: Readonly<Uint8Array>;
}

/**
 * Visits each link of `links` with whether a packet carrying `payment` at the first hop was in the
 * first class there (hopLocal's rule). Packets that underpaid a congestion toll were dropped or
 * carry nothing on; only delivered packets are weighed, so those are the ones classed here.
 * Returns what the packet carries past the last link (what reaches the payee).
 */
export function forEachHopClass(route: RouteContext, links: Int32Array, payment: number, bytes: number, visit: (link: number, premium: boolean) => void): number {
  const { tariffs } = route;
  for (let h = 0; h < links.length; h++) {
    const link = links[h]!;
    let premium = false;
    if (!route.senderIsHost(link)) {
      const due = fixedTollDue(tariffs.perPacket[link]!, tariffs.perByte[link]!, tariffs.proportional[link]!, payment, bytes);
      const left = afterFixedToll(due, payment);
      const congestion = tariffs.congestion[link]!;
      const dropProbability = congestionDropProbability(congestion, left);
      const previous = h > 0 ? links[h - 1]! : -1;
      premium = hopClass(due, congestion, payment, dropProbability, previous < 0 || route.noPremium[previous] === 0) === 1;
      payment = carriedOn(left, congestion, dropProbability);
    }
    visit(link, premium);
  }
  return payment;
}

/** The queueing waits of every link in one round, by class, ms. */
export function roundWaits(links: Readonly<LinkTotals>, capacityBps: Float64Array, roundSeconds: number, byPayment: boolean, maxWaitMs: number): { premium: Float64Array; normal: Float64Array } {
  const n = capacityBps.length;
  const premium = new Float64Array(n);
  const normal = new Float64Array(n);
  for (let l = 0; l < n; l++) {
    const args = [links.carriedBits[l]!, links.carriedPremiumBits[l]!, links.carriedPackets[l]!, capacityBps[l]!, roundSeconds] as const;
    premium[l] = linkWaitMs(...args, true, byPayment, maxWaitMs);
    normal[l] = linkWaitMs(...args, false, byPayment, maxWaitMs);
  }
  return { premium, normal };
}
