/**
 * The SQL side of the export cell store (`export_cell_block`): masked export cells kept per block
 * of 4,096 customer ids and per customer field, each block's cells of a field in one binary value
 * (its layout is core's: packages/core/src/exports/cell-store.ts). A block is current while
 * `export_block_change` has no row for it: triggers on `customer` and `customer_card` add one in
 * the transaction of every change (prisma/sql/096_export_cell_store.sql), and the builder deletes
 * the rows it saw when it rebuilds the block. Readers and the builder each work inside one
 * REPEATABLE READ transaction, so which blocks are current and what they hold come from one
 * snapshot.
 */
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { CopyBinaryWriter, int4Field, textField } from "../tags/pg-binary";
import { copyRows, type CustomerField, type RowHandler } from "./member-rows";

/** Customer ids per block: block b holds ids b·4096 … b·4096 + 4095. */
export const CELL_BLOCK_BITS = 12;
export const CELL_BLOCK = 1 << CELL_BLOCK_BITS;

/** The customer fields the store holds (every field an export can choose, and the org path for scope checks). */
export const STORE_FIELDS = ["customerNo", "name", "gender", "phone", "certNo", "cardNo", "city", "openedAt", "orgUnitId", "rmId", "orgPath"] as const satisfies readonly CustomerField[];
export type StoreField = (typeof STORE_FIELDS)[number];
/**
 * Tags whose values the store also keeps (field `tag:<CODE>`), built from the current tag run: the
 * ones behind the standard columns AUM and risk level (core's exports/columns.ts).
 */
export const STORE_TAG_CODES = ["AUM_LATEST", "RISK_LEVEL"] as const;
export const tagField = (code: string) => `tag:${code}` as const;
/** The block's customers: a bitset of which of its ids are customers (bit i of byte i >> 3). */
export const ROW_FIELD = "row";
export type StoredField = StoreField | typeof ROW_FIELD | `tag:${string}`;

/** Every field a complete block holds. */
export const ALL_STORED_FIELDS: readonly StoredField[] = [ROW_FIELD, ...STORE_FIELDS, ...STORE_TAG_CODES.map(tagField)];

/** A stored field is current when its block has no change since, and (tag fields) it was built from run `$run`. */
const CURRENT_FIELD = "(c.run_id IS NOT DISTINCT FROM CASE WHEN c.field LIKE 'tag:%' THEN $run::int4 END)";

const quote = (name: string) => `'${name.replace(/'/g, "''")}'`;
const literal = (names: readonly string[]) => names.map(quote).join(", ");

/** Starts the snapshot a reader or the builder works in (commit or roll back when done). */
export const STORE_SNAPSHOT_SQL = "BEGIN ISOLATION LEVEL REPEATABLE READ";

/**
 * Blocks in `lo … hi` whose cells of every one of `fields` are current (ascending), tag fields
 * built from tag run `runId` (the run the export reads).
 */
export async function currentBlocks(client: pg.ClientBase, lo: number, hi: number, fields: readonly StoredField[], runId: number | null): Promise<number[]> {
  const { rows } = await client.query<{ b: number }>(
    `SELECT c.block_no AS b FROM export_cell_block c
      WHERE c.block_no BETWEEN $1 AND $2 AND c.field = ANY($3::text[]) AND ${CURRENT_FIELD.replace("$run", "$5")}
        AND NOT EXISTS (SELECT 1 FROM export_block_change x WHERE x.block_no = c.block_no)
      GROUP BY c.block_no HAVING count(*) = $4 ORDER BY 1`,
    [lo, hi, fields, fields.length, runId],
  );
  return rows.map((r) => r.b);
}

/**
 * Streams the cells of `blocks` (ascending, all current as `currentBlocks` said in this snapshot),
 * block by block, each block's fields in the order of `fields`: `onCells(block, field index, buf,
 * start, length)`, the bytes valid during the call only.
 */
export function copyBlocks(
  client: pg.ClientBase,
  blocks: readonly number[],
  fields: readonly StoredField[],
  onCells: (block: number, field: number, buf: Buffer, start: number, length: number) => void,
  afterBatch: () => Promise<void> | void,
): Promise<number> {
  const order = fields.map((f, i) => `WHEN ${quote(f)} THEN ${i}`).join(" ");
  const select = `SELECT c.block_no, (CASE c.field ${order} END)::int4, c.data FROM export_cell_block c
    WHERE c.block_no = ANY('{${blocks.map((b) => b | 0).join(",")}}'::int4[]) AND c.field IN (${literal(fields)}) ORDER BY c.block_no, 2`;
  const onRow: RowHandler = (block, buf, starts, lens) => onCells(block, buf.readInt32BE(starts[0]!), buf, starts[1]!, lens[1]!);
  return copyRows(client, select, 2, onRow, afterBatch);
}

/**
 * Blocks (up to `max`, ascending) that are not current: never built, changed since, missing a
 * field, or with tag cells of another run than `runId`. Covers every block up to the highest
 * customer id.
 */
export async function staleBlocks(client: pg.ClientBase, max: number, runId: number | null): Promise<number[]> {
  const fields = ALL_STORED_FIELDS;
  const { rows } = await client.query<{ b: number }>(
    `SELECT s.b FROM generate_series(0, (SELECT coalesce(max(id), 0) FROM customer) >> ${CELL_BLOCK_BITS}) AS s(b)
      WHERE EXISTS (SELECT 1 FROM export_block_change x WHERE x.block_no = s.b)
         OR (SELECT count(*) FROM export_cell_block c WHERE c.block_no = s.b AND c.field = ANY($1::text[]) AND ${CURRENT_FIELD.replace("$run", "$4")}) < $2
      ORDER BY 1 LIMIT $3`,
    [fields, fields.length, max, runId],
  );
  return rows.map((r) => r.b);
}

export interface BuiltCells {
  block: number;
  field: StoredField;
  /** Tag fields: the run their values come from. */
  runId: number | null;
  data: Buffer;
}

/**
 * Replaces the cells of the given blocks (every field) with `cells`, and deletes the changes of
 * those blocks this snapshot sees (the ones the cells were built after): one DELETE each, one
 * binary COPY. Call in the REPEATABLE READ transaction that read the rows.
 */
export async function writeBlocks(client: pg.ClientBase, blocks: readonly number[], cells: Iterable<BuiltCells>): Promise<void> {
  await client.query("DELETE FROM export_block_change WHERE block_no = ANY($1::int4[])", [blocks]);
  await client.query("DELETE FROM export_cell_block WHERE block_no = ANY($1::int4[])", [blocks]);
  const w = new CopyBinaryWriter(client.query(copyFrom("COPY export_cell_block (block_no, field, run_id, data) FROM STDIN (FORMAT binary)")));
  await w.start();
  for (const c of cells) await w.tuple([int4Field(c.block), textField(c.field), c.runId === null ? null : int4Field(c.runId), c.data]);
  await w.end();
}
