import { z } from "zod";
import { defineUserStrategy, cheapestPath, cheapestPathOf, MAX_PAYMENT, type IspOadEcho, type UserOadRequest } from "tollway/strategy";

/** What the transfer remembers between rounds: plain numbers, as millions of flows may hold one. */
interface ModulatedBulkState {
  /** Units put in each packet this round. */
  payment: number;
  /** Offered path in use; -1 before the first round. */
  path: number;
  /** 1 when last round's payment was a raise, so this round's throughput tells whether it helped. */
  raised: number;
  /** Throughput (bit/s) the flow had before that raise. */
  before: number;
  /** Rounds in a row at or above target with tolls below the payment. */
  calm: number;
  /** With `alternates: "oads"`, the user-OADs sent (empty: none, the ISPs' own routes). */
  request: readonly UserOadRequest[];
}

interface ModulatedBulkParams {
  targetBps: number;
  budgetPerPacket: number;
  step: number;
  minGainShare: number;
  relaxAfter: number;
  undo: boolean;
  alternates: "paths" | "oads";
}

/**
 * The next route to try by user-OAD, from the ISP-OADs last round's acknowledgment echoed (the
 * route the packets took), or null when no ISP on it offers another choice: at the first ISP in
 * path order that offers more than one, the next offered choice after the one taken (cyclically,
 * by choice number), with the choices taken at the ISPs before it asked for as they were.
 */
export function nextOadRoute(echo: readonly IspOadEcho[]): UserOadRequest[] | null {
  for (let at = 0; at < echo.length; at++) {
    const { isp, alternatives, choice } = echo[at]!;
    if ((alternatives & (alternatives - 1)) === 0) continue; // none or one choice offered
    for (let k = 1; k <= 8; k++) {
      const c = ((choice - 1 + k) % 8) + 1;
      if (c !== choice && (alternatives >> (c - 1)) & 1) {
        return [...echo.slice(0, at).map((o) => ({ isp: o.isp, undesirable: 0, choice: o.choice })), { isp, undesirable: 0, choice: c }];
      }
    }
  }
  return null;
}

/**
 * One round of the rule, shared by `decide` and `decideColumns`. `report` is last round's
 * throughput, toll per packet and echoed ISP-OADs, or null in the flow's first round; `pathCount`
 * the offered paths; `firstPath` the cheapest offered path, read only when the state has no valid
 * path yet. The alternate is the next offered path (`alternates: "paths"`), or, with
 * `alternates: "oads"`, the next route by user-OAD ({@link nextOadRoute}) on the path kept.
 *
 *  - under target, after a raise that lifted throughput by less than minGainShare × target while
 *    part of the payment came back (toll per packet below the payment, so the packets that arrived
 *    paid their tolls in full): the payment is not what holds the transfer back, so try the next
 *    alternate (and, with `undo`, take the raise back: it bought nothing). When the tolls took
 *    the whole payment, the packets are still underpaying, and the raise goes on;
 *  - otherwise under target: raise by `step`, up to the budget; at the budget, try the next alternate;
 *  - at or above target: after `relaxAfter` rounds in a row of tolls below the payment, lower it
 *    by `step`, never below the (whole) toll last paid.
 */
function modulate(state: ModulatedBulkState, params: ModulatedBulkParams, pathCount: number, firstPath: () => number, report: Report | null): ModulatedBulkState {
  let { payment, path, raised, before, calm, request } = state;
  if (path < 0 || path >= pathCount) path = firstPath();
  if (report === null) return { payment, path, raised, before, calm, request };
  // Where a move goes: the next offered path, or the next route by user-OAD (null: nowhere).
  const oadRoute = params.alternates === "oads" ? nextOadRoute(report.ispOads) : null;
  const canMove = params.alternates === "oads" ? oadRoute !== null : pathCount > 1;
  const move = (): void => {
    if (oadRoute !== null) request = oadRoute;
    else path = (path + 1) % pathCount;
  };
  if (report.throughputBps < params.targetBps) {
    calm = 0;
    const raiseFailed = raised === 1 && report.throughputBps - before < params.minGainShare * params.targetBps && report.tollPerPacket < payment;
    raised = 0;
    if (raiseFailed && canMove) {
      move();
      if (params.undo) payment = Math.max(0, payment - params.step);
    } else if (payment < params.budgetPerPacket) {
      before = report.throughputBps;
      payment = Math.min(params.budgetPerPacket, payment + params.step);
      raised = 1;
    } else if (canMove) {
      move();
    }
  } else {
    raised = 0;
    if (report.tollPerPacket < payment) {
      if (++calm >= params.relaxAfter) {
        payment = Math.max(Math.ceil(report.tollPerPacket), payment - params.step);
        calm = 0;
      }
    } else {
      calm = 0;
    }
  }
  return { payment, path, raised, before, calm, request };
}

/** What the rule reads of last round's report. */
interface Report {
  throughputBps: number;
  tollPerPacket: number;
  ispOads: readonly IspOadEcho[];
}

/**
 * Bill-Pay §3.1, "improved throughput for a large transfer": no nanopayment by default; while the
 * transfer runs under its throughput target, add to the payment step by step, trying an alternate
 * offered path whenever a raise does not help, until the target is met or the digital secretary's
 * limit is reached; when the tolls stay below the payment for a sustained period, lower it.
 * Unlike `bulk-transfer`, which moves only once the budget is spent, this rule reads the effect
 * of each raise and moves as soon as paying more buys nothing on the current path.
 */
export default defineUserStrategy({
  id: "modulated-bulk",
  name: "Modulated bulk transfer",
  params: z.object({
    /** Throughput the transfer wants, bit/s. */
    targetBps: z.number().positive().default(1e6),
    /** The digital secretary's limit: most units paid per packet, at most MAX_PAYMENT. */
    budgetPerPacket: z.number().int().min(0).max(MAX_PAYMENT).default(50),
    /** Units added per raise and removed per cut. */
    step: z.number().int().positive().default(2),
    /** A raise helped when it lifted throughput by at least this share of the target. */
    minGainShare: z.number().min(0).max(1).default(0.02),
    /** Rounds in a row at target with tolls below the payment before the payment is lowered. */
    relaxAfter: z.number().int().positive().default(3),
    /** Take back a raise that did not help when moving to the next path (false: keep paying it there). */
    undo: z.boolean().default(true),
    /**
     * Where a move goes: "paths", the next offered path (a host that sees the offered paths);
     * "oads", the next choice an ISP on the route offers, asked for by user-OAD (Bill-Pay §2.2: a
     * host that knows only what its acknowledgments echo), staying on the cheapest offered path.
     */
    alternates: z.enum(["paths", "oads"]).default("paths"),
  }),
  meta: {
    description: "Starts unpaid; raises its payment by a step while under its throughput target, up to a budget, moving to the next offered path, or with alternates \"oads\" to the next choice an ISP's echoed OAD offers (and taking the raise back), when a raise does not lift throughput although the tolls left part of the payment; lowers the payment while tolls stay below it.",
    source: "Bill-Pay §3.1, \"improved throughput for a large transfer\"",
    memoryDepth: "unbounded",
    stochastic: false,
    cheats: false,
  },
  init: (): ModulatedBulkState => ({ payment: 0, path: -1, raised: 0, before: 0, calm: 0, request: [] }),
  decide: (observation, state, params) => {
    const { paths, last } = observation;
    const next = modulate(state, params, paths.length, () => cheapestPath(paths), last);
    const action = { packets: observation.demandPackets, payment: next.payment, path: next.path };
    return { state: next, action: params.alternates === "oads" ? { ...action, oads: next.request } : action };
  },
  decideColumns: (columns, states, params, actions) => {
    for (let i = 0; i < columns.count; i++) {
      const report = columns.hasLast[i] === 1
        ? { throughputBps: columns.lastThroughputBps[i]!, tollPerPacket: columns.lastTollPerPacket[i]!, ispOads: params.alternates === "oads" ? columns.lastIspOads(i) : [] }
        : null;
      const next = modulate(states[i]!, params, columns.pathCount[i]!, () => cheapestPathOf(columns, i), report);
      states[i] = next;
      actions.packets[i] = columns.demandPackets[i]!;
      actions.payment[i] = next.payment;
      actions.path[i] = next.path;
      if (params.alternates === "oads") actions.oads[i] = next.request;
    }
  },
});
