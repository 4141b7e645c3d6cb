/**
 * The staging table of a batch: a temporary table living only inside the batch's transaction
 * (ON COMMIT DROP), filled in chunks with one `INSERT … SELECT FROM unnest(arrays)` each, then
 * checked and applied with set-based SQL. Nothing of it survives a rejected batch.
 */
import { Prisma } from "@mkt/db";
import type { RowIssue } from "./issues";

export type Tx = Prisma.TransactionClient;

export const STAGE = "stg_import";

/** A staged column: its name, PostgreSQL type, and how to read it from a validated row. */
export interface StageColumn<R> {
  name: string;
  type: "int" | "text" | "date" | "numeric" | "timestamptz";
  value(row: R, raw: Record<string, unknown>): string | number | null;
}

/** Rows per INSERT: large enough to amortise the round trip, small enough for the parameter size. */
export const STAGE_CHUNK = 5_000;

export async function createStage<R>(tx: Tx, columns: StageColumn<R>[], workColumns: string): Promise<void> {
  const cols = columns.map((c) => `"${c.name}" ${c.type}`).join(", ");
  await tx.$executeRawUnsafe(`DROP TABLE IF EXISTS ${STAGE}`);
  await tx.$executeRawUnsafe(`CREATE TEMP TABLE ${STAGE} (line int PRIMARY KEY, ${cols}${workColumns ? `, ${workColumns}` : ""}) ON COMMIT DROP`);
}

export interface StagedRow<R> {
  line: number;
  row: R;
  raw: Record<string, unknown>;
}

export async function insertStageChunk<R>(tx: Tx, columns: StageColumn<R>[], rows: StagedRow<R>[]): Promise<void> {
  if (rows.length === 0) return;
  const names = ["line", ...columns.map((c) => c.name)].map((n) => `"${n}"`).join(", ");
  const arrays = [
    Prisma.sql`${rows.map((r) => r.line)}::int[]`,
    ...columns.map((c) => Prisma.sql`${rows.map((r) => c.value(r.row, r.raw))}::${Prisma.raw(c.type)}[]`),
  ];
  await tx.$executeRaw`INSERT INTO ${Prisma.raw(STAGE)} (${Prisma.raw(names)}) SELECT * FROM unnest(${Prisma.join(arrays)})`;
}

/** Indexes the join columns and gathers statistics (autovacuum never analyses temporary tables). */
export async function finishStage(tx: Tx, indexColumns: string[]): Promise<void> {
  for (const c of indexColumns) await tx.$executeRawUnsafe(`CREATE INDEX ON ${STAGE} ("${c}")`);
  await tx.$executeRawUnsafe(`ANALYZE ${STAGE}`);
}

/** Later rows repeating an earlier row's natural key, each pointing at the first occurrence. */
export async function duplicateKeyIssues(tx: Tx, keyColumn: string): Promise<RowIssue[]> {
  const rows = await tx.$queryRawUnsafe<{ line: number; first_line: number }[]>(
    `SELECT line, first_line FROM (SELECT line, min(line) OVER (PARTITION BY "${keyColumn}") AS first_line FROM ${STAGE}) d
     WHERE line <> first_line ORDER BY line`,
  );
  return rows.map((r) => ({ line: r.line, field: keyColumn, code: "DUPLICATE_KEY", params: { firstLine: r.first_line } }));
}

/** Issues for the staged lines a query returns (`SELECT line FROM stg_import WHERE …`). */
export async function linesToIssues(tx: Tx, query: Prisma.Sql, field: string, code: RowIssue["code"]): Promise<RowIssue[]> {
  const rows = await tx.$queryRaw<{ line: number }[]>(query);
  return rows.map((r) => ({ line: r.line, field, code }));
}

/** Inserted / updated counts of an upsert whose RETURNING yields `(xmax = 0) AS inserted`. */
export async function countUpsert(tx: Tx, upsert: Prisma.Sql): Promise<{ inserted: number; updated: number }> {
  const [r] = await tx.$queryRaw<{ inserted: number; updated: number }[]>`
    WITH u AS (${upsert})
    SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM u`;
  return r ?? { inserted: 0, updated: 0 };
}
