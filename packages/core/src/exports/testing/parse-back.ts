/**
 * Reading export files back, for tests and the benchmark: CSV with csv-parse, XLSX with exceljs
 * (streaming reader, so a million rows fit). Rows come back as arrays of string | number | null
 * (CSV cells are text; empty cells are null), and `digestRows` checksums them the same way
 * whatever the format, so a CSV and an XLSX of the same export give the same digest.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { parse } from "csv-parse";
import ExcelJS from "exceljs";

export type ParsedCell = string | number | null;

export async function hasUtf8Bom(path: string): Promise<boolean> {
  const f = await open(path, "r");
  try {
    const { buffer, bytesRead } = await f.read(Buffer.alloc(3), 0, 3, 0);
    return bytesRead === 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  } finally {
    await f.close();
  }
}

export async function* csvRows(path: string): AsyncGenerator<ParsedCell[]> {
  const parser = createReadStream(path).pipe(parse({ bom: true, relax_column_count: false }));
  for await (const record of parser as AsyncIterable<string[]>) yield record.map((c) => (c === "" ? null : c));
}

/** Excel reads `_xHHHH_` in cell text as the character U+HHHH (ECMA-376 ST_Xstring); exceljs does not. */
const unescapeX = (s: string) => s.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

function cellValue(v: ExcelJS.CellValue): ParsedCell {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return v;
  if (typeof v === "string") return unescapeX(v);
  if (typeof v === "object" && "richText" in v) return unescapeX(v.richText.map((r) => r.text).join(""));
  if (typeof v === "object" && "text" in v && typeof v.text === "string") return unescapeX(v.text);
  return String(v);
}

export async function* xlsxRows(path: string): AsyncGenerator<ParsedCell[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: "cache", styles: "ignore", hyperlinks: "ignore", worksheets: "emit", entries: "emit" });
  for await (const sheet of reader) {
    let expected = 1;
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      // Empty rows are not emitted: keep positions honest.
      for (; expected < row.number; expected++) yield [];
      const values = row.values as ExcelJS.CellValue[];
      yield values.slice(1).map(cellValue);
      expected = row.number + 1;
    }
    return;
  }
}

export async function readRows(path: string, format: "CSV" | "XLSX"): Promise<ParsedCell[][]> {
  const out: ParsedCell[][] = [];
  for await (const r of format === "CSV" ? csvRows(path) : xlsxRows(path)) out.push(r);
  return out;
}

/** SHA-256 over rows, numbers as their shortest text, trailing empty cells dropped. */
export async function digestRows(rows: AsyncIterable<ParsedCell[]> | Iterable<ParsedCell[]>): Promise<{ digest: string; rows: number }> {
  const hash = createHash("sha256");
  let n = 0;
  for await (const r of rows) {
    let end = r.length;
    while (end > 0 && (r[end - 1] === null || r[end - 1] === undefined)) end--;
    hash.update(r.slice(0, end).map((c) => (c === null || c === undefined ? "" : String(c))).join("\u0001"));
    hash.update("\u0002");
    n++;
  }
  return { digest: hash.digest("hex"), rows: n };
}
