import { describe, expect, it } from "vitest";
import { cellText, formatNumber, formatTable, toCsv } from "../../src/report/table.js";

describe("formatTable", () => {
  it("right-aligns numbers, left-aligns text, and applies number formats", () => {
    const table = formatTable(
      [
        { isp: "A", revenue: 1234567, share: 0.5 },
        { isp: "Bravo", revenue: 89, share: 0.25 },
      ],
      [
        { key: "isp", title: "ISP" },
        { key: "revenue", format: { thousands: true } },
        { key: "share", format: { decimals: 2 } },
      ],
    );
    expect(table).toBe(
      ["ISP      revenue  share", "-----  ---------  -----", "A      1,234,567   0.50", "Bravo         89   0.25"].join("\n"),
    );
  });

  it("takes every key in order of first appearance by default, leaving missing cells empty", () => {
    const table = formatTable([{ name: "x", n: 1n }, { n: 20n, note: "late" }]);
    expect(table).toBe(["name   n  note", "----  --  ----", "x      1", "      20  late"].join("\n"));
  });

  it("honours explicit alignment and formatter functions, and flattens line breaks", () => {
    const table = formatTable(
      [{ id: 7, text: "two\nlines" }],
      [
        { key: "id", align: "left", format: (v) => `#${String(v)}` },
        { key: "text", align: "right" },
      ],
    );
    expect(table).toBe(["id       text", "--  ---------", "#7  two lines"].join("\n"));
  });

  it("is empty without columns", () => {
    expect(formatTable([])).toBe("");
    expect(formatTable([], [{ key: "a" }])).toBe("a\n-");
  });
});

describe("toCsv", () => {
  it("quotes fields per RFC 4180 and ends every record with CRLF", () => {
    const csv = toCsv([
      { name: 'say "hi"', n: 1 },
      { name: "a,b", n: 2.5 },
      { name: "line\nbreak", n: null },
      { name: " padded ", n: -0.1 },
    ]);
    expect(csv).toBe('name,n\r\n"say ""hi""",1\r\n"a,b",2.5\r\n"line\nbreak",\r\n padded ,-0.1\r\n');
  });

  it("writes values losslessly and takes chosen columns and line endings", () => {
    const csv = toCsv([{ total: 12345678901234567890n, when: new Date(Date.UTC(2024, 0, 2)), tags: ["x", "y"], skip: 1 }], {
      columns: [{ key: "total", title: "total (pUSD)" }, { key: "when" }, { key: "tags" }],
      newline: "\n",
    });
    expect(csv).toBe('total (pUSD),when,tags\n12345678901234567890,2024-01-02T00:00:00.000Z,"[""x"",""y""]"\n');
  });

  it("is empty without columns", () => {
    expect(toCsv([])).toBe("");
  });
});

describe("formatNumber and cellText", () => {
  it("groups thousands and fixes decimals without a locale", () => {
    expect(formatNumber(1234567.891, { decimals: 2, thousands: true })).toBe("1,234,567.89");
    expect(formatNumber(-1234, { thousands: true })).toBe("-1,234");
    expect(formatNumber(999, { thousands: true })).toBe("999");
    expect(formatNumber(-1234567n, { thousands: true, decimals: 2 })).toBe("-1,234,567");
    expect(formatNumber(Number.NaN, { decimals: 2 })).toBe("NaN");
  });

  it("prints the usual kinds of values", () => {
    expect(cellText(undefined)).toBe("");
    expect(cellText(true)).toBe("true");
    expect(cellText({ a: 1n })).toBe('{"a":"1"}');
  });
});
