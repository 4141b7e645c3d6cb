/**
 * PostgreSQL's binary COPY format, the parts tag storage needs: a streaming tuple reader, a tuple
 * writer, and one-dimensional arrays of bool / int2 / float8 / date / text. Binary COPY moves a
 * million-element array as one field without printing or parsing a single number as text.
 * Format: https://www.postgresql.org/docs/current/sql-copy.html (Binary Format) and array_recv.
 */
import type { Readable, Writable } from "node:stream";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";

export const COPY_SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

/** Element type OIDs (pg_type) of the arrays we write. */
export const OID = { bool: 16, int2: 21, int4: 23, text: 25, float8: 701, date: 1082 } as const;

/** Days between 1970-01-01 (our epoch day 0) and 2000-01-01 (PostgreSQL's date 0). */
const PG_DATE_EPOCH_OFFSET = 10957;

export type TupleHandler = (buf: Buffer, starts: Int32Array, lengths: Int32Array) => void;

/**
 * Reads a `COPY … TO STDOUT (FORMAT binary)` stream, calling `onTuple` with the buffer and the start
 * and length of each field (length -1 = NULL). The buffer is only valid during the call.
 */
export async function readCopyBinary(stream: Readable, onTuple: TupleHandler): Promise<number> {
  let pending: Buffer = Buffer.alloc(0);
  let headerDone = false;
  let tuples = 0;
  let starts = new Int32Array(16);
  let lengths = new Int32Array(16);
  let finished = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let pos = 0;
    if (!headerDone) {
      if (buf.length < 19) {
        pending = buf;
        continue;
      }
      if (!buf.subarray(0, 11).equals(COPY_SIGNATURE)) throw new Error("not a binary COPY stream");
      pos = 19 + buf.readInt32BE(15); // flags (4) + header extension length (4) + extension
      headerDone = true;
    }
    for (;;) {
      if (buf.length - pos < 2) break;
      // Bytes read directly rather than with the bounds-checked readInt*BE: tens of millions of fields a run.
      const nfields = ((buf[pos]! << 24) >> 16) | buf[pos + 1]!;
      if (nfields === -1) {
        finished = true;
        pos += 2;
        break;
      }
      if (nfields > starts.length) {
        starts = new Int32Array(nfields);
        lengths = new Int32Array(nfields);
      }
      let p = pos + 2;
      let complete = true;
      for (let f = 0; f < nfields; f++) {
        if (buf.length - p < 4) {
          complete = false;
          break;
        }
        const len = (buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!;
        p += 4;
        if (len >= 0) {
          if (buf.length - p < len) {
            complete = false;
            break;
          }
          starts[f] = p;
          p += len;
        } else starts[f] = -1;
        lengths[f] = len;
      }
      if (!complete) break;
      onTuple(buf, starts, lengths);
      tuples++;
      pos = p;
    }
    pending = pos < buf.length ? Buffer.from(buf.subarray(pos)) : Buffer.alloc(0);
  }
  if (!finished) throw new Error("binary COPY stream ended without its trailer");
  return tuples;
}

/** Streams the rows of `COPY (<select>) TO STDOUT (FORMAT binary)` to `onTuple`; returns the row count. */
export function copyOut(client: pg.ClientBase, select: string, onTuple: TupleHandler): Promise<number> {
  return readCopyBinary(client.query(copyTo(`COPY (${select}) TO STDOUT (FORMAT binary)`)), onTuple);
}

/**
 * A field written in pieces: its length up front, then small buffers. A million-element column
 * is 5–12 MB encoded; writing it in 64 KB pieces keeps the encoder in memory the allocator
 * reuses instead of fresh pages for every column (on a host whose free memory is handed back to
 * the hypervisor, first-touching a page costs tens of microseconds).
 */
export interface StreamedField {
  length: number;
  pieces(): Iterable<Buffer>;
}

const PIECE = 64 * 1024;

/** Writes tuples of a binary COPY … FROM STDIN, respecting back-pressure. */
export class CopyBinaryWriter {
  constructor(private readonly out: Writable) {}

  async start(): Promise<void> {
    const h = Buffer.alloc(19);
    COPY_SIGNATURE.copy(h, 0);
    await this.write(h);
  }

  /** Fields already encoded in binary, or streamed in pieces (null = SQL NULL). */
  async tuple(fields: (Buffer | StreamedField | null)[]): Promise<void> {
    const head = Buffer.alloc(2);
    head.writeInt16BE(fields.length);
    await this.write(head);
    for (const f of fields) {
      const len = Buffer.alloc(4);
      len.writeInt32BE(f ? f.length : -1);
      await this.write(len);
      if (f === null) continue;
      if (Buffer.isBuffer(f)) await this.write(f);
      else for (const piece of f.pieces()) await this.write(piece);
    }
  }

  async end(): Promise<void> {
    const t = Buffer.alloc(2);
    t.writeInt16BE(-1);
    await new Promise<void>((resolve, reject) => {
      this.out.once("error", reject);
      this.out.once("finish", () => resolve());
      this.out.end(t);
    });
  }

  private write(b: Buffer): Promise<void> {
    if (this.out.write(b)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.out.once("error", onError);
      this.out.once("drain", () => {
        this.out.off("error", onError);
        resolve();
      });
    });
  }
}

export const int4Field = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
};
export const textField = (s: string): Buffer => Buffer.from(s, "utf8");

function arrayHeader(dv: DataView, oid: number, n: number, hasNull: boolean): void {
  dv.setInt32(0, 1); // ndim
  dv.setInt32(4, hasNull ? 1 : 0);
  dv.setInt32(8, oid);
  dv.setInt32(12, n); // dimension length
  dv.setInt32(16, 1); // lower bound: element 1 is customer 1
}

/**
 * Encodes `values[1..n-1]` (index 0 is unused: customer ids start at 1) as a binary array whose
 * element k is customer k, streamed in pieces. `isNull(i)` and `put(dv, offset, i)` describe the
 * element type.
 */
function encodeArray(oid: number, size: number, n: number, isNull: (i: number) => boolean, put: (dv: DataView, off: number, i: number) => void): StreamedField {
  const count = Math.max(n - 1, 0);
  let nulls = 0;
  for (let i = 1; i < n; i++) if (isNull(i)) nulls++;
  const length = 20 + count * 4 + (count - nulls) * size;
  return {
    length,
    *pieces() {
      let buf = Buffer.allocUnsafe(Math.min(PIECE, length));
      let dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
      arrayHeader(dv, oid, count, nulls > 0);
      let off = 20;
      let left = length - 20;
      for (let i = 1; i < n; i++) {
        if (buf.length - off < 4 + size) {
          yield buf.subarray(0, off);
          buf = Buffer.allocUnsafe(Math.min(PIECE, left));
          dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
          off = 0;
        }
        if (isNull(i)) {
          dv.setInt32(off, -1);
          off += 4;
          left -= 4;
        } else {
          dv.setInt32(off, size);
          put(dv, off + 4, i);
          off += 4 + size;
          left -= 4 + size;
        }
      }
      yield buf.subarray(0, off);
    },
  };
}

export const BOOL_NULL = 255;
export const CODE_NULL = -1;

export function encodeBoolArray(v: Uint8Array): StreamedField {
  return encodeArray(OID.bool, 1, v.length, (i) => v[i] === BOOL_NULL, (dv, o, i) => dv.setUint8(o, v[i]!));
}
export function encodeInt2Array(v: Int16Array): StreamedField {
  return encodeArray(OID.int2, 2, v.length, (i) => v[i]! < 0, (dv, o, i) => dv.setInt16(o, v[i]!));
}
export function encodeFloat8Array(v: Float64Array): StreamedField {
  return encodeArray(OID.float8, 8, v.length, (i) => v[i] !== v[i], (dv, o, i) => dv.setFloat64(o, v[i]!));
}
/** Dates as days since 1970-01-01 (whole numbers; NaN = NULL). */
export function encodeDateArray(v: Float64Array): StreamedField {
  return encodeArray(OID.date, 4, v.length, (i) => v[i] !== v[i], (dv, o, i) => dv.setInt32(o, v[i]! - PG_DATE_EPOCH_OFFSET));
}
export function encodeTextArray(v: (string | null)[]): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(20);
  let hasNull = false;
  for (let i = 1; i < v.length; i++) {
    const s = v[i];
    const len = Buffer.alloc(4);
    if (s == null) {
      len.writeInt32BE(-1);
      parts.push(len);
      hasNull = true;
    } else {
      const b = Buffer.from(s, "utf8");
      len.writeInt32BE(b.length);
      parts.push(len, b);
    }
  }
  arrayHeader(new DataView(head.buffer, head.byteOffset, 20), OID.text, Math.max(v.length - 1, 0), hasNull);
  return Buffer.concat([head, ...parts]);
}

interface ArrayView {
  n: number;
  /** Calls `each(index, start, length)` per element; index 1 is customer 1. */
  forEach(each: (i: number, start: number, len: number) => void): void;
}

/** Reads the header of a binary one-dimensional array field starting at `start`. */
export function arrayView(buf: Buffer, start: number): ArrayView {
  const ndim = buf.readInt32BE(start);
  if (ndim === 0) return { n: 0, forEach: () => undefined };
  if (ndim !== 1) throw new Error(`expected a one-dimensional array, got ${ndim} dimensions`);
  const n = buf.readInt32BE(start + 12);
  const lbound = buf.readInt32BE(start + 16);
  return {
    n,
    forEach(each) {
      let p = start + 20;
      for (let k = 0; k < n; k++) {
        const len = buf.readInt32BE(p);
        p += 4;
        each(lbound + k, p, len);
        if (len > 0) p += len;
      }
    },
  };
}

/** Decodes array fields into typed arrays of length `size` (customer id = index; rest missing). */
export function decodeBoolArray(buf: Buffer, start: number, size: number): Uint8Array {
  const out = new Uint8Array(size).fill(BOOL_NULL);
  arrayView(buf, start).forEach((i, p, len) => {
    if (len >= 0 && i < size) out[i] = buf[p]!;
  });
  return out;
}
export function decodeInt2Array(buf: Buffer, start: number, size: number): Int16Array {
  const out = new Int16Array(size).fill(CODE_NULL);
  arrayView(buf, start).forEach((i, p, len) => {
    if (len >= 0 && i < size) out[i] = buf.readInt16BE(p);
  });
  return out;
}
export function decodeFloat8Array(buf: Buffer, start: number, size: number): Float64Array {
  const out = new Float64Array(size).fill(NaN);
  arrayView(buf, start).forEach((i, p, len) => {
    if (len >= 0 && i < size) out[i] = buf.readDoubleBE(p);
  });
  return out;
}
export function decodeDateArray(buf: Buffer, start: number, size: number): Float64Array {
  const out = new Float64Array(size).fill(NaN);
  arrayView(buf, start).forEach((i, p, len) => {
    if (len >= 0 && i < size) out[i] = buf.readInt32BE(p) + PG_DATE_EPOCH_OFFSET;
  });
  return out;
}
export function decodeTextArray(buf: Buffer, start: number, size: number): (string | null)[] {
  const out: (string | null)[] = new Array<string | null>(size).fill(null);
  arrayView(buf, start).forEach((i, p, len) => {
    if (len >= 0 && i < size) out[i] = buf.toString("utf8", p, p + len);
  });
  return out;
}
