/**
 * The streaming writers against a real seeded bank, parsed back: masking of every personal cell,
 * formula neutralisation, numbers kept numbers, BOM, CJK and emoji, the three member-filter forms
 * (whole range, bitset, id list) and the org-scope filter.
 */
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import roaring from "roaring";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedBank } from "@mkt/db/seed/index";
import { connectPg } from "@mkt/db/tags/storage";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { mask } from "../auth/masking";
import { seedTagCenter } from "../tags/seed";
import { DEFAULT_COLUMNS, planExport, type ExportColumn } from "./columns";
import type { ExportFormat } from "./sink";
import { streamExport } from "./stream-export";
import { hasUtf8Bom, readRows, type ParsedCell } from "./testing/parse-back";

const { RoaringBitmap32 } = roaring;

let t: TestDb;
let client: pg.Client;
/** The second connection, for reading tag windows ahead. */
let aheadClient: pg.Client;
let dir: string;
let total: number;

/** Customers whose text would be a formula, a control sequence, or needs quoting / is not BMP. */
const SPECIAL: Record<number, { name: string; city: string }> = {
  3: { name: "=HYPERLINK(\"http://evil.test\",\"点我\")", city: "+86北京" },
  4: { name: "王😀小明", city: "-上海" },
  5: { name: "@SUM(A1:A2)", city: "\t广州" },
  6: { name: "李\"引号\",逗号", city: "\r杭州" },
  7: { name: "Zhang _x0041_ San", city: "🏦深圳" },
};

beforeAll(async () => {
  t = await createTestDb();
  const { asOf } = await seedBank(t.url, { customers: 400, seed: 11, asOf: "2026-06-30" });
  await seedTagCenter(t.url, { asOf });
  for (const [id, v] of Object.entries(SPECIAL)) await t.db.customer.update({ where: { id: Number(id) }, data: v });
  // as the export job connects: the rows' connection reads into one reused buffer
  client = await connectPg(t.url, { copyReads: true });
  aheadClient = new pg.Client({ connectionString: t.url });
  await aheadClient.connect();
  total = await t.db.customer.count();
  dir = await mkdtemp(path.join(tmpdir(), "mkt-export-test-"));
}, 180_000);

afterAll(async () => {
  await client?.end();
  await aheadClient?.end();
  await t?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function exportTo(
  format: ExportFormat,
  opts: { members: InstanceType<typeof RoaringBitmap32>; columns?: ExportColumn[]; masked: boolean; scopePath?: string; memberChunk?: number; tagWindow?: number; ahead?: boolean },
) {
  const plan = await planExport(t.db, opts.columns ?? [...DEFAULT_COLUMNS, "city", "gender"], "zh-CN");
  const file = path.join(dir, `e${(n += 1)}.${format.toLowerCase()}`);
  const out = createWriteStream(file);
  const { rows } = await streamExport({
    client,
    aheadClient: opts.ahead ? aheadClient : undefined,
    members: opts.members,
    plan,
    masked: opts.masked,
    format,
    out,
    scopePath: opts.scopePath,
    memberChunk: opts.memberChunk,
    tagWindow: opts.tagWindow,
  });
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { file, rows, parsed: await readRows(file, format), plan };
}

const all = () => {
  const b = new RoaringBitmap32();
  b.addRange(1, total + 1);
  return b;
};

interface Truth {
  id: number;
  customerNo: string;
  name: string;
  phone: string | null;
  certNo: string | null;
  cardNo: string | null;
  city: string | null;
}

async function truth(): Promise<Map<string, Truth>> {
  const { rows } = await client.query<Truth>(`
    SELECT c.id, c.customer_no AS "customerNo", c.name, c.phone, c.cert_no AS "certNo", c.city,
           (SELECT min(a.account_no) FROM account a WHERE a.customer_id = c.id AND a.kind = 'DEMAND_DEPOSIT') AS "cardNo"
    FROM customer c`);
  return new Map(rows.map((r) => [r.customerNo, r]));
}

const neutral = (s: string | null) => (s === null || s === "" ? null : /^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

describe.each(["CSV", "XLSX"] as const)("%s export", (format) => {
  it("masks 100% of name, mobile, ID and card cells for a masked export", async () => {
    const { parsed, rows } = await exportTo(format, { members: all(), masked: true });
    expect(rows).toBe(total);
    const [header, ...data] = parsed;
    expect(header).toEqual(["客户号", "姓名", "手机号", "证件号码", "借记卡号", "所属机构", "客户经理", "开户日期", "月末AUM", "风险等级", "城市", "性别"]);
    const byNo = await truth();
    let personal = 0;
    for (const r of data) {
      const c = byNo.get(String(r[0]))!;
      const expected: [ParsedCell, string | null, "name" | "phone" | "certNo" | "cardNo"][] = [
        [r[1]!, c.name, "name"],
        [r[2]!, c.phone, "phone"],
        [r[3]!, c.certNo, "certNo"],
        [r[4]!, c.cardNo, "cardNo"],
      ];
      for (const [cell, clear, kind] of expected) {
        if (!clear) continue;
        personal++;
        expect(cell, `${kind} of ${c.customerNo}`).toBe(neutral(mask(kind, clear)));
        expect(cell).not.toBe(clear);
      }
    }
    // 400 customers × 4 personal columns, nearly all present
    expect(personal).toBeGreaterThan(1_200);
  });

  it("writes personal data in the clear only when unmasked, neutralising formulas, and round-trips CJK and emoji", async () => {
    const members = new RoaringBitmap32([1, 2, 3, 4, 5, 6, 7]);
    const { parsed } = await exportTo(format, { members, masked: false, columns: ["customerNo", "name", "city", "aum"] });
    const byNo = await truth();
    const data = parsed.slice(1);
    expect(data).toHaveLength(7);
    for (const r of data) {
      const c = byNo.get(String(r[0]))!;
      expect(r[1]).toBe(neutral(c.name));
      expect(r[2] ?? null).toBe(neutral(c.city));
    }
    const names = data.map((r) => r[1]);
    expect(names).toContain("'=HYPERLINK(\"http://evil.test\",\"点我\")");
    expect(names).toContain("王😀小明");
    expect(names).toContain("'@SUM(A1:A2)");
    expect(names).toContain("李\"引号\",逗号");
    expect(names).toContain("Zhang _x0041_ San");
    const cities = data.map((r) => r[2]);
    expect(cities).toEqual(expect.arrayContaining(["'+86北京", "'-上海", "'\t广州", "'\r杭州", "🏦深圳"]));
    // no cell of any row starts with a formula character
    for (const r of data) for (const cell of r) if (typeof cell === "string") expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it.each([
    ["one tag window", {}],
    ["chunks of 23 members and tag windows of 37 customers", { memberChunk: 23, tagWindow: 37 }],
    ["the same windows, each read ahead on a second connection", { memberChunk: 23, tagWindow: 37, ahead: true }],
  ])("keeps numbers numbers, and tag columns equal the current run's values (%s)", async (_name, windows) => {
    const { parsed } = await exportTo(format, { members: all(), masked: true, columns: ["customerNo", "aum", "riskLevel", "tag:HAS_LOAN"], ...windows });
    const aums = parsed.slice(1).map((r) => r[1]).filter((v) => v !== null && v !== undefined);
    expect(aums.length).toBeGreaterThan(300);
    for (const v of aums) {
      if (format === "XLSX") expect(typeof v).toBe("number");
      else expect(String(v)).toMatch(/^-?\d+(\.\d+)?$/);
    }
    const { rows } = await client.query<{ no: string; tag: string; num: number | null; label: string | null }>(
      `SELECT c.customer_no AS no, v.tag_code AS tag, v.value_num AS num, v.value_label AS label
       FROM customer_tag_value v JOIN customer c ON c.id = v.customer_id WHERE v.tag_code IN ('AUM_LATEST', 'RISK_LEVEL', 'HAS_LOAN')`,
    );
    const want = new Map(rows.map((r) => [`${r.no}/${r.tag}`, r.tag === "AUM_LATEST" ? String(r.num) : r.label]));
    for (const r of parsed.slice(1)) {
      expect(r[1] == null ? null : String(r[1]), `AUM of ${r[0]}`).toBe(want.get(`${r[0]}/AUM_LATEST`) ?? null);
      expect(r[2] ?? null, `risk of ${r[0]}`).toBe(want.get(`${r[0]}/RISK_LEVEL`) ?? null);
      expect(r[3] ?? null, `loan of ${r[0]}`).toBe(want.get(`${r[0]}/HAS_LOAN`) ?? null);
    }
  });
});

describe("members and scope", () => {
  const ids = (parsed: ParsedCell[][]) => parsed.slice(1).map((r) => Number(String(r[0]).slice(1)));

  it("writes exactly the members, in id order, for sparse, holed and whole ranges", async () => {
    const sparse = new RoaringBitmap32([2, 150, 399]);
    const holed = all();
    for (let i = 1; i <= total; i += 3) holed.remove(i);
    for (const members of [sparse, holed, all()]) {
      const { parsed } = await exportTo("CSV", { members, masked: true, columns: ["customerNo"], memberChunk: 50 });
      const nos = parsed.slice(1).map((r) => String(r[0]));
      const want = await client.query<{ no: string }>("SELECT customer_no AS no FROM customer WHERE id = ANY($1::int[]) ORDER BY id", [members.toArray()]);
      expect(nos).toEqual(want.rows.map((r) => r.no));
    }
  });

  it("writes only customers under the scope path", async () => {
    const unit = await t.db.orgUnit.findFirstOrThrow({ where: { level: "BRANCH" }, orderBy: { code: "asc" } });
    const { parsed } = await exportTo("CSV", { members: all(), masked: true, columns: ["customerNo"], scopePath: unit.path });
    const inScope = await t.db.customer.count({ where: { orgPath: { startsWith: unit.path } } });
    expect(inScope).toBeGreaterThan(0);
    expect(inScope).toBeLessThan(total);
    expect(parsed.length - 1).toBe(inScope);
    expect(ids(parsed).length).toBe(inScope);
  });

  it("reads tag windows ahead without changing a byte, and leaves both connections usable when a read fails", async () => {
    const columns: ExportColumn[] = ["customerNo", "name", "aum", "riskLevel"];
    const holed = all();
    for (let i = 1; i <= total; i += 7) holed.remove(i);
    const plain = await exportTo("CSV", { members: holed, masked: true, columns, memberChunk: 40, tagWindow: 60 });
    const ahead = await exportTo("CSV", { members: holed, masked: true, columns, memberChunk: 40, tagWindow: 60, ahead: true });
    expect(ahead.rows).toBe(holed.size);
    expect(ahead.parsed).toEqual(plain.parsed);
    // a window read that fails (the second connection cannot see the tag tables) fails the export with its error
    await aheadClient.query("SET search_path = pg_catalog");
    const before = await aheadClient.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const failing = exportTo("CSV", { members: holed, masked: true, columns, memberChunk: 40, tagWindow: 60, ahead: true });
    await expect(failing).rejects.toThrow(/relation "tag_column" does not exist/);
    await aheadClient.query("RESET search_path");
    expect((await aheadClient.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid).toBe(before.rows[0]!.pid);
    expect((await client.query<{ one: number }>("SELECT 1 AS one")).rows[0]!.one).toBe(1);
  });

  it("starts the CSV with a UTF-8 byte-order mark", async () => {
    const { file } = await exportTo("CSV", { members: new RoaringBitmap32([1]), masked: true, columns: ["name"] });
    expect(await hasUtf8Bom(file)).toBe(true);
  });
});
