import { z } from "zod";
import { defineUserStrategy, sharesIspLink, MAX_PAYMENT, type DuplicateRequest } from "tollway/strategy";

/** What the flow remembers: its pinned path, its last payment and the toll estimates of recent rounds. */
interface CongestionQuantileState {
  /** Offered path chosen in the first round and kept; -1 before it. */
  path: number;
  /** Units put in each packet last round. */
  payment: number;
  /** One toll estimate per recent round that sent packets, oldest first. */
  tolls: number[];
}

interface CongestionQuantileParams {
  maxLatencyMs: number;
  quantile: number;
  margin: number;
  memory: number;
  initialPayment: number;
  budgetPerPacket: number;
  duplicateShare: number;
}

/** Last round's report, as both forms read it. */
interface Report {
  sent: number;
  delivered: number;
  acknowledged: number;
  tollPerPacket: number;
}

/**
 * What a round says about the toll a packet needed, from acknowledgments and drops alone (no
 * price beacons), `payment` being what each packet carried:
 *  - no loss: the toll paid, `tollPerPacket` (payment − refund per acknowledged packet);
 *  - a share L of the packets lost, 0 < L < 1: a congestion toll c drops an underpaying packet
 *    with probability (c − p)/c (Bill-Pay §2.1), so L = (c − p)/c gives c = p / (1 − L);
 *  - everything lost, or nothing paid: the toll is unknown but above the payment, so double it
 *    (at least 1 unit).
 * A loss that is not a congestion drop (a full link) reads as a toll too: the estimate errs high.
 * Returns null when nothing was sent.
 *
 * @example tollEstimate({ sent: 100, delivered: 60, acknowledged: 60, tollPerPacket: 6 }, 6) // 6 / 0.6 = 10
 */
function tollEstimate(report: Report, payment: number): number | null {
  if (report.sent <= 0) return null;
  const loss = Math.min(1, Math.max(0, 1 - report.delivered / report.sent));
  if (loss === 0) return report.acknowledged > 0 ? report.tollPerPacket : payment;
  if (loss < 1 && payment > 0) return payment / (1 - loss);
  return 2 * Math.max(1, payment);
}

/**
 * The q-quantile of `values` by the nearest-rank rule: the smallest value with at least q·n of
 * the values at or below it.
 *
 * @example nearestRank([4, 1, 3, 2], 0.9) // sorted 1 2 3 4, rank ⌈3.6⌉ = 4: 4
 */
function nearestRank(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

/**
 * The cheapest of `count` paths whose latency is within `maxLatencyMs` (the first of equals), or
 * the cheapest of all when none is.
 */
function pathWithin(count: number, price: (p: number) => number, latencyMs: (p: number) => number, maxLatencyMs: number): number {
  let chosen = -1;
  for (let p = 0; p < count; p++) {
    if (latencyMs(p) <= maxLatencyMs && (chosen < 0 || price(p) < price(chosen))) chosen = p;
  }
  if (chosen >= 0) return chosen;
  chosen = 0;
  for (let p = 1; p < count; p++) if (price(p) < price(chosen)) chosen = p;
  return chosen;
}

/**
 * Where copies go: the cheapest of `count` paths that shares no ISP link with path `own` (the
 * first of equals), whatever its latency; undefined when no copies are wanted or no path
 * qualifies.
 *
 * @example copiesOn(0.5, 0, 2, (p) => [["A", "X", "Y", "B"], ["A", "X", "Z", "B"]][p]!, () => 1) // { path: 1, share: 0.5 }
 */
function copiesOn(share: number, own: number, count: number, nodes: (p: number) => readonly string[], price: (p: number) => number): DuplicateRequest | undefined {
  if (share <= 0) return undefined;
  let chosen = -1;
  for (let p = 0; p < count; p++) {
    if (p === own || sharesIspLink(nodes(own), nodes(p))) continue;
    if (chosen < 0 || price(p) < price(chosen)) chosen = p;
  }
  return chosen < 0 ? undefined : { path: chosen, share };
}

/**
 * One round of the rule, shared by both forms: learn from last round's report (null in the first
 * round), then pay margin × the quantile of the remembered estimates, whole units, within the budget.
 * `choosePath` picks the path in the first round.
 */
function insure(state: CongestionQuantileState, params: CongestionQuantileParams, pathCount: number, choosePath: () => number, report: Report | null): CongestionQuantileState {
  const path = state.path >= 0 && state.path < pathCount ? state.path : choosePath();
  const estimate = report === null ? null : tollEstimate(report, state.payment);
  const tolls = estimate === null ? state.tolls : [...state.tolls, estimate].slice(-params.memory);
  const wanted = tolls.length === 0 ? params.initialPayment : Math.ceil(params.margin * nearestRank(tolls, params.quantile));
  return { path, payment: Math.min(params.budgetPerPacket, wanted), tolls };
}

/**
 * Bill-Pay §3.1, time-sensitive traffic: choose the path in advance (the cheapest announced one
 * within a latency bound) and keep it, so no important packet is lost exploring; set the
 * nanopayment "large enough to get them past typical congestion events": a high quantile of the
 * tolls that recent acknowledgments and drops revealed. Unlike `time-sensitive`, it does not read
 * the announced congestion toll before it pays: it learns from what came back, as a Bill-Pay host
 * without price beacons must. With `duplicateShare` above 0 it also "exploits the existence of
 * multiple independent paths" (§3.1): that share of its packets goes a second time, at the same
 * payment, on the cheapest offered path that shares no ISP link with its own (`copiesOn`).
 */
export default defineUserStrategy({
  id: "congestion-quantile",
  name: "Congestion quantile",
  params: z.object({
    /** Paths slower than this are not chosen unless none is faster, ms. */
    maxLatencyMs: z.number().positive().default(100),
    /** Which quantile of the recent toll estimates to pay (1 = the highest). */
    quantile: z.number().gt(0).max(1).default(0.9),
    /** Payment = margin × that quantile, rounded up. */
    margin: z.number().min(1).default(1),
    /** Rounds of estimates remembered. */
    memory: z.number().int().positive().default(20),
    /** Units paid in the first round, before anything is learned. */
    initialPayment: z.number().int().min(0).max(MAX_PAYMENT).default(4),
    /** The digital secretary's limit per packet, at most MAX_PAYMENT. */
    budgetPerPacket: z.number().int().min(0).max(MAX_PAYMENT).default(100),
    /** Share of the packets also sent, as copies, on an offered path with no ISP link in common (0: none). */
    duplicateShare: z.number().min(0).max(1).default(0),
  }),
  meta: {
    description: "Keeps the path it chose first (the cheapest within a latency bound) and pays a high quantile of the tolls its recent acknowledgments and drops revealed, within a budget; with duplicateShare, also sends copies of that share of its packets on an independent path.",
    source: "Bill-Pay §3.1, \"low loss rates and delays for time-sensitive traffic\"",
    memoryDepth: "unbounded",
    stochastic: false,
    cheats: false,
  },
  init: (): CongestionQuantileState => ({ path: -1, payment: 0, tolls: [] }),
  decide: (observation, state, params) => {
    const { paths, last } = observation;
    const choose = (): number => pathWithin(paths.length, (p) => paths[p]!.price, (p) => paths[p]!.latencyMs, params.maxLatencyMs);
    const next = insure(state, params, paths.length, choose, last);
    const duplicate = copiesOn(params.duplicateShare, next.path, paths.length, (p) => paths[p]!.nodes, (p) => paths[p]!.price);
    const action = { packets: observation.demandPackets, payment: next.payment, path: next.path };
    return { state: next, action: duplicate === undefined ? action : { ...action, duplicate } };
  },
  decideColumns: (columns, states, params, actions) => {
    const { pathPrice, k } = columns;
    for (let i = 0; i < columns.count; i++) {
      const at = i * k;
      const count = columns.pathCount[i]!;
      const choose = (): number => pathWithin(count, (p) => pathPrice[at + p]!, (p) => columns.latencyMs(i, p), params.maxLatencyMs);
      const report = columns.hasLast[i] === 1
        ? { sent: columns.lastSent[i]!, delivered: columns.lastDelivered[i]!, acknowledged: columns.lastAcknowledged[i]!, tollPerPacket: columns.lastTollPerPacket[i]! }
        : null;
      const next = insure(states[i]!, params, count, choose, report);
      states[i] = next;
      actions.packets[i] = columns.demandPackets[i]!;
      actions.payment[i] = next.payment;
      actions.path[i] = next.path;
      actions.duplicate[i] = copiesOn(params.duplicateShare, next.path, count, (p) => columns.nodes(i, p), (p) => pathPrice[at + p]!);
    }
  },
});
