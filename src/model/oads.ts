/**
 * Opaque alternative descriptors along a path (Bill-Pay §2.2). Each ISP that forwards a packet
 * marks the alternatives it could have used toward the destination (its distinct next hops among
 * the routes it offers, at most 8) and the one it chose; the receiver echoes these ISP-OADs in the
 * acknowledgment, which is how a sender learns that "choice 2" at X exists.
 */
import { MAX_CHOICE, MAX_OADS, type BillPayHeader, type IspOad } from "./header.js";
import { KIND_HOST, type CompiledTopology } from "./topology.js";

/** An ISP-OAD as echoed to the sender, with the ISP that wrote it. */
export interface IspOadEcho extends IspOad {
  isp: string;
}

export interface RouteSource {
  offered(src: number, dst: number): readonly { readonly nodes: Int32Array }[];
}

/** The ISP-OADs a packet following `nodes` collects on its way to the last node. */
export function ispOadsAlong(topology: CompiledTopology, routes: RouteSource, nodes: Int32Array): IspOadEcho[] {
  const dst = nodes[nodes.length - 1]!;
  const oads: IspOadEcho[] = [];
  for (let j = 0; j + 1 < nodes.length && oads.length < MAX_OADS; j++) {
    const isp = nodes[j]!;
    if (topology.nodeKind[isp] === KIND_HOST) continue;
    const next = nodes[j + 1]!;
    const alternatives = alternativesAt(routes, isp, dst, next);
    const index = alternatives.indexOf(next);
    oads.push({ isp: topology.nodeIds[isp]!, alternatives: (1 << alternatives.length) - 1, choice: index + 1 });
  }
  return oads;
}

/**
 * The alternatives `isp` offers a packet toward `dst` whose next hop is `next`: choice c is the
 * next hop `alternatives[c - 1]`, the distinct next hops of the ISP's own offered routes in its
 * order (at most MAX_CHOICE), then `next` itself when it is not among them.
 */
export function alternativesAt(routes: RouteSource, isp: number, dst: number, next: number): number[] {
  const alternatives: number[] = [];
  for (const route of routes.offered(isp, dst)) {
    const hop = route.nodes[1]!;
    if (!alternatives.includes(hop) && alternatives.length < MAX_CHOICE) alternatives.push(hop);
  }
  // The packet may follow a route its sender chose among routes the ISP itself ranks lower.
  if (!alternatives.includes(next) && alternatives.length < MAX_CHOICE) alternatives.push(next);
  return alternatives;
}

/** The header of a data packet as it reaches the receiver: what is left of the payment and the ISP-OADs. */
export function arrivalHeader(payment: number, oads: readonly IspOad[]): BillPayHeader {
  return { version: 1, payment, ispOads: oads.map(({ alternatives, choice }) => ({ alternatives, choice })), userOads: [] };
}
