/**
 * The Bill-Pay header as real bytes.
 *
 * Bill-Pay (Estan, Akella, Banerjee, "Achieving Good End-to-End Service Using Bill-Pay",
 * section 2.2) puts a nanopayment and a list of opaque alternative descriptors (OADs) in every
 * packet. ISPs append ISP-OADs that say which alternatives they offer and which one they chose;
 * the sender adds user-OADs, one per ISP on the path, naming alternatives it dislikes and the
 * one it would prefer. The paper says a header without OADs "can be as small as 4 bytes" and
 * one "recording a typical path fits within 20 bytes". Its Figure 2, which draws the fields,
 * is missing from our copy of the text, so the layout below is Tollway's own, chosen to meet
 * exactly those two sizes:
 *
 * | offset          | size | field                                                              |
 * |-----------------|------|--------------------------------------------------------------------|
 * | 0, bits 7–6     | 2 b  | version, always 1                                                  |
 * | 0, bits 5–3     | 3 b  | I = number of ISP-OADs, 0–7                                        |
 * | 0, bits 2–0     | 3 b  | U = number of user-OADs, 0–7                                       |
 * | 1–3             | 3 B  | nanopayment, unsigned 24-bit big-endian, in the scenario's money unit |
 * | 4 + 2k          | 1 B  | ISP-OAD k: alternatives bitmap, bit i set ⇔ choice i+1 is offered  |
 * | 5 + 2k          | 1 B  | ISP-OAD k: choice made for this packet, 1–8, 0 = none              |
 * | 4 + 2I + 2j     | 1 B  | user-OAD j: undesirable-alternatives bitmap (same bit numbering)   |
 * | 5 + 2I + 2j     | 1 B  | user-OAD j: preferred choice, 1–8, 0 = no preference               |
 *
 * Total size: 4 + 2·(I + U) bytes, so 4 bytes with no OADs and 20 bytes for a 4-AS path that
 * carries one ISP-OAD and one user-OAD per AS. ISP-OADs are in path order (the first ISP to
 * append one comes first). User-OAD j addresses the j-th ISP on the path, by position: the
 * paper's sender "uses a separate user-OAD for each ISP on the path" and may leave trailing
 * ISPs without one.
 *
 * Simplification: the paper's routers "need not change the packet size"; in this model an
 * ISP appending its OAD makes the header 2 bytes longer (see `withIspOad`). A deployment could
 * reserve the slots up front; the accounting of bytes on the wire is the same either way.
 *
 * Errors are `TollwayError`s. Invalid header objects name the field (`header.ispOads.2.choice`);
 * malformed bytes say what is wrong with them (`header: truncated: 3 ISP-OADs need 10 bytes,
 * got 7`).
 */
import { TollwayError } from "../errors.js";

/** The only header version this layout defines (byte 0, bits 7–6). */
export const HEADER_VERSION = 1;

/** The largest nanopayment the 24-bit payment field can carry: 2^24 − 1. */
export const MAX_PAYMENT = 0xffffff;

/** At most this many OADs of each kind fit in the header (a 3-bit count). */
export const MAX_OADS = 7;

/** The largest choice number an OAD can name (bits 0–7 of a bitmap are choices 1–8). */
export const MAX_CHOICE = 8;

/** Size of a header with no OADs, in bytes: the version/count byte and the payment. */
export const HEADER_BASE_BYTES = 4;

/** Size of one OAD of either kind, in bytes: a bitmap and a choice. */
export const OAD_BYTES = 2;

/**
 * An ISP-OAD, written by an ISP's router (paper section 2.2): which of its locally defined
 * alternatives the ISP offers this packet, and which one it picked.
 */
export interface IspOad {
  /** Bitmap 0..255: bit i set ⇔ choice i+1 is offered. 0 = the ISP advertises no alternatives. */
  alternatives: number;
  /** The alternative used for this packet, 1..8, or 0 for none. When `alternatives` is
   * non-zero the choice must be one of the offered alternatives. */
  choice: number;
}

/**
 * A user-OAD, written by the sender for one ISP on the path (paper section 2.2): alternatives it
 * considers undesirable, and the alternative it would like instead. Not binding on the ISP.
 */
export interface UserOad {
  /** Bitmap 0..255 of undesirable alternatives: bit i set ⇔ choice i+1 is undesirable. */
  undesirable: number;
  /** Preferred alternative 1..8, or 0 for no preference. Must not be marked undesirable. */
  choice: number;
}

/** A decoded Bill-Pay header. */
export interface BillPayHeader {
  version: 1;
  /** The nanopayment still in the packet, an integer 0..MAX_PAYMENT in the scenario's money unit. */
  payment: number;
  /** ISP-OADs in path order, at most 7. */
  ispOads: IspOad[];
  /** User-OADs; entry j addresses the j-th ISP on the path. At most 7. */
  userOads: UserOad[];
}

/**
 * Size in bytes of `h` on the wire: 4 + 2 per OAD (so 4 with no OADs, 20 for a 4-AS path
 * with both kinds, as in paper section 2.2).
 *
 * @example headerSize({ version: 1, payment: 20, ispOads: [], userOads: [] }) // 4
 */
export function headerSize(h: BillPayHeader): number {
  return HEADER_BASE_BYTES + OAD_BYTES * (h.ispOads.length + h.userOads.length);
}

/**
 * Checks every field of `h` against the layout's ranges and throws a `TollwayError` naming the
 * first bad field (e.g. `header.payment: must be an integer in 0..16777215 (got -1)`).
 */
export function validateHeader(h: BillPayHeader): void {
  if (h.version !== HEADER_VERSION) {
    fieldError("version", `must be ${HEADER_VERSION} (got ${String(h.version)})`);
  }
  if (!Number.isInteger(h.payment) || h.payment < 0 || h.payment > MAX_PAYMENT) {
    fieldError("payment", `must be an integer in 0..${MAX_PAYMENT} (got ${String(h.payment)})`);
  }
  if (h.ispOads.length > MAX_OADS) {
    fieldError("ispOads", `at most ${MAX_OADS} ISP-OADs fit in the header (got ${h.ispOads.length})`);
  }
  if (h.userOads.length > MAX_OADS) {
    fieldError("userOads", `at most ${MAX_OADS} user-OADs fit in the header (got ${h.userOads.length})`);
  }
  h.ispOads.forEach((oad, k) => validateIspOad(oad, `ispOads.${k}`));
  h.userOads.forEach((oad, j) => validateUserOad(oad, `userOads.${j}`));
}

/**
 * The header as bytes, laid out as in the table at the top of this file.
 * Throws a `TollwayError` naming the field when `h` is invalid (see `validateHeader`).
 *
 * @example encodeHeader({ version: 1, payment: 20, ispOads: [], userOads: [] })
 * // Uint8Array [0x40, 0x00, 0x00, 0x14]
 */
export function encodeHeader(h: BillPayHeader): Uint8Array {
  validateHeader(h);
  const bytes = new Uint8Array(headerSize(h));
  bytes[0] = (HEADER_VERSION << 6) | (h.ispOads.length << 3) | h.userOads.length;
  bytes[1] = (h.payment >>> 16) & 0xff;
  bytes[2] = (h.payment >>> 8) & 0xff;
  bytes[3] = h.payment & 0xff;
  let at = HEADER_BASE_BYTES;
  for (const oad of h.ispOads) {
    bytes[at++] = oad.alternatives;
    bytes[at++] = oad.choice;
  }
  for (const oad of h.userOads) {
    bytes[at++] = oad.undesirable;
    bytes[at++] = oad.choice;
  }
  return bytes;
}

/**
 * Reads a header from exactly `bytes` (no trailing data allowed). Throws a `TollwayError` that
 * says what is wrong: too short, an unsupported version, truncated OADs, trailing bytes, or a
 * field out of range (an OAD choice above 8, an ISP choice that is not offered, a preferred
 * choice the sender also marks undesirable). A header that decodes re-encodes to the same bytes.
 */
export function decodeHeader(bytes: Uint8Array): BillPayHeader {
  if (bytes.length < HEADER_BASE_BYTES) {
    bytesError(`too short: need at least ${HEADER_BASE_BYTES} bytes, got ${bytes.length}`);
  }
  const first = bytes[0]!;
  const version = first >>> 6;
  if (version !== HEADER_VERSION) {
    bytesError(`version ${version} is not supported (expected ${HEADER_VERSION})`);
  }
  const ispCount = (first >>> 3) & 0b111;
  const userCount = first & 0b111;
  const size = HEADER_BASE_BYTES + OAD_BYTES * (ispCount + userCount);
  if (bytes.length < size) {
    bytesError(`truncated: ${describeCounts(ispCount, userCount)} ${size} bytes, got ${bytes.length}`);
  }
  if (bytes.length > size) {
    const extra = bytes.length - size;
    bytesError(`${extra} trailing ${extra === 1 ? "byte" : "bytes"} after a ${size}-byte header`);
  }

  const payment = (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!;
  const ispOads: IspOad[] = [];
  const userOads: UserOad[] = [];
  let at = HEADER_BASE_BYTES;
  for (let k = 0; k < ispCount; k++, at += OAD_BYTES) {
    ispOads.push({ alternatives: bytes[at]!, choice: bytes[at + 1]! });
  }
  for (let j = 0; j < userCount; j++, at += OAD_BYTES) {
    userOads.push({ undesirable: bytes[at]!, choice: bytes[at + 1]! });
  }
  const header: BillPayHeader = { version: HEADER_VERSION, payment, ispOads, userOads };
  validateHeader(header);
  return header;
}

/**
 * What an ISP's router does to a passing packet (paper section 2.2): append its ISP-OAD after
 * those of upstream ISPs. Returns a new header (2 bytes longer); `h` is not changed.
 * Throws a `TollwayError` when the OAD is invalid or the header already holds 7 ISP-OADs.
 */
export function withIspOad(h: BillPayHeader, oad: IspOad): BillPayHeader {
  const next: BillPayHeader = {
    version: h.version,
    payment: h.payment,
    ispOads: [...h.ispOads, { alternatives: oad.alternatives, choice: oad.choice }],
    userOads: h.userOads.map((u) => ({ undesirable: u.undesirable, choice: u.choice })),
  };
  validateHeader(next);
  return next;
}

/**
 * The header with its nanopayment replaced, e.g. after an ISP deducts its toll (paper
 * section 2.1). Returns a new header of the same size; `h` is not changed. Throws a
 * `TollwayError` on `header.payment` when `payment` is not an integer in 0..MAX_PAYMENT.
 */
export function withPayment(h: BillPayHeader, payment: number): BillPayHeader {
  const next: BillPayHeader = {
    version: h.version,
    payment,
    ispOads: h.ispOads.map((o) => ({ alternatives: o.alternatives, choice: o.choice })),
    userOads: h.userOads.map((u) => ({ undesirable: u.undesirable, choice: u.choice })),
  };
  validateHeader(next);
  return next;
}

function validateIspOad(oad: IspOad, at: string): void {
  checkBitmap(oad.alternatives, `${at}.alternatives`);
  checkChoice(oad.choice, `${at}.choice`);
  if (oad.choice !== 0 && oad.alternatives !== 0 && !hasBit(oad.alternatives, oad.choice)) {
    fieldError(
      `${at}.choice`,
      `choice ${oad.choice} is not among the offered alternatives ${describeBitmap(oad.alternatives)}`,
    );
  }
}

function validateUserOad(oad: UserOad, at: string): void {
  checkBitmap(oad.undesirable, `${at}.undesirable`);
  checkChoice(oad.choice, `${at}.choice`);
  // The paper's sender marks alternatives undesirable "and mark[s] another alternative in the
  // choice field"; preferring one it also rejects is contradictory.
  if (oad.choice !== 0 && hasBit(oad.undesirable, oad.choice)) {
    fieldError(
      `${at}.choice`,
      `choice ${oad.choice} is also marked undesirable ${describeBitmap(oad.undesirable)}`,
    );
  }
}

function checkBitmap(value: number, at: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) {
    fieldError(at, `must be a bitmap in 0..255 (got ${String(value)})`);
  }
}

function checkChoice(value: number, at: string): void {
  if (!Number.isInteger(value) || value < 0 || value > MAX_CHOICE) {
    fieldError(at, `must be 0 (none) or a choice 1..${MAX_CHOICE} (got ${String(value)})`);
  }
}

function hasBit(bitmap: number, choice: number): boolean {
  return (bitmap & (1 << (choice - 1))) !== 0;
}

/** `0b00000101 (choices 1, 3)`: the bitmap as the reader would draw it, and what it means. */
function describeBitmap(bitmap: number): string {
  const choices: number[] = [];
  for (let c = 1; c <= MAX_CHOICE; c++) if (hasBit(bitmap, c)) choices.push(c);
  const binary = `0b${bitmap.toString(2).padStart(8, "0")}`;
  return choices.length === 0 ? `${binary} (none)` : `${binary} (choices ${choices.join(", ")})`;
}

function describeCounts(ispCount: number, userCount: number): string {
  const parts: string[] = [];
  if (ispCount > 0) parts.push(`${ispCount} ISP-${ispCount === 1 ? "OAD" : "OADs"}`);
  if (userCount > 0) parts.push(`${userCount} user-${userCount === 1 ? "OAD" : "OADs"}`);
  const plural = ispCount + userCount > 1;
  return `${parts.join(" and ")} ${plural ? "need" : "needs"}`;
}

function fieldError(field: string, reason: string): never {
  throw new TollwayError(reason, { field: `header.${field}` });
}

function bytesError(reason: string): never {
  throw new TollwayError(reason, { field: "header" });
}
