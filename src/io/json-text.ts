/**
 * Parsing JSON a user wrote: a syntax error says where (line and column) on one line, and a value
 * nested deeper than any Tollway input needs is refused before anything recurses into it (a
 * 5,000-deep object would otherwise overflow the stack while hashing or checking it).
 */
import { parse as parseTolerant, printParseErrorCode, type ParseError } from "jsonc-parser";
import { TollwayError } from "../errors.js";
import { readInputText, type InputFileKind } from "./files.js";

/** How deeply objects and arrays may nest in a JSON input (a scenario needs about 8). */
export const MAX_JSON_DEPTH = 64;

/**
 * The value of a JSON file, read within the size limit for `kind` (see `readInputText`), a
 * leading byte-order mark ignored.
 * @throws TollwayError naming the file: unreadable or too big, `invalid JSON: <reason> at line L,
 *   column C`, or nested deeper than MAX_JSON_DEPTH (with the field where it happens).
 */
export function readJsonFile(path: string, kind: InputFileKind): unknown {
  return parseJsonText(readInputText(path, kind), path);
}

/**
 * `JSON.parse(text)`, with syntax errors and excessive nesting as TollwayErrors naming `file`.
 * @example parseJsonText('{"a": [1, 2]}', "x.json") // { a: [1, 2] }
 * @example parseJsonText('{"a": 1,}', "x.json") // throws "x.json: invalid JSON: Expected double-quoted property name at line 1, column 9"
 */
export function parseJsonText(text: string, file: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TollwayError(`invalid JSON: ${syntaxError(text, error)}`, { file });
  }
  checkJsonDepth(value, file);
  return value;
}

/**
 * Refuses a value whose objects and arrays nest more than `maxDepth` levels, naming the field
 * where the limit is passed (its first eight steps). Walks the value without recursion.
 * @throws TollwayError with `file` and the dotted field, e.g. `description.x.x.x.x.x.x.x.…`.
 */
export function checkJsonDepth(value: unknown, file?: string, maxDepth = MAX_JSON_DEPTH): void {
  interface Step { value: unknown; depth: number; key: string; parent: Step | null }
  const stack: Step[] = [{ value, depth: 0, key: "", parent: null }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if (step.value === null || typeof step.value !== "object") continue;
    if (step.depth >= maxDepth) {
      const keys: string[] = [];
      for (let s: Step | null = step; s !== null && s.parent !== null; s = s.parent) keys.push(s.key);
      keys.reverse();
      const field = keys.length > 8 ? [...keys.slice(0, 8), "…"].join(".") : keys.join(".");
      throw new TollwayError(`nested more than ${maxDepth} levels deep`, { ...(file !== undefined ? { file } : {}), ...(field !== "" ? { field } : {}) });
    }
    for (const [key, child] of Object.entries(step.value)) {
      if (child !== null && typeof child === "object") stack.push({ value: child, depth: step.depth + 1, key, parent: step });
    }
  }
}

/**
 * V8's message with the position as line and column, on one line. Node 20 gives a position for
 * most errors ("... in JSON at position 37"), none for an unexpected token (its message quotes
 * the surrounding text instead, newlines included) or for a truncated file; those are located
 * with jsonc-parser, a second, tolerant parser that reports offsets.
 */
function syntaxError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = /^(.*?) (in|after) JSON at position (\d+)/s.exec(message);
  if (at) return `${at[1]}${at[2] === "after" ? " after the JSON value" : ""} at ${lineColumn(text, Number(at[3]))}`;
  if (/^Unexpected end of JSON input/.test(message)) return `the JSON ends too early, at ${lineColumn(text, text.length)}`;
  const found = firstSyntaxError(text);
  if (found) {
    const token = text.slice(found.offset, found.offset + Math.max(1, found.length));
    return `${readableCode(printParseErrorCode(found.error))} (found ${JSON.stringify(token)}) at ${lineColumn(text, found.offset)}`;
  }
  return message.replace(/\s+/g, " ");
}

function firstSyntaxError(text: string): ParseError | undefined {
  const errors: ParseError[] = [];
  try {
    parseTolerant(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch {
    return undefined; // jsonc-parser recurses; a pathological text may overflow it
  }
  return errors[0];
}

/** `CommaExpected` → `expected a comma`, and so on for jsonc-parser's codes. */
function readableCode(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: "unexpected token",
    InvalidNumberFormat: "invalid number",
    PropertyNameExpected: "expected a double-quoted property name",
    ValueExpected: "expected a value",
    ColonExpected: "expected ':'",
    CommaExpected: "expected ','",
    CloseBraceExpected: "expected '}'",
    CloseBracketExpected: "expected ']'",
    EndOfFileExpected: "unexpected text after the JSON value",
    InvalidCommentToken: "comments are not allowed in JSON",
    UnexpectedEndOfComment: "comments are not allowed in JSON",
    UnexpectedEndOfString: "unterminated string",
    UnexpectedEndOfNumber: "invalid number",
    InvalidUnicode: "invalid \\u escape",
    InvalidEscapeCharacter: "invalid escape character",
    InvalidCharacter: "invalid character in a string",
  };
  return words[code] ?? "invalid JSON";
}

/** `line L, column C` (both from 1) of a character offset into `text`. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `line ${line}, column ${column}`;
}
