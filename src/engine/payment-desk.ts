/**
 * Authenticated payments on the paying leg (pricing paper §III, Eq. 10; scenario
 * `security.payments`), with real HMACs. Three steps of a shard's round, around the hops:
 *
 *  1. `sign` (the source): for every AS on a batch's path it computes P_rcv (the payment the
 *     packet carries when it reaches that AS) and P_own (what that AS's tariff keeps of it, the
 *     rule of `paymentKept`), stamps the expiry t_i = ⌈now + expirySeconds⌉ and MACs the three
 *     under the DRKey K_{AS→source}, derived on the fly from the AS's local secret
 *     (security/keys.ts). A user strategy's `payments` attack is applied here.
 *  2. `verify` (each AS, its own field only): it derives its key on the fly again, checks the
 *     MAC and the expiry, and checks the amounts against its own tariff (P_rcv is what the packet
 *     carries, P_own what it charges on that). The first AS whose field fails refuses the batch
 *     (`Batches.rejectHop`): the hop kernel drops its packets there and sends their money back.
 *  3. `settle` (each AS): the sum, per neighbour it received from, of the authentic amounts:
 *     P_own for each packet it forwarded and P_rcv for each it dropped itself (the Bill-Pay rule:
 *     a dropped packet's payment stays with the one that dropped it). One value per neighbour.
 *
 * Cost is bounded by the batch: one set of fields per flow per round (every packet of a batch
 * carries the same fields, with the packet id (uid, round) as the MACs' nonce), so a round costs
 * 3 HMAC-SHA-256 per AS hop per sending flow (the MAC at the source, key and MAC at the AS; the
 * source fetches each of its keys once, as in DRKey), whatever the number of packets. Every value depends only on (seed, uid, round) and the
 * tariffs, so shards agree with the in-thread engine.
 */
import { fixedTollDue, keptAtHop } from "../mechanisms/billpay/tolls.js";
import type { PaymentTamper } from "../agents/strategy.js";
import { TollwayError } from "../errors.js";
import type { CompiledTopology } from "../model/topology.js";
import { deriveAsKeys, drkey } from "../security/keys.js";
import { checkPaymentField, makePaymentField, type PaymentVerdict } from "../security/payment.js";
import { PaymentColumns } from "../security/payment-columns.js";
import type { FlowColumns } from "./flows.js";
import type { LinkInputs } from "./pipeline.js";
import type { Leg, PaymentSetup, ShardPayments } from "./types.js";

export type { PaymentSetup, ShardPayments } from "./types.js";


/** Why an AS refused a field: payment.ts's verdicts plus the amount check against its tariff. */
export type FieldVerdict = Exclude<PaymentVerdict, "ok"> | "wrong-amount";
export const FIELD_VERDICTS = ["bad-mac", "expired", "negative", "wrong-amount"] as const satisfies readonly FieldVerdict[];


/**
 * The ledger slot of "AS `receiver` booked from neighbour `from`": the directed link it came in
 * on, or `linkCount + node` for a payer that is itself an AS paying its own first hop.
 */
export function ledgerSlot(topology: CompiledTopology, inLink: number, payer: number): number {
  return inLink >= 0 ? inLink : topology.linkCount + payer;
}

/** The AS a ledger slot books for, and the neighbour it books from. */
export function slotParties(topology: CompiledTopology, slot: number): { as: number; neighbour: number } {
  if (slot < topology.linkCount) return { as: topology.linkTo[slot]!, neighbour: topology.linkFrom[slot]! };
  const node = slot - topology.linkCount;
  return { as: node, neighbour: node };
}

/**
 * What the sender of `link` keeps of a packet that reaches it carrying `payment` and goes on: the
 * fixed and proportional toll it can pay, plus the congestion toll when it covers it, or all it
 * carries when it does not (`keptAtHop` of mechanisms/billpay/tolls.ts, beside the `carriedOn` the
 * hop kernel runs; test/security/engine-payments.test.ts checks the two agree).
 */
export function paymentKept(links: Pick<LinkInputs, "perPacket" | "perByte" | "proportional" | "congestion">, link: number, payment: number, bytes: number): number {
  return keptAtHop(fixedTollDue(links.perPacket[link]!, links.perByte[link]!, links.proportional[link]!, payment, bytes), links.congestion[link]!, payment);
}

/** A key no AS holds: what a user without the DRKeys MACs its forgeries with. */
const GUESSED = { localSecret: Buffer.alloc(32, 0x5a) };

/** One shard's payment desk: signs, verifies and settles the paying leg's fields. */
export class PaymentDesk {
  readonly fields = new PaymentColumns();
  private readonly secrets: (Buffer | undefined)[];
  /**
   * The source side's DRKeys, by (source, AS): in DRKey a source fetches K_{AS→source} once from
   * its AS and keeps it; only the ASes derive theirs on the fly, for every packet.
   */
  private readonly sourceKeys = new Map<number, Buffer>();
  private readonly refused: number[] = FIELD_VERDICTS.map(() => 0);
  private macs = 0;
  private checked = 0;
  private refusedBatches = 0;

  constructor(
    private readonly topology: CompiledTopology,
    private readonly links: Pick<LinkInputs, "perPacket" | "perByte" | "proportional" | "congestion" | "senderIsHost">,
    private readonly seed: number,
    private readonly setup: PaymentSetup,
  ) {
    this.secrets = new Array<Buffer | undefined>(topology.nodeIds.length).fill(undefined);
  }

  /** AS `node`'s local secret (DRKey's SV), derived from the run seed once per AS, not per flow. */
  private secretOf(node: number): { localSecret: Buffer } {
    return { localSecret: (this.secrets[node] ??= deriveAsKeys(this.seed, this.topology.nodeIds[node]!).localSecret) };
  }

  /** The key source `payer` shares with AS `as` (fetched, that is derived, the first time it is needed). */
  private sourceKey(payer: number, as: number, source: string): Buffer {
    const pair = payer * this.topology.nodeIds.length + as;
    let key = this.sourceKeys.get(pair);
    if (!key) {
      // Not counted in `macs`: each shard fetches its sources' keys once, so the count would
      // depend on the number of shards.
      key = drkey(this.secretOf(as), source);
      this.sourceKeys.set(pair, key);
    }
    return key;
  }

  /**
   * The source's step: the fields of every batch of the paying leg, with each batch's attack
   * (`tampers[row]`, undefined: honest) applied. `round` and `time` are the round's.
   */
  sign(leg: Leg, flows: FlowColumns, tampers: readonly (PaymentTamper | undefined)[], round: number, time: number, roundSeconds: number): void {
    const { batches, pool } = leg;
    const { links, topology } = this;
    const fields = this.fields;
    fields.reset(batches.count, pool.length);
    for (let row = 0; row < batches.count; row++) {
      const tamper = tampers[row];
      const payer = flows.payer[leg.rows[row]!]!;
      const source = topology.nodeIds[payer]!;
      let issued = round;
      if (tamper?.kind === "replay") {
        if (tamper.round > round) throw new TollwayError(`security.payments: flow ${batches.flow[row]} replays the fields of round ${tamper.round}, later than the current round ${round}`);
        issued = tamper.round;
      }
      const packetId = fields.setBatch(row, payer, batches.flow[row]!, issued);
      const expiry = Math.ceil((issued === round ? time : issued * roundSeconds) + this.setup.expirySeconds);
      const bytes = batches.bitsPerPacket[row]! / 8;
      let carried = batches.payment[row]!;
      const start = batches.pathStart[row]!;
      let k = 0;
      for (let h = 0; h < batches.pathLength[row]!; h++) {
        const e = start + h;
        const link = pool[e]!;
        if (links.senderIsHost[link] === 1) continue;
        const own = paymentKept(links, link, carried, bytes);
        let written = own;
        let key = this.sourceKey(payer, topology.linkFrom[link]!, source);
        if (tamper?.kind === "forge") {
          written = Math.floor(own * tamper.ownFactor);
          if (!tamper.validMac) {
            key = drkey(GUESSED, source);
            this.macs++;
          }
        }
        const field = makePaymentField(key, source, packetId, k, wholeUnits(carried, source), wholeUnits(written, source), expiry);
        this.macs++;
        fields.set(e, k, carried, written, expiry, field.mac);
        if (tamper?.kind === "alter" && tamper.asIndex === k) fields.pOwn[e]! += tamper.delta;
        carried -= own;
        k++;
      }
    }
  }

  /**
   * Each AS's step, before the hops: it checks its own field (MAC under the key it derives now,
   * expiry at `time`, amounts against its tariff) and the first AS whose field fails refuses
   * the batch: `batches.rejectHop[row]` is set to its hop (-1: every field is good).
   */
  verify(leg: Leg, time: number): void {
    const { batches, pool } = leg;
    const { links, topology, fields } = this;
    for (let row = 0; row < batches.count; row++) {
      batches.rejectHop[row] = -1;
      const source = topology.nodeIds[fields.payer[row]!]!;
      const packetId = fields.packetId[row]!;
      const bytes = batches.bitsPerPacket[row]! / 8;
      let carried = batches.payment[row]!;
      const start = batches.pathStart[row]!;
      for (let h = 0; h < batches.pathLength[row]!; h++) {
        const e = start + h;
        if (fields.present[e] === 0) continue;
        const link = pool[e]!;
        const own = paymentKept(links, link, carried, bytes);
        const field = fields.fieldAt(e);
        this.checked++;
        this.macs += 2;
        let verdict: FieldVerdict | "ok" = checkPaymentField(this.secretOf(topology.linkFrom[link]!), source, packetId, fields.asIndex[e]!, field, time);
        // The AS knows its own tariff and the payment the packet carries: P_rcv must be that
        // payment and P_own what the tariff keeps of it (a source with the real key that lies is caught here).
        if (verdict === "ok" && (fields.pRcv[e] !== carried || fields.pOwn[e] !== own)) verdict = "wrong-amount";
        if (verdict !== "ok") {
          batches.rejectHop[row] = h;
          this.refused[FIELD_VERDICTS.indexOf(verdict)]! += batches.packets[row]!;
          this.refusedBatches++;
          break;
        }
        carried -= own;
      }
    }
  }

  /**
   * Each AS's settlement, after the leg's hops: per neighbour, P_own of the packets it forwarded
   * plus P_rcv of those it dropped itself, over the fields it found authentic. Returns the
   * round's figures and starts the next round's.
   */
  settle(leg: Leg): ShardPayments {
    const { batches, pool } = leg;
    const { topology, fields } = this;
    const booked = new Map<number, number>();
    for (let row = 0; row < batches.count; row++) {
      const reject = batches.rejectHop[row]!;
      const payer = fields.payer[row]!;
      const start = batches.pathStart[row]!;
      const end = reject >= 0 ? reject : batches.pathLength[row]!;
      for (let h = 0; h < end; h++) {
        const e = start + h;
        if (fields.present[e] === 0) continue;
        const arrived = h === 0 ? leg.sent[row]! : batches.hopPackets[e - 1]!;
        const admitted = batches.hopPackets[e]!;
        const units = admitted * fields.pOwn[e]! + (arrived - admitted) * fields.pRcv[e]!;
        if (units === 0) continue;
        const slot = ledgerSlot(topology, h === 0 ? -1 : pool[e - 1]!, payer);
        booked.set(slot, (booked.get(slot) ?? 0) + units);
      }
    }
    const pairs: number[] = [];
    for (const slot of [...booked.keys()].sort((a, b) => a - b)) pairs.push(slot, booked.get(slot)!);
    const result: ShardPayments = { booked: pairs, macs: this.macs, checked: this.checked, refusedPackets: this.refused.slice(), refusedBatches: this.refusedBatches };
    this.macs = 0;
    this.checked = 0;
    this.refusedBatches = 0;
    this.refused.fill(0);
    return result;
  }
}

/** A money amount as the fields carry it: whole units (the Bill-Pay header's), or a clear error. */
function wholeUnits(units: number, source: string): bigint {
  if (!Number.isInteger(units) || units < 0) {
    throw new TollwayError(`security.payments: a payment field of source ${source} would carry ${units} units: fields carry whole units ≥ 0 (set whole-unit tolls)`);
  }
  return BigInt(units);
}

/** Adds one shard's payments into `into` (the coordinator's sum over shards; exact for whole units). */
export function addShardPayments(into: ShardPayments | undefined, from: ShardPayments): ShardPayments {
  if (!into) return { booked: from.booked.slice(), macs: from.macs, checked: from.checked, refusedPackets: from.refusedPackets.slice(), refusedBatches: from.refusedBatches };
  for (const x of from.booked) into.booked.push(x);
  into.macs += from.macs;
  into.checked += from.checked;
  from.refusedPackets.forEach((n, v) => (into.refusedPackets[v]! += n));
  into.refusedBatches += from.refusedBatches;
  return into;
}
