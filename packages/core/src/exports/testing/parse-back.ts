/**
 * Reading export files back, for tests and the benchmark: CSV with csv-parse, XLSX with a small
 * reader of its own (below), so a million rows fit. Rows come back as arrays of string | number | null
 * (CSV cells are text; empty cells are null), and `digestRows` checksums them the same way
 * whatever the format, so a CSV and an XLSX of the same export give the same digest.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createInflateRaw } from "node:zlib";
import { parse } from "csv-parse";

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

/** Excel reads `_xHHHH_` in cell text as the character U+HHHH (ECMA-376 ST_Xstring). */
const unescapeX = (s: string) => s.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
const ENTITY: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const xmlUnescape = (s: string) =>
  unescapeX(s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => (e[0] === "#" ? String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENTITY[e] ?? m))));
const textOf = (xml: string) => [...xml.matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>|<t\b[^>]*\/>/g)].map((m) => xmlUnescape(m[1] ?? "")).join("");

/**
 * A small XLSX reader of our own, independent of the writer under test and of exceljs (whose
 * streaming reader decodes every inflated chunk on its own and garbles a CJK character split
 * between two chunks): the ZIP central directory, zlib's inflate, UTF-8 decoded across chunk
 * boundaries, then the cells of the first sheet, row by row.
 */
interface ZipEntry {
  deflated: boolean;
  data: Buffer;
}

function zipEntries(file: Buffer): Map<string, ZipEntry> {
  let eocd = file.length - 22;
  while (eocd >= 0 && file.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error("not a zip file");
  const count = file.readUInt16LE(eocd + 10);
  let p = file.readUInt32LE(eocd + 16);
  const out = new Map<string, ZipEntry>();
  for (let i = 0; i < count; i++) {
    const method = file.readUInt16LE(p + 10);
    const size = file.readUInt32LE(p + 20);
    const nameLen = file.readUInt16LE(p + 28);
    const extraLen = file.readUInt16LE(p + 30);
    const commentLen = file.readUInt16LE(p + 32);
    const local = file.readUInt32LE(p + 42);
    const name = file.toString("utf8", p + 46, p + 46 + nameLen);
    const start = local + 30 + file.readUInt16LE(local + 26) + file.readUInt16LE(local + 28);
    if (method !== 0 && method !== 8) throw new Error(`zip method ${method}`);
    out.set(name, { deflated: method === 8, data: file.subarray(start, start + size) });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

async function* xmlText(entry: ZipEntry): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  const chunks = entry.deflated ? (Readable.from([entry.data]).pipe(createInflateRaw()) as AsyncIterable<Buffer>) : [entry.data];
  for await (const chunk of chunks) yield decoder.write(chunk);
  yield decoder.end();
}

function cellValue(attrs: string, body: string, shared: string[]): ParsedCell {
  const type = /\bt="(\w+)"/.exec(attrs)?.[1] ?? "n";
  if (type === "inlineStr") return textOf(body);
  const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
  if (v === undefined) return null;
  if (type === "s") return shared[Number(v)] ?? null;
  if (type === "str" || type === "b") return xmlUnescape(v);
  return Number(v);
}

const columnIndex = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;

export async function* xlsxRows(path: string): AsyncGenerator<ParsedCell[]> {
  const entries = zipEntries(await readFile(path));
  const shared: string[] = [];
  const sst = entries.get("xl/sharedStrings.xml");
  if (sst) {
    let xml = "";
    for await (const t of xmlText(sst)) xml += t;
    for (const m of xml.matchAll(/<si>([\s\S]*?)<\/si>/g)) shared.push(textOf(m[1]!));
  }
  const sheet = entries.get("xl/worksheets/sheet1.xml");
  if (!sheet) throw new Error("no xl/worksheets/sheet1.xml");
  let pending = "";
  let expected = 1;
  for await (const t of xmlText(sheet)) {
    pending += t;
    const last = pending.lastIndexOf("</row>");
    if (last < 0) continue;
    const complete = pending.slice(0, last + 6);
    pending = pending.slice(last + 6);
    for (const row of complete.matchAll(/<row\b([^>]*)>([\s\S]*?)<\/row>/g)) {
      const number = Number(/\br="(\d+)"/.exec(row[1]!)?.[1] ?? expected);
      for (; expected < number; expected++) yield [];
      const cells: ParsedCell[] = [];
      let next = 0;
      for (const c of row[2]!.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const ref = /\br="([A-Z]+)\d+"/.exec(c[1]!);
        const col = ref ? columnIndex(ref[1]!) : next;
        while (cells.length < col) cells.push(null);
        cells[col] = cellValue(c[1]!, c[2] ?? "", shared);
        next = col + 1;
      }
      yield cells;
      expected = number + 1;
    }
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
