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
  payingLegBits: Float64Array, returnLegBits: Float64Array, dataLeg: Uint8Array,
  keepPerPacket: Float64Array, keepFraction: Float64Array, returnPath: Int32Array,
  // Last round's outcome, what the user observes.
  hasReport: Uint8Array, lastSent: Float64Array, lastDelivered: Float64Array, lastAcknowledged: Float64Array,
  lastSpent: Float64Array, lastRefunded: Float64Array, lastPath: Int32Array, lastPayment: Float64Array,
  // Totals over the flow's life.
  cumulativeSpent: Float64Array, deliveredBits: Float64Array, demandedBits: Float64Array,
  sentPackets: Float64Array, deliveredPackets: Float64Array, pathSwitches: Int32Array,
  payeeKept: Float64Array,
} as const;

type ColumnName = keyof typeof COLUMNS;
type Columns = { [K in ColumnName]: InstanceType<(typeof COLUMNS)[K]> };

export class FlowTable {
  count = 0;
  private capacity: number;
  columns: Columns;
  names: (string | undefined)[] = [];
  states: unknown[] = [];
  private nextUid = 0;

  constructor(initialCapacity = 64) {
    this.capacity = initialCapacity;
    this.columns = allocate(initialCapacity);
  }

  add(flow: FlowInit): number {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    const c = this.columns;
    c.uid[i] = this.nextUid++;
    c.payer[i] = flow.payer;
    c.payee[i] = flow.payee;
    c.agent[i] = flow.agent;
    c.startTime[i] = flow.startTime;
    c.endTime[i] = flow.endTime;
    c.demandBps[i] = flow.demandBps;
    c.payingLegBits[i] = flow.payingLegBits;
    c.returnLegBits[i] = flow.returnLegBits;
    c.dataLeg[i] = flow.dataLeg;
    c.keepPerPacket[i] = flow.keepPerPacket;
    c.keepFraction[i] = flow.keepFraction;
    c.returnPath[i] = flow.returnPath;
    for (const key of RESET_ON_ADD) c[key][i] = 0;
    c.lastPath[i] = -1;
    this.names[i] = flow.name;
    this.states[i] = flow.state;
    return i;
  }

  /** Removes the flows for which `keep` is false, preserving the order of the rest. */
  compact(keep: (i: number) => boolean): void {
    let w = 0;
    for (let r = 0; r < this.count; r++) {
      if (!keep(r)) continue;
      if (w !== r) {
        for (const key of COLUMN_NAMES) this.columns[key][w] = this.columns[key][r]!;
        this.names[w] = this.names[r];
        this.states[w] = this.states[r];
      }
      w++;
    }
    this.names.length = w;
    this.states.length = w;
    this.count = w;
  }

  private grow(): void {
    this.capacity *= 2;
    const next = allocate(this.capacity);
    for (const key of COLUMN_NAMES) (next[key] as { set(a: ArrayLike<number>): void }).set(this.columns[key]);
    this.columns = next;
  }
}

const COLUMN_NAMES = Object.keys(COLUMNS) as ColumnName[];
const RESET_ON_ADD = [
  "hasReport", "lastSent", "lastDelivered", "lastAcknowledged", "lastSpent", "lastRefunded", "lastPayment",
  "cumulativeSpent", "deliveredBits", "demandedBits", "sentPackets", "deliveredPackets", "pathSwitches", "payeeKept",
] as const satisfies readonly ColumnName[];

function allocate(capacity: number): Columns {
  const columns = {} as Record<ColumnName, unknown>;
  for (const key of COLUMN_NAMES) columns[key] = new COLUMNS[key](capacity);
  return columns as Columns;
}
