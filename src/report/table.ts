/**
 * Tables from tidy rows: aligned plain text for terminals and logs, and CSV (RFC 4180) for
 * spreadsheets and other tools. Both take the same rows the chart builders take.
 */

/** How to print a number: fixed decimals and/or thousands separators. */
export interface NumberFormat {
  /** Digits after the decimal point (rounded as `Number.prototype.toFixed` does). Ignored for bigints. */
  decimals?: number;
  /** Group the integer digits in threes with commas, e.g. `1,234,567` (default false). */
  thousands?: boolean;
}

/** A cell formatter: a function of the raw value, or a {@link NumberFormat} applied to numbers. */
export type CellFormat = ((value: unknown) => string) | NumberFormat;

/** One column of a {@link formatTable}: which key to read, and how to show it. */
export interface TableColumn {
  /** Key of the value in each row. */
  key: string;
  /** Header text (default: the key). */
  title?: string;
  /** How to turn a value into text (default: {@link cellText}). */
  format?: CellFormat;
  /**
   * Alignment (default: right when every present value is a number or bigint, left otherwise).
   * The header is aligned the same way.
   */
  align?: "left" | "right";
}

/** One column of a {@link toCsv}: which key to read and what to call it in the header. */
export interface CsvColumn {
  /** Key of the value in each row. */
  key: string;
  /** Header text (default: the key). */
  title?: string;
}

/** Options of {@link toCsv}. */
export interface CsvOptions {
  /** The columns, in order (default: every key in the rows, in order of first appearance). */
  columns?: readonly CsvColumn[];
  /** Line ending after every record, header included (default `"\r\n"`, as RFC 4180 asks). */
  newline?: "\r\n" | "\n";
}

const GAP = "  ";

/**
 * Lays rows out as an aligned plain-text table: a header, a rule of dashes, then one line per
 * row, with columns separated by two spaces and trailing spaces trimmed. Numbers are
 * right-aligned, text left-aligned. Line breaks inside a value are shown as spaces so each row
 * stays on one line. Widths count code points, so wide (East Asian) characters may misalign.
 *
 * @param rows the records to show; missing values print as empty cells.
 * @param columns which columns to show, in order (default: every key in the rows, in order of
 *   first appearance, with default formatting).
 * @returns the table without a trailing newline; "" when there are no columns.
 * @example
 * formatTable(
 *   [{ isp: "A", revenue: 1234567, share: 0.5 }, { isp: "Bravo", revenue: 89, share: 0.25 }],
 *   [{ key: "isp", title: "ISP" }, { key: "revenue", format: { thousands: true } }, { key: "share", format: { decimals: 2 } }],
 * );
 * // ISP      revenue  share
 * // -----  ---------  -----
 * // A      1,234,567   0.50
 * // Bravo         89   0.25
 */
export function formatTable(rows: readonly Readonly<Record<string, unknown>>[], columns?: readonly TableColumn[]): string {
  const chosen: readonly TableColumn[] = columns ?? keysOf(rows).map((key) => ({ key }));
  if (chosen.length === 0) return "";
  const laidOut = chosen.map((column) => {
    const title = oneLine(column.title ?? column.key);
    const cells = rows.map((row) => oneLine(formatCell(row[column.key], column.format)));
    const present = rows.map((row) => row[column.key]).filter((value) => value !== undefined && value !== null);
    const numeric = present.length > 0 && present.every((value) => typeof value === "number" || typeof value === "bigint");
    const align = column.align ?? (numeric ? "right" : "left");
    const width = Math.max(textWidth(title), ...cells.map(textWidth));
    return { title, cells, align, width };
  });
  const line = (texts: readonly string[]) =>
    texts
      .map((text, i) => pad(text, laidOut[i]!.width, laidOut[i]!.align))
      .join(GAP)
      .trimEnd();
  const lines = [line(laidOut.map((c) => c.title)), line(laidOut.map((c) => "-".repeat(c.width)))];
  for (let r = 0; r < rows.length; r++) lines.push(line(laidOut.map((c) => c.cells[r]!)));
  return lines.join("\n");
}

/**
 * Writes rows as CSV per RFC 4180: a header record, then one record per row; a field is quoted
 * when it holds a comma, a double quote, a carriage return or a line feed, and quotes inside it
 * are doubled. Values are written losslessly rather than formatted: numbers in full precision
 * (shortest round-trip form), bigints as integers, dates in ISO 8601, objects as JSON, and
 * null / undefined as an empty field.
 *
 * @returns the CSV text, every record (the last included) ended by `newline`; "" when there are no columns.
 * @example
 * toCsv([{ name: 'say "hi"', n: 1 }, { name: "a,b", n: 2.5 }]);
 * // 'name,n\r\n"say ""hi""",1\r\n"a,b",2.5\r\n'
 */
export function toCsv(rows: readonly Readonly<Record<string, unknown>>[], options: CsvOptions = {}): string {
  const columns: readonly CsvColumn[] = options.columns ?? keysOf(rows).map((key) => ({ key }));
  if (columns.length === 0) return "";
  const newline = options.newline ?? "\r\n";
  const record = (fields: readonly string[]) => fields.map(csvField).join(",") + newline;
  let text = record(columns.map((column) => column.title ?? column.key));
  for (const row of rows) text += record(columns.map((column) => cellText(row[column.key])));
  return text;
}

/**
 * Formats a number with optional fixed decimals and comma thousands separators, the same way on
 * every machine (no locale). Non-finite numbers print as `NaN`, `Infinity`, `-Infinity`.
 *
 * @example
 * formatNumber(1234567.891, { decimals: 2, thousands: true }); // "1,234,567.89"
 * formatNumber(-1234n, { thousands: true });                   // "-1,234"
 */
export function formatNumber(value: number | bigint, format: NumberFormat = {}): string {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  let text = typeof value === "number" && format.decimals !== undefined ? value.toFixed(format.decimals) : String(value);
  if (format.thousands === true) {
    const match = /^(-?)(\d+)(.*)$/.exec(text);
    if (match !== null) text = match[1]! + match[2]!.replace(/\B(?=(\d{3})+$)/g, ",") + match[3]!;
  }
  return text;
}

/**
 * The default text of a table cell: strings as they are, numbers and bigints via `String`,
 * dates in ISO 8601, null and undefined as empty, other objects as JSON.
 *
 * @example
 * cellText(null);        // ""
 * cellText({ a: 1 });    // '{"a":1}'
 */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? String(v) : v));
  return String(value);
}

/**
 * The text of one table cell: `format` applied to the value (a function, or a
 * {@link NumberFormat} for numbers and bigints), else {@link cellText}. `formatTable` and the
 * notebooks' HTML tables both lay out their cells with it.
 *
 * @example
 * formatCell(1234.5, { decimals: 1, thousands: true }); // "1,234.5"
 */
export function formatCell(value: unknown, format: CellFormat | undefined): string {
  if (typeof format === "function") return format(value);
  if (format !== undefined && (typeof value === "number" || typeof value === "bigint")) return formatNumber(value, format);
  return cellText(value);
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function keysOf(rows: readonly Readonly<Record<string, unknown>>[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) keys.add(key);
  return [...keys];
}

function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n]/g, " ");
}

function textWidth(text: string): number {
  return [...text].length;
}

function pad(text: string, width: number, align: "left" | "right"): string {
  const fill = " ".repeat(width - textWidth(text));
  return align === "right" ? fill + text : text + fill;
}
