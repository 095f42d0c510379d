import { z } from "zod";
import {
  defineUserStrategy, Cartographer, cheapestPath, cheapestPathOf, emptyCartographerData, findPath, findPathOf, routeName, MAX_PAYMENT,
  type AckReport, type CartographerData, type UserOadRequest,
} from "tollway/strategy";

/** What the strategy remembers: its cartographer's map and the user-OADs it sends. */
interface SteerState {
  map: CartographerData;
  request: UserOadRequest[];
  /** The untried choice asked for last round, to see in this round's echo whether it was honoured. */
  probing: { isp: string; choice: number } | null;
  /** Choices asked for that the ISP did not honour ("isp:choice"). */
  refused: string[];
}

/**
 * Bill-Pay §2.2: a sender with a digital cartographer. It pays a fixed nanopayment on one offered
 * path and learns, from the ISP-OADs and tolls its acknowledgments echo, which ISP choices lead
 * where and what they cost. While the toll per packet stays within `maxToll` it keeps what it
 * asks for. Above it, when the route in use is the cheapest adequate one it knows, it follows
 * that route up to an ISP that offers a choice no ack has shown yet and asks there for that choice
 * ("A finds the total toll of 14 too high and asks X for choice 2"); otherwise it asks for the
 * cheapest adequate route it has learned, choice by choice (which may be the route in use: it
 * then asks to stay). A choice it asked for that the next ack does not show was not honoured,
 * and it does not ask for it again.
 */
export default defineUserStrategy({
  id: "oad-steer",
  name: "OAD steering with a cartographer",
  params: z.object({
    /** Units put in every packet, at most what the header carries (MAX_PAYMENT). */
    payment: z.number().int().min(0).max(MAX_PAYMENT).default(20),
    /** Node ids of the offered path to send on; the cheapest offered path when left out. */
    path: z.array(z.string()).optional(),
    /** Toll per packet (payment less refund) above which the sender steers. */
    maxToll: z.number().min(0).default(10),
    /** Share of a round's packets that must be delivered for the round to count as delivered, and of rounds for a route to be adequate. */
    minDelivery: z.number().min(0).max(1).default(0.9),
  }),
  meta: {
    description: "Pays a fixed nanopayment, learns routes from echoed ISP-OADs with a cartographer, and asks by user-OAD for the cheapest learned (or an untried) choice when the toll per packet exceeds maxToll.",
    source: "Bill-Pay §2.2, OADs and the digital cartographer",
    memoryDepth: "unbounded",
    stochastic: false,
    cheats: false,
  },
  init: (): SteerState => ({ map: emptyCartographerData(), request: [], probing: null, refused: [] }),
  decide: (observation, state, params) => {
    const { paths, last } = observation;
    const pinned = params.path ? findPath(paths, params.path) : -1;
    if (params.path && pinned < 0) {
      throw new Error(`path ${params.path.join("-")} is not among the offered paths (${paths.map((p) => p.nodes.join("-")).join(", ")})`);
    }
    const path = pinned >= 0 ? pinned : cheapestPath(paths);
    const nodes = paths[path]!.nodes;
    const next = steer(state, params, nodes[nodes.length - 1]!, last);
    return { state: next, action: { packets: observation.demandPackets, payment: params.payment, path, oads: next.request } };
  },
  decideColumns: (columns, states, params, actions) => {
    for (let i = 0; i < columns.count; i++) {
      const pinned = params.path ? findPathOf(columns, i, params.path) : -1;
      if (params.path && pinned < 0) {
        const offered = Array.from({ length: columns.pathCount[i]! }, (_, p) => columns.nodes(i, p).join("-"));
        throw new Error(`path ${params.path.join("-")} is not among the offered paths (${offered.join(", ")})`);
      }
      const path = pinned >= 0 ? pinned : cheapestPathOf(columns, i);
      const nodes = columns.nodes(i, path);
      const last = columns.hasLast[i] === 1
        ? { sent: columns.lastSent[i]!, delivered: columns.lastDelivered[i]!, tollPerPacket: columns.lastTollPerPacket[i]!, ispOads: columns.lastIspOads(i) }
        : null;
      const next = steer(states[i]!, params, nodes[nodes.length - 1]!, last);
      states[i] = next;
      actions.packets[i] = columns.demandPackets[i]!;
      actions.payment[i] = params.payment;
      actions.path[i] = path;
      actions.oads[i] = next.request;
    }
  },
});

/** What the strategy reads of last round's report. */
type Report = Pick<AckReport, "sent" | "delivered" | "tollPerPacket" | "ispOads">;

/** The state after last round's report (a new one: the given state is left as it was). */
function steer(state: SteerState, params: { maxToll: number; minDelivery: number }, dst: string, last: Report | null): SteerState {
  if (last === null || last.sent <= 0) return state;
  const map = structuredClone(state.map);
  const cartographer = new Cartographer(map);
  const delivered = last.delivered > 0 && last.delivered >= params.minDelivery * last.sent;
  cartographer.observe({ dst, oads: last.ispOads, toll: Math.max(0, Math.round(last.tollPerPacket)), delivered });
  const seen = (isp: string, choice: number) => last.ispOads.some((o) => o.isp === isp && o.choice === choice);
  // A choice asked for last round that the echo does not show was not honoured: do not ask again.
  const refused = state.probing !== null && !seen(state.probing.isp, state.probing.choice) ? [...state.refused, `${state.probing.isp}:${state.probing.choice}`] : state.refused;
  let { request } = state;
  let probing: SteerState["probing"] = null;
  if (last.tollPerPacket > params.maxToll) {
    const best = cartographer.best(dst, { minDelivery: params.minDelivery });
    // Choices offered at ISPs of the route in use that no ack has shown yet and none refused.
    const untried = cartographer.untried(dst).find((c) => last.ispOads.some((o) => o.isp === c.isp) && !refused.includes(`${c.isp}:${c.choice}`));
    if (untried !== undefined && (best === undefined || best.route === routeName(last.ispOads))) {
      // Nothing known beats the route in use: follow it up to that ISP and ask there for the untried choice.
      const at = last.ispOads.findIndex((o) => o.isp === untried.isp);
      request = [...last.ispOads.slice(0, at).map(({ isp, choice }) => ({ isp, undesirable: 0, choice })), { isp: untried.isp, undesirable: 0, choice: untried.choice }];
      probing = untried;
    } else if (best !== undefined) {
      request = best.choices.map(({ isp, choice }) => ({ isp, undesirable: 0, choice }));
    }
  }
  return { map, request, refused, probing };
}
