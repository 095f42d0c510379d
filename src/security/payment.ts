/**
 * Authenticated payments and accounting (pricing paper Eq. 10). For every AS i on the path the
 * source writes P_rcv (what i receives from its upstream neighbour) and P_own (what i keeps), an
 * expiry time t_i and a MAC under the DRKey K_{i→source}. AS i recomputes its key on the fly,
 * checks the MAC and the expiry, drops the packet when P_own is not authentic, and adds authentic
 * P_own to one running total per neighbour for settlement.
 */
import { MAC_BYTES, drkey, macBytes, macValid } from "./keys.js";
import type { AsKeys } from "./keys.js";

/** The payment field for one AS of the path. */
export interface PaymentField {
  readonly pRcv: bigint;
  readonly pOwn: bigint;
  /** Last simulated second at which the field is valid (t_i). */
  readonly expiry: number;
  readonly mac: Uint8Array;
}

function macInput(source: string, packetId: bigint, hop: number, pRcv: bigint, pOwn: bigint, expiry: number): Buffer {
  const name = Buffer.from(source, "utf8");
  const fixed = Buffer.alloc(8 + 2 + 8 + 8 + 4);
  fixed.writeBigUInt64BE(packetId, 0);
  fixed.writeUInt16BE(hop, 8);
  fixed.writeBigUInt64BE(pRcv, 10);
  fixed.writeBigUInt64BE(pOwn, 18);
  fixed.writeUInt32BE(expiry, 26);
  return Buffer.concat([Buffer.from([name.length]), name, fixed]);
}

/** The source's side: the field for hop `hop`, MACed with the key that AS shares with the source. */
export function makePaymentField(hopKey: Uint8Array, source: string, packetId: bigint, hop: number, pRcv: bigint, pOwn: bigint, expiry: number): PaymentField {
  return { pRcv, pOwn, expiry, mac: macBytes(hopKey, macInput(source, packetId, hop, pRcv, pOwn, expiry)) };
}

/** Why an AS dropped a payment field, or "ok". */
export type PaymentVerdict = "ok" | "bad-mac" | "expired" | "negative";

/** AS `keys.as`, hop `hop` of the path, checks its field at simulated second `now`. */
export function checkPaymentField(keys: Pick<AsKeys, "localSecret">, source: string, packetId: bigint, hop: number, field: PaymentField, now: number): PaymentVerdict {
  if (field.mac.length !== MAC_BYTES) return "bad-mac";
  if (field.pRcv < 0n || field.pOwn < 0n) return "negative";
  if (field.pRcv >= 1n << 64n || field.pOwn >= 1n << 64n || !Number.isInteger(field.expiry) || field.expiry < 0 || field.expiry > 0xffffffff) return "bad-mac";
  const key = drkey(keys, source);
  if (!macValid(key, macInput(source, packetId, hop, field.pRcv, field.pOwn, field.expiry), field.mac)) return "bad-mac";
  return now > field.expiry ? "expired" : "ok";
}

/** One AS's settlement counters: the sum of authentic P_own per neighbour it received from. */
export class PaymentLedger {
  private readonly byNeighbour = new Map<string, bigint>();

  /**
   * Checks the field and, only when it is authentic and current, adds P_own to `neighbour`'s
   * total. Returns the verdict; anything but "ok" means the packet is dropped and no money moves.
   */
  accept(keys: Pick<AsKeys, "localSecret">, source: string, neighbour: string, packetId: bigint, hop: number, field: PaymentField, now: number): PaymentVerdict {
    const verdict = checkPaymentField(keys, source, packetId, hop, field, now);
    if (verdict === "ok") this.byNeighbour.set(neighbour, (this.byNeighbour.get(neighbour) ?? 0n) + field.pOwn);
    return verdict;
  }

  /** Total authentic P_own received via `neighbour` (0 when none). */
  totalFrom(neighbour: string): bigint {
    return this.byNeighbour.get(neighbour) ?? 0n;
  }

  /** Number of neighbours with a running total. */
  get neighbours(): number {
    return this.byNeighbour.size;
  }
}
