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

/**
 * Whether two offered paths (node ids, payer first) have a link an ISP sends on in common: a
 * hop `u → v` in both with `u` not the payer (the payer's own access link does not count, as a
 * host has only one). Copies of packets (`UserAction.duplicate`) need a path that shares none.
 *
 * @example sharesIspLink(["A", "X", "Y", "B"], ["A", "X", "Z", "B"]) // false: only A→X is shared
 * @example sharesIspLink(["A", "X", "Y", "B"], ["A", "X", "Y", "W", "B"]) // true: X→Y
 */
export function sharesIspLink(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 1; i + 1 < a.length; i++) {
    for (let j = 1; j + 1 < b.length; j++) if (a[i] === b[j] && a[i + 1] === b[j + 1]) return true;
  }
  return false;
}

/** The whole demand on the cheapest offered path, paying its announced price (the pricing paper's user, never switching). */
export function payCheapest(observation: UserObservation): UserAction {
  const path = cheapestPath(observation.paths);
  return { packets: observation.demandPackets, payment: observation.paths[path]!.price, path };
}
