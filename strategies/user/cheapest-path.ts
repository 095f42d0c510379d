import { z } from "zod";
import { defineUserStrategy, cheapestPath, cheapestPathOf } from "tollway/strategy";

/**
 * Pricing paper, section IV-A: a user sends its flow on the cheapest offered path and pays the
 * announced path price in every packet (price × bandwidth). It moves to a cheaper path later only
 * when the flow's estimated completion time exceeds `switchAfterSec` (2 s in the paper): for
 * shorter flows, connection set-up and slow start on a new path outweigh the saving.
 */
export default defineUserStrategy({
  id: "cheapest-path",
  name: "Cheapest path",
  params: z.object({
    /** Seconds of flow left above which switching to a cheaper path is worth it (paper: 2). */
    switchAfterSec: z.number().min(0).default(2),
  }),
  meta: {
    description: "Sends on the cheapest offered path and pays its announced price; switches to a strictly cheaper path only while more than 2 s of the flow remain.",
    source: "Pricing paper §IV-A, user behaviour",
    memoryDepth: 1,
    stochastic: false,
    cheats: false,
  },
  // The state is the index of the path in use (-1 before the first round): a number, not an
  // object, because millions of generated flows each hold one.
  init: (): number => -1,
  decide: (observation, state, params) => {
    const { paths } = observation;
    const cheapest = cheapestPath(paths);
    let path = state >= 0 && state < paths.length ? state : cheapest;
    if (path !== cheapest && paths[cheapest]!.price < paths[path]!.price) {
      // Estimated completion time: the seconds of demand left (unknown means a long flow).
      const remaining = observation.remainingSeconds ?? Infinity;
      if (remaining > params.switchAfterSec) path = cheapest;
    }
    return { state: path, action: { packets: observation.demandPackets, payment: paths[path]!.price, path } };
  },
  decideColumns: (columns, states, params, actions) => {
    // Columns read once, not per row (each is a getter that fills it on first read);
    // remainingSeconds only when a flow could switch.
    const { pathPrice, pathCount, demandPackets, k, count } = columns;
    const { packets, payment, path: pathOf } = actions;
    for (let i = 0; i < count; i++) {
      const at = i * k;
      const cheapest = cheapestPathOf(columns, i);
      const state = states[i]!;
      let path = state >= 0 && state < pathCount[i]! ? state : cheapest;
      if (path !== cheapest && pathPrice[at + cheapest]! < pathPrice[at + path]! && columns.remainingSeconds[i]! > params.switchAfterSec) path = cheapest;
      states[i] = path;
      packets[i] = demandPackets[i]!;
      payment[i] = pathPrice[at + path]!;
      pathOf[i] = path;
    }
  },
});
