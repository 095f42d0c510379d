/**
 * The payment fields of a leg's batches as typed-array columns (issue 15 item 8): what the hop
 * kernel's batch layout (engine/pipeline.ts `Batches`) carries beside each batch for the
 * authenticated payments of Eq. 10. Per batch: the packet id (the MACs' nonce) and the payer;
 * per path entry (addressed like the leg's path pool, one entry per hop): whether the hop's
 * sender is an AS with a field, its index among the path's ASes, P_rcv, P_own, the expiry t_i
 * and the 16-byte MAC. `extensionOf` turns one batch's fields into the security extension that
 * header-extension.ts encodes as the bytes of a packet, so the engine's fields and the wire
 * format are one layout.
 */
import { MAC_BYTES } from "./keys.js";
import type { PaymentField } from "./payment.js";
import type { SecurityExtension } from "./header-extension.js";

/** Columns of the fields of one leg, grown as needed and reused from round to round. */
export class PaymentColumns {
  packetId = new BigUint64Array(0);
  payer = new Int32Array(0);
  present = new Uint8Array(0);
  asIndex = new Uint8Array(0);
  pRcv = new Float64Array(0);
  pOwn = new Float64Array(0);
  expiry = new Uint32Array(0);
  mac = new Uint8Array(0);

  /** Room for `batches` batches and `entries` path entries, every entry without a field. */
  reset(batches: number, entries: number): void {
    if (this.packetId.length < batches) {
      const n = Math.max(64, 2 * batches);
      this.packetId = new BigUint64Array(n);
      this.payer = new Int32Array(n);
    }
    if (this.present.length < entries) {
      const n = Math.max(256, 2 * entries);
      this.present = new Uint8Array(n);
      this.asIndex = new Uint8Array(n);
      this.pRcv = new Float64Array(n);
      this.pOwn = new Float64Array(n);
      this.expiry = new Uint32Array(n);
      this.mac = new Uint8Array(n * MAC_BYTES);
    } else {
      this.present.fill(0, 0, entries);
    }
  }

  /** Sets batch `row`'s payer and packet id (flow uid in the high 32 bits, the round it was issued in the low); returns the id. */
  setBatch(row: number, payer: number, uid: number, round: number): bigint {
    const id = (BigInt(uid) << 32n) | BigInt(round >>> 0);
    this.packetId[row] = id;
    this.payer[row] = payer;
    return id;
  }

  /** Writes the field of path entry `e`, that of the `asIndex`-th AS of its path. */
  set(e: number, asIndex: number, pRcv: number, pOwn: number, expiry: number, mac: Uint8Array): void {
    this.present[e] = 1;
    this.asIndex[e] = asIndex;
    this.pRcv[e] = pRcv;
    this.pOwn[e] = pOwn;
    this.expiry[e] = expiry;
    this.mac.set(mac, e * MAC_BYTES);
  }

  /** The field of entry `e` as payment.ts reads it (its MAC a view into the column). */
  fieldAt(e: number): PaymentField {
    return { pRcv: BigInt(this.pRcv[e]!), pOwn: BigInt(this.pOwn[e]!), expiry: this.expiry[e]!, mac: this.mac.subarray(e * MAC_BYTES, (e + 1) * MAC_BYTES) };
  }

  /** Batch `row`'s fields (its path entries `start` to `start + length − 1`) as the packet's security extension, fields in path order. */
  extensionOf(row: number, start: number, length: number): SecurityExtension {
    const payments: PaymentField[] = [];
    for (let e = start; e < start + length; e++) if (this.present[e] === 1) payments.push(this.fieldAt(e));
    return { packetId: this.packetId[row]!, payments, updates: [] };
  }
}
