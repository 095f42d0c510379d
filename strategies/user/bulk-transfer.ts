import { z } from "zod";
import { defineUserStrategy, cheapestPath, cheapestPathOf, MAX_PAYMENT } from "tollway/strategy";

interface BulkState {
  payment: number;
  path: number;
  /** Rounds in a row the throughput stayed under target at the budget. */
  starved: number;
  /** Rounds in a row the tolls stayed below the payment. */
  overpaying: number;
}

/**
 * Bill-Pay §3.1, large transfers: no payment by default; while throughput is under target, raise
 * the payment (and try alternate paths) up to the secretary's budget; when the tolls stay below
 * the payment for a while, lower it.
 */
export default defineUserStrategy({
  id: "bulk-transfer",
  name: "Bulk transfer",
  params: z.object({
    /** Throughput the transfer wants, bit/s. */
    targetBps: z.number().positive().default(1e6),
    /** Most the digital secretary lets the transfer pay per packet, at most MAX_PAYMENT. */
    budgetPerPacket: z.number().int().min(0).max(MAX_PAYMENT).default(50),
    /** Units added to (or removed from) the payment per adjustment. */
    step: z.number().int().positive().default(2),
    /** Rounds under target at the full budget before another path is tried. */
    patience: z.number().int().positive().default(3),
    /** Rounds of tolls below the payment before the payment is lowered. */
    relaxAfter: z.number().int().positive().default(3),
  }),
  meta: {
    description: "Starts without payment; raises it while throughput is under target, up to a budget, trying an alternate path when the budget is not enough; lowers it while the tolls stay below it.",
    source: "Bill-Pay §3.1, \"improved throughput for a large transfer\"",
    memoryDepth: "unbounded",
    stochastic: false,
    cheats: false,
  },
  init: (): BulkState => ({ payment: 0, path: -1, starved: 0, overpaying: 0 }),
  decide: (observation, state, params) => {
    const { last, paths } = observation;
    let { payment, path, starved, overpaying } = state;
    if (path < 0 || path >= paths.length) path = cheapestPath(paths);
    if (last !== null) {
      if (last.throughputBps < params.targetBps) {
        overpaying = 0;
        if (payment < params.budgetPerPacket) {
          payment = Math.min(params.budgetPerPacket, payment + params.step);
        } else if (++starved >= params.patience && paths.length > 1) {
          path = (path + 1) % paths.length;
          starved = 0;
        }
      } else if (last.tollPerPacket < payment) {
        starved = 0;
        if (++overpaying >= params.relaxAfter) {
          payment = Math.max(Math.ceil(last.tollPerPacket), payment - params.step);
          overpaying = 0;
        }
      }
    }
    return { state: { payment, path, starved, overpaying }, action: { packets: observation.demandPackets, payment, path } };
  },
  decideColumns: (columns, states, params, actions) => {
    for (let i = 0; i < columns.count; i++) {
      let { payment, path, starved, overpaying } = states[i]!;
      const paths = columns.pathCount[i]!;
      if (path < 0 || path >= paths) path = cheapestPathOf(columns, i);
      if (columns.hasLast[i] === 1) {
        const toll = columns.lastTollPerPacket[i]!;
        if (columns.lastThroughputBps[i]! < params.targetBps) {
          overpaying = 0;
          if (payment < params.budgetPerPacket) {
            payment = Math.min(params.budgetPerPacket, payment + params.step);
          } else if (++starved >= params.patience && paths > 1) {
            path = (path + 1) % paths;
            starved = 0;
          }
        } else if (toll < payment) {
          starved = 0;
          if (++overpaying >= params.relaxAfter) {
            payment = Math.max(Math.ceil(toll), payment - params.step);
            overpaying = 0;
          }
        }
      }
      states[i] = { payment, path, starved, overpaying };
      actions.packets[i] = columns.demandPackets[i]!;
      actions.payment[i] = payment;
      actions.path[i] = path;
    }
  },
});
