/**
 * The export cell store against a real bank of ~12,600 customers (four blocks of 4,096 ids): the
 * store's files are byte for byte the row path's (CSV and XLSX, every standard column, org scope,
 * formula-like, quoted, CJK and emoji text), and a block is used only while it is current — the
 * triggers on `customer` and `customer_card` take it out of use in the transaction of a change,
 * the export reads its rows meanwhile, and a refresh rebuilds exactly the changed blocks.
 */
import { Writable } from "node:stream";
import pg from "pg";
import roaring from "roaring";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthesizeCustomers, synthesizeTagValues } from "@mkt/db/exports/synthetic";
import { seedBank } from "@mkt/db/seed/index";
import { connectPg } from "@mkt/db/tags/storage";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { mask } from "../auth/masking";
import { seedTagCenter } from "../tags/seed";
import { refreshCellStore } from "./cell-store";
import { planExport, STANDARD_COLUMNS, type ExportColumn } from "./columns";
import type { ExportFormat } from "./sink";
import { streamExport } from "./stream-export";

const { RoaringBitmap32 } = roaring;

let t: TestDb;
let client: pg.Client;
let sql: pg.Client;
let total: number;

beforeAll(async () => {
  t = await createTestDb();
  const { asOf } = await seedBank(t.url, { customers: 300, seed: 5, asOf: "2026-06-30" });
  await seedTagCenter(t.url, { asOf });
  sql = new pg.Client({ connectionString: t.url });
  await sql.connect();
  const range = await synthesizeCustomers(sql, 12_300);
  await synthesizeTagValues(sql, range);
  // personal text the fast paths do not take: an ASCII name, spaces, a short phone
  await sql.query(`UPDATE customer SET name = ' Li Lei ', phone = '12345' WHERE id = 4100`);
  await sql.query(`UPDATE customer SET cert_no = NULL, city = '' WHERE id = 4101`);
  total = range.to;
  client = await connectPg(t.url, { copyReads: true });
}, 240_000);

afterAll(async () => {
  await client?.end();
  await sql?.end();
  await t?.drop();
});

/** Every customer but each 7th. */
function members(): InstanceType<typeof RoaringBitmap32> {
  const b = new RoaringBitmap32();
  b.addRange(1, total + 1);
  for (let i = 7; i <= total; i += 7) b.remove(i);
  return b;
}

const ALL_COLUMNS: ExportColumn[] = [...STANDARD_COLUMNS];

async function exportBytes(
  format: ExportFormat,
  opts: { store: boolean; masked?: boolean; scopePath?: string; members?: InstanceType<typeof RoaringBitmap32>; columns?: ExportColumn[] },
) {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(Buffer.from(chunk));
      cb();
    },
  });
  const plan = await planExport(t.db, opts.columns ?? ALL_COLUMNS, "zh-CN");
  const { rows, storeRows } = await streamExport({
    client,
    members: opts.members ?? members(),
    plan,
    masked: opts.masked ?? true,
    format,
    out,
    scopePath: opts.scopePath,
    memberChunk: 5_000,
    cellStore: opts.store,
  });
  return { bytes: Buffer.concat(chunks), rows, storeRows };
}

const blockCount = () => (total >> 12) + 1;
const storedBlocks = async () => Number((await sql.query<{ n: string }>("SELECT count(DISTINCT block_no) AS n FROM export_cell_block")).rows[0]!.n);

describe("export cell store", () => {
  it("is built for every block of customer ids, and a second refresh has nothing to do", async () => {
    expect(await refreshCellStore(client, { batch: 3 })).toEqual({ blocks: blockCount(), stale: blockCount() });
    expect(await storedBlocks()).toBe(blockCount());
    expect(await refreshCellStore(client)).toEqual({ blocks: 0, stale: 0 });
  });

  it.each(["CSV", "XLSX"] as const)("writes %s byte for byte as the row path, every standard column masked", async (format) => {
    const store = await exportBytes(format, { store: true });
    const rows = await exportBytes(format, { store: false });
    expect(store.rows).toBe(total - Math.floor(total / 7));
    expect(store.storeRows).toBe(store.rows);
    expect(rows.storeRows).toBe(0);
    expect(store.bytes.equals(rows.bytes)).toBe(true);
    if (format === "XLSX") return; // zipped: equal bytes are the check
    const text = store.bytes.toString("utf8");
    // the synthetic bank's formula-like cities are in the file, neutralised ('+北京' is every
    // 7th customer, not a member); names are masked
    for (const city of ["'-上海", "'@深圳", "\"'\r杭州\""]) expect(text).toContain(city);
    expect(text).toContain(`,${mask("phone", "12345")},`);
  });

  it("serves the standard tag columns from the store, other tags from the tag run, and stops using cells of another run", async () => {
    const { rows: other } = await sql.query<{ code: string }>(`
      SELECT t.code FROM tag t JOIN tag_column c ON c.tag_id = t.id JOIN tag_current_run r ON r.run_id = c.run_id
       WHERE t.status = 'PUBLISHED' AND t.value_type = 'NUMBER' AND t.code NOT IN ('AUM_LATEST', 'RISK_LEVEL') ORDER BY t.code LIMIT 1`);
    const columns: ExportColumn[] = ["customerNo", "aum", "riskLevel", `tag:${other[0]!.code}` as ExportColumn, "tag:AUM_LATEST"];
    const mixed = await exportBytes("XLSX", { store: true, columns });
    expect(mixed.storeRows).toBe(mixed.rows);
    expect(mixed.bytes.equals((await exportBytes("XLSX", { store: false, columns })).bytes)).toBe(true);
    // cells built from an older tag run are not current for this one: block 0 is read row by row
    await sql.query("UPDATE export_cell_block SET run_id = run_id - 1 WHERE block_no = 0 AND field LIKE 'tag:%'");
    const older = await exportBytes("CSV", { store: true, columns: ["customerNo", "aum"] });
    expect(older.storeRows).toBe(older.rows - members().rangeCardinality(0, 4096));
    expect(older.bytes.equals((await exportBytes("CSV", { store: false, columns: ["customerNo", "aum"] })).bytes)).toBe(true);
    expect(await refreshCellStore(client)).toEqual({ blocks: 1, stale: 1 });
  });

  it("keeps to the org scope as the row path does", async () => {
    const { rows: units } = await sql.query<{ path: string }>("SELECT path FROM org_unit WHERE level = 'BRANCH' ORDER BY code LIMIT 1");
    const scopePath = units[0]!.path;
    const store = await exportBytes("CSV", { store: true, scopePath });
    const rows = await exportBytes("CSV", { store: false, scopePath });
    expect(store.rows).toBeGreaterThan(0);
    expect(store.rows).toBeLessThan(total - Math.floor(total / 7));
    expect(store.storeRows).toBe(store.rows);
    expect(store.bytes.equals(rows.bytes)).toBe(true);
  });

  it("is not read by an unmasked export with personal data, nor for blocks with few members", async () => {
    const unmasked = await exportBytes("CSV", { store: true, masked: false });
    expect(unmasked.storeRows).toBe(0);
    // without personal columns, masking changes nothing: the store serves it
    const plain = await exportBytes("CSV", { store: true, masked: false, columns: ["customerNo", "branch", "openedAt", "aum"] });
    expect(plain.storeRows).toBe(plain.rows);
    const sparse = new RoaringBitmap32(Array.from({ length: 40 }, (_v, i) => 1 + i * 300));
    const few = await exportBytes("XLSX", { store: true, members: sparse });
    expect(few.rows).toBe(40);
    expect(few.storeRows).toBe(0);
    expect(few.bytes.equals((await exportBytes("XLSX", { store: false, members: sparse })).bytes)).toBe(true);
  });

  it("stops using a block in the transaction that changes one of its customers, and a refresh rebuilds only that block", async () => {
    const inBlock1 = (b: InstanceType<typeof RoaringBitmap32>) => b.rangeCardinality(4096, 8192);
    // a status update changes no cell: the block stays current
    await sql.query("UPDATE customer SET status = 'DORMANT' WHERE id = 5000");
    expect((await exportBytes("CSV", { store: true })).storeRows).toBe(total - Math.floor(total / 7));

    await sql.query("BEGIN");
    await sql.query("UPDATE customer SET name = '欧阳新名' WHERE id = 5001");
    // not committed yet: exports still see the old row and the current block
    expect((await exportBytes("CSV", { store: true })).storeRows).toBe(total - Math.floor(total / 7));
    await sql.query("COMMIT");

    const changed = await exportBytes("CSV", { store: true });
    expect(changed.storeRows).toBe(changed.rows - inBlock1(members()));
    expect(changed.bytes.toString("utf8")).toContain(`,${mask("name", "欧阳新名")},`);
    expect(changed.bytes.equals((await exportBytes("CSV", { store: false })).bytes)).toBe(true);

    expect(await refreshCellStore(client)).toEqual({ blocks: 1, stale: 1 });
    const rebuilt = await exportBytes("CSV", { store: true });
    expect(rebuilt.storeRows).toBe(rebuilt.rows);
    expect(rebuilt.bytes.equals(changed.bytes)).toBe(true);
  });

  it("follows card changes (accounts) and deleted customers", async () => {
    // a lower demand account number becomes customer 9000's card (customer_card's triggers), block 2
    await sql.query(`INSERT INTO account (account_no, customer_id, kind, balance, opened_at, status) VALUES ('6000000000000009000', 9000, 'DEMAND_DEPOSIT', 1, DATE '2020-01-01', 'ACTIVE')`);
    // a deleted customer, still a member of the (older) segment, block 3
    await sql.query("DELETE FROM account WHERE customer_id = 12301");
    await sql.query("DELETE FROM customer WHERE id = 12301");
    const before = await exportBytes("CSV", { store: true });
    expect(before.rows).toBe(total - Math.floor(total / 7) - 1);
    expect(before.storeRows).toBe(before.rows - members().rangeCardinality(8192, 16384) + 1);
    expect(before.bytes.toString("utf8")).toContain(mask("cardNo", "6000000000000009000")!);
    expect(await refreshCellStore(client)).toEqual({ blocks: 2, stale: 2 });
    const after = await exportBytes("CSV", { store: true });
    expect(after.storeRows).toBe(after.rows);
    expect(after.bytes.equals(before.bytes)).toBe(true);
  });

  it("runs one refresh at a time: a second one waits and finds nothing left", async () => {
    await sql.query("UPDATE customer SET city = '南京' WHERE id IN (20, 4200)");
    const both = await Promise.all([refreshCellStore(client), refreshCellStore(sql)]);
    expect(both.map((r) => r.blocks).sort()).toEqual([0, 2]);
    expect(await refreshCellStore(client)).toEqual({ blocks: 0, stale: 0 });
  });

  it("keeps a change committed while a block was being rebuilt, and empties with a truncated source", async () => {
    // a change committed after the refresh's snapshot: its row survives the refresh's DELETE
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
    await client.query("SELECT 1 FROM export_block_change LIMIT 1"); // the snapshot
    await sql.query("UPDATE customer SET phone = '13912345678' WHERE id = 10");
    await client.query("DELETE FROM export_block_change WHERE block_no = 0");
    await client.query("COMMIT");
    const stale = await exportBytes("CSV", { store: true });
    expect(stale.storeRows).toBe(stale.rows - members().rangeCardinality(0, 4096));
    await sql.query("TRUNCATE customer_card");
    expect(await storedBlocks()).toBe(0);
    expect((await exportBytes("CSV", { store: true })).storeRows).toBe(0);
  });
});
