/**
 * The current tag run's columns for an export, decoded while they stream: a column is one
 * PostgreSQL array of millions of elements (one binary COPY field), and each element is written
 * straight into its typed array as its bytes arrive. Nothing holds the field's bytes whole. An
 * export reads a window of customer ids at a time (`from`, `size`: a slice of each array), so a
 * 5M-customer number tag costs a window's 8 MB, not its whole 40 MB Float64Array.
 */
import type { Readable } from "node:stream";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { emptyColumn, type Column } from "../tags/columns";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
/** Days between 1970-01-01 and PostgreSQL's date 0 (2000-01-01). */
const PG_DATE_EPOCH_OFFSET = 10957;

/** Pull reader over the COPY stream: only a remainder smaller than one value is ever copied. */
class Reader {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  constructor(private readonly it: AsyncIterator<Buffer>) {}

  async need(n: number): Promise<void> {
    while (this.buf.length - this.pos < n) {
      const next = await this.it.next();
      if (next.done) throw new Error("tag column COPY ended early");
      const rest = this.buf.subarray(this.pos);
      this.buf = rest.length ? Buffer.concat([rest, next.value]) : next.value;
      this.pos = 0;
    }
  }

  async int32(): Promise<number> {
    if (this.buf.length - this.pos < 4) await this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  async text(len: number): Promise<string> {
    if (this.buf.length - this.pos < len) await this.need(len);
    const s = this.buf.toString("utf8", this.pos, this.pos + len);
    this.pos += len;
    return s;
  }
}

type Put = (r: Reader, index: number, len: number) => void | Promise<void>;

/**
 * Reads one binary array field (after its length word), calling `put` for each non-NULL element
 * with its subscript + `shift`.
 */
async function readArray(r: Reader, put: Put, shift = 0): Promise<void> {
  const ndim = await r.int32();
  await r.int32(); // has-nulls flag
  await r.int32(); // element type
  if (ndim === 0) return;
  if (ndim !== 1) throw new Error(`tag column with ${ndim} dimensions`);
  const n = await r.int32();
  const lbound = (await r.int32()) + shift;
  for (let i = 0; i < n; i++) {
    if (r.buf.length - r.pos < 4) await r.need(4);
    const len = r.buf.readInt32BE(r.pos);
    r.pos += 4;
    if (len < 0) continue;
    if (r.buf.length - r.pos < len) await r.need(len);
    const at = r.pos;
    const pending = put(r, lbound + i, len);
    if (pending) await pending; // only text elements are read asynchronously
    r.pos = at + len;
  }
}

export interface ExportTagColumn {
  tagId: number;
  column: Column;
}

const TYPE = { BOOLEAN: "bool", ENUM: "label", NUMBER: "num", DATE: "date", TEXT: "text" } as const;

/**
 * The chosen tags' columns of the current run (or of run `runId`) for customers
 * `from … from + size - 1`: index = customer id - `from` (`from` = 0: index = customer id). Tags
 * without a column in the run are absent from the map.
 */
export async function readTagColumns(client: pg.ClientBase, tagIds: number[], size: number, from = 0, runId?: number): Promise<Map<number, ExportTagColumn>> {
  const out = new Map<number, ExportTagColumn>();
  if (tagIds.length === 0) return out;
  if (!Number.isInteger(from) || from < 0 || !Number.isInteger(size) || size < 0) throw new Error(`bad tag window ${from}+${size}`);
  const ids = tagIds.map((id) => Math.trunc(id)).join(",");
  // a slice's subscripts start at 1 again: element k of the slice is customer from + k - 1
  const lo = Math.max(from, 1);
  const hi = from + size - 1;
  const slice = (col: string) => (from === 0 ? col : `${col}[${lo}:${hi}]`);
  const shift = from === 0 ? 0 : lo - 1 - from;
  const sql = `SELECT tag_id, value_type::text, enum_labels, ${["bools", "codes", "nums", "dates", "texts"].map(slice).join(", ")} FROM tag_column
    WHERE run_id = ${runId === undefined ? "(SELECT run_id FROM tag_current_run WHERE id = 1)" : Math.trunc(runId)} AND tag_id = ANY('{${ids}}'::int[])`;
  const stream: Readable = client.query(copyTo(`COPY (${sql}) TO STDOUT (FORMAT binary)`));
  const r = new Reader((stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]());
  await r.need(19);
  if (!r.buf.subarray(0, 11).equals(SIGNATURE)) throw new Error("not a binary COPY stream");
  r.pos = 15;
  const ext = await r.int32();
  await r.need(ext);
  r.pos += ext;
  for (;;) {
    await r.need(2);
    const fields = r.buf.readInt16BE(r.pos);
    r.pos += 2;
    if (fields === -1) break;
    await r.int32();
    const tagId = await r.int32();
    const typeLen = await r.int32();
    const valueType = (await r.text(typeLen)) as keyof typeof TYPE;
    const dict: string[] = [];
    const column = emptyColumn(TYPE[valueType], size);
    // enum_labels, then the five value arrays: only the tag type's array is set
    for (let f = 0; f < 6; f++) {
      const len = await r.int32();
      if (len < 0) continue;
      if (f === 0) {
        // element k + 1 is the label of code k (as the customer_tag_value view reads it)
        await readArray(r, async (rd, i, n) => void (dict[i - 1] = await rd.text(n)));
        continue;
      }
      await readArray(r, putFor(column, size), shift);
    }
    if (column.type === "label") column.dict = dict;
    out.set(tagId, { tagId, column });
  }
  // let the connection finish the COPY before it is used again
  for await (const _ of stream) void _;
  return out;
}

function putFor(column: Column, size: number): Put {
  switch (column.type) {
    case "num": {
      const d = column.data;
      return (r, i) => void (i < size && (d[i] = r.buf.readDoubleBE(r.pos)));
    }
    case "date": {
      const d = column.data;
      return (r, i) => void (i < size && (d[i] = r.buf.readInt32BE(r.pos) + PG_DATE_EPOCH_OFFSET));
    }
    case "label": {
      const d = column.data;
      return (r, i) => void (i < size && (d[i] = r.buf.readInt16BE(r.pos)));
    }
    case "bool": {
      const d = column.data;
      return (r, i) => void (i < size && (d[i] = r.buf[r.pos]!));
    }
    case "text": {
      const d = column.data;
      return async (r, i, len) => {
        const s = await r.text(len);
        if (i < size) d[i] = s;
      };
    }
  }
}
