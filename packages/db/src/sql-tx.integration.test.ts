/**
 * Plain-connection transactions (sql-tx.ts): commit, rollback on a throw, the parameter types the
 * dispatcher binds (bigint and int arrays, dates, nulls, text with quotes), the array literals of
 * `intArrayLiteral`, and `writeAuditSql`
 * writing the row `writeAudit` writes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeAudit, writeAuditSql } from "./audit";
import { Prisma } from "./generated/prisma/client";
import { intArrayLiteral, sqlTransaction } from "./sql-tx";
import { createTestDb, type TestDb } from "./testing";

describe("sqlTransaction", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
    await t.db.$executeRawUnsafe("CREATE TABLE sql_tx_probe (id bigint PRIMARY KEY, n int, at timestamptz, label text)");
  }, 120_000);
  afterAll(async () => {
    await t?.drop();
  });

  it("commits what the function wrote and returns its result", async () => {
    const at = new Date("2026-11-30T08:15:30.250Z");
    const ids = [10n ** 12n + 1n, 10n ** 12n + 2n];
    const out = await sqlTransaction(t.db, async (tx) => {
      const n = await tx.run(Prisma.sql`
        INSERT INTO sql_tx_probe (id, n, at, label)
        SELECT u.id, u.n, ${at}::timestamptz, u.label FROM unnest(${ids}::bigint[], ${[7, 8]}::int[], ${['a "quoted", b', null]}::text[]) AS u(id, n, label)`);
      const rows = await tx.rows<{ id: string; n: number; at: Date; label: string | null }>(Prisma.sql`SELECT id, n, at, label FROM sql_tx_probe ORDER BY id`);
      return { n, rows };
    });
    expect(out.n).toBe(2);
    expect(out.rows).toEqual([
      { id: String(ids[0]), n: 7, at, label: 'a "quoted", b' },
      { id: String(ids[1]), n: 8, at, label: null },
    ]);
    expect(await t.db.$queryRaw<{ c: number }[]>`SELECT count(*)::int AS c FROM sql_tx_probe`).toEqual([{ c: 2 }]);
  });

  it("rolls back everything when the function throws, and the connection stays usable", async () => {
    await expect(
      sqlTransaction(t.db, async (tx) => {
        await tx.run(Prisma.sql`INSERT INTO sql_tx_probe (id, n) VALUES (${1n}, ${1})`);
        throw new Error("provider down");
      }),
    ).rejects.toThrow("provider down");
    await expect(sqlTransaction(t.db, (tx) => tx.run(Prisma.sql`INSERT INTO sql_tx_probe (id, n) VALUES (${2n}, ${"not a number"})`))).rejects.toThrow(/integer/);
    const ids = await sqlTransaction(t.db, (tx) => tx.rows<{ id: string }>(Prisma.sql`SELECT id FROM sql_tx_probe WHERE id < 100 ORDER BY id`));
    expect(ids).toEqual([]);
  });

  it("intArrayLiteral binds whole numbers as one int4[] / int8[] parameter, and refuses anything else", async () => {
    const big = [String(2n ** 62n), "-7", "0"];
    const [row] = await sqlTransaction(t.db, (tx) =>
      tx.rows<{ ints: number[]; bigs: string[]; empty: number[] }>(Prisma.sql`
        SELECT ${intArrayLiteral([3, -1, 2_147_483_647])}::int[] AS ints, ${intArrayLiteral(big)}::bigint[] AS bigs, ${intArrayLiteral([])}::int[] AS empty`),
    );
    expect(row).toEqual({ ints: [3, -1, 2_147_483_647], bigs: big, empty: [] });
    expect(intArrayLiteral([1n, 2, "3"])).toBe("{1,2,3}");
    for (const bad of [1.5, Number.NaN, 2 ** 60, "1,2", "12}", "", "1e3"]) expect(() => intArrayLiteral([1, bad])).toThrow(/not a whole number/);
  });

  it("prepares only the statements asked to (named, once per connection); the others stay unnamed", async () => {
    const prepared = Prisma.sql`SELECT count(*)::int AS n FROM sql_tx_probe WHERE n > ${0}`;
    const unnamed = Prisma.sql`SELECT count(*)::int AS n FROM sql_tx_probe WHERE n < ${0}`;
    const seen = await sqlTransaction(t.db, async (tx) => {
      for (let i = 0; i < 2; i++) {
        await tx.rows(prepared, { prepare: true });
        await tx.rows(unnamed);
      }
      return tx.rows<{ statement: string }>(Prisma.sql`SELECT statement FROM pg_prepared_statements WHERE statement LIKE 'SELECT count(*)::int AS n FROM sql_tx_probe%'`);
    });
    expect(seen.map((r) => r.statement)).toEqual([prepared.text]);
  });

  it("writeAuditSql writes the row writeAudit writes", async () => {
    const entry = {
      action: "LAUNCH" as const,
      actor: null,
      targetType: "campaign",
      targetId: "c-1",
      reason: "budget reached",
      details: { control: "pause", budget: 12.5, runId: "r-1" },
    };
    await writeAudit(t.db, entry);
    await sqlTransaction(t.db, (tx) => writeAuditSql(tx, entry));
    const rows = await t.db.auditLog.findMany({ where: { targetId: "c-1" }, orderBy: { id: "asc" } });
    expect(rows).toHaveLength(2);
    const strip = ({ id: _id, at: _at, ...rest }: (typeof rows)[number]) => rest;
    expect(strip(rows[1]!)).toEqual(strip(rows[0]!));
    expect(rows[1]!.details).toEqual(entry.details);
  });
});
