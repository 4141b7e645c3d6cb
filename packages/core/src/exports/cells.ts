/**
 * Cell values of an export and their protection. A cell is a string, a finite number or empty.
 * Text that a spreadsheet would read as a formula or a control sequence — starting with
 * `=`, `+`, `-`, `@`, a tab or a carriage return — is neutralised with a leading apostrophe
 * (OWASP "CSV injection"); numbers are written as numbers and never altered.
 */
import type { Column } from "@mkt/db/tags/columns";
export type Cell = string | number | null;

const FORMULA_START = new Set(["=", "+", "-", "@", "\t", "\r"]);

export function neutralise(text: string): string {
  return text.length > 0 && FORMULA_START.has(text[0]!) ? `'${text}` : text;
}

/** A text cell: neutralised; empty text is an empty cell. */
export function textCell(value: string | null | undefined): Cell {
  return value == null || value === "" ? null : neutralise(value);
}

/** A number cell: non-finite values (missing tag values are NaN) are empty. */
export function numberCell(value: number | null | undefined): Cell {
  return value == null || !Number.isFinite(value) ? null : value;
}

const DAY_MS = 86_400_000;

/** Element i of a tag column as a cell (no column: empty). */
export function tagCell(column: Column | undefined, i: number): Cell {
  switch (column?.type) {
    case undefined:
      return null;
    case "num":
      return numberCell(column.data[i]);
    case "label": {
      const code = column.data[i] ?? -1;
      return code < 0 ? null : textCell(column.dict[code]);
    }
    case "bool": {
      const v = column.data[i];
      return v === 1 ? "true" : v === 0 ? "false" : null;
    }
    case "date": {
      const d = column.data[i] ?? NaN;
      return Number.isFinite(d) ? new Date(d * DAY_MS).toISOString().slice(0, 10) : null;
    }
    case "text":
      return textCell(column.data[i]);
  }
}

const CSV_QUOTE = /[",\r\n]/;

/** One CSV field (RFC 4180): quoted when it holds a quote, comma or line break. */
export function csvField(cell: Cell): string {
  if (cell === null) return "";
  if (typeof cell === "number") return String(cell);
  return CSV_QUOTE.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

// XML 1.0 forbids most C0 controls and lone surrogates; they are dropped. A CR would be read
// back as LF (end-of-line normalisation), so it is written as a character reference. Text that
// looks like Excel's own escape `_xHHHH_` gets its underscore escaped so it reads back verbatim.
// eslint-disable-next-line no-control-regex
const XML_SPECIAL = /[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|_(?=x[0-9a-fA-F]{4}_)/g;
const XML_REPLACE: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;", _: "_x005F_" };

export function xmlText(text: string): string {
  return text.replace(XML_SPECIAL, (ch) => XML_REPLACE[ch] ?? "");
}
