/**
 * How many packets hosts spend finding the cheapest path with a digital cartographer (Bill-Pay
 * §2.2), each host alone against one campus-wide map, on a generated AS graph. A campus is a set
 * of hosts behind one access ISP; each host talks to a few destinations drawn from a popular set,
 * so hosts share destinations and a campus map learned for one serves the others.
 *
 * The routes a host can reach are those user-OADs can steer its packets onto from the first
 * offered path (every ISP honouring, see model/steering.ts); each costs the sum of the per-packet
 * tolls of the ISPs that forward it (the data leg only). A host probes as `probesToLearn` does
 * until its map's cheapest adequate route is the true cheapest one, or nothing is left untried
 * (an oracle's stop), and separately until nothing is left untried (a host's own stop).
 */
import { createRng } from "../engine/random.js";
import { Cartographer, routeName } from "../mechanisms/billpay/cartographer.js";
import { probesToLearn, type ProbeRoute } from "../mechanisms/billpay/exploration.js";
import { generateInternetTopology } from "../model/generator.js";
import { alternativesAt, ispOadsAlong } from "../model/oads.js";
import { PathTable } from "../model/paths.js";
import { steerRoute, type RouteLike } from "../model/steering.js";
import { compileTopology, KIND_HOST, type CompiledTopology } from "../model/topology.js";

/**
 * Every route user-OADs can steer a packet onto from `start` when every ISP honours them,
 * breadth first from `start` (one request at one ISP at a time), at most `limit` routes.
 */
export function steerableRoutes(topology: CompiledTopology, paths: PathTable, start: RouteLike, limit = 64): RouteLike[] {
  const dst = start.nodes[start.nodes.length - 1]!;
  const found = [start];
  const seen = new Set([start.nodes.join(",")]);
  for (let r = 0; r < found.length && found.length < limit; r++) {
    const route = found[r]!;
    for (let j = 1; j + 1 < route.nodes.length; j++) {
      const isp = route.nodes[j]!;
      const count = alternativesAt(paths, isp, dst, route.nodes[j + 1]!).length;
      for (let choice = 1; choice <= count && found.length < limit; choice++) {
        const steered = steerRoute(topology, paths, route, (n) => (n === isp ? { undesirable: 0, choice } : undefined), () => true);
        if (steered === null || seen.has(steered.nodes.join(","))) continue;
        seen.add(steered.nodes.join(","));
        found.push(steered);
      }
    }
  }
  return found;
}

/** The routes as a cartographer would see them: their ISP-OADs and the sum of their ISPs' tolls. */
export function probeRoutes(topology: CompiledTopology, paths: PathTable, routes: readonly RouteLike[], tollOf: (node: number) => number): ProbeRoute[] {
  return routes.map((route) => {
    let toll = 0;
    for (let j = 0; j + 1 < route.nodes.length; j++) if (topology.nodeKind[route.nodes[j]!] !== KIND_HOST) toll += tollOf(route.nodes[j]!);
    return { oads: ispOadsAlong(topology, paths, route.nodes), toll, delivered: true };
  });
}

/** The study's knobs; every field has a default. */
export interface ExplorationStudyOptions {
  /** ASes of the generated graph (default 300) and destination hosts on it (default 60). */
  nodes?: number;
  hosts?: number;
  /** Hosts in the campus (default 20), all behind one access ISP. */
  campusHosts?: number;
  /** Destinations per campus host (default 3), drawn from the first `popular` hosts (default 10). */
  destinationsPerHost?: number;
  popular?: number;
  /** Per-packet toll of each ISP, drawn uniformly from 1..maxToll (default 20). */
  maxToll?: number;
  seed?: number;
}

/** What the study found: packets sent to find the cheapest route, per host alone and campus-wide. */
export interface ExplorationStudy {
  campusHosts: number;
  /** (host, destination) pairs the campus talks over, and distinct destinations among them. */
  pairs: number;
  destinations: number;
  /** Mean steerable routes per destination. */
  meanRoutes: number;
  /** Packets all hosts sent before each knew its cheapest route, each with its own map. */
  alonePackets: number;
  /** The same with one campus-wide map. */
  campusPackets: number;
  /** Pairs whose map ended on the true cheapest route (alone, campus-wide). */
  aloneFound: number;
  campusFound: number;
  /**
   * Packets until nothing offered is untried, alone and campus-wide: what a host spends when it
   * cannot tell it has found the cheapest (the figures above stop there, as an oracle would).
   */
  aloneToExhaust: number;
  campusToExhaust: number;
}

/**
 * Runs the study: a generated graph with `hosts` hosts and a campus of `campusHosts` hosts behind
 * one stub AS; each campus host's destinations; per pair, packets until its map's cheapest route
 * is the true cheapest (or nothing is untried), with a map of its own and with the campus map.
 */
export function explorationStudy(options: ExplorationStudyOptions = {}): ExplorationStudy {
  const { nodes = 300, hosts = 60, campusHosts = 20, destinationsPerHost = 3, popular = 10, maxToll = 20, seed = 1 } = options;
  const graph = generateInternetTopology({ nodes, hosts, seed });
  const rng = createRng(seed * 7919 + 1);
  // The campus's access ISP: the last AS the generator grew (late ASes are mostly stubs).
  const access = `AS${nodes}`;
  for (let h = 1; h <= campusHosts; h++) {
    graph.addNode(`C${h}`, { kind: "host" });
    graph.addEdge(access, `C${h}`, { relation: "provider-customer", provider: access, capacityBps: 1e9, latencyMs: 1 });
  }
  const topology = compileTopology(graph);
  const paths = new PathTable(topology, { k: 4 });
  const tolls = new Int32Array(topology.nodeIds.length);
  for (let n = 0; n < tolls.length; n++) tolls[n] = 1 + rng.int(maxToll);
  const node = (id: string) => topology.nodeIndex.get(id)!;

  const learned = new Map<string, ProbeRoute[]>();
  const routesTo = (dst: string): ProbeRoute[] => {
    let routes = learned.get(dst);
    if (routes === undefined) {
      // Every campus host reaches dst over the same ISPs: C1's first offered path stands for all.
      const first = paths.offered(node("C1"), node(dst))[0];
      routes = first === undefined ? [] : probeRoutes(topology, paths, steerableRoutes(topology, paths, first), (n) => tolls[n]!);
      learned.set(dst, routes);
    }
    return routes;
  };
  const cheapestName = (routes: readonly ProbeRoute[]): string =>
    routeName(routes.reduce((best, r) => (r.toll < best.toll ? r : best), routes[0]!).oads);

  const campus = new Cartographer();
  const campusAll = new Cartographer();
  const result: ExplorationStudy = {
    campusHosts, pairs: 0, destinations: 0, meanRoutes: 0, alonePackets: 0, campusPackets: 0, aloneFound: 0, campusFound: 0, aloneToExhaust: 0, campusToExhaust: 0,
  };
  for (let h = 1; h <= campusHosts; h++) {
    const own = new Cartographer();
    const ownAll = new Cartographer();
    const picked = new Set<string>();
    while (picked.size < Math.min(destinationsPerHost, popular)) picked.add(`H${1 + rng.int(popular)}`);
    for (const dst of picked) {
      const routes = routesTo(dst);
      if (routes.length === 0) continue;
      const target = cheapestName(routes);
      const found = (map: Cartographer) => map.best(dst)?.route === target;
      result.pairs++;
      result.alonePackets += probesToLearn(own, dst, routes, found);
      if (found(own)) result.aloneFound++;
      result.campusPackets += probesToLearn(campus, dst, routes, found);
      if (found(campus)) result.campusFound++;
      result.aloneToExhaust += probesToLearn(ownAll, dst, routes);
      result.campusToExhaust += probesToLearn(campusAll, dst, routes);
    }
  }
  const reached = [...learned.values()].filter((r) => r.length > 0);
  result.destinations = reached.length;
  result.meanRoutes = reached.reduce((sum, r) => sum + r.length, 0) / Math.max(1, reached.length);
  return result;
}
