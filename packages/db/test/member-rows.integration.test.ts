/**
 * The export's COPY reader (exports/member-rows.ts) parses the protocol off the socket itself:
 * rows equal to a plain query's, split across socket reads; back-pressure; and after a failure —
 * in the SQL, in the row handler or in the writer's wait — the query rejects and the connection
 * takes the next query. All of it over an ordinary socket and over a copy-reading one (reads into
 * one reused buffer), which also serves pg-copy-streams and plain queries as usual.
 */
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyRows, DATE_FIELDS, pgDateText, readMemberRows, type CustomerField } from "../src/exports/member-rows";
import { pgConfigFromUrl } from "../src/pg-config";
import { connectPg } from "../src/tags/storage";
import { createTestDb, type TestDb } from "../src/testing";

let t: TestDb;

const FIELDS: CustomerField[] = ["customerNo", "name", "phone", "cardNo", "openedAt"];

beforeAll(async () => {
  t = await createTestDb();
  const c = new pg.Client(pgConfigFromUrl(t.url));
  await c.connect();
  const { rows } = await c.query<{ id: string }>("SELECT id FROM org_unit LIMIT 1");
  let orgId = rows[0]?.id;
  if (!orgId) {
    orgId = "org_test";
    await c.query("INSERT INTO org_unit (id, code, name, name_en, level, path) VALUES ('org_test', 'T01', '测试支行', 'Test', 'SUB_BRANCH', '/T01/')");
  }
  // 3,000 customers, names of 0–300 characters (rows longer than a socket read), some NULL phones
  await c.query(
    `INSERT INTO customer (id, customer_no, name, phone, org_unit_id, org_path, opened_at)
     SELECT i, 'C' || i, repeat('名', (i * 7919) % 301), CASE WHEN i % 5 = 0 THEN NULL ELSE '138' || lpad(i::text, 8, '0') END,
            $1, '/T01/', DATE '2020-01-01' + i
     FROM generate_series(1, 3000) i`,
    [orgId],
  );
  await c.query(
    `INSERT INTO account (account_no, customer_id, kind, balance, opened_at)
     SELECT '6222' || lpad(i::text, 15, '0'), i, 'DEMAND_DEPOSIT', 0, DATE '2020-01-01' FROM generate_series(1, 3000) i WHERE i % 3 <> 0`,
  );
  await c.end();
}, 120_000);

afterAll(async () => {
  await t?.drop();
});

const members = (ids: number[]) => ({ lo: ids[0]!, hi: ids[ids.length - 1]!, ids: Uint32Array.from(ids) });

describe.each([
  ["an ordinary socket", false],
  ["a copy-reading socket", true],
])("readMemberRows over %s", (_kind, copyReads) => {
  let c: pg.Client;
  beforeAll(async () => {
    c = await connectPg(t.url, { copyReads });
  });
  afterAll(async () => {
    await c?.end();
  });

  it("gives the rows a plain query gives, for all three member-filter forms", async () => {
    const forms = [
      Array.from({ length: 3000 }, (_v, i) => i + 1), // a whole range
      Array.from({ length: 3000 }, (_v, i) => i + 1).filter((i) => i % 7 !== 0), // a bitset
      Array.from({ length: 40 }, (_v, i) => i * 73 + 5), // an id list
    ];
    for (const ids of forms) {
      const got: unknown[][] = [];
      let batches = 0;
      const n = await readMemberRows(
        c,
        members(ids),
        FIELDS,
        (id, buf, starts, lens) =>
          got.push([
            id,
            ...FIELDS.map((f, k) => (lens[k]! < 0 ? null : DATE_FIELDS.has(f) ? pgDateText(buf.readInt32BE(starts[k]!)) : buf.toString("utf8", starts[k]!, starts[k]! + lens[k]!))),
          ]),
        () => {
          batches++;
        },
      );
      const { rows } = await c.query<Record<string, unknown>>(
        `SELECT c.id, c.customer_no, c.name, c.phone,
                (SELECT min(account_no) FROM account a WHERE a.customer_id = c.id AND a.kind = 'DEMAND_DEPOSIT') AS card, c.opened_at::text AS opened
           FROM customer c WHERE c.id = ANY($1) ORDER BY c.id`,
        [ids],
      );
      expect(n).toBe(ids.length);
      expect(got).toEqual(rows.map((r) => [r.id, r.customer_no, r.name, r.phone, r.card, r.opened]));
      if (ids.length === 3000) expect(batches).toBeGreaterThan(1); // ~1 MB of rows: several socket reads
    }
  });

  it("writes binary dates as date_out does", async () => {
    const { rows } = await c.query<{ d: number; t: string }>(
      `SELECT d - DATE '2000-01-01' AS d, d::text AS t FROM unnest(ARRAY[DATE '0001-01-01', DATE '1969-12-31', DATE '1970-01-01', DATE '2000-01-01', DATE '2024-02-29', DATE '9999-12-31', 'infinity', '-infinity']) d
        WHERE d NOT IN ('infinity', '-infinity')`,
    );
    for (const r of rows) expect(pgDateText(r.d)).toBe(r.t);
    expect(pgDateText(0x7fffffff)).toBe("infinity");
    expect(pgDateText(-0x80000000)).toBe("-infinity");
  });

  it("waits for the writer between socket reads", async () => {
    let inFlight = false;
    let overlapped = false;
    const n = await readMemberRows(
      c,
      members(Array.from({ length: 3000 }, (_v, i) => i + 1)),
      FIELDS,
      () => {
        if (inFlight) overlapped = true;
      },
      async () => {
        inFlight = true;
        await new Promise((r) => setTimeout(r, 2));
        inFlight = false;
      },
    );
    expect(n).toBe(3000);
    expect(overlapped).toBe(false);
  });

  it("rejects with the failure of a row handler, a writer or the SQL, and the connection goes on", async () => {
    const all = members(Array.from({ length: 3000 }, (_v, i) => i + 1));
    let seen = 0;
    await expect(
      readMemberRows(c, all, FIELDS, () => {
        if (++seen === 1500) throw new Error("row handler failed");
      }, () => {}),
    ).rejects.toThrow("row handler failed");
    expect(seen).toBe(1500); // no rows after the failure
    expect((await c.query("SELECT 1 AS one")).rows[0]).toEqual({ one: 1 });

    await expect(readMemberRows(c, all, FIELDS, () => {}, () => Promise.reject(new Error("writer failed")))).rejects.toThrow("writer failed");
    expect((await c.query("SELECT 2 AS two")).rows[0]).toEqual({ two: 2 });

    await expect(copyRows(c, "SELECT i, (10 / (i - 500))::text FROM generate_series(1, 1000) i", 1, () => {}, () => {})).rejects.toThrow(/division by zero/);
    expect((await c.query("SELECT 3 AS three")).rows[0]).toEqual({ three: 3 });
    expect(await copyRows(c, "SELECT i, NULL::text FROM generate_series(1, 10) i", 1, () => {}, () => {})).toBe(10);
  });

  it("rejects, not hangs, when the server drops the connection mid-COPY", async () => {
    const victim = await connectPg(t.url, { copyReads }); // its error event (the drop) is handled there
    const pid = (await victim.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
    let batches = 0;
    const copying = copyRows(victim, "SELECT i, repeat('x', 100) FROM generate_series(1, 5000000) i", 1, () => {}, async () => {
      if (++batches === 3) await c.query("SELECT pg_terminate_backend($1)", [pid]);
    });
    await expect(copying).rejects.toThrow(/terminat|Connection terminated|ECONNRESET|closed/i);
    expect(batches).toBeGreaterThanOrEqual(3);
    await victim.end().catch(() => undefined);
  });

  it("serves pg-copy-streams between its own COPYs (the tag columns are read that way)", async () => {
    const stream = c.query(copyTo("COPY (SELECT i, repeat('x', i % 50) FROM generate_series(1, 20000) i) TO STDOUT"));
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const lines = Buffer.concat(chunks).toString("utf8").replace(/\n$/, "").split("\n");
    expect(lines).toHaveLength(20000);
    expect(lines[19999]).toBe(`20000\t${"x".repeat(20000 % 50)}`);
    expect(await copyRows(c, "SELECT i, i::text FROM generate_series(1, 5000) i", 1, () => {}, () => {})).toBe(5000);
    expect((await c.query("SELECT 4 AS four")).rows[0]).toEqual({ four: 4 });
  });
});
