/**
 * The byte path of an export: rows are written as UTF-8 bytes straight from the binary COPY
 * buffer into large output buffers — no string per cell, no string concatenation per row. Each
 * column is compiled once into a small writer. A cell takes the fast path when its bytes can be
 * copied (or masked) verbatim: nothing to quote or escape, no formula start, no edge whitespace
 * (see `plain`). Everything else — rare by construction — takes the slow path: the bytes are
 * decoded and go through the same functions as ever (`mask`, `textCell`, `csvField`, `xmlText`),
 * so both paths write identical bytes for identical input (tests compare them cell by cell).
 */
import { csvField, xmlText, type Cell } from "./cells";

/** Output buffer size: one of these is handed to the output stream at a time. */
export const OUT_CHUNK = 1 << 20;

/**
 * An append-only byte buffer. Filled parts are handed out by `take()` as views and never written
 * again (the next bytes go after them, or into a fresh buffer), so the consumer may hold them.
 */
export class ByteOut {
  buf: Buffer = Buffer.allocUnsafe(OUT_CHUNK);
  pos = 0;
  private start = 0;
  private ready: Buffer[] = [];
  /** Bytes written and not yet taken. */
  get pending(): number {
    let n = this.pos - this.start;
    for (const b of this.ready) n += b.length;
    return n;
  }

  /** Output buffers given back by `recycle`, filled again before new ones are allocated. */
  private readonly spare: Buffer[] = [];

  /** Makes room for `n` more bytes. */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    if (this.pos > this.start) this.ready.push(this.buf.subarray(this.start, this.pos));
    this.buf = n <= OUT_CHUNK && this.spare.length ? this.spare.pop()! : Buffer.allocUnsafe(Math.max(OUT_CHUNK, n));
    this.pos = this.start = 0;
  }

  /**
   * Gives back a buffer `take` handed out, once its consumer is done with its bytes: a whole
   * output buffer is reused (fewer dead 1 MB buffers waiting for the garbage collector).
   */
  recycle(b: Buffer): void {
    if (b.byteOffset === 0 && b.buffer.byteLength === OUT_CHUNK && this.spare.length < 4) this.spare.push(Buffer.from(b.buffer, 0, OUT_CHUNK));
  }

  /** Filled buffers only (`all` = false: the one being filled stays), or everything written. */
  take(all = true): Buffer[] {
    if (all && this.pos > this.start) {
      this.ready.push(this.buf.subarray(this.start, this.pos));
      this.start = this.pos;
    }
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /** Copies src[s, e) (room already made). */
  bytes(src: Buffer | Uint8Array, s: number, e: number): void {
    const b = this.buf;
    let p = this.pos;
    if (e - s > 48) {
      (src as Buffer).copy(b, p, s, e);
      p += e - s;
    } else for (let i = s; i < e; i++) b[p++] = src[i]!;
    this.pos = p;
  }

  stars(n: number): void {
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = 0x2a;
    this.pos = p;
  }

  /** ASCII-only text (room already made). */
  ascii(s: string): void {
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Any text, UTF-8 (makes its own room). */
  utf8(s: string): void {
    this.room(s.length * 3);
    this.pos += this.buf.write(s, this.pos, "utf8");
  }

  /** A non-negative integer below 1e12 in decimal (room already made). */
  uint(n: number): void {
    let digits = 1;
    for (let p = 10; p <= n && digits < 12; p *= 10) digits++;
    let p = this.pos + digits;
    this.pos = p;
    do {
      this.buf[--p] = 48 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
  }

  /**
   * A number as `String(v)` writes it. Amounts (at most 2 decimals, below 1e11) are written
   * digit by digit: for them the shortest round-trip form is exactly the decimal of v × 100.
   */
  number(v: number): void {
    this.room(32);
    const c = Math.round(v * 100);
    if (c / 100 === v && v < 1e11 && v > -1e11) {
      let n = c;
      if (n < 0) {
        this.buf[this.pos++] = 0x2d;
        n = -n;
      }
      const frac = n % 100;
      this.uint((n - frac) / 100);
      if (frac !== 0) {
        const b = this.buf;
        b[this.pos++] = 0x2e;
        b[this.pos++] = 48 + Math.floor(frac / 10);
        if (frac % 10 !== 0) b[this.pos++] = 48 + (frac % 10);
      }
      return;
    }
    this.ascii(String(v));
  }
}

// ───────────────────────────── which bytes may be copied verbatim ─────────────────────────────

/** First bytes that make text a formula or control sequence (neutralised on the slow path). */
const FORMULA = table([0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d]);
/** Bytes CSV must quote. */
const CSV_SPECIAL = table([0x22, 0x2c, 0x0d, 0x0a]);
/**
 * Bytes XML must escape or drop (`& < >`, CR, C0 controls but tab and LF), `_` (Excel's
 * `_xHHHH_`), and 0xEF, the lead byte of U+FFFE / U+FFFF (dropped) and of U+FEFF (whitespace).
 */
const XML_SPECIAL = table([0x26, 0x3c, 0x3e, 0x0d, 0x5f, 0xef, ...range(0x00, 0x08), 0x0b, 0x0c, ...range(0x0e, 0x1f)]);
/**
 * Lead bytes of characters JavaScript's `\s` / `trim()` may treat as whitespace: ASCII
 * whitespace, and the lead bytes of U+00A0, U+1680, U+2000–U+205F, U+3000 and U+FEFF (with some
 * innocent neighbours, which merely take the slow path).
 */
const EDGE = table([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xc2, 0xe1, 0xe2, 0xe3, 0xef]);

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_v, i) => a + i);
}
function table(bytes: number[]): Uint8Array {
  const t = new Uint8Array(256);
  for (const b of bytes) t[b] = 1;
  return t;
}

/** The lead byte of the last UTF-8 character of src[s, e) (e > s). */
function lastLead(src: Buffer, s: number, e: number): number {
  let i = e - 1;
  while (i > s && (src[i]! & 0xc0) === 0x80) i--;
  return src[i]!;
}

const isAlnum = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);

function allAlnum(src: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (!isAlnum(src[i]!)) return false;
  return true;
}

// ─────────────────────────────────────────── formats ───────────────────────────────────────────

export type ExportFormat = "CSV" | "XLSX";

/**
 * One output format's cell syntax. A row is `startRow`, then each column's cell (or nothing for
 * an empty one), then `endRow`; a text cell is `openText` + its text bytes + `closeText`.
 */
export interface Encoder {
  readonly format: ExportFormat;
  /** Byte table: 1 = the byte cannot be copied into a text cell verbatim. */
  readonly special: Uint8Array;
  /** Whether leading / trailing whitespace matters (XLSX: xml:space). */
  readonly edges: boolean;
  startRow(o: ByteOut): void;
  endRow(o: ByteOut): void;
  /** Before column k (CSV: the separator). */
  column(o: ByteOut, k: number): void;
  openText(o: ByteOut, k: number): void;
  closeText(o: ByteOut): void;
  number(o: ByteOut, k: number, v: number): void;
  /** A number cell from its text as `ByteOut.number` writes it (src[s, e)). */
  numberText(o: ByteOut, k: number, src: Buffer, s: number, e: number): void;
  /** The slow path: any cell, through cells.ts. */
  cell(o: ByteOut, k: number, cell: Cell): void;
  /** A cell's bytes after its reference (XLSX) / its field (CSV), for values repeated often. */
  tail(cell: Cell): Buffer | null;
  /** Writes a `tail` for column k. */
  cached(o: ByteOut, k: number, tail: Buffer): void;
}

export class CsvEncoder implements Encoder {
  readonly format = "CSV";
  readonly special = CSV_SPECIAL;
  readonly edges = false;
  startRow(): void {}
  endRow(o: ByteOut): void {
    o.room(2);
    o.buf[o.pos++] = 0x0d;
    o.buf[o.pos++] = 0x0a;
  }
  column(o: ByteOut, k: number): void {
    if (k > 0) {
      o.room(1);
      o.buf[o.pos++] = 0x2c;
    }
  }
  openText(): void {}
  closeText(): void {}
  number(o: ByteOut, _k: number, v: number): void {
    o.number(v);
  }
  numberText(o: ByteOut, _k: number, src: Buffer, s: number, e: number): void {
    o.room(e - s);
    o.bytes(src, s, e);
  }
  cell(o: ByteOut, _k: number, cell: Cell): void {
    if (cell !== null) o.utf8(csvField(cell));
  }
  tail(cell: Cell): Buffer | null {
    return cell === null ? null : Buffer.from(csvField(cell), "utf8");
  }
  cached(o: ByteOut, _k: number, tail: Buffer): void {
    o.room(tail.length);
    o.bytes(tail, 0, tail.length);
  }
}

/** Excel's sheet limit, the header row included. */
export const XLSX_MAX_ROWS = 1_048_576;

function columnLetters(n: number): string {
  let s = "";
  for (let k = n + 1; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

const EDGE_SPACE = /^\s|\s$/;
const ascii = (s: string) => Buffer.from(s, "latin1");
const ROW_OPEN = ascii('<row r="');
const ROW_OPEN_END = ascii('">');
const ROW_CLOSE = ascii("</row>");
const TEXT_OPEN = ascii('" t="inlineStr"><is><t>');
const TEXT_CLOSE = ascii("</t></is></c>");
const NUM_OPEN = ascii('"><v>');
const NUM_CLOSE = ascii("</v></c>");

/**
 * XLSX worksheet cells: inline strings and numbers, every cell with its reference (optional in
 * ECMA-376, but readers such as exceljs's need it).
 */
export class XlsxEncoder implements Encoder {
  readonly format = "XLSX";
  readonly special = XML_SPECIAL;
  readonly edges = true;
  /** `<c r="B` per column. */
  private readonly refs: Buffer[];
  private readonly letters: string[];
  /** The current row number's digits. */
  private row = 0;
  private digits = Buffer.alloc(12);
  private digitsLen = 0;

  constructor(columns: number) {
    this.letters = Array.from({ length: columns }, (_v, i) => columnLetters(i));
    this.refs = this.letters.map((l) => ascii(`<c r="${l}`));
  }

  get rows(): number {
    return this.row;
  }

  startRow(o: ByteOut): void {
    if (this.row >= XLSX_MAX_ROWS) throw new Error(`XLSX holds at most ${XLSX_MAX_ROWS} rows; export CSV instead`);
    const r = ++this.row;
    const s = String(r);
    this.digitsLen = s.length;
    for (let i = 0; i < s.length; i++) this.digits[i] = s.charCodeAt(i);
    o.room(32);
    o.bytes(ROW_OPEN, 0, ROW_OPEN.length);
    o.bytes(this.digits, 0, this.digitsLen);
    o.bytes(ROW_OPEN_END, 0, ROW_OPEN_END.length);
  }
  endRow(o: ByteOut): void {
    o.room(ROW_CLOSE.length);
    o.bytes(ROW_CLOSE, 0, ROW_CLOSE.length);
  }
  column(): void {}
  private ref(o: ByteOut, k: number): void {
    const r = this.refs[k]!;
    o.room(r.length + this.digitsLen + 32);
    o.bytes(r, 0, r.length);
    o.bytes(this.digits, 0, this.digitsLen);
  }
  openText(o: ByteOut, k: number): void {
    this.ref(o, k);
    o.bytes(TEXT_OPEN, 0, TEXT_OPEN.length);
  }
  closeText(o: ByteOut): void {
    o.room(TEXT_CLOSE.length);
    o.bytes(TEXT_CLOSE, 0, TEXT_CLOSE.length);
  }
  number(o: ByteOut, k: number, v: number): void {
    this.ref(o, k);
    o.bytes(NUM_OPEN, 0, NUM_OPEN.length);
    o.number(v);
    o.room(NUM_CLOSE.length);
    o.bytes(NUM_CLOSE, 0, NUM_CLOSE.length);
  }
  numberText(o: ByteOut, k: number, src: Buffer, s: number, e: number): void {
    this.ref(o, k);
    o.bytes(NUM_OPEN, 0, NUM_OPEN.length);
    o.room(e - s + NUM_CLOSE.length);
    o.bytes(src, s, e);
    o.bytes(NUM_CLOSE, 0, NUM_CLOSE.length);
  }
  cell(o: ByteOut, k: number, cell: Cell, style = ""): void {
    if (cell === null || cell === undefined) return;
    this.ref(o, k);
    o.utf8(this.tailText(cell, style));
  }
  private tailText(v: string | number, style: string): string {
    return typeof v === "number" ? `"${style}><v>${v}</v></c>` : `"${style} t="inlineStr"><is><t${EDGE_SPACE.test(v) ? ' xml:space="preserve"' : ""}>${xmlText(v)}</t></is></c>`;
  }
  tail(cell: Cell): Buffer | null {
    return cell === null ? null : Buffer.from(this.tailText(cell, ""), "utf8");
  }
  cached(o: ByteOut, k: number, tail: Buffer): void {
    this.ref(o, k);
    o.room(tail.length);
    o.bytes(tail, 0, tail.length);
  }
  /** The header row: bold (style 1), text as given. */
  header(o: ByteOut, header: readonly string[]): void {
    this.startRow(o);
    for (let k = 0; k < header.length; k++) this.cell(o, k, header[k]!, ' s="1"');
    this.endRow(o);
  }
}

// ───────────────────────────────────── text cells from bytes ─────────────────────────────────────

/**
 * Whether src[s, e) can be written as a text cell verbatim: not empty, no formula start, no byte
 * the format escapes, and (XLSX) no whitespace at either end.
 */
export function plain(enc: Encoder, src: Buffer, s: number, e: number): boolean {
  if (e <= s || FORMULA[src[s]!]) return false;
  const special = enc.special;
  for (let i = s; i < e; i++) if (special[src[i]!]) return false;
  return !enc.edges || (!EDGE[src[s]!] && !EDGE[lastLead(src, s, e)]);
}

/** A text cell of bytes `plain` accepted. */
export function writePlain(enc: Encoder, o: ByteOut, k: number, src: Buffer, s: number, e: number): void {
  enc.openText(o, k);
  o.room(e - s);
  o.bytes(src, s, e);
  enc.closeText(o);
}

/**
 * Masked bytes, or false when the value needs the slow path. The fast forms are exactly what
 * `mask()` gives for them (auth/masking.ts):
 * - phone, all digits: first 3 + `*` + last 4 (7 digits or more), else all `*`;
 * - certificate no., letters and digits: ≤ 4 all `*`; < 12 first + `*` + last; else first 6 + `*` + last 4;
 * - card no., letters and digits: ≤ 4 all `*`, else `*` + last 4;
 * - name starting with a non-ASCII character and not ending in whitespace (CJK names): the first
 *   character, then one `*` per further character (code point).
 */
export type MaskedWriter = (enc: Encoder, o: ByteOut, k: number, src: Buffer, s: number, e: number) => boolean;

export const maskedWriters: Record<"name" | "phone" | "certNo" | "cardNo", MaskedWriter> = {
  phone(enc, o, k, src, s, e) {
    const n = e - s;
    if (n === 0) return false;
    for (let i = s; i < e; i++) {
      const b = src[i]!;
      if (b < 0x30 || b > 0x39) return false;
    }
    enc.openText(o, k);
    o.room(n);
    if (n < 7) o.stars(n);
    else {
      o.bytes(src, s, s + 3);
      o.stars(n - 7);
      o.bytes(src, e - 4, e);
    }
    enc.closeText(o);
    return true;
  },
  certNo(enc, o, k, src, s, e) {
    const n = e - s;
    if (n === 0 || !allAlnum(src, s, e)) return false;
    enc.openText(o, k);
    o.room(n);
    if (n <= 4) o.stars(n);
    else if (n < 12) {
      o.bytes(src, s, s + 1);
      o.stars(n - 2);
      o.bytes(src, e - 1, e);
    } else {
      o.bytes(src, s, s + 6);
      o.stars(n - 10);
      o.bytes(src, e - 4, e);
    }
    enc.closeText(o);
    return true;
  },
  cardNo(enc, o, k, src, s, e) {
    const n = e - s;
    if (n === 0 || !allAlnum(src, s, e)) return false;
    enc.openText(o, k);
    o.room(n);
    if (n <= 4) o.stars(n);
    else {
      o.stars(n - 4);
      o.bytes(src, e - 4, e);
    }
    enc.closeText(o);
    return true;
  },
  name(enc, o, k, src, s, e) {
    if (e <= s) return false;
    const first = src[s]!;
    // a multi-byte first character that is neither whitespace nor special in any format
    if (first < 0xc0 || EDGE[first] || first > 0xf4) return false;
    const last = src[e - 1]!;
    if (last < 0x80 ? EDGE[last] : EDGE[lastLead(src, s, e)]) return false;
    let chars = 0;
    for (let i = s; i < e; i++) if ((src[i]! & 0xc0) !== 0x80) chars++;
    enc.openText(o, k);
    o.room(e - s);
    if (chars === 1) o.stars(1);
    else {
      o.bytes(src, s, s + (first < 0xe0 ? 2 : first < 0xf0 ? 3 : 4));
      o.stars(chars - 1);
    }
    enc.closeText(o);
    return true;
  },
};

/**
 * Values keyed by short byte strings (org unit and staff ids), looked up without making a string
 * per row: an open-addressing table hashed on the length and the last 8 bytes (ids differ at
 * their end), then a byte comparison.
 */
export class BytesMap<V> {
  private readonly keys: Buffer[] = [];
  private readonly values: V[] = [];
  private table = new Int32Array(64).fill(-1);
  constructor(private readonly make: (key: string) => V) {}

  private static hash(src: Uint8Array, s: number, e: number): number {
    let h = e - s;
    for (let i = Math.max(s, e - 8); i < e; i++) h = (Math.imul(h, 0x01000193) ^ src[i]!) | 0;
    return (h ^ (h >>> 13)) | 0;
  }

  get(src: Buffer, s: number, e: number): V {
    const n = e - s;
    const table = this.table;
    const mask = table.length - 1;
    let slot = BytesMap.hash(src, s, e) & mask;
    for (let k = table[slot]!; k >= 0; k = table[slot]!) {
      const key = this.keys[k]!;
      if (key.length === n) {
        let i = 0;
        while (i < n && key[i] === src[s + i]) i++;
        if (i === n) return this.values[k]!;
      }
      slot = (slot + 1) & mask;
    }
    const key = Buffer.from(src.subarray(s, e));
    const value = this.make(key.toString("utf8"));
    this.keys.push(key);
    this.values.push(value);
    table[slot] = this.keys.length - 1;
    if (this.keys.length * 2 > table.length) this.rehash();
    return value;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2).fill(-1);
    const mask = table.length - 1;
    this.keys.forEach((key, k) => {
      let slot = BytesMap.hash(key, 0, key.length) & mask;
      while (table[slot]! >= 0) slot = (slot + 1) & mask;
      table[slot] = k;
    });
    this.table = table;
  }
}

export function createEncoder(format: ExportFormat, columns: number): CsvEncoder | XlsxEncoder {
  return format === "CSV" ? new CsvEncoder() : new XlsxEncoder(columns);
}
