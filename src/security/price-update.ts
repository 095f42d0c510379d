/**
 * In-path price updates (pricing paper Eq. 8–9). On its way, a packet collects from each AS its
 * new link price, the time until which that price holds and a MAC under the DRKey K_{AS→source};
 * the destination echoes the list; the source, which fetches its DRKeys from the ASes, keeps only
 * the updates whose MAC verifies and whose validity has not passed.
 */
import { macBytes, macValid } from "./keys.js";

/** One AS's price update as carried in the packet. */
export interface PriceUpdate {
  readonly as: string;
  readonly linkPrice: bigint;
  /** Last simulated second at which the price holds. */
  readonly validUntil: number;
  readonly mac: Uint8Array;
}

function updateBytes(packetId: bigint, as: string, linkPrice: bigint, validUntil: number): Buffer {
  const name = Buffer.from(as, "utf8");
  const fixed = Buffer.alloc(8 + 8 + 4);
  fixed.writeBigUInt64BE(packetId, 0);
  fixed.writeBigUInt64BE(linkPrice, 8);
  fixed.writeUInt32BE(validUntil, 16);
  return Buffer.concat([Buffer.from([name.length]), name, fixed]);
}

/** The AS side: its update for packet `packetId`, MACed with the key it shares with the source. */
export function makePriceUpdate(keyWithSource: Uint8Array, packetId: bigint, as: string, linkPrice: bigint, validUntil: number): PriceUpdate {
  return { as, linkPrice, validUntil, mac: macBytes(keyWithSource, updateBytes(packetId, as, linkPrice, validUntil)) };
}

/**
 * The source side: of the echoed `updates`, the authentic and current ones by AS. `keyOf(as)`
 * gives K_{as→source}; an AS it has no key for, a failed MAC or `now > validUntil` is ignored.
 */
export function acceptPriceUpdates(updates: readonly PriceUpdate[], packetId: bigint, now: number, keyOf: (as: string) => Uint8Array | undefined): Map<string, bigint> {
  const accepted = new Map<string, bigint>();
  for (const u of updates) {
    const key = keyOf(u.as);
    if (key === undefined || now > u.validUntil || u.linkPrice < 0n || u.linkPrice >= 1n << 64n) continue;
    if (!Number.isInteger(u.validUntil) || u.validUntil < 0 || u.validUntil > 0xffffffff) continue;
    if (macValid(key, updateBytes(packetId, u.as, u.linkPrice, u.validUntil), u.mac)) accepted.set(u.as, u.linkPrice);
  }
  return accepted;
}
