/**
 * Short builders for the observations of a strategy's behaviour script (see versus.ts): each
 * fills in plausible defaults, so a script names only what the step is about.
 */
import type { AckReport, IspLinkObservation, IspObservation, OfferedPathView, UserObservation } from "../agents/strategy.js";
import { FREE_TARIFF } from "../mechanisms/billpay/tolls.js";

/**
 * Offered paths with these announced prices, in order: path i visits A, X<i>, B, with a latency
 * of 10 ms (or `latencyMs[i]`).
 *
 * @example priced(3, 5) // two paths, A-X0-B at 3 and A-X1-B at 5
 */
export function priced(...prices: number[]): OfferedPathView[] {
  return prices.map((price, i) => ({ nodes: ["A", `X${i}`, "B"], price, latencyMs: 10 }));
}

/** Offered paths with these (price, latency in ms) pairs. */
export function pricedWithLatency(...paths: [price: number, latencyMs: number][]): OfferedPathView[] {
  return paths.map(([price, latencyMs], i) => ({ nodes: ["A", `X${i}`, "B"], price, latencyMs }));
}

/** Last round's acknowledgment report: 100 packets sent and delivered on path 0, unless told otherwise. */
export function acked(report: Partial<AckReport> = {}): AckReport {
  return {
    sent: 100, delivered: 100, acknowledged: 100, spent: 0, refunded: 0, tollPerPacket: 0, throughputBps: 1.2e6, path: 0, ispOads: [],
    ...report,
  };
}

/** A user's observation: 100 packets of 12,000 bits wanted in round 0 of a long flow, unless told otherwise. */
export function user(observation: Partial<UserObservation> = {}): UserObservation {
  return {
    round: 0, user: "A->B", roundSeconds: 1, demandPackets: 100, packetBits: 12_000, age: 0, remainingSeconds: null,
    paths: priced(1), last: null, cumulativeSpent: 0,
    ...observation,
  };
}

/** One of an ISP's links as it saw it last round: a link of 1 Gbit per round at `load`, unless told otherwise. */
export function ispLink(link: Partial<IspLinkObservation> & { load?: number } = {}): IspLinkObservation {
  const capacity = link.capacityBitsPerRound ?? 1e9;
  const load = link.load ?? 0;
  return {
    link: 0, to: "N", relation: "customer", capacityBitsPerRound: capacity, offeredBits: load * capacity,
    carriedBits: Math.min(1, load) * capacity, carriedPackets: 0, droppedPackets: 0, utilization: Math.min(1, load), load,
    revenue: 0, tariff: { ...FREE_TARIFF },
    ...link,
  };
}

/** An ISP's observation of its links in `round` (0 unless told otherwise), with no neighbours' or rivals' prices unless given. */
export function isp(links: IspLinkObservation[], observation: Partial<Omit<IspObservation, "links">> = {}): IspObservation {
  return { round: 0, isp: "X", roundSeconds: 1, revenue: 0, cumulativeRevenue: 0, neighbours: [], rivals: [], links, ...observation };
}
