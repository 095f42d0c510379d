/**
 * How many packets hosts spend finding the cheapest adequate route with a cartographer: each host
 * sends its first packet on the default route, then on a route that uses a choice no ack has shown
 * yet, until every offered choice has been seen. Hosts alone each pay that; a campus pays it once.
 */
import type { IspOadEcho } from "../../model/oads.js";
import { Cartographer, type AdequacyOptions } from "./cartographer.js";

/** One route to the destination as the network would carry it: its ISP-OADs, toll and delivery. */
export interface ProbeRoute {
  oads: readonly IspOadEcho[];
  toll: number;
  delivered: boolean;
}

/**
 * Packets one host sends into `map` until no offered choice toward `dst` is untried, or until
 * `until(map)` holds (checked before each packet after the first that `dst` needs).
 */
export function probesToLearn(map: Cartographer, dst: string, routes: readonly ProbeRoute[], until: (map: Cartographer) => boolean = () => false): number {
  if (routes.length === 0) return 0;
  let sent = 0;
  if (map.known(dst).length === 0) {
    map.observe({ dst, ...routes[0]! });
    sent++;
  }
  for (;;) {
    if (until(map)) return sent;
    const untried = new Set(map.untried(dst).map((c) => `${c.isp}:${c.choice}`));
    const next = routes.find((r) => r.oads.some((o) => untried.has(`${o.isp}:${o.choice}`)));
    if (next === undefined) return sent;
    map.observe({ dst, ...next });
    sent++;
  }
}

/** Packets per host, lone cartographers against one campus-wide map, and the route each finds. */
export function compareExploration(hosts: number, dst: string, routes: readonly ProbeRoute[], adequacy: AdequacyOptions = {}) {
  let alone = 0;
  let aloneBest: string | undefined;
  for (let h = 0; h < hosts; h++) {
    const own = new Cartographer();
    alone += probesToLearn(own, dst, routes);
    aloneBest = own.best(dst, adequacy)?.route;
  }
  const campus = new Cartographer();
  let pooled = 0;
  for (let h = 0; h < hosts; h++) pooled += probesToLearn(campus, dst, routes);
  return { alonePackets: alone, campusPackets: pooled, aloneBest, campusBest: campus.best(dst, adequacy)?.route };
}
