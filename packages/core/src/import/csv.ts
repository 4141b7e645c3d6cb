/**
 * Streaming CSV reading for imports. The file may be UTF-8 (with or without a BOM) or, as files
 * exported by Excel on a Chinese Windows often are, GB18030/GBK: invalid UTF-8 is read as
 * GB18030. The first record is the header (field keys, or the dictionary's Chinese or English
 * labels); every later record is yielded with the line it starts on (the header is line 1).
 *
 * Structural problems are reported per record and reading goes on, so one upload shows every bad
 * line: a wrong column count is simply reported; a quoting error leaves a CSV parser unsure where
 * the next record starts, so reading resumes with a fresh parser at the line after the bad one.
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
/** Restarts after quoting errors; past this the rest of a badly broken file is not examined. */
const MAX_RESYNCS = 200;

export interface CsvReadOptions {
  onIssue(issue: RowIssue): void;
  /** Fraction of the file read so far, 0..1. */
  onProgress?(fraction: number): void;
}

export function decodeCsv(content: Uint8Array): string {
  const encoding = isUtf8(content) ? "utf-8" : "gb18030";
  return new TextDecoder(encoding).decode(content);
}

function* chunks(text: string, from: number): Generator<string> {
  for (let i = from; i < text.length; i += CHUNK_CHARS) yield text.slice(i, i + CHUNK_CHARS);
}

/** Char offset just after the `lines`-th line feed from `from` (text.length when there are fewer). */
function offsetAfterLines(text: string, from: number, lines: number): number {
  let pos = from;
  for (let i = 0; i < lines; i++) {
    const nl = text.indexOf("\n", pos);
    if (nl < 0) return text.length;
    pos = nl + 1;
  }
  return pos;
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

interface ParsedRecord {
  cells: string[];
  /** Line (relative to the segment) where the record starts. */
  line: number;
}

/** Where a segment's parse stopped on a quoting error: report it here, resume on the next line. */
interface QuoteError {
  line: number;
}

/**
 * Parses from `offset` until the end, or until the first quoting error (returned). Records the
 * parser produced after that error belong to its confusion and are dropped.
 */
async function* parseSegment(
  text: string,
  offset: number,
  onProgress: ((fraction: number) => void) | undefined,
): AsyncGenerator<ParsedRecord, QuoteError | null> {
  // Where the last well-formed record ended, as the parser produced it (ahead of our reading).
  let parsedEnd = 0;
  const parser = parse({
    bom: offset === 0,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    on_record: (record, context) => {
      parsedEnd = context.lines;
      return record;
    },
  });
  // Set from the parser's callbacks (a holder, so the type is not narrowed away in the loop).
  const state: { quoteError: QuoteError | null } = { quoteError: null };
  // The parser notices a misplaced quote only where its confusion ends (a closing quote followed
  // by text, often lines later, or the end of the file): the bad record started right after the
  // last good one.
  const onError = () => {
    state.quoteError ??= { line: parsedEnd + 1 };
  };
  parser.on("skip", onError);
  Readable.from(chunks(text, offset)).pipe(parser);
  let sinceProgress = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (state.quoteError && info.lines >= state.quoteError.line) break;
      // `info.lines` is where the record ends; a quoted field may span lines.
      const embedded = record.reduce((n, v) => n + (v.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
      yield { cells: record, line: info.lines - embedded };
      if (onProgress && ++sinceProgress >= 1000) {
        sinceProgress = 0;
        onProgress(Math.min((offset + parser.info.bytes) / Math.max(text.length, 1), 1));
      }
    }
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    onError();
  } finally {
    parser.destroy();
  }
  return state.quoteError;
}

/**
 * Yields the data records of a CSV import file as field-keyed rows. Yields nothing when the
 * header is wrong (its issues say why: rows read against a wrong header would only add noise).
 */
export async function* readCsvRows(kind: ImportKind, content: Uint8Array, opts: CsvReadOptions): AsyncGenerator<SourceRow> {
  const text = decodeCsv(content);
  let header: string[] | undefined;
  let records = 0;
  let offset = 0;
  let lineBase = 0; // absolute line number = lineBase + line within the segment
  for (let resyncs = 0; offset < text.length && resyncs <= MAX_RESYNCS; resyncs++) {
    const segment = parseSegment(text, offset, opts.onProgress);
    let step = await segment.next();
    for (; !step.done; step = await segment.next()) {
      const { cells, line } = step.value;
      if (header === undefined) {
        const keys = readHeader(kind, cells, opts.onIssue);
        if (!keys) return;
        header = keys;
        continue;
      }
      records++;
      if (cells.length !== header.length) {
        opts.onIssue({ line: lineBase + line, field: null, code: "CSV_WRONG_COLUMN_COUNT", params: { expected: header.length, got: cells.length } });
        continue;
      }
      const values: Record<string, string> = {};
      header.forEach((key, i) => (values[key] = cells[i] ?? ""));
      yield { line: lineBase + line, values };
    }
    const quoteError = step.value;
    if (!quoteError) break;
    records++;
    opts.onIssue({ line: lineBase + quoteError.line, field: null, code: "CSV_BAD_QUOTES" });
    offset = offsetAfterLines(text, offset, quoteError.line);
    lineBase += quoteError.line;
  }
  if (records === 0) opts.onIssue({ line: 1, field: null, code: "EMPTY_FILE" });
}
