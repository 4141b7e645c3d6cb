/**
 * The SQL side of segment exports: the customer rows of a chunk of segment members, read with one
 * `COPY (SELECT …) TO STDOUT (FORMAT binary)` per chunk. Members arrive as ordered chunks of ids
 * (from the snapshot's roaring bitmap); a chunk is filtered in the most compact form for its
 * density — a whole id range, a range plus a bitset literal tested with `get_bit`, or an int4
 * array for sparse members — so the scan is one ordered primary-key range scan per chunk and no
 * ids travel as bind parameters (COPY takes none). Branch and RM are returned as ids and named by
 * the caller from small in-memory maps: no joins per row. Card number = the customer's lowest
 * demand-deposit account number (借记卡号), kept per customer in `customer_card` by triggers on
 * `account` (prisma/sql/095_customer_card.sql) and merge-joined by the same key range
 * (index-only: the key carries the number).
 *
 * The COPY stream is parsed straight off the connection's socket (`CopyRowsQuery`): protocol
 * messages and binary tuples in one pass, each row handed over as offsets into the socket's
 * buffer — no per-message buffers, no re-concatenation (pg-copy-streams cost about as much
 * Node CPU per row as encoding the row).
 */
import { Buffer } from "node:buffer";
import { once } from "node:events";
import type pg from "pg";
import { COPY_READER, isCopySocket } from "../copy-socket";

/**
 * Selectable customer fields and their SQL: text or NULL, but the `DATE_FIELDS`, which come as
 * binary dates (int4 days since 2000-01-01 — no date_out per row on the server).
 */
export const CUSTOMER_FIELDS = {
  customerNo: "c.customer_no",
  name: "c.name",
  gender: "c.gender::text",
  phone: "c.phone",
  certNo: "c.cert_no",
  cardNo: "card.card_no",
  city: "c.city",
  openedAt: "c.opened_at",
  orgUnitId: "c.org_unit_id",
  rmId: "c.rm_id",
  orgPath: "c.org_path",
} as const;
export type CustomerField = keyof typeof CUSTOMER_FIELDS;
export const DATE_FIELDS: ReadonlySet<CustomerField> = new Set<CustomerField>(["openedAt"]);

/** PostgreSQL's binary date (days since 2000-01-01) as `YYYY-MM-DD`, as date_out writes it for years 1–9999. */
export function pgDateText(days: number): string {
  if (days === 0x7fffffff) return "infinity";
  if (days === -0x80000000) return "-infinity";
  return new Date((days + 10_957) * 86_400_000).toISOString().slice(0, 10);
}

/** Ascending member ids, all within [lo, hi] (no ids: every id of the range). */
export interface MemberChunk {
  lo: number;
  hi: number;
  ids?: Uint32Array;
}

/** Below this share of members in a chunk's id range the ids are listed instead of a bitset. */
const BITSET_MIN_DENSITY = 1 / 32;

/** The WHERE condition selecting exactly the chunk's members from `<alias>.<column>`. */
export function memberFilter(chunk: MemberChunk, column: string): string {
  const { lo, hi, ids } = chunk;
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi < lo) throw new Error(`bad member chunk ${lo}..${hi}`);
  const span = hi - lo + 1;
  if (!ids || ids.length === span) return `${column} BETWEEN ${lo} AND ${hi}`;
  if (ids.length / span >= BITSET_MIN_DENSITY) {
    const bits = Buffer.alloc((span + 7) >> 3);
    for (let i = 0; i < ids.length; i++) {
      const k = ids[i]! - lo;
      bits[k >> 3]! |= 1 << (k & 7);
    }
    return `${column} BETWEEN ${lo} AND ${hi} AND get_bit('\\x${bits.toString("hex")}'::bytea, ${column} - ${lo}) <> 0`;
  }
  return `${column} = ANY('{${Array.prototype.join.call(ids, ",")}}'::int4[])`;
}

/** The SELECT of a chunk: `c.id` first, then the fields in order, ordered by id. */
export function memberRowsSql(chunk: MemberChunk, fields: readonly CustomerField[], scopePath?: string): string {
  const cols = ["c.id", ...fields.map((f) => CUSTOMER_FIELDS[f])].join(", ");
  // The card table is read over the chunk's whole id range: the merge join drops non-members.
  const card = fields.includes("cardNo") ? ` LEFT JOIN customer_card card ON card.customer_id = c.id AND card.customer_id BETWEEN ${chunk.lo} AND ${chunk.hi}` : "";
  const scope = scopePath === undefined ? "" : ` AND c.org_path LIKE '${scopePath.replace(/[\\%_']/g, (ch) => (ch === "'" ? "''" : `\\${ch}`))}%'`;
  return `SELECT ${cols} FROM customer c${card} WHERE ${memberFilter(chunk, "c.id")}${scope} ORDER BY c.id`;
}

/**
 * Session settings for the export's COPY statements (`RESET` after): no parallel workers — on a
 * small box they compete with the writer for the same cores and add a Gather Merge per row.
 */
export const EXPORT_SESSION_SQL = "SET max_parallel_workers_per_gather = 0";
export const EXPORT_SESSION_RESET_SQL = "RESET max_parallel_workers_per_gather";

/**
 * One row, undecoded: `id`, and each field's bytes as `buf[starts[f], starts[f] + lens[f])` (UTF-8
 * text, or a binary date for `DATE_FIELDS`; `lens[f]` is -1 for NULL). The buffer and arrays are only valid during the call.
 */
export type RowHandler = (id: number, buf: Buffer, starts: Int32Array, lens: Int32Array) => void;

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

// Backend message types seen during COPY OUT.
const COPY_DATA = 0x64; // d
const COPY_DONE = 0x63; // c
const COPY_OUT_RESPONSE = 0x48; // H
const NOTICE = 0x4e; // N
const PARAMETER_STATUS = 0x53; // S
const NOTIFICATION = 0x41; // A

interface PgConnection {
  stream: NodeJS.ReadableStream & { pause(): unknown; resume(): unknown };
  query(text: string): void;
}
type DataHandler = (chunk: Buffer) => void;

/**
 * A `COPY … TO STDOUT (FORMAT binary)` as a pg submittable that parses the socket's bytes itself:
 * CopyData messages (normally one tuple each) are parsed in place; only a message cut by the end
 * of a socket read is copied (one row). Back-pressure: after each socket read, `afterBatch` is
 * awaited with the socket paused. When the COPY is done, the rest of the bytes (CommandComplete,
 * ReadyForQuery) go back to pg's own parser, which ends the query (as pg-copy-streams does). A
 * failure of `onRow` or `afterBatch` stops the rows; the COPY is read to its end (at most one
 * chunk of members) so the connection stays usable, then the query rejects with that failure.
 */
class CopyRowsQuery {
  readonly done: Promise<number>;
  rows = 0;
  private resolve!: (rows: number) => void;
  private reject!: (err: unknown) => void;
  private connection: PgConnection | null = null;
  private pgHandler: DataHandler | null = null;
  /** A protocol message cut by the end of a socket read. */
  private carry: Buffer | null = null;
  /** COPY data cut inside a tuple (PostgreSQL sends whole tuples per message; kept general). */
  private partial: Buffer | null = null;
  private header = false;
  private trailer = false;
  private failure: unknown = null;
  private readonly starts: Int32Array;
  private readonly lens: Int32Array;

  constructor(
    readonly text: string,
    fields: number,
    private readonly onRow: RowHandler,
    private readonly afterBatch: () => Promise<void> | void,
  ) {
    this.starts = new Int32Array(fields);
    this.lens = new Int32Array(fields);
    this.done = new Promise<number>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // handled by the caller; a rejection before it awaits must not count as unhandled
    this.done.catch(() => undefined);
  }

  /** Called by pg when the query's turn comes. */
  submit(connection: PgConnection): void {
    this.connection = connection;
    const socket = connection.stream;
    if (isCopySocket(socket)) {
      // reads come to the parser straight from the socket's buffer (valid during the call)
      socket[COPY_READER] = this.onData;
      socket.resume();
      connection.query(this.text);
      return;
    }
    const handlers = socket.listeners("data") as DataHandler[];
    if (handlers.length !== 1) throw new Error(`expected pg's one data listener on the socket, found ${handlers.length}`);
    this.pgHandler = handlers[0]!;
    socket.removeListener("data", this.pgHandler);
    socket.on("data", this.onData);
    socket.resume();
    connection.query(this.text);
  }

  private readonly onData = (chunk: Buffer): void => {
    let pos = 0;
    if (this.carry) {
      // complete the message cut by the last read with the first bytes of this one (copying
      // that message only, not the whole read)
      const carry = this.carry;
      let have = carry.length;
      let head = carry;
      if (have < 5) {
        head = Buffer.concat([carry, chunk.subarray(0, 5 - have)]);
        if (head.length < 5) {
          this.carry = head;
          return;
        }
      }
      const total = 1 + head.readInt32BE(1);
      const take = Math.min(total - have, chunk.length);
      const msg = Buffer.concat([carry, chunk.subarray(0, take)]);
      if (msg.length < total) {
        this.carry = msg;
        return;
      }
      this.carry = null;
      pos = take;
      have = this.messages(msg, 0);
      if (have < 0) {
        this.detach(Buffer.concat([msg.subarray(-have - 1), chunk.subarray(pos)]));
        return;
      }
    }
    const at = this.messages(chunk, pos);
    if (at < 0) {
      this.detach(chunk.subarray(-at - 1));
      return;
    }
    this.carry = at < chunk.length ? Buffer.from(chunk.subarray(at)) : null;
    if (this.failure) return; // draining
    let waiting: Promise<void> | void;
    try {
      waiting = this.afterBatch();
    } catch (err) {
      this.failure = err;
      return;
    }
    if (waiting) {
      const socket = this.connection!.stream;
      socket.pause();
      waiting.then(
        () => socket.resume(),
        (err: unknown) => {
          this.failure ??= err;
          socket.resume();
        },
      );
    }
  };

  /**
   * Handles the whole messages in buf from pos on; returns where the first incomplete one starts,
   * or -(p + 1) when the COPY ended and the bytes from p on belong to pg.
   */
  private messages(buf: Buffer, from: number): number {
    const end = buf.length;
    let pos = from;
    while (end - pos >= 5) {
      const code = buf[pos]!;
      const next = pos + 1 + buf.readInt32BE(pos + 1);
      if (code === COPY_DATA || code === COPY_OUT_RESPONSE || code === NOTICE || code === PARAMETER_STATUS || code === NOTIFICATION) {
        if (next > end) break;
        if (code === COPY_DATA) this.copyData(buf, pos + 5, next);
        pos = next;
        continue;
      }
      // CopyDone, or an ErrorResponse (or anything else) ending the COPY: pg parses the rest
      if (code === COPY_DONE) {
        if (next > end) break;
        pos = next;
      }
      return -(pos + 1);
    }
    return pos;
  }

  /** Binary COPY data in buf[s, e): the header, tuples, the trailer. */
  private copyData(input: Buffer, s: number, e: number): void {
    let buf = input;
    let pos = s;
    let end = e;
    if (this.partial) {
      buf = Buffer.concat([this.partial, input.subarray(s, e)]);
      this.partial = null;
      pos = 0;
      end = buf.length;
    }
    if (!this.header) {
      if (end - pos < 19 || end - pos < 19 + buf.readInt32BE(pos + 15)) {
        this.partial = Buffer.from(buf.subarray(pos, end));
        return;
      }
      if (!buf.subarray(pos, pos + 11).equals(SIGNATURE)) {
        this.failure ??= new Error("not a binary COPY stream");
        return;
      }
      pos += 19 + buf.readInt32BE(pos + 15);
      this.header = true;
    }
    const { starts, lens, onRow } = this;
    while (end - pos >= 2) {
      const n = (buf[pos]! << 8) | buf[pos + 1]!;
      if (n === 0xffff) {
        this.trailer = true;
        pos += 2;
        continue;
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
      if (!this.failure) {
        try {
          onRow(id, buf, starts, lens);
          this.rows++;
        } catch (err) {
          this.failure = err;
        }
      }
      pos = p;
    }
    if (pos < end) this.partial = Buffer.from(buf.subarray(pos, end));
  }

  /** Gives the socket back to pg with the bytes after the COPY. */
  private detach(rest: Buffer): void {
    const socket = this.connection!.stream;
    if (isCopySocket(socket)) {
      socket[COPY_READER] = null;
      socket.push(Buffer.from(rest)); // a copy: the read buffer is reused
      process.nextTick(() => socket.resume());
      return;
    }
    socket.removeListener("data", this.onData);
    const handler = this.pgHandler!;
    socket.on("data", handler);
    handler(rest);
    process.nextTick(() => socket.resume());
  }

  handleError(err: unknown): void {
    const socket = this.connection?.stream;
    if (isCopySocket(socket) && socket[COPY_READER] === this.onData) socket[COPY_READER] = null;
    if (this.connection && this.pgHandler && !this.connection.stream.listeners("data").includes(this.pgHandler)) {
      // the connection failed mid-COPY: stop listening
      this.connection.stream.removeListener("data", this.onData);
    }
    this.reject(err);
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    if (this.failure) this.reject(this.failure);
    else if (!this.header || !this.trailer || this.partial) this.reject(new Error("binary COPY stream ended without its trailer"));
    else this.resolve(this.rows);
  }
}

/**
 * Streams the chunk's rows to `onRow`. After each socket read it awaits `afterBatch` (the
 * writer's back-pressure): the socket is not read again until the sink has drained.
 */
export async function readMemberRows(
  client: pg.ClientBase,
  chunk: MemberChunk,
  fields: readonly CustomerField[],
  onRow: RowHandler,
  afterBatch: () => Promise<void> | void,
  scopePath?: string,
): Promise<number> {
  return copyRows(client, memberRowsSql(chunk, fields, scopePath), fields.length, onRow, afterBatch);
}

/**
 * Runs `COPY (<select>) TO STDOUT (FORMAT binary)` for a SELECT of an int4 id and `fields` more
 * columns (as raw binary values), handing each row to `onRow`; resolves with the row count once the connection is ready
 * for the next query (also after a failure, which it rejects with).
 */
export function copyRows(client: pg.ClientBase, select: string, fields: number, onRow: RowHandler, afterBatch: () => Promise<void> | void): Promise<number> {
  const q = new CopyRowsQuery(`COPY (${select}) TO STDOUT (FORMAT binary)`, fields, onRow, afterBatch);
  void client.query(q as unknown as pg.Submittable);
  return q.done;
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
