/**
 * The run summary `tollway run --json` prints: who paid whom over each link, each party's net,
 * ISP revenue, packets delivered and dropped, and what made the result (seed, scenario hash,
 * version).
 */
import type { EndedFlowTotals } from "../engine/flow-totals.js";
import type { FlowRecord, Simulation, SimulationObserver } from "../engine/simulation.js";
import { KIND_HOST } from "../model/topology.js";
import { billingSummary, type BillingSummary } from "./billing.js";
import type { PaymentLedgerLine } from "../engine/payment-ledger.js";
import type { FieldVerdict } from "../engine/payment-desk.js";

export interface LedgerEntry {
  from: string;
  to: string;
  amount: number;
}

export interface FlowSummary {
  id: string;
  sent: number;
  delivered: number;
  /** Units paid in packets net of refunds. */
  spent: number;
  pathSwitches: number;
}

export interface RunSummary {
  scenario: string;
  scenarioHash: string;
  /** Fingerprint of the network the run played on: equal in every replication of a scenario. */
  topologyHash: string;
  seed: number;
  version: string;
  rounds: number;
  unit: string;
  /** Cumulative amount carried inside packets over each directed link, in link order. */
  ledger: LedgerEntry[];
  /** Each party's gain (positive) or loss (negative): received minus paid over all its links. */
  net: Record<string, number>;
  /** Units each ISP kept (tolls and the payments of packets it dropped). */
  revenue: Record<string, number>;
  packets: { sent: number; delivered: number; dropped: number };
  acks: { sent: number; delivered: number };
  settlements: { count: number; amount: number; refused: number };
  flows: FlowSummary[];
  /** The digital secretaries' billing statement (only in runs with a `secretary` section). */
  billing?: BillingSummary;
  /**
   * The authenticated payments (only in runs with `security.payments`): each AS's settlement
   * counters, one per neighbour, from the fields it found authentic; the fields checked, the
   * HMACs computed and the packets refused per reason.
   */
  payments?: { settlement: PaymentLedgerLine[]; checked: number; macs: number; refusedBatches: number; refusedPackets: Record<FieldVerdict, number> };
}

/**
 * Collects per-flow totals while the simulation runs (flows leave the table when they end): the
 * packets sent and delivered by all flows and, unless `keepFlows` is false (millions of
 * generated flows), one line per flow.
 */
export class SummaryCollector implements SimulationObserver {
  readonly flows: FlowSummary[] = [];
  /** Packets sent and delivered by every flow that ended (whole numbers: exact in any order). */
  sent = 0;
  delivered = 0;
  private readonly keepFlows: boolean;

  /** Set when a line per flow is kept: each ended flow is then read one by one; otherwise the shards' totals are. */
  readonly onFlowEnd?: (record: FlowRecord) => void;

  constructor(options: { keepFlows?: boolean } = {}) {
    this.keepFlows = options.keepFlows ?? true;
    if (this.keepFlows) this.onFlowEnd = (record) => this.add(record);
  }

  /** Without lines per flow: the packets of the flows that ended, as their shards added them up. */
  onFlowsEnded(totals: EndedFlowTotals): void {
    if (this.keepFlows) return;
    this.sent += totals.sentPackets;
    this.delivered += totals.deliveredPackets;
  }

  private add(record: FlowRecord): void {
    this.sent += record.sentPackets;
    this.delivered += record.deliveredPackets;
    this.flows.push({
      id: record.name ?? `flow ${record.uid}`,
      sent: record.sentPackets,
      delivered: record.deliveredPackets,
      spent: record.spent,
      pathSwitches: record.pathSwitches,
    });
  }
}

export function summarize(
  simulation: Simulation,
  collector: SummaryCollector,
  about: { scenario: string; scenarioHash: string; topologyHash: string; seed: number; version: string; unit: string },
): RunSummary {
  const { topology, ledger } = simulation;
  const ids = topology.nodeIds;
  const entries: LedgerEntry[] = [];
  for (let l = 0; l < topology.linkCount; l++) {
    const amount = ledger.cumulative(l);
    if (amount > 0n) entries.push({ from: ids[topology.linkFrom[l]!]!, to: ids[topology.linkTo[l]!]!, amount: toNumber(amount) });
  }
  const net: Record<string, number> = {};
  ledger.net().forEach((value, n) => {
    if (value !== 0n || touched(entries, ids[n]!)) net[ids[n]!] = toNumber(value);
  });
  const revenue: Record<string, number> = {};
  simulation.cumulativeRevenue().forEach((value, n) => {
    if (topology.nodeKind[n] !== KIND_HOST && (value !== 0 || touched(entries, ids[n]!))) revenue[ids[n]!] = value;
  });
  const flows = [...collector.flows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const { sent, delivered } = collector;
  const settled = ledger.settlements;
  const billing = billingSummary(simulation);
  const pay = simulation.payments;
  return {
    ...about,
    rounds: simulation.round,
    ledger: entries,
    net,
    revenue,
    packets: { sent, delivered, dropped: sent - delivered },
    acks: { sent: simulation.acksSent, delivered: simulation.acksDelivered },
    settlements: { count: settled.length, amount: toNumber(settled.reduce((s, x) => s + x.amount, 0n)), refused: ledger.refusals.length },
    flows,
    ...(billing ? { billing } : {}),
    ...(pay ? { payments: { settlement: pay.lines(), checked: pay.totals.checked, macs: pay.totals.macs, refusedBatches: pay.totals.refusedBatches, refusedPackets: { ...pay.totals.refusedPackets } } } : {}),
  };
}

function touched(entries: LedgerEntry[], id: string): boolean {
  return entries.some((e) => e.from === id || e.to === id);
}

/** Money totals are exact BigInts; JSON gets a number while it is safe. */
function toNumber(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount ${value} exceeds the safe integer range; use a larger money unit`);
  return n;
}
