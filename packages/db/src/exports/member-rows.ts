/**
 * The SQL side of segment exports: the customer rows of a chunk of segment members, read with one
 * `COPY (SELECT …) TO STDOUT (FORMAT binary)` per chunk. Members arrive as ordered chunks of ids
 * (from the snapshot's roaring bitmap); a chunk is filtered in the most compact form for its
 * density — a whole id range, a range plus a bitset literal tested with `get_bit`, or an int4
 * array for sparse members — so the scan is one ordered primary-key range scan per chunk and no
 * ids travel as bind parameters (COPY takes none). Branch and RM are returned as ids and named by
 * the caller from small in-memory maps: no joins per row. Card number = the customer's lowest
 * demand-deposit account number (借记卡号), read by a merge join on the ordered chunk.
 */
import { once } from "node:events";
import type { Readable } from "node:stream";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";

/** Selectable customer fields and their SQL (every one text or NULL). */
export const CUSTOMER_FIELDS = {
  customerNo: "c.customer_no",
  name: "c.name",
  gender: "c.gender::text",
  phone: "c.phone",
  certNo: "c.cert_no",
  cardNo: "card.account_no",
  city: "c.city",
  openedAt: "c.opened_at::text",
  orgUnitId: "c.org_unit_id",
  rmId: "c.rm_id",
} as const;
export type CustomerField = keyof typeof CUSTOMER_FIELDS;

/** Ascending member ids, all within [lo, hi]. */
export interface MemberChunk {
  lo: number;
  hi: number;
  ids: Uint32Array;
}

/** Below this share of members in a chunk's id range the ids are listed instead of a bitset. */
const BITSET_MIN_DENSITY = 1 / 32;

/** The WHERE condition selecting exactly the chunk's members from `<alias>.<column>`. */
export function memberFilter(chunk: MemberChunk, column: string): string {
  const { lo, hi, ids } = chunk;
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi < lo) throw new Error(`bad member chunk ${lo}..${hi}`);
  const span = hi - lo + 1;
  if (ids.length === span) return `${column} BETWEEN ${lo} AND ${hi}`;
  if (ids.length / span >= BITSET_MIN_DENSITY) {
    const bits = Buffer.alloc((span + 7) >> 3);
    for (let i = 0; i < ids.length; i++) {
      const k = ids[i]! - lo;
      bits[k >> 3]! |= 1 << (k & 7);
    }
    return `${column} BETWEEN ${lo} AND ${hi} AND get_bit('\\x${bits.toString("hex")}'::bytea, ${column} - ${lo}) = 1`;
  }
  return `${column} = ANY('{${Array.prototype.join.call(ids, ",")}}'::int4[])`;
}

/** The SELECT of a chunk: `c.id` first, then the fields in order, ordered by id. */
export function memberRowsSql(chunk: MemberChunk, fields: readonly CustomerField[], scopePath?: string): string {
  const cols = ["c.id", ...fields.map((f) => CUSTOMER_FIELDS[f])].join(", ");
  const card = fields.includes("cardNo")
    ? ` LEFT JOIN (SELECT a.customer_id, min(a.account_no) AS account_no FROM account a
         WHERE ${memberFilter(chunk, "a.customer_id")} AND a.kind = 'DEMAND_DEPOSIT' GROUP BY a.customer_id) card ON card.customer_id = c.id`
    : "";
  const scope = scopePath === undefined ? "" : ` AND c.org_path LIKE '${scopePath.replace(/[\\%_']/g, (ch) => (ch === "'" ? "''" : `\\${ch}`))}%'`;
  return `SELECT ${cols} FROM customer c${card} WHERE ${memberFilter(chunk, "c.id")}${scope} ORDER BY c.id`;
}

/**
 * One row, undecoded: `id`, and each field's bytes as `buf[starts[f], starts[f] + lens[f])` (UTF-8
 * text; `lens[f]` is -1 for NULL). The buffer and arrays are only valid during the call.
 */
export type RowHandler = (id: number, buf: Buffer, starts: Int32Array, lens: Int32Array) => void;

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

/**
 * Streams the chunk's rows to `onRow`. After each network chunk it awaits `afterBatch` (the
 * writer's back-pressure): the COPY stream is not read again until the sink has drained.
 */
export async function readMemberRows(
  client: pg.ClientBase,
  chunk: MemberChunk,
  fields: readonly CustomerField[],
  onRow: RowHandler,
  afterBatch: () => Promise<void> | void,
  scopePath?: string,
): Promise<number> {
  const stream: Readable = client.query(copyTo(`COPY (${memberRowsSql(chunk, fields, scopePath)}) TO STDOUT (FORMAT binary)`));
  const starts = new Int32Array(fields.length);
  const lens = new Int32Array(fields.length);
  let pending: Buffer | null = null;
  let header = false;
  let done = false;
  let rows = 0;
  for await (const part of stream as AsyncIterable<Buffer>) {
    const buf: Buffer = pending ? Buffer.concat([pending, part]) : part;
    const end = buf.length;
    let pos = 0;
    if (!header) {
      if (end < 19) {
        pending = buf;
        continue;
      }
      if (!buf.subarray(0, 11).equals(SIGNATURE)) throw new Error("not a binary COPY stream");
      pos = 19 + buf.readInt32BE(15);
      header = true;
    }
    for (;;) {
      if (end - pos < 2) break;
      const n = (buf[pos]! << 8) | buf[pos + 1]!;
      if (n === 0xffff) {
        done = true;
        pos += 2;
        break;
      }
      // id (int4) then the text fields
      let p = pos + 2;
      if (end - p < 8) break;
      p += 4;
      const id = buf.readInt32BE(p);
      p += 4;
      let complete = true;
      for (let f = 1; f < n; f++) {
        if (end - p < 4) {
          complete = false;
          break;
        }
        const len = buf.readInt32BE(p);
        p += 4;
        starts[f - 1] = p;
        lens[f - 1] = len;
        if (len > 0) {
          if (end - p < len) {
            complete = false;
            break;
          }
          p += len;
        }
      }
      if (!complete) break;
      onRow(id, buf, starts, lens);
      rows++;
      pos = p;
    }
    pending = pos < end ? Buffer.from(buf.subarray(pos)) : null;
    await afterBatch();
  }
  if (!done) throw new Error("binary COPY stream ended without its trailer");
  return rows;
}

/** Names for the org unit and RM ids rows carry (a few thousand rows, read once per export). */
export async function readNames(client: pg.ClientBase): Promise<{ orgUnits: Map<string, string>; staff: Map<string, string> }> {
  const units = await client.query<{ id: string; name: string }>("SELECT id, name FROM org_unit");
  const staff = await client.query<{ id: string; name: string }>("SELECT id, name FROM staff_user");
  return { orgUnits: new Map(units.rows.map((r) => [r.id, r.name])), staff: new Map(staff.rows.map((r) => [r.id, r.name])) };
}

/** Waits until a writable sink wants more (used as `afterBatch`). */
export async function drained(sink: NodeJS.WritableStream & { writableNeedDrain?: boolean }): Promise<void> {
  if (sink.writableNeedDrain) await once(sink, "drain");
}
