import { z } from "zod";
import { defineIspStrategy, announcedRoutePrice, type LinkRivals } from "tollway/strategy";

/**
 * Bertrand price competition on routes (pricing paper §III: link prices are disclosed to other
 * ISPs and users and carried in price beacons): on each link that competes with other offered
 * routes, set the per-packet toll so that the route through this ISP is announced `step` below
 * the cheapest rival route, never below `floor` nor above `perPacket`, the toll it asks where
 * nothing competes. With `step` 0 it matches the rival instead. Rivals' prices are last
 * round's announcements; in round 0 nothing has been announced, so it opens at `perPacket`.
 */
export default defineIspStrategy({
  id: "undercut",
  name: "Undercut the cheapest rival route",
  params: z.object({
    /** Toll per packet where no route competes, in round 0, and at most anywhere. */
    perPacket: z.number().min(0).default(2),
    /** Lowest toll per packet it will charge (e.g. its cost). */
    floor: z.number().min(0).default(0),
    /** How far below the cheapest rival route its own route is announced, money units per packet. */
    step: z.number().min(0).default(1),
    /** Packet size the announced route prices are compared for (per-byte tolls), bits. */
    packetBits: z.number().positive().default(12_000),
  }),
  meta: {
    description: "Undercuts the cheapest competing offered route by `step` per packet (rival prices are public in beacons), between `floor` and `perPacket`; charges `perPacket` where nothing competes.",
    source: "Pricing paper §III-A (ISPs disclose link prices to other ISPs and users) and §III-B (price beacons); Bertrand undercutting",
    memoryDepth: 1,
    stochastic: false,
    cheats: false,
  },
  init: () => null,
  decide: (observation, state, params) => {
    const markets = observation.round === 0 ? [] : observation.rivals;
    return {
      state,
      action: {
        tariffs: observation.links.map((link) => ({
          perPacket: undercutToll(markets.filter((m) => m.link === link.link && m.rivals.length > 0), params),
        })),
      },
    };
  },
});

/**
 * The toll on one link: in each market, the cheapest rival route's price minus `step` minus what
 * the other links of the own route charge; the lowest over its markets, within [floor, perPacket].
 */
function undercutToll(markets: readonly LinkRivals[], params: { perPacket: number; floor: number; step: number; packetBits: number }): number {
  let toll = params.perPacket;
  for (const market of markets) {
    const cheapest = Math.min(...market.rivals.map((r) => announcedRoutePrice(r.tariffs, params.packetBits)));
    const others = announcedRoutePrice(market.own.tariffs.slice(0, -1), params.packetBits);
    toll = Math.min(toll, Math.floor(cheapest - params.step - others));
  }
  return Math.max(params.floor, toll);
}
