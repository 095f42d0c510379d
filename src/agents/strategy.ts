/**
 * The contracts a strategy implements. A strategy is one small file:
 *
 * ```ts
 * export default defineIspStrategy({
 *   id: "my-toll", name: "My toll", params: z.object({ toll: z.number().default(2) }),
 *   meta: { description: "...", memoryDepth: 0, stochastic: false, cheats: false },
 *   init: () => ({}),
 *   decide: (obs, state, params) => ({ state, action: { tariffs: obs.links.map(() => ({ perPacket: params.toll })) } }),
 * });
 * ```
 *
 * `decide` must be pure: everything it may use arrives as arguments (the observation holds only
 * what the agent could know), randomness only from `rng`, and the new state is returned as plain
 * data (it may be copied to a worker thread between rounds).
 *
 * The observation, its paths and `rng` are valid only during the call: the engine reuses them
 * for the next flow (a round makes millions of calls), so copy into the state what you keep.
 *
 * Parameters are strict: a field the schema does not declare is an error, not silently dropped,
 * so a misspelt `perPackets` in a scenario is caught. `defineIspStrategy`/`defineUserStrategy`
 * make a `z.object({...})` strict for you (as if written `z.strictObject`); a schema that states
 * its own rule for other fields (`z.looseObject`, `.catchall(z.number())`) is kept as written.
 */
import type { z } from "zod";
import type { Tariff } from "../mechanisms/billpay/tolls.js";
import type { Rng } from "../engine/random.js";
import type { IspOadEcho } from "../model/oads.js";
import type { UserOadRequest } from "../model/steering.js";

/** Axelrod-style classifier: what a strategy is, declared and then checked by the conformance kit. */
export interface StrategyMeta {
  /** One or two sentences, citing the paper section the behaviour comes from. */
  description: string;
  /** Where the behaviour comes from, e.g. "Bill-Pay §3.1". */
  source?: string;
  /** Rounds of its own history the strategy uses: 0, a number, or "unbounded". */
  memoryDepth: number | "unbounded";
  /** Whether `decide` draws from `rng`. A non-stochastic strategy must ignore the seed. */
  stochastic: boolean;
  /** Whether the strategy misreports or breaks the honest rules (fake congestion, keep-and-drop). */
  cheats: boolean;
}

export interface Decision<State, Action> {
  state: State;
  action: Action;
}

export interface StrategyDefinition<Kind extends string, Params extends z.ZodType, State, Observation, Action> {
  id: string;
  name: string;
  params: Params;
  meta: StrategyMeta;
  init(params: z.output<Params>): State;
  decide(observation: Observation, state: State, params: z.output<Params>, rng: Rng): Decision<State, Action>;
  /** Set by defineIspStrategy/defineUserStrategy. */
  kind?: Kind;
}

// ---------------------------------------------------------------------------------------------
// ISPs

/** What an ISP knows about one of its outgoing links after a round. */
export interface IspLinkObservation {
  /** Directed link index (stable for the run). */
  link: number;
  /** The neighbour at the other end. */
  to: string;
  relation: "customer" | "peer" | "provider";
  capacityBitsPerRound: number;
  /** Bits offered to the link last round (before capacity drops). */
  offeredBits: number;
  carriedBits: number;
  carriedPackets: number;
  droppedPackets: number;
  /** carriedBits / capacity, in [0, 1]. */
  utilization: number;
  /** offeredBits / capacity; above 1 means real congestion. */
  load: number;
  /** Units this ISP kept last round from packets it sent (or dropped) on this link. */
  revenue: number;
  /** The tariff in force on the link last round. */
  tariff: Tariff;
}

/**
 * A neighbouring ISP's public prices: the tariffs it announced on each of its outgoing links
 * last round (what any user could read from price beacons).
 */
export interface NeighbourPrices {
  isp: string;
  /** What the neighbour is to this ISP. */
  relation: "customer" | "peer" | "provider";
  links: readonly { to: string; tariff: Readonly<Tariff> }[];
}

/** An offered route and the tariffs announced on its links last round. */
export interface RouteQuote {
  /** Node ids, first to last. */
  nodes: readonly string[];
  /** The tariff announced on each of its links, in path order (links a host sends on charge nothing). */
  tariffs: readonly Readonly<Tariff>[];
}

/**
 * The routes that compete with one of this ISP's links in one market: the routes offered from
 * an upstream neighbour `from` to the link's far end `to`, one of which is from → this ISP → to.
 * Compare prices with `announcedRoutePrice(route.tariffs, bits)`.
 */
export interface LinkRivals {
  /** Own link index, as in `links[].link`. */
  link: number;
  /** The upstream neighbour the routes start at. */
  from: string;
  /** The far end of the own link, where the routes end. */
  to: string;
  /** The offered route through this ISP's link: [from, this ISP, to]. */
  own: RouteQuote;
  /** Every other route offered from `from` to `to`. */
  rivals: readonly RouteQuote[];
}

export interface IspObservation {
  round: number;
  isp: string;
  /** Length of a round in seconds. */
  roundSeconds: number;
  links: readonly IspLinkObservation[];
  /** Units kept last round over all links. */
  revenue: number;
  cumulativeRevenue: number;
  /**
   * Public prices of the neighbouring ISPs (announced last round). The engine computes it on
   * first read, once per round; a strategy that does not read it costs nothing.
   */
  readonly neighbours: readonly NeighbourPrices[];
  /**
   * For each own link and upstream neighbour, the competing offered routes and their announced
   * tariffs (last round's; in round 0 nothing has been announced and every tariff is 0). Only
   * markets where the route through this ISP is offered are listed. Computed on first read.
   */
  readonly rivals: readonly LinkRivals[];
}

export interface IspAction {
  /** One tariff per observed link, in the order of `observation.links`; missing fields are 0. */
  tariffs: Partial<Tariff>[];
  /**
   * User-OADs (Bill-Pay §2.2): this ISP sends a packet to the choice its user-OAD names when the
   * packet reaches it carrying at least this payment (its payment less the tolls announced on
   * the links before). 0 honours every request; left out or Infinity, the ISP ignores them.
   */
  honourOadsFrom?: number;
}

/** A tariff as columns: `perByte[j]` is row j's `perByte`, and so on for each field of Tariff. */
export type TariffColumns = { readonly [K in keyof Tariff]: Float64Array };

/**
 * An ISP's outgoing links as columns: row j holds the fields of `observation.links[j]` (its
 * last-round `tariff` in the five `tariff` columns). Lent for the call only: the engine refills
 * the same arrays every round, so copy into the state what you keep.
 */
export interface IspLinkColumns {
  /** Links (rows). */
  readonly count: number;
  readonly link: Int32Array;
  readonly to: readonly string[];
  readonly relation: readonly ("customer" | "peer" | "provider")[];
  readonly capacityBitsPerRound: Float64Array;
  readonly offeredBits: Float64Array;
  readonly carriedBits: Float64Array;
  readonly carriedPackets: Float64Array;
  readonly droppedPackets: Float64Array;
  readonly utilization: Float64Array;
  readonly load: Float64Array;
  readonly revenue: Float64Array;
  readonly tariff: TariffColumns;
}

/** The IspObservation of the column form: the same fields, with `links` as columns. */
export type IspColumnObservation = Omit<IspObservation, "links"> & { readonly links: IspLinkColumns };

/** What the column form writes: row j's tariff (every column 0 on entry: missing fields are 0) and `honourOadsFrom` (Infinity on entry). */
export interface IspActionColumns {
  readonly tariffs: TariffColumns;
  honourOadsFrom: number;
}

/**
 * The column form of an ISP's `decide`: reads its links as columns, writes row j's tariff into
 * `actions.tariffs` and returns its new state. It must give exactly the tariffs, `honourOadsFrom`
 * and state `decide` gives (the conformance kit checks it on random observations); the engine
 * uses it when a strategy has it.
 */
export type DecideIspColumns<Params extends z.ZodType, State> = (
  observation: IspColumnObservation, state: State, params: z.output<Params>, actions: IspActionColumns, rng: Rng,
) => State;

type IspDefinition<Params extends z.ZodType, State> = StrategyDefinition<"isp", Params, State, IspObservation, IspAction> & {
  /** Optional: the column form of `decide` (see DecideIspColumns). */
  decideColumns?(...args: Parameters<DecideIspColumns<Params, State>>): State;
};

export type IspStrategy<Params extends z.ZodType = z.ZodType, State = unknown> = IspDefinition<Params, State> & { kind: "isp" };

/** Declares an ISP strategy: its metadata, strict parameters, `decide` and optionally `decideColumns`. */
export function defineIspStrategy<Params extends z.ZodType, State>(definition: IspDefinition<Params, State>): IspStrategy<Params, State> {
  return { ...definition, params: strictParams(definition.params), kind: "isp" };
}

// ---------------------------------------------------------------------------------------------
// Users

/** A path the user's access ISP offers, as the user knows it. */
export interface OfferedPathView {
  /** Node ids from the payer to the payee. */
  nodes: readonly string[];
  /** Sum of the tolls per packet announced on the path for this round (price beacons). */
  price: number;
  /** Propagation latency, ms. */
  latencyMs: number;
}

/** What came back in the acknowledgments of last round's packets. */
export interface AckReport {
  sent: number;
  delivered: number;
  acknowledged: number;
  /** Units that left the payer inside packets. */
  spent: number;
  /** Units that came back in acknowledgments. */
  refunded: number;
  /** Units paid per packet that were not refunded (tolls along the path). */
  tollPerPacket: number;
  /** Delivered bits per second on the data leg. */
  throughputBps: number;
  /** Offered path index that was used. */
  path: number;
  /** The ISP-OADs the data packets collected, echoed by the receiver (Bill-Pay §2.2). */
  ispOads: readonly IspOadEcho[];
}

export interface UserObservation {
  round: number;
  user: string;
  roundSeconds: number;
  /** Packets the application wants to send this round. */
  demandPackets: number;
  /** Bits per data packet. */
  packetBits: number;
  /** Seconds the flow has been running and, when known, seconds of demand left. */
  age: number;
  remainingSeconds: number | null;
  paths: readonly OfferedPathView[];
  /** Last round's report, or null in the flow's first round. */
  last: AckReport | null;
  /** Units spent so far, net of refunds. */
  cumulativeSpent: number;
}

export interface UserAction {
  /** Packets to send this round (≤ demand is typical; more is allowed for probing). */
  packets: number;
  /** Nanopayment per packet, whole units, ≥ 0. */
  payment: number;
  /** Index into `observation.paths`. */
  path: number;
  /**
   * User-OADs (Bill-Pay §2.2), at most one per ISP on the path: alternatives the user finds
   * undesirable at that ISP and the choice it would like (as numbered in the ISP-OADs of
   * `last.ispOads`). Not binding: each ISP's strategy decides whether to honour them
   * (`IspAction.honourOadsFrom`). The column form writes them in `actions.oads`.
   */
  oads?: readonly UserOadRequest[];
  /**
   * Bill-Pay §3.1, "sending duplicate copies of important packets along different paths": send
   * ⌊share × packets⌋ of this round's packets a second time on offered path `path`, which must
   * share no link an ISP sends on with `path` above. The copies carry the same payment and are
   * paid like any packet. Next round's report counts the application's packets: `sent` leaves
   * the copies out and a packet counts as `delivered` when either copy arrived, while `spent`,
   * `acknowledged` and `refunded` include the copies. Left out, or a share of 0, sends no
   * copies. Refused for a flow governed by a digital secretary and in receiver-pays mode. The
   * column form writes it in `actions.duplicate`.
   */
  duplicate?: DuplicateRequest;
  /**
   * Attacks on the authenticated payments (pricing paper Eq. 10; only with the scenario's
   * `security.payments`): how this round's payment fields differ from the honest ones the
   * source's payment module writes. Left out: honest. The column form writes it in `actions.payments`.
   */
  payments?: PaymentTamper;
}

/** The second path of a duplicating action (`UserAction.duplicate`). */
export interface DuplicateRequest {
  /** Index into `observation.paths`, another path than the action's own. */
  path: number;
  /** Share of the round's packets also sent there, in [0, 1]. */
  share: number;
}

/**
 * A change to the payment fields (Eq. 10) of a flow's packets this round, for attack strategies:
 *
 * - `forge`: every AS's P_own is `ownFactor` × the honest one; the MAC is computed under a key the
 *   user made up (`validMac: false`; the DRKeys are held by the host's payment module, not the
 *   application) or, for a source that lies, under the real key (`validMac: true`);
 * - `replay`: the fields the flow was issued in round `round` (an earlier one) are sent again;
 * - `alter`: after the source MACed the fields, P_own of the `asIndex`-th AS of the path
 *   (0: the first) is changed by `delta` units in transit.
 */
export type PaymentTamper =
  | { readonly kind: "forge"; readonly ownFactor: number; readonly validMac: boolean }
  | { readonly kind: "replay"; readonly round: number }
  | { readonly kind: "alter"; readonly asIndex: number; readonly delta: number };

/**
 * What many users see this round, as columns: flow `i` of `count` (all flows of one shard that
 * play the same strategy with the same parameters). Field by field it is the UserObservation of
 * each flow; the parts few strategies read are functions, computed only when called. Like the
 * per-flow observation, the columns are lent for the call only.
 */
export interface UserColumns {
  /** Flows in this call. */
  readonly count: number;
  readonly round: number;
  readonly roundSeconds: number;
  /** Most paths offered to a flow: flow i's path p is at index `i * k + p` of the path columns. */
  readonly k: number;
  readonly demandPackets: Float64Array;
  readonly packetBits: Float64Array;
  readonly age: Float64Array;
  /** Seconds of demand left; Infinity when unknown (a null `remainingSeconds`). */
  readonly remainingSeconds: Float64Array;
  readonly cumulativeSpent: Float64Array;
  /** Paths offered to each flow (`observation.paths.length`, ≥ 1). */
  readonly pathCount: Int32Array;
  /** `pathPrice[i * k + p]`: the announced price of flow i's path p. */
  readonly pathPrice: Float64Array;
  /** 1 when the flow has last round's report (`observation.last` is not null); the `last*` columns hold it. */
  readonly hasLast: Uint8Array;
  readonly lastSent: Float64Array;
  readonly lastDelivered: Float64Array;
  readonly lastAcknowledged: Float64Array;
  readonly lastSpent: Float64Array;
  readonly lastRefunded: Float64Array;
  readonly lastTollPerPacket: Float64Array;
  readonly lastThroughputBps: Float64Array;
  readonly lastPath: Int32Array;
  /** Flow i's path p: its propagation latency in ms, and its node ids. */
  latencyMs(i: number, p: number): number;
  nodes(i: number, p: number): readonly string[];
  /** Flow i's user name, as `observation.user`. */
  user(i: number): string;
  /** The ISP-OADs of flow i's last report, as `observation.last.ispOads` (empty without a report). */
  lastIspOads(i: number): readonly IspOadEcho[];
}

/**
 * The actions of the flows of a UserColumns call, one row each, written by the strategy. The
 * lists `oads`, `duplicate` and `payments` start empty each call (every row reads undefined):
 * a strategy writes only the rows that have one.
 */
export interface UserActionColumns {
  packets: Float64Array;
  payment: Float64Array;
  path: Int32Array;
  /** Row i's user-OADs (as `UserAction.oads`); undefined on entry, left so for none. */
  oads: (readonly UserOadRequest[] | undefined)[];
  /** Row i's duplicate request (as `UserAction.duplicate`); undefined on entry, left so for none. */
  duplicate: (DuplicateRequest | undefined)[];
  /** Row i's payment-field attack (as `UserAction.payments`); undefined on entry, left so for honest fields. */
  payments: (PaymentTamper | undefined)[];
}

/**
 * The column form of `decide`: decides for all `columns.count` flows at once. `states[i]` is
 * flow i's state on entry and must hold its new state on return; `actions` row i its action;
 * `rng(i)` is flow i's generator (the one `decide` would get; valid until the next `rng` call).
 * It must give exactly the actions and states `decide` gives flow by flow (the conformance kit
 * checks it on random observations); the engine uses it when a strategy has it.
 */
export type DecideColumns<Params extends z.ZodType, State> = (
  columns: UserColumns, states: State[], params: z.output<Params>, actions: UserActionColumns, rng: (i: number) => Rng,
) => void;

type UserDefinition<Params extends z.ZodType, State> = StrategyDefinition<"user", Params, State, UserObservation, UserAction> & {
  /** Optional: the column form of `decide` (see DecideColumns). */
  decideColumns?(...args: Parameters<DecideColumns<Params, State>>): void;
};

export type UserStrategy<Params extends z.ZodType = z.ZodType, State = unknown> = UserDefinition<Params, State> & { kind: "user" };

/** Declares a user strategy: its metadata, strict parameters, `decide` and optionally `decideColumns`. */
export function defineUserStrategy<Params extends z.ZodType, State>(definition: UserDefinition<Params, State>): UserStrategy<Params, State> {
  return { ...definition, params: strictParams(definition.params), kind: "user" };
}

/** The zod 4 internals strictParams reads; duck-typed, as a user's file may bring its own copy of zod. */
interface ObjectSchemaLike {
  _zod?: { def?: { type?: string; catchall?: unknown } };
  strict?: () => unknown;
}

/**
 * `schema` made to refuse undeclared fields when it is a plain `z.object` (whose own rule is to
 * drop them silently); any other schema is returned unchanged.
 */
export function strictParams<Params extends z.ZodType>(schema: Params): Params {
  const object = schema as unknown as ObjectSchemaLike;
  const def = object._zod?.def;
  if (def?.type === "object" && def.catchall === undefined && typeof object.strict === "function") return object.strict() as Params;
  return schema;
}

/** Whether `schema` is an object that takes fields it does not declare by its author's choice (a catchall other than never). */
export function acceptsOtherFields(schema: z.ZodType): boolean {
  const def = (schema as unknown as ObjectSchemaLike)._zod?.def;
  const catchall = def?.catchall as ObjectSchemaLike | undefined;
  return def?.type === "object" && catchall !== undefined && catchall._zod?.def?.type !== "never";
}

export type AnyStrategy = IspStrategy<z.ZodType, any> | UserStrategy<z.ZodType, any>;
