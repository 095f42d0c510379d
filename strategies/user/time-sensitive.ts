import { z } from "zod";
import { defineUserStrategy, MAX_PAYMENT } from "tollway/strategy";

interface TimeSensitiveState {
  /** Tolls per packet seen in recent acknowledgments, newest last. */
  tolls: number[];
}

/**
 * Bill-Pay §3.1, time-sensitive traffic: pick in advance a path with acceptable delay, and pay
 * enough to get packets past typical congestion — the highest toll seen recently or announced
 * now, with a safety margin — within a budget.
 */
export default defineUserStrategy({
  id: "time-sensitive",
  name: "Time-sensitive",
  params: z.object({
    /** Paths slower than this are not used unless none is faster. */
    maxLatencyMs: z.number().positive().default(100),
    /** Payment = margin × the highest recent or announced toll. */
    margin: z.number().min(1).default(1.5),
    /** Rounds of acknowledgments remembered. */
    memory: z.number().int().positive().default(10),
    /** Most paid per packet, at most MAX_PAYMENT. */
    budgetPerPacket: z.number().int().min(0).max(MAX_PAYMENT).default(100),
  }),
  meta: {
    description: "Uses the cheapest path within a latency bound and pays a margin over the highest toll seen recently or announced, so that packets pass typical congestion.",
    source: "Bill-Pay §3.1, \"low loss rates and delays for time-sensitive traffic\"",
    memoryDepth: "unbounded",
    stochastic: false,
    cheats: false,
  },
  init: (): TimeSensitiveState => ({ tolls: [] }),
  decide: (observation, state, params) => {
    const { paths, last } = observation;
    const fastEnough = paths.map((p, i) => ({ p, i })).filter(({ p }) => p.latencyMs <= params.maxLatencyMs);
    const candidates = fastEnough.length > 0 ? fastEnough : paths.map((p, i) => ({ p, i }));
    const chosen = candidates.reduce((best, c) => (c.p.price < best.p.price ? c : best), candidates[0]!);
    const tolls = last !== null && last.acknowledged > 0 ? [...state.tolls, last.tollPerPacket].slice(-params.memory) : state.tolls;
    const typical = Math.max(chosen.p.price, ...tolls);
    const payment = Math.min(params.budgetPerPacket, Math.ceil(typical * params.margin));
    return { state: { tolls }, action: { packets: observation.demandPackets, payment, path: chosen.i } };
  },
  decideColumns: (columns, states, params, actions) => {
    const { pathPrice, k } = columns;
    for (let i = 0; i < columns.count; i++) {
      const at = i * k;
      const count = columns.pathCount[i]!;
      // The cheapest path within the latency bound (the first of equals), or the cheapest of all if none is.
      let chosen = -1;
      for (let p = 0; p < count; p++) {
        if (columns.latencyMs(i, p) <= params.maxLatencyMs && (chosen < 0 || pathPrice[at + p]! < pathPrice[at + chosen]!)) chosen = p;
      }
      if (chosen < 0) {
        chosen = 0;
        for (let p = 1; p < count; p++) if (pathPrice[at + p]! < pathPrice[at + chosen]!) chosen = p;
      }
      const state = states[i]!;
      const tolls = columns.hasLast[i] === 1 && columns.lastAcknowledged[i]! > 0
        ? [...state.tolls, columns.lastTollPerPacket[i]!].slice(-params.memory)
        : state.tolls;
      let typical = pathPrice[at + chosen]!;
      for (const toll of tolls) typical = Math.max(typical, toll);
      states[i] = { tolls };
      actions.packets[i] = columns.demandPackets[i]!;
      actions.payment[i] = Math.min(params.budgetPerPacket, Math.ceil(typical * params.margin));
      actions.path[i] = chosen;
    }
  },
});
