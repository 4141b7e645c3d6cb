/**
 * The export cell store: every customer's masked export cells, built ahead of time and kept per
 * block of 4,096 customer ids, one binary value per block and field (`export_cell_block`; SQL in
 * @mkt/db/exports/cell-store). A masked export of a large segment then reads a few large values
 * per block and copies bytes, instead of having the server project nine columns per row and the
 * writer mask and check every cell again (packages/core/src/exports/stream-export.ts).
 *
 * What a cell holds is exactly what the row path derives from the same row for a masked export:
 * `textCell(mask(kind, value))` for personal data, `textCell(value)` for other text, the date's
 * text, and the raw id / org path for branch, RM and the scope check. So a cell written through
 * the store is byte for byte the cell the row path writes (tests compare whole files).
 *
 * Layout of one field's value: for each of the block's ids in order, a varint head
 * `length << 2 | flags` then the cell's UTF-8 bytes (length 0: an empty cell, or no customer).
 * Flags: `SLOW_CSV` — CSV must quote it; `SLOW_XLSX` — XML must escape it or its edge whitespace
 * must be kept (the writers' `plain` test, taken once when the block is built); `NUMBER` — a
 * number cell. The `row` field is a bitset of which ids are customers. Key fields are
 * dictionary-coded (`DICT_FIELDS`): a varint count D, D cells as above, then a varint code per id. The tags behind the
 * standard columns AUM and risk level are kept too (`tag:<CODE>`, values of the current tag run,
 * as the row path reads them): a new run makes those cells stale until the refresh rebuilds them.
 *
 * The store is derived and never authoritative: a block is used only while no change to its
 * customers has been recorded since it was built (triggers on the source tables,
 * prisma/sql/096_export_cell_store.sql); exports read other blocks row by row, and
 * `refreshCellStore` (a scheduled job) rebuilds them.
 */
import type pg from "pg";
import {
  CELL_BLOCK,
  CELL_BLOCK_BITS,
  ROW_FIELD,
  STORE_FIELDS,
  STORE_SNAPSHOT_SQL,
  STORE_TAG_CODES,
  staleBlocks,
  tagField,
  writeBlocks,
  type BuiltCells,
  type StoredField,
} from "@mkt/db/exports/cell-store";
import { copyRows, DATE_FIELDS, memberRowsSql, pgDateText } from "@mkt/db/exports/member-rows";
import { readTagColumns } from "@mkt/db/exports/tag-columns";
import type { Column } from "@mkt/db/tags/columns";
import { currentRunId } from "@mkt/db/tags/storage";
import { mask } from "../auth/masking";
import { tagCell, textCell } from "./cells";
import { FIELD_PII } from "./columns";
import { ByteOut, CsvEncoder, plain, XlsxEncoder } from "./encode";

export const SLOW_CSV = 1;
export const SLOW_XLSX = 2;
/** A number cell: its text as `ByteOut.number` writes it (never quoted or escaped). */
export const NUMBER = 4;
const FLAG_BITS = 3;
/** A head is `length << CELL_FLAG_BITS | flags`. */
export const CELL_FLAG_BITS = FLAG_BITS;

/**
 * Fields kept as their raw text (keys and the scope path), not as cells, and dictionary-coded: a
 * block's customers share a few dozen org units and RMs, so its value is the distinct values,
 * then a code per id (0: empty, k: the k-th value) — a writer resolves each distinct value once
 * per block instead of looking up every row's.
 */
export const DICT_FIELDS: ReadonlySet<StoredField> = new Set<StoredField>(["orgUnitId", "rmId", "orgPath"]);

const csv = new CsvEncoder();
const xlsx = new XlsxEncoder(1);

// ───────────────────────────────────────── building ─────────────────────────────────────────

/** One field's value of one block, being written. */
class FieldBytes {
  buf = Buffer.allocUnsafe(64 * 1024);
  pos = 0;
  /** Ids of the block written so far. */
  slots = 0;

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  varint(h: number): void {
    this.room(5);
    while (h > 0x7f) {
      this.buf[this.pos++] = (h & 0x7f) | 0x80;
      h >>>= 7;
    }
    this.buf[this.pos++] = h;
  }

  /** Empty cells up to slot `i`. */
  skipTo(i: number): void {
    this.room(i - this.slots);
    while (this.slots < i) {
      this.buf[this.pos++] = 0;
      this.slots++;
    }
  }

  /** Bytes as they are (no head). */
  raw(src: Buffer, s: number, e: number): void {
    this.room(e - s);
    src.copy(this.buf, this.pos, s, e);
    this.pos += e - s;
  }

  /** A cell from bytes (src[s, e)). */
  bytes(src: Buffer, s: number, e: number): void {
    const n = e - s;
    const flags = n === 0 ? 0 : (plain(csv, src, s, e) ? 0 : SLOW_CSV) | (plain(xlsx, src, s, e) ? 0 : SLOW_XLSX);
    this.varint((n << FLAG_BITS) | flags);
    this.room(n);
    src.copy(this.buf, this.pos, s, e);
    this.pos += n;
    this.slots++;
  }

  private static scratch: ByteOut | null = null;

  /** A number cell (written as the writers write numbers). */
  number(v: number): void {
    const o = (FieldBytes.scratch ??= new ByteOut());
    o.pos = 0;
    o.number(v);
    this.varint(((o.pos << FLAG_BITS) | NUMBER) >>> 0);
    this.room(o.pos);
    o.buf.copy(this.buf, this.pos, 0, o.pos);
    this.pos += o.pos;
    this.slots++;
  }

  /** A cell from text (null: empty). */
  text(t: string | null): void {
    if (t === null || t === "") {
      this.skipTo(this.slots + 1);
      return;
    }
    const b = Buffer.from(t, "utf8");
    this.bytes(b, 0, b.length);
  }

  done(): Buffer {
    this.skipTo(CELL_BLOCK);
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

/** A dictionary-coded field's value of one block, being written (`DICT_FIELDS`). */
class DictFieldBytes {
  private readonly values = new Map<string, number>();
  private readonly dict = new FieldBytes();
  private readonly codes = new Uint32Array(CELL_BLOCK);
  slots = 0;

  skipTo(i: number): void {
    this.slots = i;
  }

  bytes(src: Buffer, s: number, e: number): void {
    if (e > s) {
      const key = src.toString("latin1", s, e);
      let code = this.values.get(key);
      if (code === undefined) {
        this.values.set(key, (code = this.values.size + 1));
        this.dict.bytes(src, s, e);
      }
      this.codes[this.slots] = code;
    }
    this.slots++;
  }

  text(t: string | null): void {
    if (t === null) this.slots++;
    else {
      const b = Buffer.from(t, "utf8");
      this.bytes(b, 0, b.length);
    }
  }

  /** The count, the distinct values' cells, a code per id. */
  done(): Buffer {
    const body = new FieldBytes();
    body.varint(this.values.size);
    body.raw(this.dict.buf, 0, this.dict.pos);
    for (let i = 0; i < CELL_BLOCK; i++) body.varint(this.codes[i]!);
    return Buffer.from(body.buf.subarray(0, body.pos));
  }
}

/** The stored tags' columns over a window of ids from `base` (a column is missing when the run has no values for it). */
interface TagWindow {
  runId: number | null;
  base: number;
  columns: (Column | undefined)[];
}

/** Builds the cells of blocks (ascending) from the customer rows this snapshot sees and the tag window. */
async function buildBlocks(client: pg.ClientBase, blocks: readonly number[], tags: TagWindow): Promise<BuiltCells[]> {
  const out: BuiltCells[] = [];
  const fields = STORE_FIELDS;
  const tagFields = STORE_TAG_CODES.map(tagField);
  const days = new Map<number, string | null>();
  let block = -1;
  let rowBits = new Uint8Array(CELL_BLOCK / 8);
  const newValues = () => fields.map((f) => (DICT_FIELDS.has(f) ? new DictFieldBytes() : new FieldBytes()));
  let values = newValues();
  let tagValues = tagFields.map(() => new FieldBytes());
  const finish = () => {
    if (block < 0) return;
    out.push({ block, field: ROW_FIELD, runId: null, data: Buffer.from(rowBits) });
    fields.forEach((f, j) => out.push({ block, field: f, runId: null, data: values[j]!.done() }));
    tagFields.forEach((f, j) => out.push({ block, field: f, runId: tags.runId, data: tagValues[j]!.done() }));
  };
  const open = (b: number) => {
    finish();
    block = b;
    rowBits = new Uint8Array(CELL_BLOCK / 8);
    values = newValues();
    tagValues = tagFields.map(() => new FieldBytes());
  };
  // consecutive blocks are read with one COPY
  for (let i = 0; i < blocks.length; ) {
    let j = i;
    while (j + 1 < blocks.length && blocks[j + 1] === blocks[j]! + 1) j++;
    const lo = blocks[i]! << CELL_BLOCK_BITS;
    const hi = ((blocks[j]! + 1) << CELL_BLOCK_BITS) - 1;
    let next = i;
    await copyRows(
      client,
      memberRowsSql({ lo: Math.max(lo, 1), hi }, fields),
      fields.length,
      (id, buf, starts, lens) => {
        const b = id >>> CELL_BLOCK_BITS;
        while (b !== block) {
          // blocks without customers get empty values
          if (next > j) throw new Error(`customer ${id} is outside blocks ${blocks[i]}…${blocks[j]}`);
          open(blocks[next++]!);
        }
        const slot = id & (CELL_BLOCK - 1);
        rowBits[slot >> 3]! |= 1 << (slot & 7);
        for (let f = 0; f < fields.length; f++) {
          const field = fields[f]!;
          const v = values[f]!;
          v.skipTo(slot);
          const len = lens[f]!;
          const at = starts[f]!;
          if (DATE_FIELDS.has(field)) {
            if (len !== 4) v.text(null);
            else {
              const d = buf.readInt32BE(at);
              let t = days.get(d);
              if (t === undefined) days.set(d, (t = textCell(pgDateText(d)) as string | null));
              v.text(t);
            }
          } else if (len <= 0) v.text(null);
          else if (DICT_FIELDS.has(field)) v.bytes(buf, at, at + len);
          else {
            const text = buf.toString("utf8", at, at + len);
            const pii = FIELD_PII[field];
            v.text(textCell(pii ? mask(pii, text) : text) as string | null);
          }
        }
        for (let g = 0; g < tagFields.length; g++) {
          const v = tagValues[g]!;
          v.skipTo(slot);
          const cell = tagCell(tags.columns[g], id - tags.base);
          if (typeof cell === "number") v.number(cell);
          else v.text(cell);
        }
      },
      () => undefined,
    );
    while (next <= j) open(blocks[next++]!);
    i = j + 1;
  }
  finish();
  return out;
}

export interface RefreshOptions {
  /** Blocks rebuilt per transaction (default 16: 65,536 ids). */
  batch?: number;
  /** Rebuild at most this many blocks in one call (default: all stale ones). */
  max?: number;
  signal?: AbortSignal;
  onProgress?: (built: number, total: number) => Promise<void> | void;
}

/** Blocks per read of the stored tags' values (1M ids: 8 MB of a number tag). */
const TAG_WINDOW_BLOCKS = 256;

/** One refresh at a time, across processes (a session-level advisory lock). */
const REFRESH_LOCK = "hashtext('export_cell_store')";

/**
 * Rebuilds every block that is not current (never built, or changed since). Each batch reads the
 * rows, replaces its blocks and deletes the changes it saw, in one REPEATABLE READ transaction: a
 * change committed after its snapshot keeps its row, so a block built from older rows is never
 * taken for current. One refresh at a time: another waits for it. Returns the blocks rebuilt.
 */
export async function refreshCellStore(client: pg.ClientBase, opts: RefreshOptions = {}): Promise<{ blocks: number; stale: number }> {
  // a second refresh waits for the first, then finds only what is still stale
  await client.query(`SELECT pg_advisory_lock(${REFRESH_LOCK})`);
  try {
    const runId = await currentRunId(client);
    const tagIds = new Map(
      (await client.query<{ id: number; code: string }>("SELECT id, code FROM tag WHERE code = ANY($1::text[])", [STORE_TAG_CODES])).rows.map((t) => [t.code, t.id]),
    );
    const todo = await staleBlocks(client, opts.max ?? 2 ** 31 - 1, runId);
    const batch = opts.batch ?? 16;
    let built = 0;
    // tag values are read a window at a time (each read detoasts the run's arrays once)
    for (let w = 0; w < todo.length; ) {
      const first = todo[w]!;
      let end = w;
      while (end < todo.length && todo[end]! < first + TAG_WINDOW_BLOCKS) end++;
      const base = first << CELL_BLOCK_BITS;
      const ids = STORE_TAG_CODES.map((code) => tagIds.get(code)).filter((id): id is number => id !== undefined);
      const read = runId === null || ids.length === 0 ? new Map() : await readTagColumns(client, ids, TAG_WINDOW_BLOCKS << CELL_BLOCK_BITS, base, runId);
      const tags: TagWindow = { runId, base, columns: STORE_TAG_CODES.map((code) => read.get(tagIds.get(code) ?? -1)?.column) };
      for (let i = w; i < end; i += batch) {
        opts.signal?.throwIfAborted();
        const blocks = todo.slice(i, Math.min(i + batch, end));
        await client.query(STORE_SNAPSHOT_SQL);
        try {
          await writeBlocks(client, blocks, await buildBlocks(client, blocks, tags));
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw err;
        }
        built += blocks.length;
        await opts.onProgress?.(built, todo.length);
      }
      w = end;
    }
    return { blocks: built, stale: todo.length };
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${REFRESH_LOCK})`).catch(() => undefined);
  }
}

// ───────────────────────────────────────── reading ─────────────────────────────────────────

/** One field of the block being written: its bytes, and each id's cell start and head. */
export interface FieldCells {
  data: Buffer;
  starts: Int32Array;
  heads: Int32Array;
  /** Dictionary-coded fields: each id's code (0: empty), and the distinct values' starts and heads (entry 0: empty). */
  codes: Int32Array | null;
  dictSize: number;
  dictStarts: Int32Array;
  dictHeads: Int32Array;
}

/**
 * The cells of the block being read, for the requested fields (`fields[0]` is `row`): values are
 * copied out of the connection's buffer as they arrive and their heads decoded.
 */
export class CellBlock {
  block = -1;
  /** Counts the blocks read (a block read again by the next chunk counts again). */
  serial = 0;
  readonly rows = new Uint8Array(CELL_BLOCK / 8);
  readonly cells: FieldCells[];
  /** Fields of `block` received so far. */
  private received = 0;

  constructor(readonly fields: readonly StoredField[]) {
    if (fields[0] !== ROW_FIELD) throw new Error("the row field comes first");
    this.cells = fields.map((f) => {
      const dict = DICT_FIELDS.has(f);
      return {
        data: Buffer.alloc(0),
        starts: new Int32Array(CELL_BLOCK),
        heads: new Int32Array(CELL_BLOCK),
        codes: dict ? new Int32Array(CELL_BLOCK) : null,
        dictSize: 0,
        dictStarts: new Int32Array(dict ? CELL_BLOCK + 1 : 0),
        dictHeads: new Int32Array(dict ? CELL_BLOCK + 1 : 0),
      };
    });
  }

  /** Whether every field of the block has arrived. */
  get complete(): boolean {
    return this.received === this.fields.length;
  }

  accept(block: number, field: number, buf: Buffer, start: number, length: number): void {
    if (block !== this.block || this.complete) {
      // a new block (or the same one again, read by the next chunk)
      this.block = block;
      this.serial++;
      this.received = 0;
    }
    this.received++;
    if (field === 0) {
      if (length !== this.rows.length) throw new Error(`export cell block ${block}: bad row bitset`);
      buf.copy(this.rows, 0, start, start + length);
      return;
    }
    const c = this.cells[field]!;
    if (c.data.length < length) c.data = Buffer.allocUnsafe(Math.max(length, c.data.length * 2, 16 * 1024));
    buf.copy(c.data, 0, start, start + length);
    const d = c.data;
    const { starts, heads, codes } = c;
    let p = 0;
    /** A varint at p. */
    const next = () => {
      let b = d[p++]!;
      let v = b & 0x7f;
      for (let shift = 7; b & 0x80; shift += 7) {
        b = d[p++]!;
        v |= (b & 0x7f) << shift;
      }
      return v;
    };
    if (codes) {
      const { dictStarts, dictHeads } = c;
      const size = next();
      if (size > CELL_BLOCK) throw new Error(`export cell block ${block}: ${this.fields[field]} has ${size} values`);
      c.dictSize = size;
      for (let j = 1; j <= size; j++) {
        const h = next();
        dictHeads[j] = h;
        dictStarts[j] = p;
        p += h >>> FLAG_BITS;
      }
      for (let i = 0; i < CELL_BLOCK; i++) {
        const code = next();
        if (code > size) throw new Error(`export cell block ${block}: ${this.fields[field]} code ${code} of ${size}`);
        codes[i] = code;
        heads[i] = dictHeads[code]!;
        starts[i] = dictStarts[code]!;
      }
    } else {
      for (let i = 0; i < CELL_BLOCK; i++) {
        let b = d[p++]!;
        let h = b & 0x7f;
        for (let shift = 7; b & 0x80; shift += 7) {
          b = d[p++]!;
          h |= (b & 0x7f) << shift;
        }
        heads[i] = h;
        starts[i] = p;
        p += h >>> FLAG_BITS;
      }
    }
    if (p !== length) throw new Error(`export cell block ${block}: ${this.fields[field]} is ${length} bytes, its cells ${p}`);
  }
}
