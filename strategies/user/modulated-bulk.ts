import { z } from "zod";
import { defineUserStrategy, cheapestPath, cheapestPathOf, MAX_PAYMENT } from "tollway/strategy";

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
}

interface ModulatedBulkParams {
  targetBps: number;
  budgetPerPacket: number;
  step: number;
  minGainShare: number;
  relaxAfter: number;
  undo: boolean;
}

/**
 * One round of the rule, shared by `decide` and `decideColumns`. `report` is last round's
 * throughput and toll per packet, or null in the flow's first round; `pathCount` the offered paths;
 * `firstPath` the cheapest offered path, read only when the state has no valid path yet.
 *
 *  - under target, after a raise that lifted throughput by less than minGainShare × target while
 *    part of the payment came back (toll per packet below the payment, so the packets that arrived
 *    paid their tolls in full): the payment is not what holds the transfer back, so try the next
 *    offered path (and, with `undo`, take the raise back: it bought nothing). When the tolls took
 *    the whole payment, the packets are still underpaying, and the raise goes on;
 *  - otherwise under target: raise by `step`, up to the budget; at the budget, try the next path;
 *  - at or above target: after `relaxAfter` rounds in a row of tolls below the payment, lower it
 *    by `step`, never below the (whole) toll last paid.
 */
function modulate(state: ModulatedBulkState, params: ModulatedBulkParams, pathCount: number, firstPath: () => number, report: { throughputBps: number; tollPerPacket: number } | null): ModulatedBulkState {
  let { payment, path, raised, before, calm } = state;
  if (path < 0 || path >= pathCount) path = firstPath();
  if (report === null) return { payment, path, raised, before, calm };
  const next = (path + 1) % pathCount;
  if (report.throughputBps < params.targetBps) {
    calm = 0;
    const raiseFailed = raised === 1 && report.throughputBps - before < params.minGainShare * params.targetBps && report.tollPerPacket < payment;
    raised = 0;
    if (raiseFailed && pathCount > 1) {
      path = next;
      if (params.undo) payment = Math.max(0, payment - params.step);
    } else if (payment < params.budgetPerPacket) {
      before = report.throughputBps;
      payment = Math.min(params.budgetPerPacket, payment + params.step);
      raised = 1;
    } else if (pathCount > 1) {
      path = next;
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
  return { payment, path, raised, before, calm };
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
  }),
  meta: {
    description: "Starts unpaid; raises its payment by a step while under its throughput target, up to a budget, moving to the next offered path (and taking the raise back) when a raise does not lift throughput although the tolls left part of the payment; lowers the payment while tolls stay below it.",
    source: "Bill-Pay §3.1, \"improved throughput for a large transfer\"",
    memoryDepth: "unbounded",
    stochastic: false,
    cheats: false,
  },
  init: (): ModulatedBulkState => ({ payment: 0, path: -1, raised: 0, before: 0, calm: 0 }),
  decide: (observation, state, params) => {
    const { paths, last } = observation;
    const next = modulate(state, params, paths.length, () => cheapestPath(paths), last);
    return { state: next, action: { packets: observation.demandPackets, payment: next.payment, path: next.path } };
  },
  decideColumns: (columns, states, params, actions) => {
    for (let i = 0; i < columns.count; i++) {
      const report = columns.hasLast[i] === 1
        ? { throughputBps: columns.lastThroughputBps[i]!, tollPerPacket: columns.lastTollPerPacket[i]! }
        : null;
      const next = modulate(states[i]!, params, columns.pathCount[i]!, () => cheapestPathOf(columns, i), report);
      states[i] = next;
      actions.packets[i] = columns.demandPackets[i]!;
      actions.payment[i] = next.payment;
      actions.path[i] = next.path;
    }
  },
});
