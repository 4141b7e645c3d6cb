/**
 * Reading an uploaded customer list (CSV or XLSX) into (line, value) pairs of one column. The
 * column is the one whose header names the identifier being matched (客户号 / customer_no,
 * 手机号 / phone, 证件号码 / cert_no …); a file of a single column may come without a header.
 * A file that cannot be read as a whole — not CSV or XLSX, broken quoting, no such column, too
 * many rows — is refused with a `ListFileError` naming the problem (and its line), and nothing
 * of it is applied. Lines are 1-based as a spreadsheet shows them (the header is line 1).
 */
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { decodeCsv } from "../import/csv";

export const LIST_MATCH_KINDS = ["CUSTOMER_NO", "PHONE", "CERT_NO"] as const;
export type ListMatchKind = (typeof LIST_MATCH_KINDS)[number];

export const MAX_LIST_ROWS = 1_000_000;
export const MAX_LIST_BYTES = 30 * 1024 * 1024;

/** Header names accepted for each identifier (compared lower-case, without spaces). */
export const LIST_HEADERS: Record<ListMatchKind, string[]> = {
  CUSTOMER_NO: ["customer_no", "customerno", "客户号", "客户编号", "客户号码", "客户编码"],
  PHONE: ["phone", "mobile", "手机号", "手机号码", "手机", "电话", "联系电话"],
  CERT_NO: ["cert_no", "certno", "id_no", "证件号", "证件号码", "身份证号", "身份证号码"],
};
const ALL_HEADERS = new Set(Object.values(LIST_HEADERS).flat());

export type ListFileErrorCode = "EMPTY_FILE" | "TOO_LARGE" | "TOO_MANY_ROWS" | "BAD_CSV" | "BAD_XLSX" | "NO_COLUMN" | "AMBIGUOUS_COLUMN";

export class ListFileError extends Error {
  constructor(
    readonly code: ListFileErrorCode,
    message: string,
    readonly line?: number,
  ) {
    super(line ? `line ${line}: ${message}` : message);
    this.name = "ListFileError";
  }
}

export interface ListValue {
  line: number;
  value: string;
}

const headerKey = (cell: string) => cell.replace(/^\ufeff/, "").replace(/\s+/g, "").toLowerCase();

export function isXlsx(content: Uint8Array): boolean {
  // A ZIP container (PK\x03\x04): XLSX. Anything else is read as CSV text.
  return content.length >= 4 && content[0] === 0x50 && content[1] === 0x4b && content[2] === 0x03 && content[3] === 0x04;
}

export async function readListFile(content: Uint8Array, kind: ListMatchKind): Promise<ListValue[]> {
  if (content.byteLength === 0) throw new ListFileError("EMPTY_FILE", "the file is empty");
  if (content.byteLength > MAX_LIST_BYTES) throw new ListFileError("TOO_LARGE", `the file is larger than ${MAX_LIST_BYTES / 1024 / 1024} MB`);
  const rows = isXlsx(content) ? await xlsxRows(content) : csvRows(content);
  return pickColumn(rows, kind);
}

interface RawRow {
  line: number;
  cells: string[];
}

function csvRows(content: Uint8Array): RawRow[] {
  try {
    const records = parse(decodeCsv(content), { relax_column_count: true, skip_empty_lines: false, bom: true, info: true, max_record_size: 64 * 1024 }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    if (records.length > MAX_LIST_ROWS + 1) throw new ListFileError("TOO_MANY_ROWS", `more than ${MAX_LIST_ROWS.toLocaleString("en")} rows`);
    // info.lines is the line the record ends on; a record spanning lines is rare in a list.
    return records.map((r) => ({ line: r.info.lines, cells: r.record }));
  } catch (err) {
    if (err instanceof ListFileError) throw err;
    const e = err as { message?: string; lines?: number };
    throw new ListFileError("BAD_CSV", `not a readable CSV file (${(e.message ?? "parse error").replace(/^Invalid Record Length: /, "")})`, e.lines);
  }
}

function cellText(value: ExcelJS.CellValue): string {
  if (value == null) return "";
  if (typeof value === "number") return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((r) => r.text).join("");
    if ("result" in value) return cellText(value.result as ExcelJS.CellValue);
    if ("text" in value) return String(value.text);
  }
  return "";
}

async function xlsxRows(content: Uint8Array): Promise<RawRow[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(content.buffer, content.byteOffset, content.byteLength) as unknown as ExcelJS.Buffer);
  } catch (err) {
    throw new ListFileError("BAD_XLSX", `not a readable XLSX file (${err instanceof Error ? err.message : String(err)})`);
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new ListFileError("EMPTY_FILE", "the workbook has no sheet");
  if (ws.rowCount > MAX_LIST_ROWS + 1) throw new ListFileError("TOO_MANY_ROWS", `more than ${MAX_LIST_ROWS.toLocaleString("en")} rows`);
  const out: RawRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    out.push({ line, cells: Array.from(cells, (c) => c ?? "") });
  });
  return out;
}

function pickColumn(rows: RawRow[], kind: ListMatchKind): ListValue[] {
  const first = rows.find((r) => r.cells.some((c) => c.trim() !== ""));
  if (!first) throw new ListFileError("EMPTY_FILE", "the file has no rows");
  const keys = first.cells.map(headerKey);
  const hasHeader = keys.some((k) => ALL_HEADERS.has(k));
  let col = 0;
  let body = rows;
  if (hasHeader) {
    const wanted = new Set(LIST_HEADERS[kind]);
    const cols = keys.flatMap((k, i) => (wanted.has(k) ? [i] : []));
    if (cols.length === 0) {
      throw new ListFileError("NO_COLUMN", `no column for ${kind} (expected one of: ${LIST_HEADERS[kind].join(", ")}; found: ${first.cells.join(", ")})`, first.line);
    }
    if (cols.length > 1) throw new ListFileError("AMBIGUOUS_COLUMN", `more than one column for ${kind}`, first.line);
    col = cols[0]!;
    body = rows.filter((r) => r.line > first.line);
  } else if (first.cells.filter((c) => c.trim() !== "").length > 1) {
    throw new ListFileError("NO_COLUMN", `the first row must name the columns (e.g. ${LIST_HEADERS[kind].slice(0, 2).join(" / ")})`, first.line);
  }
  if (body.length > MAX_LIST_ROWS) throw new ListFileError("TOO_MANY_ROWS", `more than ${MAX_LIST_ROWS.toLocaleString("en")} rows`);
  return body.filter((r) => r.cells.some((c) => c.trim() !== "")).map((r) => ({ line: r.line, value: (r.cells[col] ?? "").trim() }));
}
