/**
 * The coordinator's side of the authenticated payments (scenario `security.payments`; see
 * payment-desk.ts): each AS's settlement counters, one value per neighbour (the pricing paper:
 * "each AS sums per link the authentic P_own payments received on that link ... only one value
 * per neighbor"), added up from every shard's round, and the round's checks.
 */
import type { CompiledTopology } from "../model/topology.js";
import { FIELD_VERDICTS, slotParties, type FieldVerdict, type ShardPayments } from "./payment-desk.js";

/** The payments part of a round's report. */
export interface RoundPayments {
  /** Units each node booked this round from authentic fields (its revenue on the paying leg). */
  booked: Float64Array;
  /** HMAC-SHA-256 computations this round: per field the source's MAC and the AS's key and MAC. */
  macs: number;
  /** Fields checked by ASes, and packets refused per reason. */
  checked: number;
  refusedPackets: Record<FieldVerdict, number>;
  refusedBatches: number;
}

/** One line of the settlement: what `as` charges `neighbour` for authentic payments. */
export interface PaymentLedgerLine {
  as: string;
  neighbour: string;
  units: number;
}

/** Cumulative settlement counters per (AS, neighbour), and the run's check counts. */
export class PaymentLedger {
  /** Units per ledger slot (see payment-desk.ts `ledgerSlot`), since the start of the run. */
  private readonly bySlot: Float64Array;
  readonly totals = { macs: 0, checked: 0, refusedBatches: 0, refusedPackets: Object.fromEntries(FIELD_VERDICTS.map((v) => [v, 0])) as Record<FieldVerdict, number> };

  constructor(private readonly topology: CompiledTopology) {
    this.bySlot = new Float64Array(topology.linkCount + topology.nodeIds.length);
  }

  /** Books the shards' sum for a round (whole units: exact in any order of shards). */
  book(payments: ShardPayments | undefined): RoundPayments {
    const booked = new Float64Array(this.topology.nodeIds.length);
    const round: RoundPayments = { booked, macs: 0, checked: 0, refusedPackets: Object.fromEntries(FIELD_VERDICTS.map((v) => [v, 0])) as Record<FieldVerdict, number>, refusedBatches: 0 };
    if (!payments) return round;
    for (let j = 0; j < payments.booked.length; j += 2) {
      const slot = payments.booked[j]!;
      const units = payments.booked[j + 1]!;
      this.bySlot[slot]! += units;
      booked[slotParties(this.topology, slot).as]! += units;
    }
    round.macs = payments.macs;
    round.checked = payments.checked;
    round.refusedBatches = payments.refusedBatches;
    FIELD_VERDICTS.forEach((v, k) => (round.refusedPackets[v] = payments.refusedPackets[k]!));
    this.totals.macs += round.macs;
    this.totals.checked += round.checked;
    this.totals.refusedBatches += round.refusedBatches;
    for (const v of FIELD_VERDICTS) this.totals.refusedPackets[v] += round.refusedPackets[v];
    return round;
  }

  /** Units `as` booked from `neighbour` so far. */
  from(as: number, neighbour: number): number {
    let units = 0;
    this.bySlot.forEach((value, slot) => {
      const p = slotParties(this.topology, slot);
      if (p.as === as && p.neighbour === neighbour) units += value;
    });
    return units;
  }

  /** Every non-zero counter, in slot order (directed links, then payers paying their own first hop). */
  lines(): PaymentLedgerLine[] {
    const ids = this.topology.nodeIds;
    const out: PaymentLedgerLine[] = [];
    this.bySlot.forEach((units, slot) => {
      if (units === 0) return;
      const { as, neighbour } = slotParties(this.topology, slot);
      out.push({ as: ids[as]!, neighbour: ids[neighbour]!, units });
    });
    return out;
  }
}
