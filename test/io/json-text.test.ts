import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TollwayError } from "../../src/errors.js";
import { checkJsonDepth, MAX_JSON_DEPTH, parseJsonText, readJsonFile } from "../../src/io/json-text.js";

function thrown(action: () => unknown): TollwayError {
  try {
    action();
  } catch (error) {
    if (error instanceof TollwayError) return error;
    throw error;
  }
  throw new Error("expected a TollwayError");
}

/** `{"x":{"x":...1...}}`, `levels` objects deep, built as text (JSON.stringify would recurse). */
const nested = (levels: number): string => '{"x":'.repeat(levels) + "1" + "}".repeat(levels);

describe("parseJsonText", () => {
  it("parses JSON", () => {
    expect(parseJsonText('{"a": [1, {"b": null}]}', "f.json")).toEqual({ a: [1, { b: null }] });
  });

  // Columns counted by hand: line 3 is `  "rounds": 3,,` and the second comma is its 15th character.
  it.each([
    ['{\n  "name": "broken",\n  "rounds": 3,,\n}', "Expected double-quoted property name at line 3, column 15"],
    ['{"a": 1} x', "Unexpected non-whitespace character after the JSON value at line 1, column 10"],
    ['{"a":"b\nc"}', "Bad control character in string literal at line 1, column 8"],
    ['{"a":01}', "Unexpected number at line 1, column 7"],
    ['"abc', "Unterminated string at line 1, column 5"],
    ['{"a":', "the JSON ends too early, at line 1, column 6"],
    ["", "the JSON ends too early, at line 1, column 1"],
    // Node 20 gives no position for these (it quotes the text around instead, newlines and all).
    ['{"a":x}', 'unexpected token (found "x") at line 1, column 6'],
    ['{\n  "a": nope\n}', 'unexpected token (found "nope") at line 2, column 8'],
    ["[1,]", 'expected a value (found "]") at line 1, column 4'],
  ])("names the line and column of %j", (text, reason) => {
    const error = thrown(() => parseJsonText(text, "f.json"));
    expect(error.place).toEqual({ file: "f.json" });
    expect(error.reason).toBe(`invalid JSON: ${reason}`);
    expect(error.message).not.toMatch(/\n/);
  });

  it(`accepts ${MAX_JSON_DEPTH} levels of nesting and refuses one more, naming the field`, () => {
    expect(parseJsonText(nested(MAX_JSON_DEPTH), "f.json")).toBeTypeOf("object");
    const error = thrown(() => parseJsonText(`{"flows": [${nested(MAX_JSON_DEPTH - 1)}]}`, "f.json"));
    expect(error.place).toEqual({ file: "f.json", field: "flows.0.x.x.x.x.x.x.…" });
    expect(error.reason).toBe(`nested more than ${MAX_JSON_DEPTH} levels deep`);
  });

  it("refuses 5,000 and 100,000 levels without overflowing the stack", () => {
    expect(thrown(() => parseJsonText(nested(5000), "f.json")).reason).toBe("nested more than 64 levels deep");
    expect(thrown(() => parseJsonText("[".repeat(100_000) + "]".repeat(100_000), "f.json")).place.field).toBe("0.0.0.0.0.0.0.0.…");
  });
});

describe("checkJsonDepth", () => {
  it("counts objects and arrays, not scalars, and names a short field in full", () => {
    expect(() => checkJsonDepth({ a: [{ b: "deep string" }] }, undefined, 3)).not.toThrow();
    expect(thrown(() => checkJsonDepth({ a: [{ b: [] }] }, "x.json", 3)).place).toEqual({ file: "x.json", field: "a.0.b" });
  });
});

describe("readJsonFile", () => {
  it("reads a file with a byte-order mark and names the file in errors", () => {
    const dir = mkdtempSync(join(tmpdir(), "tollway-json-text-"));
    const bom = join(dir, "bom.json");
    writeFileSync(bom, '\uFEFF{"ok": true}');
    expect(readJsonFile(bom, "params")).toEqual({ ok: true });
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{"ok": tru}');
    expect(thrown(() => readJsonFile(bad, "params")).message).toBe(`${bad}: invalid JSON: unexpected token (found "tru") at line 1, column 8`);
  });
});
