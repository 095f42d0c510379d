import { z } from "zod";
import {
  defineUserStrategy, Cartographer, emptyCartographerData, isAdequate, routeName, sharesIspLink, MAX_PAYMENT,
  type CartographerData, type DuplicateRequest, type IspOadEcho, type RouteKnowledge,
} from "tollway/strategy";

/** What the flow remembers: its pinned path, its last payment and the toll estimates of recent rounds. */
interface CongestionQuantileState {
  /** Offered path chosen (in the first round, or when probing ends) and kept; -1 before it. */
  path: number;
  /** Units put in each packet last round. */
  payment: number;
  /** One toll estimate per recent round that sent packets, oldest first. */
  tolls: number[];
  /** While probing (`probeRounds` above 0, no path pinned yet): what the probes have taught; null otherwise. */
  probe: ProbeState | null;
}

/** The probing phase's memory. */
interface ProbeState {
  /** Probe rounds sent so far. */
  sent: number;
  /** Offered path last round's probes went on; -1 before the first. */
  last: number;
  /** The cartographer's knowledge: per route (named by the echoed ISP-OADs), packets, deliveries and tolls, packet by packet. */
  map: CartographerData;
  /** Per probed path, in the order first probed: the route its acknowledgments echoed and one toll estimate per probe round. */
  probed: { path: number; route: string; tolls: number[] }[];
}

interface CongestionQuantileParams {
  maxLatencyMs: number;
  quantile: number;
  margin: number;
  memory: number;
  initialPayment: number;
  budgetPerPacket: number;
  duplicateShare: number;
  probeRounds: number;
  probePackets: number;
  minDelivery: number;
}

/** A flow's offered paths this round, as both forms read them. */
interface Offer {
  count: number;
  price: (p: number) => number;
  latencyMs: (p: number) => number;
  nodes: (p: number) => readonly string[];
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

/** The offered paths within `maxLatencyMs`, in offered order, or all of them when none is. */
function candidatesWithin(count: number, latencyMs: (p: number) => number, maxLatencyMs: number): number[] {
  const within: number[] = [];
  for (let p = 0; p < count; p++) if (latencyMs(p) <= maxLatencyMs) within.push(p);
  return within.length > 0 ? within : Array.from({ length: count }, (_, p) => p);
}

/**
 * The cheapest of `count` paths whose latency is within `maxLatencyMs` (the first of equals), or
 * the cheapest of all when none is.
 */
function pathWithin(count: number, price: (p: number) => number, latencyMs: (p: number) => number, maxLatencyMs: number): number {
  const candidates = candidatesWithin(count, latencyMs, maxLatencyMs);
  return candidates.reduce((chosen, p) => (price(p) < price(chosen) ? p : chosen), candidates[0]!);
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

/** Margin × the quantile of `tolls`, whole units, within the budget; the initial payment when nothing is known. */
function paymentFor(tolls: readonly number[], params: CongestionQuantileParams): number {
  const wanted = tolls.length === 0 ? params.initialPayment : Math.ceil(params.margin * nearestRank(tolls, params.quantile));
  return Math.min(params.budgetPerPacket, wanted);
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
  return { path, payment: paymentFor(tolls, params), tolls, probe: null };
}

/** A round's decision: the new state and what to send. */
interface Step {
  state: CongestionQuantileState;
  /** Packets to send in a probe round; null once a path is pinned: the application's demand (and copies, if any). */
  packets: number | null;
  payment: number;
  path: number;
}

/**
 * Bill-Pay §3.1, "discover in advance the paths that provide an acceptable loss rate and delay
 * through active probing ... in close cooperation with the local digital cartographer". Each
 * candidate (offered path within `maxLatencyMs`, in offered order) gets `probeRounds` rounds in
 * turn of `probePackets` packets, each carrying the budget: a packet that pays every toll in full
 * is not a congestion drop, its acknowledgment refunds all but the tolls, so a probe measures the
 * toll exactly and a loss it meets is one that paying more (within budget) would not prevent.
 * Every acknowledged or lost probe goes to the cartographer, under the route its ISP-OADs echo
 * (a lost packet's toll: the whole payment, which never comes back), and each probe round gives
 * the path one toll estimate (`tollEstimate` at the budget). After the last probe round the flow
 * pins a path (`probedChoice`), seeds its estimates with that path's and pays as without probing.
 */
function probeOrPin(state: CongestionQuantileState, probe: ProbeState, params: CongestionQuantileParams, offer: Offer, report: Report | null, echo: () => readonly IspOadEcho[]): Step {
  let { map, probed } = probe;
  const dst = offer.nodes(0).at(-1)!;
  if (probe.last >= 0 && report !== null && report.sent > 0) {
    const oads = echo();
    const route = routeName(oads);
    map = structuredClone(map);
    const cartographer = new Cartographer(map);
    const sent = Math.round(report.sent);
    const delivered = Math.min(sent, Math.max(0, Math.round(report.delivered)));
    const toll = Math.max(0, Math.round(report.tollPerPacket));
    for (let k = 0; k < sent; k++) {
      cartographer.observe(k < delivered ? { dst, oads, toll, delivered: true } : { dst, oads, toll: params.budgetPerPacket, delivered: false });
    }
    const estimate = tollEstimate(report, params.budgetPerPacket)!;
    const at = probed.findIndex((r) => r.path === probe.last);
    const record = { path: probe.last, route, tolls: [...(at >= 0 ? probed[at]!.tolls : []), estimate].slice(-params.memory) };
    probed = at >= 0 ? probed.map((r, i) => (i === at ? record : r)) : [...probed, record];
  }
  const candidates = candidatesWithin(offer.count, offer.latencyMs, params.maxLatencyMs);
  const next = Math.floor(probe.sent / params.probeRounds);
  if (next < candidates.length) {
    const path = candidates[next]!;
    const payment = params.budgetPerPacket;
    return { state: { path: -1, payment, tolls: state.tolls, probe: { sent: probe.sent + 1, last: path, map, probed } }, packets: params.probePackets, payment, path };
  }
  const path = probedChoice(candidates, probed, new Cartographer(map).known(dst), offer, params);
  const tolls = probed.find((r) => r.path === path)?.tolls ?? [];
  const payment = paymentFor(tolls, params);
  return { state: { path, payment, tolls, probe: null }, packets: null, payment, path };
}

/**
 * The path to pin after probing: among the candidates whose route delivered at least a
 * `minDelivery` share of its probes (`isAdequate`, the cartographer's rule), the one with the
 * lowest `quantile` of its probe toll estimates; when none delivered adequately, the one that
 * delivered the largest share (then the lowest quantile). Ties go to the lower announced price,
 * then the first offered; with nothing learned of any candidate, the announced choice (`pathWithin`).
 *
 * @example two candidates, route 0 delivered 2 of 5 probes at toll 2 and route 1 5 of 5 at toll 3, minDelivery 0.9: path 1
 */
function probedChoice(candidates: readonly number[], probed: ProbeState["probed"], known: readonly RouteKnowledge[], offer: Offer, params: CongestionQuantileParams): number {
  let best: { path: number; adequate: boolean; share: number; toll: number } | null = null;
  for (const path of candidates) {
    const record = probed.find((r) => r.path === path);
    const route = record === undefined ? undefined : known.find((k) => k.route === record.route);
    if (record === undefined || route === undefined || record.tolls.length === 0) continue;
    const c = { path, adequate: isAdequate(route, { minDelivery: params.minDelivery }), share: route.delivered / route.packets, toll: nearestRank(record.tolls, params.quantile) };
    const better = best === null
      || (c.adequate !== best.adequate ? c.adequate
        : !c.adequate && c.share !== best.share ? c.share > best.share
        : c.toll !== best.toll ? c.toll < best.toll
        : offer.price(c.path) < offer.price(best.path));
    if (better) best = c;
  }
  return best === null ? pathWithin(offer.count, offer.price, offer.latencyMs, params.maxLatencyMs) : best.path;
}

/** One round for one flow, with or without probing: both forms call this. */
function decideOne(state: CongestionQuantileState, params: CongestionQuantileParams, offer: Offer, report: Report | null, echo: () => readonly IspOadEcho[]): Step {
  if (state.probe !== null) return probeOrPin(state, state.probe, params, offer, report, echo);
  const next = insure(state, params, offer.count, () => pathWithin(offer.count, offer.price, offer.latencyMs, params.maxLatencyMs), report);
  return { state: next, packets: null, payment: next.payment, path: next.path };
}

/**
 * Bill-Pay §3.1, time-sensitive traffic: choose the path in advance (the cheapest announced one
 * within a latency bound, or with `probeRounds` above 0 the one active probing found cheapest
 * among those that delivered, `probeOrPin`) and keep it, so no important packet is lost
 * exploring; set the nanopayment "large enough to get them past typical congestion events": a
 * high quantile of the tolls that recent acknowledgments and drops revealed. Unlike
 * `time-sensitive`, it does not read the announced congestion toll before it pays: it learns from
 * what came back, as a Bill-Pay host without price beacons must. With `duplicateShare` above 0 it
 * also "exploits the existence of multiple independent paths" (§3.1): that share of its packets
 * goes a second time, at the same payment, on the cheapest offered path that shares no ISP link
 * with its own (`copiesOn`).
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
    /** Rounds of probing on each offered path within the latency bound, in turn, before a path is pinned (0: no probing; the announced cheapest is pinned at once). */
    probeRounds: z.number().int().min(0).max(100).default(0),
    /** Packets sent in a probe round, each carrying the budget (the application's packets wait for the probing to end). */
    probePackets: z.number().int().min(1).max(1000).default(5),
    /** Least share of a path's probes that must arrive for it to count as delivering adequately. */
    minDelivery: z.number().min(0).max(1).default(0.9),
  }),
  meta: {
    description: "Keeps the path it chose first (the cheapest within a latency bound, or with probeRounds the cheapest that active probing found delivering) and pays a high quantile of the tolls its recent acknowledgments and drops revealed, within a budget; with duplicateShare, also sends copies of that share of its packets on an independent path.",
    source: "Bill-Pay §3.1, \"low loss rates and delays for time-sensitive traffic\"",
    memoryDepth: "unbounded",
    stochastic: false,
    cheats: false,
  },
  init: (params): CongestionQuantileState => ({
    path: -1, payment: 0, tolls: [],
    probe: params.probeRounds > 0 ? { sent: 0, last: -1, map: emptyCartographerData(), probed: [] } : null,
  }),
  decide: (observation, state, params) => {
    const { paths, last } = observation;
    const offer: Offer = { count: paths.length, price: (p) => paths[p]!.price, latencyMs: (p) => paths[p]!.latencyMs, nodes: (p) => paths[p]!.nodes };
    const step = decideOne(state, params, offer, last, () => last?.ispOads ?? []);
    const action = { packets: step.packets ?? observation.demandPackets, payment: step.payment, path: step.path };
    const duplicate = step.packets === null ? copiesOn(params.duplicateShare, step.path, paths.length, offer.nodes, offer.price) : undefined;
    return { state: step.state, action: duplicate === undefined ? action : { ...action, duplicate } };
  },
  decideColumns: (columns, states, params, actions) => {
    const { pathPrice, k } = columns;
    for (let i = 0; i < columns.count; i++) {
      const at = i * k;
      const offer: Offer = { count: columns.pathCount[i]!, price: (p) => pathPrice[at + p]!, latencyMs: (p) => columns.latencyMs(i, p), nodes: (p) => columns.nodes(i, p) };
      const report = columns.hasLast[i] === 1
        ? { sent: columns.lastSent[i]!, delivered: columns.lastDelivered[i]!, acknowledged: columns.lastAcknowledged[i]!, tollPerPacket: columns.lastTollPerPacket[i]! }
        : null;
      const step = decideOne(states[i]!, params, offer, report, () => columns.lastIspOads(i));
      states[i] = step.state;
      actions.packets[i] = step.packets ?? columns.demandPackets[i]!;
      actions.payment[i] = step.payment;
      actions.path[i] = step.path;
      actions.duplicate[i] = step.packets === null ? copiesOn(params.duplicateShare, step.path, offer.count, offer.nodes, offer.price) : undefined;
    }
  },
});
