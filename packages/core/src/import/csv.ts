/**
 * Streaming CSV reading for imports. The file may be UTF-8 (with or without a BOM) or, as files
 * exported by Excel on a Chinese Windows often are, GB18030/GBK: invalid UTF-8 is read as
 * GB18030. The first record is the header (field keys, or the dictionary's Chinese or English
 * labels); every later record is yielded with the line it starts on (the header is line 1).
 * Structural problems — wrong column count, bad quotes — are reported per record and parsing
 * goes on, so one upload shows every bad line. After a quoting error the parser resynchronises
 * at the next record delimiter, so the lines right after it may be reported too.
 */
import { isUtf8 } from "node:buffer";
import { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { DICTIONARY, headerIndex, type ImportKind } from "./dictionary";
import type { RowIssue } from "./issues";
import type { SourceRow } from "./source";

const CHUNK_CHARS = 256 * 1024;
/** A record longer than this is an unclosed quote swallowing the file, not data. */
const MAX_RECORD_CHARS = 1024 * 1024;

export interface CsvReadOptions {
  onIssue(issue: RowIssue): void;
  /** Fraction of the file read so far, 0..1. */
  onProgress?(fraction: number): void;
}

export function decodeCsv(content: Uint8Array): string {
  const encoding = isUtf8(content) ? "utf-8" : "gb18030";
  return new TextDecoder(encoding).decode(content);
}

function* chunks(text: string): Generator<string> {
  for (let i = 0; i < text.length; i += CHUNK_CHARS) yield text.slice(i, i + CHUNK_CHARS);
}

function structuralIssue(err: CsvError, line: number): RowIssue {
  if (err.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH") {
    const m = /expect (\d+), got (\d+)/.exec(err.message);
    return { line, field: null, code: "CSV_WRONG_COLUMN_COUNT", params: { expected: Number(m?.[1] ?? 0), got: Number(m?.[2] ?? 0) } };
  }
  if (/QUOTE/.test(err.code)) return { line, field: null, code: "CSV_BAD_QUOTES" };
  return { line, field: null, code: "CSV_MALFORMED" };
}

/** Maps header cells to field keys; reports unknown, repeated and missing required columns. */
function readHeader(kind: ImportKind, cells: string[], onIssue: (i: RowIssue) => void): string[] | null {
  const index = headerIndex(kind);
  const keys: string[] = [];
  let ok = true;
  for (const cell of cells) {
    const column = cell.replace(/^\ufeff/, "").trim();
    const key = index.get(column.toLowerCase());
    if (!key) {
      onIssue({ line: 1, field: null, code: "UNKNOWN_COLUMN", params: { column } });
      ok = false;
    } else if (keys.includes(key)) {
      onIssue({ line: 1, field: key, code: "DUPLICATE_COLUMN", params: { column } });
      ok = false;
    }
    keys.push(key ?? column);
  }
  for (const f of DICTIONARY[kind].fields) {
    if (f.required && f.default === undefined && !keys.includes(f.key)) {
      onIssue({ line: 1, field: f.key, code: "MISSING_COLUMN", params: { column: f.key } });
      ok = false;
    }
  }
  return ok ? keys : null;
}

/**
 * Yields the data records of a CSV import file as field-keyed rows. Yields nothing when the
 * header is wrong (its issues say why: rows read against a wrong header would only add noise).
 */
export async function* readCsvRows(kind: ImportKind, content: Uint8Array, opts: CsvReadOptions): AsyncGenerator<SourceRow> {
  const text = decodeCsv(content);
  const parser = parse({
    bom: true,
    info: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  let skipped = 0;
  let yielded = 0;
  parser.on("skip", (err: CsvError) => {
    skipped++;
    opts.onIssue(structuralIssue(err, Number(err.lines) || 1));
  });
  Readable.from(chunks(text)).pipe(parser);

  let header: string[] | undefined;
  let lastReported = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (header === undefined) {
        const keys = readHeader(kind, record, opts.onIssue);
        if (!keys) return;
        header = keys;
        continue;
      }
      // `info.lines` is where the record ends; a quoted field may span lines.
      const embedded = record.reduce((n, v) => n + (v.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
      const values: Record<string, string> = {};
      header.forEach((key, i) => (values[key] = record[i] ?? ""));
      yielded++;
      yield { line: info.lines - embedded, values };

      if (opts.onProgress && parser.info.records - lastReported >= 1000) {
        lastReported = parser.info.records;
        opts.onProgress(Math.min(parser.info.bytes / Math.max(text.length, 1), 1));
      }
    }
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    opts.onIssue(structuralIssue(err, Number(err.lines) || 1));
    return;
  }
  if (header === undefined || yielded + skipped === 0) opts.onIssue({ line: 1, field: null, code: "EMPTY_FILE" });
}
