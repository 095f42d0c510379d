/** Helpers strategies share for reading offered paths. */
import type { OfferedPathView, UserAction, UserObservation } from "./strategy.js";

/** Index of the cheapest offered path (ties: the first offered, which the ISP ranks higher). */
export function cheapestPath(paths: readonly OfferedPathView[]): number {
  let best = 0;
  for (let i = 1; i < paths.length; i++) if (paths[i]!.price < paths[best]!.price) best = i;
  return best;
}

/** Index of the offered path visiting exactly `nodes`, or -1. */
export function findPath(paths: readonly OfferedPathView[], nodes: readonly string[]): number {
  return paths.findIndex((p) => p.nodes.length === nodes.length && p.nodes.every((n, i) => n === nodes[i]));
}

/** The whole demand on the cheapest offered path, paying its announced price (the pricing paper's user, never switching). */
export function payCheapest(observation: UserObservation): UserAction {
  const path = cheapestPath(observation.paths);
  return { packets: observation.demandPackets, payment: observation.paths[path]!.price, path };
}
