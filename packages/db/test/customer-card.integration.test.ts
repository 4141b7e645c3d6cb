/**
 * customer_card (prisma/sql/095_customer_card.sql): each customer's lowest demand-deposit account
 * number, kept exact by statement-level triggers on `account` — after the seed's COPY loaders
 * (which run with session_replication_role = replica), multi-row inserts, updates of number, kind
 * or owner, deletes, customer deletes (cascade), TRUNCATE and two transactions changing one
 * customer's accounts at once. After every step the table is compared with the aggregate it stands for.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgConfigFromUrl } from "../src/pg-config";
import { seedBank } from "../src/seed/index";
import { createTestDb, type TestDb } from "../src/testing";

let t: TestDb;
let c: pg.Client;

/** customer_card as it should be, from `account`. */
async function expected(): Promise<Map<number, string>> {
  const { rows } = await c.query<{ customer_id: number; card_no: string }>(
    "SELECT customer_id, min(account_no) AS card_no FROM account WHERE kind = 'DEMAND_DEPOSIT' GROUP BY customer_id",
  );
  return new Map(rows.map((r) => [r.customer_id, r.card_no]));
}

async function actual(): Promise<Map<number, string>> {
  const { rows } = await c.query<{ customer_id: number; card_no: string }>("SELECT customer_id, card_no FROM customer_card");
  return new Map(rows.map((r) => [r.customer_id, r.card_no]));
}

async function cardOf(customerId: number): Promise<string | null> {
  const { rows } = await c.query<{ card_no: string }>("SELECT card_no FROM customer_card WHERE customer_id = $1", [customerId]);
  return rows[0]?.card_no ?? null;
}

async function expectExact(): Promise<void> {
  const [want, got] = [await expected(), await actual()];
  expect(got.size).toBe(want.size);
  expect(got).toEqual(want);
}

/** A customer with no accounts (copied from customer 1 but for its keys). */
async function newCustomer(): Promise<number> {
  const { rows } = await c.query<{ id: number }>(
    `INSERT INTO customer (customer_no, name, org_unit_id, org_path, opened_at)
     SELECT 'T' || nextval('customer_id_seq'), name, org_unit_id, org_path, opened_at FROM customer WHERE id = 1 RETURNING id`,
  );
  return rows[0]!.id;
}

async function addAccounts(customerId: number, accounts: [string, string][]): Promise<void> {
  const values = accounts.map((_a, i) => `($${i * 2 + 2}, $1, $${i * 2 + 3}::"ProductCategory", 0, DATE '2020-01-01')`).join(", ");
  await c.query(`INSERT INTO account (account_no, customer_id, kind, balance, opened_at) VALUES ${values}`, [customerId, ...accounts.flat()]);
}

beforeAll(async () => {
  t = await createTestDb();
  // the seed loads `account` with one COPY under session_replication_role = replica (as superuser)
  await seedBank(t.url, { customers: 120, seed: 7, asOf: "2026-06-30" });
  c = new pg.Client(pgConfigFromUrl(t.url));
  await c.connect();
}, 180_000);

afterAll(async () => {
  await c?.end();
  await t?.drop();
});

describe("customer_card", () => {
  it("holds every seeded customer's lowest demand-deposit account after the seed", async () => {
    const want = await expected();
    expect(want.size).toBeGreaterThan(50);
    await expectExact();
  });

  it("follows multi-row inserts: the lowest demand account, other kinds ignored, no row without one", async () => {
    const a = await newCustomer();
    const b = await newCustomer();
    await addAccounts(a, [["6222000000000000500", "DEMAND_DEPOSIT"], ["6222000000000000300", "DEMAND_DEPOSIT"], ["6222000000000000100", "TIME_DEPOSIT"]]);
    await addAccounts(b, [["6222000000000000900", "LOAN"]]);
    expect(await cardOf(a)).toBe("6222000000000000300");
    expect(await cardOf(b)).toBeNull();
    // a lower one replaces it, a higher one does not
    await addAccounts(a, [["6222000000000000200", "DEMAND_DEPOSIT"]]);
    await addAccounts(a, [["6222000000000000250", "DEMAND_DEPOSIT"]]);
    expect(await cardOf(a)).toBe("6222000000000000200");
    await addAccounts(b, [["6222000000000000950", "DEMAND_DEPOSIT"]]);
    expect(await cardOf(b)).toBe("6222000000000000950");
    await expectExact();
  });

  it("follows updates of number, kind and owner; a balance update changes nothing", async () => {
    const a = await newCustomer();
    const b = await newCustomer();
    await addAccounts(a, [["6222000000000001100", "DEMAND_DEPOSIT"], ["6222000000000001200", "DEMAND_DEPOSIT"]]);
    await addAccounts(b, [["6222000000000001300", "DEMAND_DEPOSIT"]]);
    await c.query("UPDATE account SET balance = balance + 1 WHERE customer_id = ANY($1)", [[a, b]]);
    expect(await cardOf(a)).toBe("6222000000000001100");
    // the card account becomes a time deposit: the next demand account is the card
    await c.query("UPDATE account SET kind = 'TIME_DEPOSIT' WHERE account_no = '6222000000000001100'");
    expect(await cardOf(a)).toBe("6222000000000001200");
    // renumbered below the rest
    await c.query("UPDATE account SET account_no = '6222000000000001050' WHERE account_no = '6222000000000001200'");
    expect(await cardOf(a)).toBe("6222000000000001050");
    // moved to another customer: a has none left, b gets the lower number
    await c.query("UPDATE account SET customer_id = $1 WHERE account_no = '6222000000000001050'", [b]);
    expect(await cardOf(a)).toBeNull();
    expect(await cardOf(b)).toBe("6222000000000001050");
    // back to a demand deposit
    await c.query("UPDATE account SET kind = 'DEMAND_DEPOSIT' WHERE account_no = '6222000000000001100'");
    expect(await cardOf(a)).toBe("6222000000000001100");
    await expectExact();
  });

  it("follows deletes of accounts and of customers (cascade)", async () => {
    const a = await newCustomer();
    await addAccounts(a, [["6222000000000002100", "DEMAND_DEPOSIT"], ["6222000000000002200", "DEMAND_DEPOSIT"], ["6222000000000002300", "DEMAND_DEPOSIT"]]);
    await c.query("DELETE FROM account WHERE account_no = '6222000000000002300'");
    expect(await cardOf(a)).toBe("6222000000000002100");
    await c.query("DELETE FROM account WHERE account_no = '6222000000000002100'");
    expect(await cardOf(a)).toBe("6222000000000002200");
    await c.query("DELETE FROM account WHERE account_no = '6222000000000002200'");
    expect(await cardOf(a)).toBeNull();
    // a customer deleted: its accounts go with it (ON DELETE CASCADE), and so does its card
    const b = await newCustomer();
    await addAccounts(b, [["6222000000000002400", "DEMAND_DEPOSIT"], ["6222000000000002500", "DEMAND_DEPOSIT"]]);
    expect(await cardOf(b)).toBe("6222000000000002400");
    await c.query("DELETE FROM customer WHERE id = $1", [b]);
    expect(await cardOf(b)).toBeNull();
    await expectExact();
  });

  it("stays exact when two transactions change one customer's demand accounts at once", async () => {
    const a = await newCustomer();
    await addAccounts(a, [["6222000000000004100", "DEMAND_DEPOSIT"], ["6222000000000004200", "DEMAND_DEPOSIT"]]);
    const other = new pg.Client(pgConfigFromUrl(t.url));
    await other.connect();
    try {
      // the first retires the card account (its trigger makes …4200 the card, not yet committed)
      await c.query("BEGIN");
      await c.query("UPDATE account SET kind = 'TIME_DEPOSIT' WHERE account_no = '6222000000000004100'");
      // the second deletes …4200 meanwhile: its trigger waits for the first to commit, then sees
      // that it deleted the card; deciding on the committed state (card …4100) would keep …4200
      await other.query("BEGIN");
      const deleting = other.query("DELETE FROM account WHERE account_no = '6222000000000004200'");
      await new Promise((r) => setTimeout(r, 300));
      await c.query("COMMIT");
      await deleting;
      await other.query("COMMIT");
    } finally {
      await c.query("ROLLBACK").catch(() => undefined);
      await other.end();
    }
    expect(await cardOf(a)).toBeNull();
    await expectExact();
  });

  it("fires in replica sessions too (the seed's loaders) and empties on TRUNCATE", async () => {
    const a = await newCustomer();
    await c.query("SET session_replication_role = replica");
    try {
      await addAccounts(a, [["6222000000000003100", "DEMAND_DEPOSIT"]]);
      expect(await cardOf(a)).toBe("6222000000000003100");
      await c.query("UPDATE account SET kind = 'LOAN' WHERE account_no = '6222000000000003100'");
      expect(await cardOf(a)).toBeNull();
    } finally {
      await c.query("RESET session_replication_role");
    }
    await expectExact();
    await c.query("TRUNCATE account CASCADE");
    expect((await actual()).size).toBe(0);
    await addAccounts(a, [["6222000000000003200", "DEMAND_DEPOSIT"]]);
    expect(await actual()).toEqual(new Map([[a, "6222000000000003200"]]));
  });
});
