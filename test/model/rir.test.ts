import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { TollwayError } from "../../src/errors.js";
import { asnsOfCountry, loadAsnsOfCountryFile, parseAsnDelegations } from "../../src/model/loaders/rir.js";

const data = (name: string): string => fileURLToPath(new URL(`../../../shared/data/${name}`, import.meta.url));

const SAMPLE = [
  "# comment",
  "2|apnic|20150708|7|19850701|20150707|+1000",
  "apnic|*|asn|*|4|summary",
  "apnic|*|ipv4|*|2|summary",
  "apnic|JP|asn|173|1|20020801|allocated",
  "apnic|NZ|asn|681|1|20020801|allocated",
  "apnic|JP|asn|2497|3|20020405|allocated",
  "apnic|JP|ipv4|1.0.16.0|4096|20110412|allocated",
  "",
  "apnic|AU|ipv4|1.0.0.0|256|20110811|assigned",
  "apnic|jp|asn|131893|2|20140101|allocated",
].join("\n");

function thrown(action: () => unknown): TollwayError {
  try {
    action();
  } catch (error) {
    if (error instanceof TollwayError) return error;
    throw error;
  }
  throw new Error("expected a TollwayError");
}

describe("RIR delegation files", () => {
  it("expands a country's asn blocks and skips headers, summaries and IP records", () => {
    expect([...asnsOfCountry(SAMPLE, "JP")]).toEqual([173, 2497, 2498, 2499, 131893, 131894]);
    expect([...asnsOfCountry(SAMPLE, "nz")]).toEqual([681]);
    expect(asnsOfCountry(SAMPLE, "AU").size).toBe(0);
  });

  it("refuses a country that would hold more than a million AS numbers, naming the line", () => {
    const huge = "apnic|JP|asn|1|600000|20020801|allocated\napnic|JP|asn|700000|500000|20020801|allocated\n";
    const error = thrown(() => asnsOfCountry(huge, "JP", { file: "delegated.txt" }));
    expect(error.message).toBe("delegated.txt:2: JP would have more than 1000000 AS numbers with this block of 500000");
    // The whole 32-bit space in one reserved block is refused before a single number is added.
    expect(thrown(() => asnsOfCountry("iana|ZZ|asn|0|4294967295||reserved\n", "ZZ")).place).toEqual({ line: 1 });
  });

  it("keeps each asn record with its line", () => {
    const records = parseAsnDelegations(SAMPLE);
    expect(records.map((r) => [r.cc, r.start, r.count, r.line])).toEqual([
      ["JP", 173, 1, 5],
      ["NZ", 681, 1, 6],
      ["JP", 2497, 3, 7],
      ["JP", 131893, 2, 11],
    ]);
    expect(records[0]).toMatchObject({ registry: "apnic", date: "20020801", status: "allocated" });
  });

  it.each([
    ["apnic|JP|asn|abc|1|20020801|allocated", 'start of an asn record must be an AS number (got "abc")'],
    ["apnic|JP|asn|100|0|20020801|allocated", 'value must be a positive integer (got "0")'],
    ["apnic|JP|asn|100|1|20020801", "record must have at least 7 columns registry|cc|type|start|value|date|status (got 6)"],
    ["apnic|JP|asm|100|1|20020801|allocated", 'type must be asn, ipv4 or ipv6 (got "asm")'],
    ["apnic|JP|asn|4294967295|2|20020801|allocated", "asn block 4294967295+2 runs past the 32-bit maximum 4294967295"],
  ])("rejects %j with the file and line", (bad, reason) => {
    const error = thrown(() => asnsOfCountry(`${SAMPLE}\n${bad}\n`, "JP", { file: "delegated.txt" }));
    expect(error.place).toEqual({ file: "delegated.txt", line: 12 });
    expect(error.reason).toBe(reason);
  });

  it("gives JP the 1,101 AS numbers listed in jp-asns-apnic-20150708.txt", () => {
    const jp = loadAsnsOfCountryFile(data("delegated-apnic-20150708.txt"), "JP");
    const listed = readFileSync(data("jp-asns-apnic-20150708.txt"), "utf8")
      .split("\n")
      .filter((line) => /^\d+$/.test(line.trim()))
      .map(Number);
    expect(jp.size).toBe(1101);
    expect([...jp].sort((a, b) => a - b)).toEqual(listed);
  });

  it("names the file and the OS reason when the file cannot be read", () => {
    const error = thrown(() => loadAsnsOfCountryFile("/nonexistent/delegated.txt", "JP"));
    expect(error.message).toBe("/nonexistent/delegated.txt: cannot read: no such file or directory");
  });
});
