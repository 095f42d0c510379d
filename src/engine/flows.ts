/**
 * The flow table: every user flow alive in the simulation, as columns of typed arrays so that
 * millions of generated flows cost no objects beyond their strategy state.
 */

/** A flow to add. Times are in seconds of simulated time. */
export interface FlowInit {
  /** Name shown in summaries; generated flows leave it out. */
  name?: string;
  payer: number;
  payee: number;
  /** Index into the simulation's user agents (strategy + params). */
  agent: number;
  startTime: number;
  /** Infinity for a flow that lasts the whole run. */
  endTime: number;
  /** Demand: bits per second the application wants to send. */
  demandBps: number;
  /** Bits per packet on the paying leg and on the returning leg (0: no return leg). */
  payingLegBits: number;
  returnLegBits: number;
  /** Which leg carries the data: 0 the paying leg (sender pays), 1 the return leg (receiver pays). */
  dataLeg: 0 | 1;
  /** The payee keeps `keepPerPacket + keepFraction × remaining` of what reaches it. */
  keepPerPacket: number;
  keepFraction: number;
  /** Offered return path index used by the payee. */
  returnPath: number;
  state: unknown;
}

const COLUMNS = {
  uid: Int32Array, payer: Int32Array, payee: Int32Array, agent: Int32Array,
  startTime: Float64Array, endTime: Float64Array, demandBps: Float64Array,
  // The flow's class: its row of `classes` (what flows of one kind share, see CLASS_COLUMNS).
  flowClass: Int32Array,
  // Last round's outcome, what the user observes. Packet counts are whole numbers of at most
  // 2^30 (a round's packets, MAX_ROUND_PACKETS = 2^29, and as many copies), so 32 bits hold
  // them exactly; a path is an index below k ≤ 8 (or -1): 8 bits. 15 bytes a flow at paper scale.
  hasReport: Uint8Array, lastSent: Uint32Array, lastDelivered: Uint32Array, lastAcknowledged: Uint32Array,
  lastSpent: Float64Array, lastRefunded: Float64Array, lastPath: Int8Array, lastPayment: Float64Array,
  // Totals over the flow's life.
  cumulativeSpent: Float64Array, deliveredBits: Float64Array, demandedBits: Float64Array,
  sentPackets: Float64Array, deliveredPackets: Float64Array, pathSwitches: Int32Array,
  payeeKept: Float64Array,
  // The shard's route-store slots of the flow's pair each way (-1 until first looked up): a
  // pair's slot never changes, so a flow looks it up once in its life, not every round.
  payingSlot: Int32Array, returnSlot: Int32Array,
  // The shard's steered route the paying leg took last round (OAD steering), or -1: the offered path.
  lastRoute: Int32Array,
} as const;

/**
 * What the flows of one class share, one row per class (column `flowClass` of a flow row): the
 * arrival fields that generated traffic gives every flow alike. In the row they were 37 bytes
 * a flow; a class row is written once for millions of flows.
 */
const CLASS_COLUMNS = {
  payingLegBits: Float64Array, returnLegBits: Float64Array, dataLeg: Uint8Array,
  keepPerPacket: Float64Array, keepFraction: Float64Array, returnPath: Int32Array,
} as const;

/** Bits per packet of a class's data leg: the paying leg's, unless the receiver pays (the return leg's). */
export function dataLegBits(classes: FlowClasses, flowClass: number): number {
  return classes.dataLeg[flowClass] === 0 ? classes.payingLegBits[flowClass]! : classes.returnLegBits[flowClass]!;
}

/** The name of one column of the flow table. */
export type ColumnName = keyof typeof COLUMNS;
/** The name of one column of the class table. */
export type ClassColumnName = keyof typeof CLASS_COLUMNS;
/** The class table: one typed array per shared field, indexed by class (flow column `flowClass`). */
export type FlowClasses = { [K in ClassColumnName]: InstanceType<(typeof CLASS_COLUMNS)[K]> };
/**
 * The flow table's columns, one typed array per field, indexed by row; with the class table,
 * read as `c.classes.payingLegBits[c.flowClass[i]]`.
 */
export type FlowColumns = { [K in ColumnName]: InstanceType<(typeof COLUMNS)[K]> } & { classes: FlowClasses };

/** What a reader of a flow table (possibly in another thread) needs: its columns and row count. */
export interface FlowColumnsView {
  readonly columns: FlowColumns;
  readonly count: number;
  /** The links of each route user-OADs steered this table's flows onto, by flow column `lastRoute` (hosts fill it; absent: none known). */
  readonly steeredLinks?: readonly Int32Array[];
}

export class FlowTable implements FlowColumnsView {
  count = 0;
  private capacity: number;
  columns: FlowColumns;
  /**
   * Row i's name, or undefined. Empty while no flow has a name (generated traffic: millions of
   * rows), else as long as the table.
   */
  names: (string | undefined)[] = [];
  /** Row i's strategy state (entries past `count` are undefined). */
  states: unknown[] = [];
  /** Scratch for `compact`: the rows kept. */
  private kept = new Int32Array(0);
  /** Bumped when the columns are reallocated (readers in other threads must map them again). */
  generation = 0;
  /** Whether the columns are on SharedArrayBuffers. */
  readonly shared: boolean;
  /** Rows of the class table allocated and in use; each class's row by its key (see classOf). */
  private classCapacity = 4;
  private classCount = 0;
  private readonly classIndex = new Map<string, number>();

  /**
   * @param initialCapacity rows allocated at first.
   * @param shared allocate every column on a SharedArrayBuffer, so another thread can read it.
   */
  constructor(initialCapacity = 64, shared = false) {
    this.capacity = initialCapacity;
    this.shared = shared;
    this.columns = { ...allocate(COLUMNS, initialCapacity, shared), classes: allocate(CLASS_COLUMNS, this.classCapacity, shared) };
  }

  /**
   * The class of flows with these shared fields (see CLASS_COLUMNS): a row of the class table,
   * added the first time they are seen (the table grows like the columns, bumping `generation`).
   */
  classOf(payingLegBits: number, returnLegBits: number, dataLeg: 0 | 1, keepPerPacket: number, keepFraction: number, returnPath: number): number {
    const key = [payingLegBits, returnLegBits, dataLeg, keepPerPacket, keepFraction, returnPath].map(exactKey).join(" ");
    let index = this.classIndex.get(key);
    if (index !== undefined) return index;
    if (this.classCount === this.classCapacity) {
      this.classCapacity *= 2;
      const next = allocate(CLASS_COLUMNS, this.classCapacity, this.shared);
      for (const name of CLASS_COLUMN_NAMES) (next[name] as { set(a: ArrayLike<number>): void }).set(this.columns.classes[name]);
      this.columns.classes = next;
      this.generation++;
    }
    index = this.classCount++;
    const k = this.columns.classes;
    k.payingLegBits[index] = payingLegBits;
    k.returnLegBits[index] = returnLegBits;
    k.dataLeg[index] = dataLeg;
    k.keepPerPacket[index] = keepPerPacket;
    k.keepFraction[index] = keepFraction;
    k.returnPath[index] = returnPath;
    this.classIndex.set(key, index);
    return index;
  }

  /** Rows of the class table in use: the classes of this table's flows are 0 to this − 1. */
  get classRows(): number {
    return this.classCount;
  }

  /**
   * Removes the flows for which `keep` is false, preserving the order of the rest. Column by
   * column: each pass is a tight loop over one typed array (millions of rows per round).
   */
  compact(keep: (i: number) => boolean): void {
    if (this.kept.length < this.count) this.kept = new Int32Array(this.capacity);
    const kept = this.kept;
    let w = 0;
    for (let r = 0; r < this.count; r++) if (keep(r)) kept[w++] = r;
    if (w === this.count) return;
    for (const [key, compact] of COLUMN_COMPACTORS) compact(this.columns[key], kept, w);
    const named = this.names.length > 0;
    for (let j = 0; j < w; j++) {
      if (named) this.names[j] = this.names[kept[j]!];
      this.states[j] = this.states[kept[j]!];
    }
    if (named) this.names.length = w;
    // Cleared, not shortened: the array keeps its memory for the next arrivals (shortened by the
    // flows that ended, most of a round's, it was reallocated every round: 8 bytes a live flow
    // of garbage a round).
    this.states.fill(undefined, w, this.count);
    this.count = w;
  }

  /**
   * Appends a list of arrivals (in list order, under their uids); returns the row of the first.
   * Strategy states are left as the list gives them (undefined: the caller initializes them).
   */
  addArrivals(list: ArrivalList): number {
    const first = this.appendRows(list.count);
    const n = list.numbers;
    const c = this.columns;
    for (let j = 0; j < list.count; j++) {
      const i = first + j;
      const at = j * STRIDE;
      c.uid[i] = n[at]!;
      c.payer[i] = n[at + 1]!;
      c.payee[i] = n[at + 2]!;
      c.agent[i] = n[at + 3]!;
      c.startTime[i] = n[at + 4]!;
      c.endTime[i] = n[at + 5]!;
      c.demandBps[i] = n[at + 6]!;
      c.flowClass[i] = this.classOf(n[at + 7]!, n[at + 8]!, n[at + 9] === 1 ? 1 : 0, n[at + 10]!, n[at + 11]!, n[at + 12]!);
    }
    if (list.names.length > 0 && this.names.length === 0) this.names = new Array<string | undefined>(this.count).fill(undefined);
    for (const [j, name] of list.names) this.names[first + j] = name;
    for (const [j, state] of list.states) this.states[first + j] = state;
    return first;
  }

  /**
   * Appends `rows` rows and returns the first: the caller writes their arrival fields (those of
   * `ArrivalList.numbers`, as `addArrivals` does); the rest start as for any arrival (no report,
   * totals zero, no path or slot yet: -1), with no name and no strategy state. Generated flows
   * are drawn straight into these rows (FlowShard.drawGenerated), with no list in between.
   */
  appendRows(rows: number): number {
    const first = this.count;
    const end = first + rows;
    if (this.capacity < end) this.grow(end);
    const c = this.columns;
    for (const key of RESET_ON_ADD) c[key].fill(0, first, end);
    for (const key of UNSET_ON_ADD) c[key].fill(-1, first, end);
    if (this.names.length > 0) {
      this.names.length = end;
      this.names.fill(undefined, first);
    }
    if (this.states.length < end) this.states.length = end;
    this.states.fill(undefined, first, end);
    this.count = end;
    return first;
  }

  /**
   * Rows to allocate for per-row scratch (of the shard, its legs, its column groups) that must
   * now hold `rows`: the table's own capacity when that is at most twice `rows` (a table sized
   * for the run's flows, `expect`: the scratch is sized once and never regrown, leaving no
   * arrays to the garbage collector round after round), else twice `rows`. Capacity beyond
   * what the run needs is not free: a large array the allocator recycles is zeroed, so resident.
   */
  scratchRows(rows: number): number {
    return Math.max(64, rows, Math.min(this.capacity, 2 * rows));
  }

  /**
   * Rows from now on are allocated in columns of at least `rows` rows: a table that knows how
   * many flows to expect (FlowShard, from the traffic's arrival rate) is not regrown, so it
   * neither copies its columns nor leaves old ones for the garbage collector (for shared
   * columns, in every thread that mapped them). Capacity nobody writes to is not resident.
   */
  expect(rows: number): void {
    if (this.capacity < rows) this.grow(rows, true);
  }

  /**
   * Empties the table for another run in the same thread, keeping its columns (so that a
   * thread playing run after run reuses its memory rather than leaving each run's columns to
   * the garbage collector). Every column of a row is written when the row is added.
   */
  clear(): void {
    this.names.length = 0;
    // Cleared, not emptied: the next run's states fill the same memory (see compact).
    this.states.fill(undefined, 0, this.count);
    this.count = 0;
    this.classCount = 0;
    this.classIndex.clear();
  }

  /** Reallocates the columns with room for at least `rows` rows (at least twice the rows they had). */
  private grow(rows: number, exact = false): void {
    if (exact) this.capacity = rows;
    while (this.capacity < rows) this.capacity *= 2;
    const next = allocate(COLUMNS, this.capacity, this.shared);
    // Rows past `count` are never read: only the rows in use are copied (and made resident).
    for (const key of COLUMN_NAMES) (next[key] as { set(a: ArrayLike<number>): void }).set(this.columns[key].subarray(0, this.count));
    this.columns = { ...next, classes: this.columns.classes };
    this.generation++;
  }

  /** The SharedArrayBuffer behind each column (a shared table only), to map in another thread. */
  sharedBuffers(): SharedColumns {
    if (!this.shared) throw new Error("FlowTable: not a shared table");
    const buffers = {} as Record<ColumnName, SharedArrayBuffer>;
    for (const key of COLUMN_NAMES) buffers[key] = this.columns[key].buffer as unknown as SharedArrayBuffer;
    const classBuffers = {} as Record<ClassColumnName, SharedArrayBuffer>;
    for (const key of CLASS_COLUMN_NAMES) classBuffers[key] = this.columns.classes[key].buffer as unknown as SharedArrayBuffer;
    return { capacity: this.capacity, buffers, classCapacity: this.classCapacity, classBuffers };
  }
}

/** A shared table's column buffers, as sent to another thread. */
export interface SharedColumns {
  capacity: number;
  buffers: Record<ColumnName, SharedArrayBuffer>;
  classCapacity: number;
  classBuffers: Record<ClassColumnName, SharedArrayBuffer>;
}

/** Maps the columns of a shared table sent from another thread. */
export function mapSharedColumns(shared: SharedColumns): FlowColumns {
  return { ...mapShared(COLUMNS, shared.buffers, shared.capacity), classes: mapShared(CLASS_COLUMNS, shared.classBuffers, shared.classCapacity) };
}

/** Views of the given types over shared buffers of `length` elements each. */
function mapShared<T extends Record<string, SharedColumnType>>(types: T, buffers: Record<keyof T, SharedArrayBuffer>, length: number): { [K in keyof T]: InstanceType<T[K]> } {
  const out = {} as Record<keyof T, unknown>;
  for (const key of Object.keys(types) as (keyof T)[]) out[key] = new types[key]!(buffers[key], 0, length);
  return out as { [K in keyof T]: InstanceType<T[K]> };
}

/** A number as a key that tells apart every value (−0 and 0 too). */
function exactKey(x: number): string {
  return Object.is(x, -0) ? "-0" : String(x);
}

const COLUMN_NAMES = Object.keys(COLUMNS) as ColumnName[];
const CLASS_COLUMN_NAMES = Object.keys(CLASS_COLUMNS) as ClassColumnName[];
const RESET_ON_ADD = [
  "hasReport", "lastSent", "lastDelivered", "lastAcknowledged", "lastSpent", "lastRefunded", "lastPayment",
  "cumulativeSpent", "deliveredBits", "demandedBits", "sentPackets", "deliveredPackets", "pathSwitches", "payeeKept",
] as const satisfies readonly ColumnName[];

/** Columns a new row starts at -1 in: no path, slot or steered route yet. */
const UNSET_ON_ADD = ["lastPath", "payingSlot", "returnSlot", "lastRoute"] as const satisfies readonly ColumnName[];

/** A column's constructor, over a shared buffer. */
type SharedColumnType = { new (buffer: SharedArrayBuffer, offset: number, length: number): unknown; BYTES_PER_ELEMENT: number };

/** Typed arrays of `capacity` elements, one per entry of `types` (on SharedArrayBuffers when `shared`). */
function allocate<T extends Record<string, SharedColumnType>>(types: T, capacity: number, shared: boolean): { [K in keyof T]: InstanceType<T[K]> } {
  const columns = {} as Record<keyof T, unknown>;
  for (const key of Object.keys(types) as (keyof T)[]) {
    const type = types[key]! as unknown as SharedColumnType & (new (length: number) => unknown);
    columns[key] = shared ? new type(new SharedArrayBuffer(type.BYTES_PER_ELEMENT * capacity), 0, capacity) : new type(capacity);
  }
  return columns as { [K in keyof T]: InstanceType<T[K]> };
}

/** Moves rows `kept[0..count)` of a column to the front, in order. */
type Compactor = (column: FlowColumns[ColumnName], kept: Int32Array, count: number) => void;

/**
 * One compactor per element type: each loop then sees one kind of typed array. A single loop over
 * the five kinds was megamorphic, and moving the rows took a sixth of a worker's round.
 */
const COMPACTORS = new Map<Function, Compactor>([
  [Float64Array, (c, kept, n) => { for (let j = 0; j < n; j++) c[j] = c[kept[j]!]!; }],
  [Int32Array, (c, kept, n) => { for (let j = 0; j < n; j++) c[j] = c[kept[j]!]!; }],
  [Uint32Array, (c, kept, n) => { for (let j = 0; j < n; j++) c[j] = c[kept[j]!]!; }],
  [Uint8Array, (c, kept, n) => { for (let j = 0; j < n; j++) c[j] = c[kept[j]!]!; }],
  [Int8Array, (c, kept, n) => { for (let j = 0; j < n; j++) c[j] = c[kept[j]!]!; }],
]);

/** Each flow column with its compactor, chosen once (a column of a type with none fails here, at load). */
const COLUMN_COMPACTORS = COLUMN_NAMES.map((key): [ColumnName, Compactor] => {
  const compactor = COMPACTORS.get(COLUMNS[key]);
  if (!compactor) throw new Error(`flow column ${key}: no compactor for ${COLUMNS[key].name}`);
  return [key, compactor];
});

/** Numeric fields of an arrival, in the order `ArrivalList.numbers` holds them. */
const ARRIVAL_FIELDS = [
  "uid", "payer", "payee", "agent", "startTime", "endTime", "demandBps", "payingLegBits", "returnLegBits",
  "dataLeg", "keepPerPacket", "keepFraction", "returnPath",
] as const;
const STRIDE = ARRIVAL_FIELDS.length;

/**
 * One round's arrivals for one shard in compact form (one Float64Array, cheap to post to a
 * worker): the numeric fields of each flow, plus the rare names and initial states by index.
 */
export interface ArrivalList {
  count: number;
  numbers: Float64Array;
  /** [index, name] of the named flows (scenario flows; generated traffic has none). */
  names: [number, string][];
  /** [index, state] of flows that came with an initial strategy state. */
  states: [number, unknown][];
}

/** Appends arrivals with their uids into an `ArrivalList`, growing it as needed. */
export class ArrivalBuffer {
  // On a SharedArrayBuffer: a worker is handed the list without a copy (millions of arrivals a
  // round at paper scale), and the same memory is refilled next round, after the worker has read it.
  private list: ArrivalList = { count: 0, numbers: sharedNumbers(16 * STRIDE), names: [], states: [] };

  /**
   * Makes room for `more` arrivals beyond those pushed so far, with a little to spare: a buffer
   * sized once is not regrown (each regrowth leaves the old memory to the garbage collector,
   * which for shared memory can be a long wait).
   */
  reserve(more: number): void {
    const rows = this.list.count + more;
    if (rows * STRIDE > this.list.numbers.length) this.resize(Math.ceil(rows * 1.05) * STRIDE);
  }

  push(flow: FlowInit, uid: number): void {
    const list = this.list;
    if ((list.count + 1) * STRIDE > list.numbers.length) this.resize(list.numbers.length * 2);
    const n = list.numbers;
    const at = list.count * STRIDE;
    n[at] = uid;
    n[at + 1] = flow.payer;
    n[at + 2] = flow.payee;
    n[at + 3] = flow.agent;
    n[at + 4] = flow.startTime;
    n[at + 5] = flow.endTime;
    n[at + 6] = flow.demandBps;
    n[at + 7] = flow.payingLegBits;
    n[at + 8] = flow.returnLegBits;
    n[at + 9] = flow.dataLeg;
    n[at + 10] = flow.keepPerPacket;
    n[at + 11] = flow.keepFraction;
    n[at + 12] = flow.returnPath;
    if (flow.name !== undefined) list.names.push([list.count, flow.name]);
    if (flow.state !== undefined) list.states.push([list.count, flow.state]);
    list.count++;
  }

  private resize(length: number): void {
    const grown = sharedNumbers(length);
    grown.set(this.list.numbers.subarray(0, this.list.count * STRIDE));
    this.list.numbers = grown;
  }

  /** The arrivals so far; the buffer starts empty again, and its memory is refilled by the next round's `push`es. */
  take(): ArrivalList {
    const taken = this.list;
    this.list = { count: 0, numbers: taken.numbers, names: [], states: [] };
    return taken;
  }
}

function sharedNumbers(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * length));
}
