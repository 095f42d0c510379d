/**
 * CAIDA AS-relationship files (https://www.caida.org/catalog/datasets/as-relationships/).
 *
 * serial-1: `<provider-as>|<customer-as>|-1` or `<peer-as>|<peer-as>|0`.
 * serial-2: the same with a fourth column naming how the link was inferred (`bgp`, `mlp`, ...).
 * Lines starting with `#` are comments; blank lines are ignored.
 */
import { TollwayError } from "../../errors.js";
import {
  createTopologyGraph,
  DEFAULT_CAPACITY_BPS,
  DEFAULT_LATENCY_MS,
  type LinkRelation,
  type TopologyGraph,
} from "../topology.js";
import { readInputText } from "../../io/files.js";

/** How to read an AS-relationship file and what to keep of it. */
export interface AsRelationshipsOptions {
  /** Name of the file the text came from, used in error messages. */
  file?: string;
  /** Capacity given to every link, in bits per second (default DEFAULT_CAPACITY_BPS). */
  capacityBps?: number;
  /** One-way latency given to every link, in milliseconds (default DEFAULT_LATENCY_MS). */
  latencyMs?: number;
  /** Keep only links whose two ends are both in this set of AS numbers (e.g. one country's ASes). */
  restrictTo?: ReadonlySet<number>;
  /**
   * Keep only the largest connected component (after `restrictTo`). Ties go to the component
   * that holds the smallest AS number, so the choice does not depend on line order.
   */
  largestComponent?: boolean;
}

/** The largest AS number (32-bit ASNs, RFC 6793). */
const MAX_ASN = 4294967295;

interface AsLink {
  a: number;
  b: number;
  relation: LinkRelation;
}

/**
 * The AS graph described by a CAIDA serial-1 or serial-2 AS-relationship text. Nodes are ASes
 * with id = the AS number in decimal and attributes `{ kind: "isp", asn }`, in order of first
 * appearance; links keep the file's order. A line that repeats an earlier pair's relationship
 * is dropped; one that contradicts it (`1|2|-1` after `1|2|0` or `2|1|-1`) is an error, since
 * either choice would be a guess.
 *
 * @throws TollwayError naming the file and 1-based line of the first malformed line (wrong
 *   number of columns, a bad AS number, a relationship other than -1 or 0, a self-loop, a
 *   relationship that contradicts an earlier line), or naming the file when no link is left
 *   (an empty file, or none inside `restrictTo`).
 * @example
 *   parseAsRelationships("1|2|-1\n2|3|0\n").size // 2 links: 1 provides 2; 2 and 3 peer
 */
export function parseAsRelationships(text: string, options: AsRelationshipsOptions = {}): TopologyGraph {
  const place = options.file === undefined ? {} : { file: options.file };
  const capacityBps = options.capacityBps ?? DEFAULT_CAPACITY_BPS;
  const latencyMs = options.latencyMs ?? DEFAULT_LATENCY_MS;
  if (!(capacityBps > 0 && Number.isFinite(capacityBps))) {
    throw new TollwayError(`capacityBps must be a positive number (got ${capacityBps})`, place);
  }
  if (!(latencyMs >= 0 && Number.isFinite(latencyMs))) {
    throw new TollwayError(`latencyMs must be a non-negative number (got ${latencyMs})`, place);
  }

  let links = readLinks(text, options);
  if (links.length === 0) {
    throw new TollwayError(options.restrictTo === undefined
      ? "no AS links (the file has only comments and blank lines)"
      : `no AS links between the ${options.restrictTo.size} chosen ASes`, place);
  }
  if (options.largestComponent === true) links = largestComponentOf(links);

  const graph = createTopologyGraph();
  for (const { a, b, relation } of links) {
    const idA = String(a);
    const idB = String(b);
    if (!graph.hasNode(idA)) graph.addNode(idA, { kind: "isp", asn: a });
    if (!graph.hasNode(idB)) graph.addNode(idB, { kind: "isp", asn: b });
    graph.addEdge(idA, idB, relation === "peer"
      ? { relation, capacityBps, latencyMs }
      : { relation, provider: idA, capacityBps, latencyMs });
  }
  return graph;
}

/**
 * Reads and parses a CAIDA AS-relationship file (see `parseAsRelationships`).
 * @throws TollwayError when the file cannot be read (with the OS reason) or has a bad line.
 */
export function loadAsRelationshipsFile(
  path: string,
  options: Omit<AsRelationshipsOptions, "file"> = {},
): TopologyGraph {
  return parseAsRelationships(readInputText(path, "topology"), { ...options, file: path });
}

/**
 * Every well-formed line checked, repeated and out-of-set links dropped, in file order; a pair
 * whose relationship contradicts an earlier line's is an error, inside `restrictTo` or not.
 */
function readLinks(text: string, options: AsRelationshipsOptions): AsLink[] {
  const links: AsLink[] = [];
  // Per pair (smaller ASN first): the first line that named it and its relationship code,
  // `0` for peers or the provider's ASN.
  const seen = new Map<string, { line: number; code: string }>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const fail = (reason: string): never => {
      throw new TollwayError(reason, { ...(options.file === undefined ? {} : { file: options.file }), line: i + 1 });
    };

    const fields = line.split("|").map((field) => field.trim());
    if (fields.length !== 3 && fields.length !== 4) {
      fail(`expected 3 or 4 columns separated by "|" (got ${fields.length})`);
    }
    const a = parseAsn(fields[0]!, "first", fail);
    const b = parseAsn(fields[1]!, "second", fail);
    const code = fields[2]!;
    if (code !== "-1" && code !== "0") fail(`relationship must be -1 or 0 (got ${shown(code)})`);
    if (fields.length === 4 && fields[3] === "") fail("the source column (serial-2) is empty");
    if (a === b) fail(`self-loop: AS${a} is related to itself`);

    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    const relation = code === "0" ? "0" : String(a);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      if (earlier.code !== relation) {
        fail(`contradicts line ${earlier.line} (${describeRelation(earlier.code, a, b)}): here ${describeRelation(relation, a, b)}`);
      }
      continue;
    }
    seen.set(key, { line: i + 1, code: relation });
    if (options.restrictTo !== undefined && !(options.restrictTo.has(a) && options.restrictTo.has(b))) continue;
    links.push({ a, b, relation: code === "-1" ? "provider-customer" : "peer" });
  }
  return links;
}

/** `0` → "AS1 and AS2 peer", a provider's ASN → "AS1 provides AS2". */
function describeRelation(code: string, a: number, b: number): string {
  if (code === "0") return `AS${Math.min(a, b)} and AS${Math.max(a, b)} peer`;
  return code === String(a) ? `AS${a} provides AS${b}` : `AS${b} provides AS${a}`;
}

function parseAsn(field: string, which: string, fail: (reason: string) => never): number {
  if (!/^\d+$/.test(field)) fail(`${which} AS number must be a non-negative integer (got ${shown(field)})`);
  const asn = Number(field);
  if (asn > MAX_ASN) fail(`${which} AS number is above the 32-bit maximum ${MAX_ASN} (got ${field})`);
  return asn;
}

function shown(field: string): string {
  return field === "" ? "an empty column" : field;
}

/** Union-find over the ASes; keeps the links of the biggest component (ties: smallest ASN). */
function largestComponentOf(links: readonly AsLink[]): AsLink[] {
  const index = new Map<number, number>();
  const asns: number[] = [];
  const indexOf = (asn: number): number => {
    let i = index.get(asn);
    if (i === undefined) {
      i = asns.length;
      index.set(asn, i);
      asns.push(asn);
    }
    return i;
  };
  const ends = links.map(({ a, b }) => [indexOf(a), indexOf(b)] as const);

  const parent = Int32Array.from(asns, (_asn, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!; // path halving keeps the trees shallow
      x = parent[x]!;
    }
    return x;
  };
  for (const [x, y] of ends) {
    const rx = find(x);
    const ry = find(y);
    if (rx !== ry) parent[rx] = ry;
  }

  const size = new Map<number, number>();
  const smallest = new Map<number, number>();
  for (let i = 0; i < asns.length; i++) {
    const root = find(i);
    size.set(root, (size.get(root) ?? 0) + 1);
    smallest.set(root, Math.min(smallest.get(root) ?? Infinity, asns[i]!));
  }
  let best = -1;
  for (const [root, n] of size) {
    if (best === -1 || n > size.get(best)! || (n === size.get(best)! && smallest.get(root)! < smallest.get(best)!)) {
      best = root;
    }
  }
  return links.filter((_link, i) => find(ends[i]![0]) === best);
}
