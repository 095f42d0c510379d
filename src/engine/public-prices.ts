/**
 * What any user could see of the ISPs' prices: the tariffs announced last round (price beacons
 * are public), as ISP strategies read them through `observation.neighbours` and
 * `observation.rivals`.
 *
 * Cheap by construction: the tariffs are copied once per round, before any ISP decides (so no
 * ISP sees a tariff another set this round, whatever their order); each ISP's markets — which
 * upstream neighbours are offered a route through which of its links, and the competing routes —
 * are found once per run on first read, and only tariffs are filled in per round, again only
 * for the ISPs whose strategies read them.
 */
import { FREE_TARIFF, TARIFF_KEYS, type Tariff } from "../mechanisms/billpay/tolls.js";
import type { LinkRivals, NeighbourPrices, RouteQuote } from "../agents/strategy.js";
import { KIND_HOST, KIND_ISP, TO_CUSTOMER, TO_PEER, type CompiledTopology } from "../model/topology.js";
import type { PathProvider } from "./types.js";


/** A market of one own link, as link indices (fixed for the run). */
interface Market {
  link: number;
  from: string;
  to: string;
  own: { nodes: readonly string[]; links: Int32Array };
  rivals: { nodes: readonly string[]; links: Int32Array }[];
}

export class PublicPrices {
  private readonly topology: CompiledTopology;
  private readonly paths: PathProvider;
  private readonly announced: Record<keyof Tariff, Float64Array>;
  private readonly markets = new Map<number, Market[]>();
  /** This round's tariff of each link as a frozen object, made on first read and shared by every reader. */
  private tariffObjects: (Readonly<Tariff> | undefined)[] = [];

  constructor(topology: CompiledTopology, paths: PathProvider) {
    this.topology = topology;
    this.paths = paths;
    this.announced = Object.fromEntries(TARIFF_KEYS.map((k) => [k, new Float64Array(topology.linkCount)])) as Record<keyof Tariff, Float64Array>;
  }

  /** Records the tariffs in force as last round's announcements; call before any ISP decides. */
  announce(tariffs: Readonly<Record<keyof Tariff, Float64Array>>): void {
    for (const key of TARIFF_KEYS) this.announced[key].set(tariffs[key]);
    this.tariffObjects = new Array<Readonly<Tariff> | undefined>(this.topology.linkCount);
  }

  /** The announced tariff of link `l` (free when a host sends on it), frozen: every reader shares it. */
  tariffOf(l: number): Readonly<Tariff> {
    let tariff = this.tariffObjects[l];
    if (tariff === undefined) {
      const a = this.announced;
      tariff = this.tariffObjects[l] = this.topology.nodeKind[this.topology.linkFrom[l]!] === KIND_HOST
        ? FREE_TARIFF
        : Object.freeze({ perPacket: a.perPacket[l]!, perByte: a.perByte[l]!, proportional: a.proportional[l]!, congestion: a.congestion[l]!, dropShare: a.dropShare[l]! });
    }
    return tariff;
  }

  /** The ISPs adjacent to `node` and the tariffs each announced on its outgoing links. */
  neighboursOf(node: number): NeighbourPrices[] {
    const { topology } = this;
    const out: NeighbourPrices[] = [];
    for (let i = topology.outStart[node]!; i < topology.outStart[node + 1]!; i++) {
      const l = topology.outLinks[i]!;
      const n = topology.linkTo[l]!;
      if (topology.nodeKind[n] !== KIND_ISP) continue;
      const relation = topology.linkRelation[l];
      const links: { to: string; tariff: Readonly<Tariff> }[] = [];
      for (let j = topology.outStart[n]!; j < topology.outStart[n + 1]!; j++) {
        const m = topology.outLinks[j]!;
        links.push({ to: topology.nodeIds[topology.linkTo[m]!]!, tariff: this.tariffOf(m) });
      }
      out.push({ isp: topology.nodeIds[n]!, relation: relation === TO_CUSTOMER ? "customer" : relation === TO_PEER ? "peer" : "provider", links });
    }
    return out;
  }

  /** The markets of `node`'s links with last round's announced tariffs. */
  rivalsOf(node: number): LinkRivals[] {
    return this.marketsOf(node).map((m) => ({
      link: m.link, from: m.from, to: m.to, own: this.quote(m.own), rivals: m.rivals.map((r) => this.quote(r)),
    }));
  }

  private quote(route: { nodes: readonly string[]; links: Int32Array }): RouteQuote {
    return { nodes: route.nodes, tariffs: Array.from(route.links, (l) => this.tariffOf(l)) };
  }

  /**
   * For each own link me→n and each other neighbour u (the upstream end of link u→me): the
   * routes offered from u to n, when [u, me, n] is one of them.
   */
  private marketsOf(node: number): Market[] {
    let markets = this.markets.get(node);
    if (markets) return markets;
    const { topology, paths } = this;
    const ids = topology.nodeIds;
    // Frozen: the same arrays are lent every round, so a strategy must not be able to change them.
    const named = (nodes: Int32Array): readonly string[] => Object.freeze(Array.from(nodes, (n) => ids[n]!));
    markets = [];
    const start = topology.outStart[node]!;
    const end = topology.outStart[node + 1]!;
    for (let i = start; i < end; i++) {
      const l = topology.outLinks[i]!;
      const n = topology.linkTo[l]!;
      for (let j = start; j < end; j++) {
        const u = topology.linkTo[topology.outLinks[j]!]!;
        if (u === n) continue;
        const offered = paths.offered(u, n);
        const own = offered.find((p) => p.nodes.length === 3 && p.nodes[1] === node);
        if (!own) continue;
        markets.push({
          link: l, from: ids[u]!, to: ids[n]!,
          own: { nodes: named(own.nodes), links: own.links },
          rivals: offered.filter((p) => p !== own).map((p) => ({ nodes: named(p.nodes), links: p.links })),
        });
      }
    }
    this.markets.set(node, markets);
    return markets;
  }
}
