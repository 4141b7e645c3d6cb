/**
 * The streaming export: segment members (a roaring bitmap of customer ids) → ordered chunks →
 * one binary `COPY (SELECT …) TO STDOUT` per chunk → cells (masked, neutralised) → a CSV or XLSX
 * sink → the output stream, with back-pressure at every step. What stays in memory does not grow
 * with the number of rows: one network chunk of rows, one output buffer, the compressor's window,
 * the org-unit and staff names, and the chosen tags' current columns (one typed array per tag,
 * indexed by customer id — the way the segment engine holds them — decoded as they stream).
 */
import type { Writable } from "node:stream";
import type pg from "pg";
import type { RoaringBitmap32 } from "roaring";
import { CELL_BLOCK, CELL_BLOCK_BITS, copyBlocks, currentBlocks, ROW_FIELD, STORE_SNAPSHOT_SQL, STORE_TAG_CODES, tagField, type StoredField } from "@mkt/db/exports/cell-store";
import { DATE_FIELDS, EXPORT_SESSION_RESET_SQL, EXPORT_SESSION_SQL, pgDateText, readMemberRows, readNames, type MemberChunk } from "@mkt/db/exports/member-rows";
import { readTagColumns, type ExportTagColumn } from "@mkt/db/exports/tag-columns";
import { mask } from "../auth/masking";
import { tagCell, textCell, type Cell } from "./cells";
import { CELL_FLAG_BITS, CellBlock, NUMBER, SLOW_CSV, SLOW_XLSX } from "./cell-store";
import { BytesMap, maskedWriters, plain, writePlain, type ByteOut, type Encoder } from "./encode";
import { FIELD_PII, type ExportPlan, type PlannedColumn } from "./columns";
import { createSink, type ExportFormat } from "./sink";

/** Members per COPY: small enough for a quick first byte and fine progress, big enough to stream. */
export const MEMBER_CHUNK = 200_000;

export interface StreamExportInput {
  client: pg.ClientBase;
  /**
   * A second connection, for reading the next window of tag values while the current chunks
   * stream (without it the rows wait while each window is read: ~0.3 s per window here).
   */
  aheadClient?: pg.ClientBase;
  members: RoaringBitmap32;
  plan: ExportPlan;
  masked: boolean;
  format: ExportFormat;
  out: Writable;
  /** Only customers under this org path are written (defence in depth: the requester's scope). */
  scopePath?: string;
  sheetName?: string;
  /** After each chunk: rows written so far and the member count. */
  onProgress?: (rows: number, members: number) => Promise<void> | void;
  signal?: AbortSignal;
  /** Members per COPY (default `MEMBER_CHUNK`) and customer ids per tag window (default `TAG_WINDOW`): tests use small ones. */
  memberChunk?: number;
  tagWindow?: number;
  /** Read current blocks of the export cell store (default true; masked exports only). */
  cellStore?: boolean;
}

/**
 * A block of the cell store is read when at least this share of its ids are members (below it,
 * reading the members' rows costs less than copying the whole block).
 */
export const STORE_MIN_SHARE = 1 / 64;

/**
 * A column compiled for one export: writes its cell of the current row (nothing for an empty
 * cell) from the row's undecoded fields.
 */
type ColumnWriter = (o: ByteOut, id: number, buf: Buffer, starts: Int32Array, lens: Int32Array) => void;

/**
 * Customer ids whose tag values are held at once: tag columns are read a window at a time (a
 * slice of each run array) as the chunks move on, so a 5M-customer export holds 8 MB of a number
 * tag instead of 40 MB. Each window costs the server one detoast of each array (~0.1 s at 5M).
 */
export const TAG_WINDOW = 1 << 20;

/** The current window of customer ids, `base … end - 1`, and each tag's column over it. */
interface TagWindow {
  base: number;
  end: number;
  slots: Map<string, { column: ExportTagColumn["column"] | undefined }>;
}

type Getter = (id: number) => Cell;

/** Tag values as cells (the slow, general form; numbers and labels have fast writers below). */
function tagGetter(win: TagWindow, code: string): Getter {
  const slot = win.slots.get(code);
  if (!slot?.column) return () => null;
  return (id) => tagCell(slot.column, id - win.base);
}

function writerFor(
  enc: Encoder,
  k: number,
  col: PlannedColumn,
  plan: ExportPlan,
  masked: boolean,
  names: { orgUnits: Map<string, string>; staff: Map<string, string> },
  win: TagWindow,
): ColumnWriter {
  const s = col.source;
  switch (s.kind) {
    case "field": {
      const f = plan.fields.indexOf(s.field);
      if (DATE_FIELDS.has(s.field)) {
        // a binary date; each day's cell encoded once
        const tails = new Map<number, Buffer | null>();
        return (o, _id, buf, starts, lens) => {
          if (lens[f] !== 4) return;
          const days = buf.readInt32BE(starts[f]!);
          let t = tails.get(days);
          if (t === undefined) tails.set(days, (t = enc.tail(textCell(pgDateText(days)))));
          if (t) enc.cached(o, k, t);
        };
      }
      const pii = masked ? s.pii : undefined;
      if (pii) {
        const fast = maskedWriters[pii as keyof typeof maskedWriters];
        return (o, _id, buf, starts, lens) => {
          const len = lens[f]!;
          if (len <= 0) return; // NULL or empty: an empty cell, as mask() + textCell() give
          const at = starts[f]!;
          if (fast?.(enc, o, k, buf, at, at + len)) return;
          enc.cell(o, k, textCell(mask(pii, buf.toString("utf8", at, at + len))));
        };
      }
      return (o, _id, buf, starts, lens) => {
        const len = lens[f]!;
        if (len <= 0) return;
        const at = starts[f]!;
        if (plain(enc, buf, at, at + len)) writePlain(enc, o, k, buf, at, at + len);
        else enc.cell(o, k, textCell(buf.toString("utf8", at, at + len)));
      };
    }
    case "branch":
    case "rm": {
      const f = plan.fields.indexOf(s.kind === "branch" ? "orgUnitId" : "rmId");
      const map = s.kind === "branch" ? names.orgUnits : names.staff;
      // each id's cell encoded once
      const tails = new BytesMap((id) => enc.tail(textCell(map.get(id))));
      return (o, _id, buf, starts, lens) => {
        const len = lens[f]!;
        const t = len < 0 ? null : tails.get(buf, starts[f]!, starts[f]! + len);
        if (t) enc.cached(o, k, t);
      };
    }
    case "tag": {
      const slot = win.slots.get(s.code);
      const c = slot?.column;
      if (c?.type === "num") {
        return (o, id) => {
          const v = (slot!.column!.data as Float64Array)[id - win.base];
          if (v !== undefined && Number.isFinite(v)) enc.number(o, k, v);
        };
      }
      if (c?.type === "label") {
        const tails = c.dict.map((label) => enc.tail(textCell(label)));
        return (o, id) => {
          const code = (slot!.column!.data as Int16Array)[id - win.base] ?? -1;
          const t = code < 0 ? null : tails[code];
          if (t) enc.cached(o, k, t);
        };
      }
      const get = tagGetter(win, s.code);
      return (o, id) => enc.cell(o, k, get(id));
    }
  }
}

/** A column compiled for rows from the cell store: writes the cell of id `id`, slot `i` of the block. */
type StoreWriter = (o: ByteOut, id: number, i: number) => void;

function storeWriterFor(
  enc: Encoder,
  k: number,
  col: PlannedColumn,
  block: CellBlock,
  fields: readonly StoredField[],
  rowWriter: () => ColumnWriter,
  names: { orgUnits: Map<string, string>; staff: Map<string, string> },
): StoreWriter {
  const s = col.source;
  const slow = enc.format === "CSV" ? SLOW_CSV : SLOW_XLSX;
  /** Text and number cells, as stored. */
  const cellsOf = (c: CellBlock["cells"][number]): StoreWriter => (o, _id, i) => {
    const h = c.heads[i]!;
    if (h === 0) return;
    const at = c.starts[i]!;
    const end = at + (h >>> CELL_FLAG_BITS);
    if (h & NUMBER) enc.numberText(o, k, c.data, at, end);
    else if (h & slow) enc.cell(o, k, c.data.toString("utf8", at, end));
    else writePlain(enc, o, k, c.data, at, end);
  };
  if (s.kind === "tag") {
    const f = fields.indexOf(tagField(s.code));
    if (f >= 0) return cellsOf(block.cells[f]!);
    // a tag the store does not keep: its values come from the tag window, by id, as on the row path
    const w = rowWriter();
    const none = Buffer.alloc(0);
    const empty = new Int32Array(0);
    return (o, id) => w(o, id, none, empty, empty);
  }
  if (s.kind === "field") return cellsOf(block.cells[fields.indexOf(s.field)]!);
  // branch and RM: each of the block's distinct ids is named once (dictionary-coded field)
  const c = block.cells[fields.indexOf(s.kind === "branch" ? "orgUnitId" : "rmId")]!;
  const map = s.kind === "branch" ? names.orgUnits : names.staff;
  const byId = new BytesMap((id) => enc.tail(textCell(map.get(id))));
  let tails: (Buffer | null)[] = [];
  let serial = -1;
  return (o, _id, i) => {
    if (serial !== block.serial) {
      serial = block.serial;
      tails = [null];
      for (let j = 1; j <= c.dictSize; j++) {
        const at = c.dictStarts[j]!;
        tails.push(byId.get(c.data, at, at + (c.dictHeads[j]! >>> CELL_FLAG_BITS)));
      }
    }
    const t = tails[c.codes![i]!];
    if (t) enc.cached(o, k, t);
  };
}

/** Writes the export to `out` (not ended) and returns the number of data rows. */
export async function streamExport(input: StreamExportInput): Promise<{ rows: number; storeRows: number }> {
  const { client, members, plan, masked, format, out } = input;
  const total = members.size;
  const needNames = plan.columns.some((c) => c.source.kind === "branch" || c.source.kind === "rm");
  const names = needNames ? await readNames(client) : { orgUnits: new Map<string, string>(), staff: new Map<string, string>() };
  const win: TagWindow = { base: 0, end: 0, slots: new Map(plan.tags.map((t) => [t.code, { column: undefined }])) };
  const maxId = total > 0 ? members.maximum() : 0;
  const perChunk = input.memberChunk ?? MEMBER_CHUNK;
  const chunks = Math.ceil(total / perChunk);
  /** The id range of chunk i (ascending members `i * perChunk …`). */
  const chunkRange = (i: number) => ({ lo: members.select(i * perChunk)!, hi: members.select(Math.min((i + 1) * perChunk, total) - 1)! });
  // every window from the run current at the start, so one export never mixes two runs
  const runId = plan.tags.length && total > 0 ? (await client.query<{ run_id: number | null }>("SELECT run_id FROM tag_current_run WHERE id = 1")).rows[0]?.run_id : null;
  const tagIds = plan.tags.map((t) => t.id);
  /** The window a chunk starting at `lo` opens: at least `tagWindow` ids, at least the chunk. */
  const windowAt = (lo: number, hi: number) => ({ lo, size: Math.min(Math.max(input.tagWindow ?? TAG_WINDOW, hi - lo + 1), maxId + 1 - lo) });
  const load = async (c: pg.ClientBase, w: { lo: number; size: number }) => ({ ...w, columns: await readTagColumns(c, tagIds, w.size, w.lo, runId!) });
  /** The next window, being read on `aheadClient`. */
  let ahead: ReturnType<typeof load> | null = null;
  let windows = 0;
  /** Makes the window cover chunk i, and starts reading the one after it. */
  const cover = async (i: number) => {
    if (runId == null) return;
    const { lo, hi } = chunkRange(i);
    if (lo >= win.base && hi < win.end) return;
    const want = windowAt(lo, hi);
    let next = ahead && (await ahead);
    ahead = null;
    const had = new Map([...win.slots].map(([code, slot]) => [code, slot.column !== undefined]));
    if (next?.lo !== want.lo || next.size !== want.size) {
      for (const slot of win.slots.values()) slot.column = undefined; // the old window may go first
      next = await load(client, want);
    }
    for (const t of plan.tags) {
      const column = next.columns.get(t.id)?.column;
      // writers are compiled for the first window's columns (a pruned run would drop them)
      if (windows > 0 && had.get(t.code) !== (column !== undefined)) throw new Error(`tag run ${runId} changed during the export (${t.code})`);
      win.slots.get(t.code)!.column = column;
    }
    win.base = want.lo;
    win.end = want.lo + want.size;
    windows++;
    // the first chunk this window does not cover opens the next one (when every current block
    // comes from the cell store, no window is read at all)
    if (input.aheadClient) {
      for (let j = i + 1; j < chunks; j++) {
        const r = chunkRange(j);
        if (r.hi < win.end) continue;
        ahead = load(input.aheadClient, windowAt(r.lo, r.hi));
        ahead.catch(() => undefined); // awaited by the chunk that needs it, or at the end
        break;
      }
    }
  };
  // The cell store holds masked cells: a masked export (or one without personal data) reads its
  // current blocks; the rest of its members, and every unmasked export, are read row by row.
  const scopePath = input.scopePath;
  const storedTags = plan.tags.filter((t) => (STORE_TAG_CODES as readonly string[]).includes(t.code));
  const storeFields: StoredField[] | null =
    input.cellStore !== false && (masked || !plan.fields.some((f) => FIELD_PII[f]))
      ? [ROW_FIELD, ...new Set([...plan.fields, ...(scopePath === undefined ? [] : (["orgPath"] as const))]), ...storedTags.map((t) => tagField(t.code))]
      : null;
  /** Whether every chunk needs the tag window (else only chunks with rows read row by row). */
  const windowsEveryChunk = !storeFields || storedTags.length < plan.tags.length;
  if (total > 0 && windowsEveryChunk) await cover(0);
  const sink = createSink(format, out, plan.columns.map((c) => c.header), input.sheetName);
  const enc = sink.encoder;
  const o = sink.out;
  /** The row path's writers, compiled once the first window is read (they specialise on its columns). */
  let writers: ColumnWriter[] = [];
  const rowWriters = () => {
    if (writers.length === 0) writers = plan.columns.map((c, k) => writerFor(enc, k, c, plan, masked, names, win));
    return writers;
  };
  const columns = plan.columns.length;
  let rows = 0;
  const onRow = (id: number, buf: Buffer, starts: Int32Array, lens: Int32Array) => {
    enc.startRow(o);
    for (let k = 0; k < columns; k++) {
      enc.column(o, k);
      writers[k]!(o, id, buf, starts, lens);
    }
    enc.endRow(o);
    rows++;
  };
  const flush = () => sink.flush();
  /** Chunk i's members (or some of them), row by row. */
  const readRows = async (ids: Uint32Array, i: number) => {
    await cover(i);
    rowWriters();
    await readMemberRows(client, { lo: ids[0]!, hi: ids[ids.length - 1]!, ids } satisfies MemberChunk, plan.fields, onRow, flush, scopePath);
  };
  let storeRows = 0;
  const readChunk = storeFields ? storeReader(storeFields) : readRows;
  function storeReader(fields: StoredField[]) {
    const block = new CellBlock(fields);
    const storeWriters = plan.columns.map((c, k) => storeWriterFor(enc, k, c, block, fields, () => rowWriters()[k]!, names));
    const scope = scopePath === undefined ? null : { bytes: Buffer.from(scopePath, "utf8"), cells: block.cells[fields.indexOf("orgPath")]! };
    const inScope = (i: number) => {
      const { bytes, cells } = scope!;
      const len = cells.heads[i]! >>> CELL_FLAG_BITS;
      if (len < bytes.length) return false;
      return cells.data.compare(bytes, 0, bytes.length, cells.starts[i]!, cells.starts[i]! + bytes.length) === 0;
    };
    /** Members of the run being read, and the next one to write. */
    let ids: Uint32Array = new Uint32Array(0);
    let m = 0;
    let blocksDone = 0;
    const onCells = (b: number, field: number, buf: Buffer, start: number, length: number) => {
      block.accept(b, field, buf, start, length);
      if (!block.complete) return;
      blocksDone++;
      const base = b << CELL_BLOCK_BITS;
      const end = base + CELL_BLOCK;
      const rowBits = block.rows;
      while (m < ids.length && ids[m]! < base) m++;
      for (; m < ids.length && ids[m]! < end; m++) {
        const id = ids[m]!;
        const i = id - base;
        if ((rowBits[i >> 3]! & (1 << (i & 7))) === 0) continue; // no such customer (any more)
        if (scope && !inScope(i)) continue;
        enc.startRow(o);
        for (let k = 0; k < columns; k++) {
          enc.column(o, k);
          storeWriters[k]!(o, id, i);
        }
        enc.endRow(o);
        rows++;
        storeRows++;
      }
    };
    return async (chunkIds: Uint32Array, chunk: number) => {
      // which blocks are current, and their cells, from one snapshot
      await client.query(STORE_SNAPSHOT_SQL);
      try {
        const current = new Set(await currentBlocks(client, chunkIds[0]! >>> CELL_BLOCK_BITS, chunkIds[chunkIds.length - 1]! >>> CELL_BLOCK_BITS, fields, runId ?? null));
        // runs of members read the same way: blocks from the store, or rows
        for (let a = 0; a < chunkIds.length; ) {
          let viaStore: boolean | null = null;
          const blocks: number[] = [];
          let b = a;
          while (b < chunkIds.length) {
            const blk = chunkIds[b]! >>> CELL_BLOCK_BITS;
            const limit = (blk + 1) << CELL_BLOCK_BITS;
            let e = b;
            while (e < chunkIds.length && chunkIds[e]! < limit) e++;
            const store = current.has(blk) && (e - b) >= CELL_BLOCK * STORE_MIN_SHARE;
            if (viaStore === null) viaStore = store;
            else if (store !== viaStore) break;
            if (store) blocks.push(blk);
            b = e;
          }
          const run = chunkIds.subarray(a, b);
          if (viaStore) {
            ids = run;
            m = 0;
            blocksDone = 0;
            await copyBlocks(client, blocks, fields, onCells, flush);
            if (blocksDone !== blocks.length) throw new Error(`export cell store: ${blocks.length - blocksDone} of ${blocks.length} blocks missing`);
          } else await readRows(run, chunk);
          a = b;
        }
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw err;
      }
    };
  }

  await client.query(EXPORT_SESSION_SQL);
  try {
    for (let i = 0; i < chunks; i++) {
      input.signal?.throwIfAborted();
      const ids = members.rangeUint32Array(i * perChunk, perChunk);
      if (windowsEveryChunk) await cover(i);
      await readChunk(ids, i);
      await flush();
      await input.onProgress?.(rows, total);
    }
  } finally {
    // neither connection is left busy
    await (ahead as Promise<unknown> | null)?.catch(() => undefined);
    await client.query(EXPORT_SESSION_RESET_SQL).catch(() => undefined);
  }
  await sink.end();
  return { rows, storeRows };
}
