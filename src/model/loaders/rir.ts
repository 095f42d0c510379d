/**
 * RIR delegation statistics ("RIR statistics exchange format", e.g. APNIC's
 * `delegated-apnic-latest`): which country each block of AS numbers was first delegated to.
 * Used to cut a country's ASes out of a CAIDA graph, as the pricing paper does for JPNIC.
 *
 * Lines: a version line `2|apnic|20150708|39302|19850701|20150707|+1000`, summary lines
 * `apnic|*|asn|*|6274|summary`, records `registry|cc|type|start|value|date|status` (the extended
 * format adds an opaque id and extensions after `status`), `#` comments and blank lines.
 */
import { TollwayError } from "../../errors.js";
import { readInputText } from "../../io/files.js";

/** One `asn` record: `count` consecutive AS numbers starting at `start`. */
export interface AsnDelegation {
  registry: string;
  /** ISO 3166 country code as written in the file (upper case; `ZZ` or empty when undelegated). */
  cc: string;
  start: number;
  count: number;
  /** `YYYYMMDD`, possibly empty or `00000000` for undelegated space. */
  date: string;
  /** `allocated`, `assigned`, `available` or `reserved`. */
  status: string;
  /** 1-based line number in the file. */
  line: number;
}

const MAX_ASN = 4294967295;

/**
 * Most AS numbers one country may be given: the set is built number by number, so a block like
 * `0|4294967295` would take minutes and gigabytes. Real countries hold a few thousand (APNIC's
 * largest block in 2015 is 200); IANA has handed out about 400,000 AS numbers in all.
 */
export const MAX_COUNTRY_ASNS = 1_000_000;
const RECORD_TYPES = new Set(["asn", "ipv4", "ipv6"]);

/**
 * Every `asn` record of a delegation file, in file order; IPv4 and IPv6 records are checked
 * for shape and skipped.
 * @throws TollwayError naming the file and line of the first malformed line.
 */
export function parseAsnDelegations(text: string, options: { file?: string } = {}): AsnDelegation[] {
  const records: AsnDelegation[] = [];
  const lines = text.split("\n");
  let sawHeader = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const fail = (reason: string): never => {
      throw new TollwayError(reason, { ...(options.file === undefined ? {} : { file: options.file }), line: i + 1 });
    };
    const fields = line.split("|");

    // The version line comes first and starts with the format version (e.g. `2` or `2.3`).
    if (!sawHeader && /^\d+(\.\d+)?$/.test(fields[0]!)) {
      sawHeader = true;
      if (fields.length < 7) fail(`version line must have 7 columns (got ${fields.length})`);
      continue;
    }
    sawHeader = true;
    if (fields[5] === "summary") {
      if (fields.length !== 6) fail(`summary line must have 6 columns (got ${fields.length})`);
      continue;
    }
    if (fields.length < 7) fail(`record must have at least 7 columns registry|cc|type|start|value|date|status (got ${fields.length})`);

    const [registry, cc, type, start, value, date, status] = fields as [string, string, string, string, string, string, string];
    if (!RECORD_TYPES.has(type)) fail(`type must be asn, ipv4 or ipv6 (got ${JSON.stringify(type)})`);
    if (!/^\d+$/.test(value) || Number(value) === 0) fail(`value must be a positive integer (got ${JSON.stringify(value)})`);
    if (type !== "asn") continue;

    if (!/^\d+$/.test(start)) fail(`start of an asn record must be an AS number (got ${JSON.stringify(start)})`);
    const first = Number(start);
    const count = Number(value);
    if (first + count - 1 > MAX_ASN) fail(`asn block ${first}+${count} runs past the 32-bit maximum ${MAX_ASN}`);
    records.push({ registry, cc: cc.toUpperCase(), start: first, count, date, status, line: i + 1 });
  }
  return records;
}

/**
 * The AS numbers a delegation file gives to country `cc` (case-insensitive), each block
 * `start|count` expanded. Blocks an RIR handed to a national registry (e.g. JPNIC) count in
 * full, including numbers not yet assigned to anyone.
 * @throws TollwayError naming the file and the line of the block that takes the country past
 *   MAX_COUNTRY_ASNS.
 * @example
 *   asnsOfCountry("apnic|JP|asn|2497|2|20020405|allocated\n", "JP") // Set {2497, 2498}
 */
export function asnsOfCountry(text: string, cc: string, options: { file?: string } = {}): Set<number> {
  const wanted = cc.toUpperCase();
  const asns = new Set<number>();
  for (const record of parseAsnDelegations(text, options)) {
    if (record.cc !== wanted) continue;
    if (asns.size + record.count > MAX_COUNTRY_ASNS) {
      throw new TollwayError(`${wanted} would have more than ${MAX_COUNTRY_ASNS} AS numbers with this block of ${record.count}`, {
        ...(options.file === undefined ? {} : { file: options.file }), line: record.line,
      });
    }
    for (let asn = record.start; asn < record.start + record.count; asn++) asns.add(asn);
  }
  return asns;
}

/**
 * Reads a delegation file and returns the AS numbers of country `cc` (see `asnsOfCountry`).
 * @throws TollwayError when the file cannot be read (with the OS reason) or has a bad line.
 */
export function loadAsnsOfCountryFile(path: string, cc: string): Set<number> {
  return asnsOfCountry(readInputText(path, "delegation"), cc, { file: path });
}
