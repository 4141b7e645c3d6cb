/**
 * Columnar tag storage: `tag_column` holds one row per tag per run with the values as a typed
 * PostgreSQL array indexed by customer id. A run's rows are written with one binary COPY inside
 * the transaction that also records its statistics and switches `tag_current_run` — so readers
 * see either the whole previous run or the whole new one, and a run that dies (an error, a
 * killed worker, a stopped server) leaves nothing visible: its transaction never committed.
 */
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { copyReadingSocket } from "../copy-socket";
import { pgConfigFromUrl } from "../pg-config";
import { intArrayLiteral } from "../sql-tx";
import type { Column } from "./columns";
import {
  CopyBinaryWriter,
  arrayView,
  copyOut,
  decodeBoolArray,
  decodeDateArray,
  decodeFloat8Array,
  decodeInt2Array,
  decodeTextArray,
  encodeBoolArray,
  encodeDateArray,
  encodeFloat8Array,
  encodeInt2Array,
  encodeTextArray,
  int4Field,
  textField,
} from "./pg-binary";


/** A raw connection (COPY and the run transaction need one, not the Prisma client). */
export type PgClient = pg.ClientBase;

export type StoredValueType = "BOOLEAN" | "ENUM" | "NUMBER" | "DATE" | "TEXT";

export interface StoredColumn {
  tagId: number;
  version: number;
  valueType: StoredValueType;
  column: Column;
}

export interface ConnectOptions {
  /**
   * Reads into one reused buffer, for connections that stream large COPYs (`copyReadingSocket`;
   * plain TCP or Unix sockets — the connection settings here have no TLS).
   */
  copyReads?: boolean;
}

/** A dedicated connection (COPY needs one, and a run holds it for its transaction). */
export async function connectPg(url: string, options: ConnectOptions = {}): Promise<pg.Client> {
  const client = new pg.Client({ ...pgConfigFromUrl(url), application_name: "mkt-tags", ...(options.copyReads && { stream: copyReadingSocket }) });
  client.on("error", () => undefined); // surfaced on the running query instead
  await client.connect();
  return client;
}

export async function withPgClient<T>(url: string, fn: (c: pg.Client) => Promise<T>, options?: ConnectOptions): Promise<T> {
  const client = await connectPg(url, options);
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const TYPE_OF: Record<StoredValueType, Column["type"]> = { BOOLEAN: "bool", ENUM: "label", NUMBER: "num", DATE: "date", TEXT: "text" };

/** Writes the columns of a run (binary COPY). Call inside the run's write transaction. */
export async function copyRunColumns(client: pg.ClientBase, runId: number, columns: Iterable<StoredColumn>): Promise<void> {
  const w = new CopyBinaryWriter(
    client.query(copyFrom("COPY tag_column (run_id, tag_id, version, value_type, enum_labels, bools, codes, nums, dates, texts) FROM STDIN (FORMAT binary)")),
  );
  await w.start();
  for (const s of columns) {
    const c = s.column;
    if (TYPE_OF[s.valueType] !== c.type) throw new Error(`tag ${s.tagId}: a ${c.type} column cannot store a ${s.valueType} tag`);
    await w.tuple([
      int4Field(runId),
      int4Field(s.tagId),
      int4Field(s.version),
      textField(s.valueType),
      c.type === "label" ? encodeTextArray([null, ...c.dict]) : null, // element k+1 is code k: same 1-based layout as the values
      c.type === "bool" ? encodeBoolArray(c.data) : null,
      c.type === "label" ? encodeInt2Array(c.data) : null,
      c.type === "num" ? encodeFloat8Array(c.data) : null,
      c.type === "date" ? encodeDateArray(c.data) : null,
      c.type === "text" ? encodeTextArray(c.data) : null,
    ]);
  }
  await w.end();
}

/**
 * Makes `runId` current unless a run with a later as-of already is (a slow rerun of an old run
 * must not replace newer values). Returns whether it switched. Call in the write transaction.
 */
export async function swapCurrentRun(client: pg.ClientBase, runId: number): Promise<boolean> {
  await client.query("SELECT pg_advisory_xact_lock(hashtext('tag_current_run'))");
  const { rowCount } = await client.query(
    `INSERT INTO tag_current_run (id, run_id, swapped_at) VALUES (1, $1, now())
     ON CONFLICT (id) DO UPDATE SET run_id = EXCLUDED.run_id, swapped_at = now()
     WHERE (SELECT as_of FROM tag_run WHERE id = tag_current_run.run_id) <= (SELECT as_of FROM tag_run WHERE id = $1)`,
    [runId],
  );
  return rowCount === 1;
}

export async function currentRunId(client: pg.ClientBase): Promise<number | null> {
  const { rows } = await client.query<{ run_id: number }>("SELECT run_id FROM tag_current_run WHERE id = 1");
  return rows[0]?.run_id ?? null;
}

export interface LoadedColumn extends StoredColumn {
  runId: number;
}

/**
 * Reads whole columns of a run (default: the current one) into typed arrays of length `size`
 * (default: the stored length + 1) — the way the segment engine loads tags into memory.
 */
export async function readRunColumns(
  client: pg.ClientBase,
  opts: { runId?: number; tagIds?: number[]; size?: number } = {},
): Promise<Map<number, LoadedColumn>> {
  const runId = opts.runId ?? (await currentRunId(client));
  const out = new Map<number, LoadedColumn>();
  if (runId == null) return out;
  const filter = opts.tagIds ? ` AND tag_id = ANY('${intArrayLiteral(opts.tagIds.map((id) => Math.trunc(id)))}'::int[])` : "";
  const sql = `SELECT tag_id, version, value_type::text, enum_labels, bools, codes, nums, dates, texts FROM tag_column WHERE run_id = ${Math.trunc(runId)}${filter}`;
  await copyOut(client, sql, (buf, starts, lengths) => {
    const tagId = buf.readInt32BE(starts[0]!);
    const version = buf.readInt32BE(starts[1]!);
    const valueType = buf.toString("utf8", starts[2]!, starts[2]! + lengths[2]!) as StoredValueType;
    const field = [4, 5, 6, 7, 8].find((k) => lengths[k]! >= 0);
    const n = field === undefined ? 0 : arrayView(buf, starts[field]!).n;
    const size = opts.size ?? n + 1;
    let column: Column;
    switch (valueType) {
      case "BOOLEAN":
        column = { type: "bool", data: decodeBoolArray(buf, starts[4]!, size) };
        break;
      case "ENUM": {
        const dict: string[] = [];
        if (lengths[3]! >= 0) arrayView(buf, starts[3]!).forEach((_i, p, len) => dict.push(buf.toString("utf8", p, p + len)));
        column = { type: "label", data: decodeInt2Array(buf, starts[5]!, size), dict };
        break;
      }
      case "NUMBER":
        column = { type: "num", data: decodeFloat8Array(buf, starts[6]!, size) };
        break;
      case "DATE":
        column = { type: "date", data: decodeDateArray(buf, starts[7]!, size) };
        break;
      case "TEXT":
        column = { type: "text", data: decodeTextArray(buf, starts[8]!, size) };
        break;
    }
    out.set(tagId, { runId, tagId, version, valueType, column });
  });
  return out;
}

/**
 * Drops the stored values of runs that are neither current nor among the last `keep` successful
 * ones (history of run records and statistics stays). Returns the number of columns removed.
 */
export async function pruneRunColumns(client: pg.ClientBase, keep = 3): Promise<number> {
  const { rowCount } = await client.query(
    `DELETE FROM tag_column WHERE run_id NOT IN (
       SELECT run_id FROM tag_current_run
       UNION SELECT id FROM (SELECT id FROM tag_run WHERE status = 'SUCCEEDED' ORDER BY as_of DESC, id DESC LIMIT $1) k)`,
    [keep],
  );
  return rowCount ?? 0;
}
