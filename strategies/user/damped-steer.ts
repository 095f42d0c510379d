import { z } from "zod";
import { defineUserStrategy, cheapestPath, cheapestPathOf, MAX_PAYMENT, type Rng } from "tollway/strategy";

/** What the strategy remembers: the path in use and how many more rounds it must stay on it. */
interface DampedState {
  /** Offered path index in use; -1 before the first round. */
  path: number;
  /** Rounds it must still stay on `path` after its last switch (0: free to switch). */
  wait: number;
}

/** The three damping knobs, as parsed. */
interface Damping {
  margin: number;
  probability: number;
  minStay: number;
}

/**
 * Bill-Pay §2.2 and the §5 question "does the packet-level routing flexibility of Bill-Pay
 * introduce undesirable oscillations, and what guidelines should end-users adhere to?": a sender
 * that may move its packets to another route every round, reading each offered route's
 * announced toll for the round (the congestion toll "used to signal congestion to all senders",
 * §2.1), with three damping guidelines:
 *
 * - hysteresis `margin` h: it moves only to a route cheaper than the one in use by more than h
 *   units per packet;
 * - `probability` p: when a move is due it makes it with probability p (one draw from rng), so
 *   that senders reading the same tolls do not all move together;
 * - `minStay` m: after a move it stays on the new route for the next m rounds whatever the tolls.
 *
 * h = 0, p = 1, m = 0 is undamped steering: always on the cheapest route. It pays a fixed
 * `payment` per packet; what the tolls do not take comes back in the acknowledgment.
 */
export default defineUserStrategy({
  id: "damped-steer",
  name: "Steering with damping",
  params: z.object({
    /** Units put in every packet, at most what the header carries (MAX_PAYMENT). */
    payment: z.number().int().min(0).max(MAX_PAYMENT).default(40),
    /** h: move only when another route's announced toll per packet is lower by more than this (units). */
    margin: z.number().min(0).default(0),
    /** p: chance of making a move that is due, per round (1 moves at once). */
    probability: z.number().gt(0).max(1).default(1),
    /** m: rounds to stay on a route after moving to it, whatever the tolls. */
    minStay: z.number().int().min(0).default(0),
  }),
  meta: {
    description: "Moves to the route with the lowest announced toll, damped: only when it is cheaper by more than margin h, with probability p, and not within minStay m rounds of the last move; pays a fixed nanopayment.",
    source: "Bill-Pay §2.2 and §5 (routing oscillations)",
    // The route in use is last round's action, but the wait after a move reaches m rounds back and m is a parameter.
    memoryDepth: "unbounded",
    stochastic: true,
    cheats: false,
  },
  init: (): DampedState => ({ path: -1, wait: 0 }),
  decide: (observation, state, params, rng) => {
    const { paths } = observation;
    const next = step(state, params, paths.length, cheapestPath(paths), (p) => paths[p]!.price, () => rng);
    return { state: next, action: { packets: observation.demandPackets, payment: params.payment, path: next.path } };
  },
  decideColumns: (columns, states, params, actions, rng) => {
    const { pathPrice, k } = columns;
    for (let i = 0; i < columns.count; i++) {
      const at = i * k;
      const next = step(states[i]!, params, columns.pathCount[i]!, cheapestPathOf(columns, i), (p) => pathPrice[at + p]!, () => rng(i));
      states[i] = next;
      actions.packets[i] = columns.demandPackets[i]!;
      actions.payment[i] = params.payment;
      actions.path[i] = next.path;
    }
  },
});

/**
 * One round's choice. Without a valid path in use it takes the cheapest route (not a move: no
 * wait, no draw). Within m rounds of a move it stays. Otherwise it moves to the cheapest route
 * when that is cheaper by more than h, with probability p: the draw is made only then, so a
 * sender with no move due draws nothing.
 */
function step(state: DampedState, damping: Damping, pathCount: number, cheapest: number, price: (p: number) => number, rng: () => Rng): DampedState {
  if (state.path < 0 || state.path >= pathCount) return { path: cheapest, wait: 0 };
  if (state.wait > 0) return { path: state.path, wait: state.wait - 1 };
  if (!(price(cheapest) < price(state.path) - damping.margin)) return state;
  if (damping.probability < 1 && rng().random() >= damping.probability) return state;
  return { path: cheapest, wait: damping.minStay };
}
