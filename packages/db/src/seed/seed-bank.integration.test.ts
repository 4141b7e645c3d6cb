import { verify } from "@node-rs/argon2";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../testing";
import { pgConfigFromUrl } from "../pg-config";
import { SEEDED_TABLES, STREAMED_TABLES } from "./copy/tables";
import { createCustomer, createOrgTree, createUser } from "./factories";
import { captureDdl, dropForLoad } from "./load/ddl";
import { DEMO_PASSWORD } from "./staff";
import { SeedRefusedError, seedBank, type SeedResult } from "./seed-bank";

const CUSTOMERS = 2000;

/** Index and constraint definitions of the public schema, for before/after comparison. */
async function schemaShape(c: pg.Client): Promise<string[]> {
  const { rows: idx } = await c.query<{ d: string }>("SELECT indexdef AS d FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1");
  const { rows: con } = await c.query<{ d: string }>(
    "SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated AS d FROM pg_constraint WHERE connamespace = current_schema()::regnamespace ORDER BY 1",
  );
  return [...idx, ...con].map((r) => r.d);
}

/** Rows whose single-column foreign key points nowhere, per constraint. */
async function danglingReferences(c: pg.Client): Promise<Record<string, number>> {
  const { rows: fks } = await c.query<{ name: string; child: string; col: string; parent: string; pcol: string }>(
    `SELECT c.conname AS name, c.conrelid::regclass::text AS child, a.attname AS col, c.confrelid::regclass::text AS parent, pa.attname AS pcol
       FROM pg_constraint c
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
      WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace AND cardinality(c.conkey) = 1`,
  );
  const out: Record<string, number> = {};
  for (const fk of fks) {
    const { rows } = await c.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${fk.child} x WHERE x."${fk.col}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${fk.parent} p WHERE p."${fk.pcol}" = x."${fk.col}")`,
    );
    out[fk.name] = Number(rows[0]!.n);
  }
  return out;
}

describe("seedBank", () => {
  let t: TestDb;
  let client: pg.Client;
  let before: string[];
  let result: SeedResult;

  beforeAll(async () => {
    t = await createTestDb();
    client = new pg.Client(pgConfigFromUrl(t.url));
    await client.connect();
    before = await schemaShape(client);
    result = await seedBank(t.url, { customers: CUSTOMERS, seed: 11, asOf: "2026-06-30" });
  });

  afterAll(async () => {
    await client?.end();
    await t?.drop();
  });

  it("loads every table and reports the counts it loaded", async () => {
    expect(result.counts.customer).toBe(CUSTOMERS);
    for (const table of SEEDED_TABLES) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`);
      expect(Number(rows[0]!.n), table).toBe(result.counts[table]);
      expect(result.counts[table], table).toBeGreaterThan(0);
    }
    expect(result.counts.transaction! / CUSTOMERS).toBeGreaterThan(15);
  });

  it("leaves exactly the migrated keys, indexes and foreign keys, all valid", async () => {
    expect(await schemaShape(client)).toEqual(before);
    const { rows } = await client.query("SELECT key FROM setting WHERE key = 'seed.pendingRestore'");
    expect(rows).toHaveLength(0);
  });

  it("writes no dangling references", async () => {
    const dangling = await danglingReferences(client);
    expect(Object.keys(dangling).length).toBeGreaterThan(10);
    expect(Object.entries(dangling).filter(([, n]) => n > 0)).toEqual([]);
  });

  it("advances the id sequences, so application inserts continue after the seeded ids", async () => {
    const tree = await createOrgTree(t.db);
    const customer = await createCustomer(t.db, { orgUnit: tree.subBranch });
    expect(customer.id).toBe(CUSTOMERS + 1);
    const account = await t.db.account.create({ data: { accountNo: `X${customer.id}`, customerId: customer.id, kind: "DEMAND_DEPOSIT", balance: 1, openedAt: new Date() } });
    expect(Number(account.id)).toBe(result.counts.account! + 1);
    const txn = await t.db.transaction.create({ data: { txnNo: `X${customer.id}`, customerId: customer.id, txnTime: new Date(), type: "DEPOSIT", channel: "BRANCH", amount: 1 } });
    expect(Number(txn.id)).toBe(result.counts.transaction! + 1);
    const event = await t.db.appEvent.create({ data: { customerId: customer.id, eventTime: new Date(), eventType: "LOGIN" } });
    expect(Number(event.id)).toBe(result.counts.app_event! + 1);
  });

  it("creates demo users of every role whose password verifies", async () => {
    const demo = result.roster.users.filter((u) => u.demo);
    expect(new Set(demo.map((u) => u.role))).toEqual(new Set(["ADMIN", "MARKETING_MANAGER", "ANALYST", "APPROVER", "BRANCH_MANAGER", "RM"]));
    for (const username of ["admin", "marketing", "analyst", "approver", "bm_br01", "rm_br01s01", "rm_br01s01_2"]) {
      const user = await t.db.user.findUniqueOrThrow({ where: { username }, include: { accounts: true, orgUnit: true } });
      const credential = user.accounts.find((a) => a.providerId === "credential");
      expect(credential?.accountId).toBe(user.id);
      expect(await verify(credential!.password!, DEMO_PASSWORD), username).toBe(true);
      expect(await verify(credential!.password!, "wrong"), username).toBe(false);
    }
    const rm = await t.db.user.findUniqueOrThrow({ where: { username: "rm_br01s01" }, include: { orgUnit: true } });
    expect(rm.orgUnit.path).toBe("/HO/BR01/BR01S01/");
    const bulk = await t.db.authAccount.findFirstOrThrow({ where: { user: { username: { startsWith: "rm_br05" } } } });
    expect(await verify(bulk.password!, DEMO_PASSWORD)).toBe(true);
  });

  it("keeps BR01 and BR10 subtrees apart and every customer inside its sub-branch's path", async () => {
    const { rows } = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM customer c JOIN org_unit o ON o.id = c.org_unit_id WHERE c.org_path <> o.path OR o.level <> 'SUB_BRANCH'",
    );
    expect(Number(rows[0]!.n)).toBe(0);
    const { rows: br01 } = await client.query<{ code: string }>("SELECT code FROM org_unit WHERE path LIKE '/HO/BR01/%' ORDER BY code");
    expect(br01.map((r) => r.code)).toEqual(["BR01", "BR01S01", "BR01S02", "BR01S03", "BR01S04"]);
  });

  it("refuses a database that already has bank data unless reset, and recovers from an interrupted seed", async () => {
    await expect(seedBank(t.url, { customers: 10, seed: 11 })).rejects.toBeInstanceOf(SeedRefusedError);
    // Simulate a seed killed after dropping keys and indexes.
    await client.query("BEGIN");
    // Foreign keys too: the path a seed without superuser rights takes.
    await dropForLoad(client, await captureDdl(client, STREAMED_TABLES.map((s) => s.table), true));
    await client.query("COMMIT");
    expect(await schemaShape(client)).not.toEqual(before);
    const again = await seedBank(t.url, { customers: 300, seed: 12, asOf: "2026-06-30", reset: true });
    expect(again.counts.customer).toBe(300);
    expect(await schemaShape(client)).toEqual(before);
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM customer");
    expect(Number(rows[0]!.n)).toBe(300);
  });

  it("factories create an org tree with prefix-confusable codes, users and customers", async () => {
    const tree = await createOrgTree(t.db);
    expect(tree.prefixBranch.code.startsWith(tree.branch.code)).toBe(true);
    expect(tree.prefixSubBranch.path.startsWith(tree.branch.path)).toBe(false);
    const user = await createUser(t.db, { role: "RM", orgUnit: tree.subBranch, password: "pw-123456" });
    const account = await t.db.authAccount.findFirstOrThrow({ where: { userId: user.id } });
    expect(await verify(account.password!, "pw-123456")).toBe(true);
    const customer = await createCustomer(t.db, { orgUnit: tree.subBranch, rm: user });
    expect(customer.orgPath).toBe(tree.subBranch.path);
    expect(customer.rmId).toBe(user.id);
  });
});
