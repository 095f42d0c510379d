/**
 * The security extension of a packet's header, as real bytes: the authenticated payment fields
 * (pricing paper Eq. 10, see payment.ts) and the in-path price updates (Eq. 8–9, see
 * price-update.ts), carried after the Bill-Pay header (src/model/header.ts).
 *
 * Our text of the pricing paper names the fields but draws no layout, so the one below is
 * Tollway's own. Money fields have the Bill-Pay header's 24-bit width (one money unit, at most
 * 2^24 − 1 per field), times are simulated seconds in 32 bits, MACs are the 16-byte truncated
 * HMAC-SHA-256 of keys.ts.
 *
 * | offset        | size | field                                                            |
 * |---------------|------|------------------------------------------------------------------|
 * | 0, bits 7–6   | 2 b  | version, always 1                                                |
 * | 0, bits 5–3   | 3 b  | P = number of payment fields, 0–7 (one per AS of the path)       |
 * | 0, bits 2–0   | 3 b  | Q = number of price updates, 0–7 (one per AS that sent one)      |
 * | 1–8           | 8 B  | packet id, unsigned 64-bit big-endian (the MACs' nonce)          |
 * | 9 + 26k       | 3 B  | payment field k (hop k): P_rcv                                   |
 * | 12 + 26k      | 3 B  | P_own                                                            |
 * | 15 + 26k      | 4 B  | expiry t_k                                                       |
 * | 19 + 26k      | 16 B | MAC under K_{hop k → source}                                     |
 * | 9 + 26P + 25j | 1 B  | price update j: hop index of the AS that wrote it (0 = first)    |
 * | +1            | 4 B  | its new link price                                               |
 * | +5            | 4 B  | valid until                                                      |
 * | +9            | 16 B | MAC under K_{AS → source}                                        |
 *
 * Size: 9 + 26·P + 25·Q bytes. An update names its AS by hop index, not by name: the source
 * knows its path and maps the index back (`priceUpdatesOnPath`).
 */
import { TollwayError } from "../errors.js";
import { MAX_OADS, MAX_PAYMENT } from "../model/header.js";
import { MAC_BYTES } from "./keys.js";
import type { PaymentField } from "./payment.js";
import type { PriceUpdate } from "./price-update.js";

/** The only version of this layout (byte 0, bits 7–6). */
export const EXTENSION_VERSION = 1;
/** Bytes before the first payment field: the version/count byte and the packet id. */
export const EXTENSION_BASE_BYTES = 9;
/** Bytes of one payment field on the wire. */
export const PAYMENT_FIELD_BYTES = 3 + 3 + 4 + MAC_BYTES;
/** Bytes of one price update on the wire. */
export const PRICE_UPDATE_BYTES = 1 + 4 + 4 + MAC_BYTES;
/** The largest link price a price update carries (32 bits). */
export const MAX_LINK_PRICE = 0xffffffffn;

/** A price update as it travels: its AS is named by the hop index on the packet's path. */
export interface WirePriceUpdate {
  readonly hop: number;
  readonly linkPrice: bigint;
  readonly validUntil: number;
  readonly mac: Uint8Array;
}

/** A decoded security extension. */
export interface SecurityExtension {
  readonly packetId: bigint;
  /** Payment field k is for hop k of the path. */
  readonly payments: readonly PaymentField[];
  readonly updates: readonly WirePriceUpdate[];
}

/** Size in bytes of an extension with `payments` payment fields and `updates` price updates. */
export function extensionSize(payments: number, updates: number): number {
  return EXTENSION_BASE_BYTES + PAYMENT_FIELD_BYTES * payments + PRICE_UPDATE_BYTES * updates;
}

/** The extension as bytes; a field out of its range is a `TollwayError` naming it. */
export function encodeExtension(ext: SecurityExtension): Uint8Array {
  if (ext.packetId < 0n || ext.packetId >= 1n << 64n) fieldError("packetId", `must fit in 64 bits (got ${ext.packetId})`);
  if (ext.payments.length > MAX_OADS) fieldError("payments", `at most ${MAX_OADS} payment fields fit (got ${ext.payments.length})`);
  if (ext.updates.length > MAX_OADS) fieldError("updates", `at most ${MAX_OADS} price updates fit (got ${ext.updates.length})`);
  const bytes = new Uint8Array(extensionSize(ext.payments.length, ext.updates.length));
  const view = new DataView(bytes.buffer);
  bytes[0] = (EXTENSION_VERSION << 6) | (ext.payments.length << 3) | ext.updates.length;
  view.setBigUint64(1, ext.packetId);
  let at = EXTENSION_BASE_BYTES;
  ext.payments.forEach((p, k) => {
    const where = `payments.${k}`;
    writeUint24(bytes, at, money(p.pRcv, `${where}.pRcv`));
    writeUint24(bytes, at + 3, money(p.pOwn, `${where}.pOwn`));
    view.setUint32(at + 6, seconds(p.expiry, `${where}.expiry`));
    bytes.set(mac(p.mac, `${where}.mac`), at + 10);
    at += PAYMENT_FIELD_BYTES;
  });
  ext.updates.forEach((u, j) => {
    const where = `updates.${j}`;
    if (!Number.isInteger(u.hop) || u.hop < 0 || u.hop > 255) fieldError(`${where}.hop`, `must be an integer in 0..255 (got ${u.hop})`);
    if (u.linkPrice < 0n || u.linkPrice > MAX_LINK_PRICE) fieldError(`${where}.linkPrice`, `must be in 0..${MAX_LINK_PRICE} (got ${u.linkPrice})`);
    bytes[at] = u.hop;
    view.setUint32(at + 1, Number(u.linkPrice));
    view.setUint32(at + 5, seconds(u.validUntil, `${where}.validUntil`));
    bytes.set(mac(u.mac, `${where}.mac`), at + 9);
    at += PRICE_UPDATE_BYTES;
  });
  return bytes;
}

/** Decodes an extension that fills `bytes` exactly; malformed bytes are a `TollwayError` saying what is wrong. */
export function decodeExtension(bytes: Uint8Array): SecurityExtension {
  if (bytes.length < EXTENSION_BASE_BYTES) bytesError(`truncated: the extension needs at least ${EXTENSION_BASE_BYTES} bytes, got ${bytes.length}`);
  const version = bytes[0]! >>> 6;
  if (version !== EXTENSION_VERSION) bytesError(`version ${version} is not ${EXTENSION_VERSION}`);
  const p = (bytes[0]! >>> 3) & 7;
  const q = bytes[0]! & 7;
  const size = extensionSize(p, q);
  if (bytes.length !== size) {
    bytesError(`${bytes.length < size ? "truncated" : "trailing bytes"}: ${p} payment fields and ${q} price updates need ${size} bytes, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = EXTENSION_BASE_BYTES;
  const payments: PaymentField[] = [];
  for (let k = 0; k < p; k++, at += PAYMENT_FIELD_BYTES) {
    payments.push({
      pRcv: BigInt(readUint24(bytes, at)), pOwn: BigInt(readUint24(bytes, at + 3)),
      expiry: view.getUint32(at + 6), mac: bytes.slice(at + 10, at + 10 + MAC_BYTES),
    });
  }
  const updates: WirePriceUpdate[] = [];
  for (let j = 0; j < q; j++, at += PRICE_UPDATE_BYTES) {
    updates.push({
      hop: bytes[at]!, linkPrice: BigInt(view.getUint32(at + 1)),
      validUntil: view.getUint32(at + 5), mac: bytes.slice(at + 9, at + 9 + MAC_BYTES),
    });
  }
  return { packetId: view.getBigUint64(1), payments, updates };
}

/**
 * The echoed updates named by AS, for `acceptPriceUpdates`: hop index i is `path[i]`. An index
 * past the path's end is a forged or garbled update and is left out (it could not verify anyway).
 */
export function priceUpdatesOnPath(updates: readonly WirePriceUpdate[], path: readonly string[]): PriceUpdate[] {
  return updates.flatMap((u) => (u.hop < path.length ? [{ as: path[u.hop]!, linkPrice: u.linkPrice, validUntil: u.validUntil, mac: u.mac }] : []));
}

function money(value: bigint, field: string): number {
  if (value < 0n || value > BigInt(MAX_PAYMENT)) fieldError(field, `must be in 0..${MAX_PAYMENT} (got ${value})`);
  return Number(value);
}

function seconds(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) fieldError(field, `must be an integer second in 0..${0xffffffff} (got ${value})`);
  return value;
}

function mac(value: Uint8Array, field: string): Uint8Array {
  if (value.length !== MAC_BYTES) fieldError(field, `must be ${MAC_BYTES} bytes (got ${value.length})`);
  return value;
}

function writeUint24(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = (value >>> 16) & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
  bytes[at + 2] = value & 0xff;
}

function readUint24(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 16) | (bytes[at + 1]! << 8) | bytes[at + 2]!;
}

function fieldError(field: string, reason: string): never {
  throw new TollwayError(`security extension: ${field}: ${reason}`);
}

function bytesError(reason: string): never {
  throw new TollwayError(`security extension: ${reason}`);
}

/** One row of the header-room table: what a packet carries for a path of `ases` ASes, in bytes. */
export interface HeaderRoom {
  readonly carries: string;
  readonly bytes: number;
}

/**
 * Bytes per packet for a path of `ases` ASes: the Bill-Pay header alone, with one ISP-OAD and one
 * user-OAD per AS, and with the security extension's payment fields, then also a price update
 * from every AS. For 4 ASes: 4, 20, 20 + 9 + 4·26 = 133 and 133 + 4·25 = 233 bytes.
 */
export function headerRoom(ases: number): HeaderRoom[] {
  const oads = 4 + 2 * 2 * ases;
  return [
    { carries: "Bill-Pay header, no OADs", bytes: 4 },
    { carries: "Bill-Pay header, an ISP-OAD and a user-OAD per AS", bytes: oads },
    { carries: "+ authenticated payment fields (Eq. 10)", bytes: oads + extensionSize(ases, 0) },
    { carries: "+ payment fields and in-path price updates (Eq. 8–10)", bytes: oads + extensionSize(ases, ases) },
  ];
}
