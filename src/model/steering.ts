/**
 * OAD steering (Bill-Pay §2.2): the sender's user-OAD for an ISP on the path marks alternatives
 * undesirable and names a preferred choice; the ISP, free to ignore it, may send the packet to
 * the next hop of that choice instead, and from there on along its own offered route through
 * that hop. The choices are the ones the ISP marks in its ISP-OAD (`alternativesAt`), so a
 * sender that read "X offers choices 1 and 2" in an acknowledgment can ask X for choice 2.
 *
 * Pure functions on node and link indices; whether an ISP honours a request is the caller's
 * (the engine asks the ISP's announced policy, see `IspAction.honourOadsFrom`).
 */
import { TollwayError } from "../errors.js";
import { validateHeader, type UserOad } from "./header.js";
import { alternativesAt } from "./oads.js";
import { isValleyFree } from "./paths.js";
import type { CompiledTopology } from "./topology.js";

/** A user-OAD as a user strategy writes it: the ISP it addresses (by id) and the OAD itself. */
export interface UserOadRequest extends UserOad {
  isp: string;
}

/** Routes as nodes and directed links (an offered path, or a steered one). */
export interface RouteLike {
  readonly nodes: Int32Array;
  readonly links: Int32Array;
}

/** The routes each node offers toward a destination, best first. */
export interface SteeringRoutes {
  offered(src: number, dst: number): readonly RouteLike[];
}

/**
 * Whether the ISP at `position` of the route honours a request that sends the packet on `link`;
 * `before` holds the links the packet crossed to reach it.
 */
export type HonoursRequest = (isp: number, link: number, position: number, before: Int32Array) => boolean;

/**
 * The choice a user-OAD asks of an ISP whose packet now takes choice `current` of `count`: the
 * preferred choice when it is offered and not marked undesirable; otherwise, when the current
 * choice is marked undesirable, the first offered choice that is not; otherwise none (0).
 *
 * @example requestedChoice({ undesirable: 0, choice: 2 }, 1, 2) // 2
 * @example requestedChoice({ undesirable: 0b01, choice: 0 }, 1, 3) // 2: "choice 1 is undesirable"
 */
export function requestedChoice(oad: UserOad, current: number, count: number): number {
  const undesirable = (c: number): boolean => (oad.undesirable & (1 << (c - 1))) !== 0;
  if (oad.choice >= 1 && oad.choice <= count && !undesirable(oad.choice)) return oad.choice;
  if (current >= 1 && undesirable(current)) {
    for (let c = 1; c <= count; c++) if (!undesirable(c)) return c;
  }
  return 0;
}

/**
 * The route a packet takes from `route` when the ISPs on it act on the user-OADs `requestOf`
 * returns for them, hop by hop from the sender: an ISP asked for another of its choices (see
 * `requestedChoice`) that `honours` the request sends the packet along its own offered route
 * through that choice's next hop, and ISPs further on may steer it again. A request is not
 * acted on when the new route would visit a node twice or not be valley-free (an ISP keeps to
 * its export policy). Returns null when no ISP changed the route.
 */
export function steerRoute(
  topology: CompiledTopology,
  routes: SteeringRoutes,
  route: RouteLike,
  requestOf: (node: number) => UserOad | undefined,
  honours: HonoursRequest,
): RouteLike | null {
  let { nodes, links } = route;
  let steered = false;
  const dst = nodes[nodes.length - 1]!;
  for (let j = 1; j + 1 < nodes.length; j++) {
    const isp = nodes[j]!;
    const oad = requestOf(isp);
    if (oad === undefined) continue;
    const alternatives = alternativesAt(routes, isp, dst, nodes[j + 1]!);
    const current = alternatives.indexOf(nodes[j + 1]!) + 1;
    const choice = requestedChoice(oad, current, alternatives.length);
    if (choice === 0 || choice === current) continue;
    const hop = alternatives[choice - 1]!;
    const via = routes.offered(isp, dst).find((r) => r.nodes[1] === hop);
    if (via === undefined) continue;
    const candidate = concat(nodes.subarray(0, j), via.nodes);
    if (new Set(candidate).size !== candidate.length || !isValleyFree(topology, candidate)) continue;
    if (!honours(isp, via.links[0]!, j, links.subarray(0, j))) continue;
    nodes = candidate;
    links = concat(links.subarray(0, j), via.links);
    steered = true;
  }
  return steered ? { nodes, links } : null;
}

function concat(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * A plain copy of the user-OADs a strategy returned, each field read once (a getter is not read
 * again when the packet's route is resolved), or `value` itself when it is not an array.
 */
export function copyUserOads(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return Array.from(value as unknown[], (oad) => {
    if (oad === null || typeof oad !== "object") return oad;
    const { isp, undesirable, choice } = oad as Partial<UserOadRequest>;
    return { isp, undesirable, choice };
  });
}

/**
 * Checks the user-OADs a strategy returned: an array of at most MAX_OADS requests, each naming
 * an ISP by id, with the header's ranges (bitmap 0..255, choice 0..8, not both preferred and
 * undesirable). Returns the reason it is invalid, or null.
 */
export function userOadsProblem(oads: unknown): string | null {
  if (!Array.isArray(oads)) return "must be an array of { isp, undesirable, choice }";
  for (const [j, oad] of oads.entries()) {
    if (oad === null || typeof oad !== "object" || typeof (oad as { isp?: unknown }).isp !== "string") return `oads.${j}.isp: must name an ISP by id`;
  }
  try {
    const userOads = (oads as UserOadRequest[]).map(({ undesirable, choice }) => ({ undesirable, choice }));
    validateHeader({ version: 1, payment: 0, ispOads: [], userOads });
  } catch (error) {
    if (error instanceof TollwayError) return `${(error.place.field ?? "").replace(/^header\.userOads/, "oads")}: ${error.reason}`;
    throw error;
  }
  return null;
}
