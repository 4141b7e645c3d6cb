/**
 * Imports through the API: the JSON endpoint's 401/400/413/415/422/200 answers, file uploads by
 * a console session, batch status, and the tRPC procedures (list, get, dictionary, merges, split,
 * data quality) inside each caller's org subtree.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { loadSessionUser } from "../src/auth/session";
import { getImportBatch, postFileImport, postJsonImport, type ImportRouteDeps } from "../src/routers/import-rest";
import { callPath, outcome } from "./call";
import { buildBank, contextFor, type Bank } from "./fixtures";

let t: TestDb;
let bank: Bank;
let br01Key: string;
let br010Key: string;
let readOnlyKey: string;

/** Route dependencies with the console session of `userKey` (null: no session cookie). */
function deps(userKey: string | null = null): ImportRouteDeps {
  return {
    db: t.db,
    enqueue: async () => {
      throw new Error("test files are small: they run inline");
    },
    sessionUser: async () => (userKey ? loadSessionUser(t.db, bank.users[userKey]!.id) : null),
  };
}

const json = (kind: string, body: unknown, headers: Record<string, string> = {}) =>
  postJsonImport(
    new Request(`http://localhost/api/v1/imports/${kind}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${br01Key}`, ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    kind,
    deps(),
  );

const person = (key: string, extra: Record<string, unknown> = {}) => ({ source_key: key, name: `客户${key}`, org_unit_code: bank.units.BR01!.code, ...extra });

beforeAll(async () => {
  t = await createTestDb();
  bank = await buildBank(t.db);
  const admin = await contextFor(t.db, bank.users.hoAdmin!.id);
  const issue = async (unit: string, scopes: string[]) =>
    ((await callPath(admin, "apiKey.create", { name: `feed ${unit}`, orgUnitId: bank.units[unit]!.id, scopes })) as { key: string }).key;
  br01Key = await issue("BR01", ["import:write", "import:read"]);
  br010Key = await issue("BR010", ["import:write", "import:read"]);
  readOnlyKey = await issue("BR01", ["import:read"]);
});
afterAll(async () => t?.drop());

describe("POST /api/v1/imports/{kind} (JSON)", () => {
  it("401 for a bad or missing key, 403 for a key without import:write", async () => {
    expect((await json("customers", { sourceSystem: "CRM", rows: [person("A1")] }, { authorization: "Bearer mkt_000000000000_nope-nope-nope-nope-nope" })).status).toBe(401);
    expect((await json("customers", { sourceSystem: "CRM", rows: [person("A1")] }, { authorization: "" })).status).toBe(401);
    expect((await json("customers", { sourceSystem: "CRM", rows: [person("A1")] }, { authorization: `Bearer ${readOnlyKey}` })).status).toBe(403);
  });

  it("400 naming an unknown field, a malformed body or a bad envelope; 404 for an unknown kind; 415 for another content type", async () => {
    const unknown = await json("customers", { sourceSystem: "CRM", rows: [person("A1"), person("A2", { nickname: "x" })] });
    expect(unknown.status).toBe(400);
    const body = (await unknown.json()) as { issues: { path: string; message: string }[] };
    expect(body.issues).toEqual([expect.objectContaining({ path: "rows.1", message: expect.stringContaining("nickname") })]);

    const extraTop = await json("customers", { sourceSystem: "CRM", rows: [person("A1")], mode: "fast" });
    expect(((await extraTop.json()) as { issues: { message: string }[] }).issues[0]!.message).toContain("mode");
    expect((await json("customers", "{ not json")).status).toBe(400);
    const badSource = await json("customers", { sourceSystem: "crm system", rows: [person("A1")] });
    expect(badSource.status).toBe(400);
    expect(((await badSource.json()) as { issues: { path: string }[] }).issues[0]!.path).toBe("sourceSystem");
    expect((await json("customers", { sourceSystem: "CRM", rows: [] })).status).toBe(400);
    expect((await json("loans", { sourceSystem: "CRM", rows: [person("A1")] })).status).toBe(404);
    expect((await json("customers", "source_key\nA1", { "content-type": "text/csv" })).status).toBe(415);
  });

  it("413 for a body over 10 MB, declared or streamed, and nothing is stored", async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => person(`BIG${i}`, { occupation: "x".repeat(100) }));
    const big = JSON.stringify({ sourceSystem: "CRM", rows });
    expect(big.length).toBeGreaterThan(10 * 1024 * 1024);
    expect((await json("customers", big)).status).toBe(413);
    const streamed = new Request("http://localhost/api/v1/imports/customers", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${br01Key}` },
      body: new Blob([big]).stream(),
      duplex: "half",
    } as RequestInit);
    expect((await postJsonImport(streamed, "customers", deps())).status).toBe(413);
    expect(await t.db.importBatch.count()).toBe(0);
  });

  it("422 with every bad row by path when a row is invalid; nothing applied", async () => {
    const before = await t.db.customer.count();
    const res = await json("customers", {
      sourceSystem: "CRM",
      rows: [person("A1"), person("A2", { phone: "12345" }), person("A3", { org_unit_code: bank.units.BR010!.code }), person("A4", { birth_date: 19800101 })],
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { status: string; errorRows: number; issues: { path: string; code: string; message: string; messageZh: string }[] };
    expect(body).toMatchObject({ status: "REJECTED", errorRows: 3 });
    expect(body.issues.map((i) => `${i.path}:${i.code}`)).toEqual(["rows.1.phone:INVALID_MOBILE", "rows.2.org_unit_code:UNKNOWN_ORG_UNIT", "rows.3.birth_date:INVALID_DATE"]);
    expect(body.issues[0]!.messageZh).toContain("手机号");
    expect(await t.db.customer.count()).toBe(before);
  });

  it("200 for a valid batch, applied once: the same rows again are a DUPLICATE", async () => {
    const before = await t.db.customer.count();
    const ok = await json("customers", { sourceSystem: "CRM", batchKey: "crm-2025-01-01", rows: [person("A1"), person("A2", { phone: "+86 137 0000 0002" })] });
    expect(ok.status).toBe(200);
    const applied = (await ok.json()) as { batchId: string; status: string; appliedRows: number };
    expect(applied).toMatchObject({ status: "APPLIED", appliedRows: 2 });
    expect(await t.db.customer.count()).toBe(before + 2);

    const again = (await (await json("customers", { sourceSystem: "CRM", rows: [person("A1"), person("A2", { phone: "+86 137 0000 0002" })] })).json()) as Record<string, unknown>;
    expect(again).toMatchObject({ status: "DUPLICATE", duplicateOf: applied.batchId });
    const sameKey = (await (await json("customers", { sourceSystem: "CRM", batchKey: "crm-2025-01-01", rows: [person("A9")] })).json()) as Record<string, unknown>;
    expect(sameKey).toMatchObject({ status: "DUPLICATE", duplicateOf: applied.batchId });
    expect(await t.db.customer.count()).toBe(before + 2);
  });
});

describe("POST /api/v1/imports/{kind}/file and GET /api/v1/imports/batches/{id}", () => {
  const upload = (userKey: string | null, content: string, query = "sourceSystem=CARD&fileName=cards.csv") =>
    postFileImport(
      new Request(`http://localhost/api/v1/imports/customers/file?${query}`, { method: "POST", headers: { "content-type": "text/csv" }, body: content }),
      "customers",
      deps(userKey),
    );
  const file = () => `source_key,name,phone,org_unit_code\nF1,文件客户,13900000001,${bank.units.BR01S01!.code}\n`;
  let batchId: string;

  it("a console session with import:write uploads a CSV; without a session 401, without the permission 403", async () => {
    expect((await upload(null, file())).status).toBe(401);
    expect((await upload("rmS01a", file())).status).toBe(403);
    expect((await upload("hoAnalyst", file(), "sourceSystem=card")).status).toBe(400);
    const res = await upload("hoAnalyst", file());
    expect(res.status).toBe(200);
    const body = (await res.json()) as { batchId: string; status: string };
    expect(body.status).toBe("APPLIED");
    batchId = body.batchId;
    expect((await t.db.importBatch.findUniqueOrThrow({ where: { id: batchId } })).createdById).toBe(bank.users.hoAnalyst!.id);
  });

  it("a batch's status is visible to its org subtree only", async () => {
    const get = (key: string) =>
      getImportBatch(new Request(`http://localhost/api/v1/imports/batches/${batchId}`, { headers: { authorization: `Bearer ${key}` } }), batchId, deps());
    // The analyst is at head office: the batch is filed there, outside BR01.
    expect((await get(br01Key)).status).toBe(404);
    const [jsonBatch] = await t.db.importBatch.findMany({ where: { status: "APPLIED", sourceSystem: "CRM" } });
    const own = await getImportBatch(
      new Request(`http://localhost/api/v1/imports/batches/${jsonBatch!.id}`, { headers: { authorization: `Bearer ${br01Key}` } }),
      jsonBatch!.id,
      deps(),
    );
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ status: "APPLIED", progress: 100 });
    const other = await getImportBatch(
      new Request(`http://localhost/api/v1/imports/batches/${jsonBatch!.id}`, { headers: { authorization: `Bearer ${br010Key}` } }),
      jsonBatch!.id,
      deps(),
    );
    expect(other.status).toBe(404);
  });
});

describe("tRPC import, identity and dataQuality", () => {
  it("import.list shows the batches of the caller's subtree; BR010 does not see BR01's", async () => {
    const br01 = (await callPath(await contextFor(t.db, bank.users.br01Admin!.id), "import.list", {})) as { total: number; items: { orgUnit: { code: string } }[] };
    expect(br01.total).toBeGreaterThan(0);
    expect(br01.items.every((b) => b.orgUnit.code === bank.units.BR01!.code)).toBe(true);
    const br010 = await contextFor(t.db, bank.users.br010Manager!.id);
    expect(await outcome(br010, "import.list", {})).toBe("FORBIDDEN"); // branch managers hold no import:read
    const ho = (await callPath(await contextFor(t.db, bank.users.hoAdmin!.id), "import.list", { status: "REJECTED" })) as { total: number };
    expect(ho.total).toBe(1);
  });

  it("import.get returns a rejected batch's issues with both languages; another subtree gets NOT_FOUND", async () => {
    const rejected = await t.db.importBatch.findFirstOrThrow({ where: { status: "REJECTED" } });
    const got = (await callPath(await contextFor(t.db, bank.users.br01Admin!.id), "import.get", { batchId: rejected.id })) as {
      errors: { total: number; items: { line: number; field: string; code: string; message: { zh: string; en: string } }[] };
      errorSummary: { byCode: Record<string, number> };
    };
    expect(got.errors.total).toBe(3);
    expect(got.errors.items[0]).toMatchObject({ line: 2, field: "phone", code: "INVALID_MOBILE", message: { en: expect.stringContaining("mobile") } });
    expect(got.errorSummary.byCode).toEqual({ INVALID_MOBILE: 1, UNKNOWN_ORG_UNIT: 1, INVALID_DATE: 1 });

    const br010Admin = await t.db.user.create({ data: { name: "admin010", email: "a010@example.com", role: "ADMIN", orgUnitId: bank.units.BR010!.id } });
    expect(await outcome(await contextFor(t.db, br010Admin.id), "import.get", { batchId: rejected.id })).toBe("NOT_FOUND");
  });

  it("import.dictionary describes every kind", async () => {
    const dict = (await callPath(await contextFor(t.db, bank.users.hoAnalyst!.id), "import.dictionary", undefined)) as { kind: string; fields: { key: string }[] }[];
    expect(dict.map((d) => d.kind)).toEqual(["CUSTOMERS", "ACCOUNTS", "HOLDINGS", "TRANSACTIONS"]);
    expect(dict[0]!.fields.map((f) => f.key)).toContain("cert_no");
  });

  it("identity.split: admins of the customer's subtree only; it reverses the merge", async () => {
    // A CRM record joining an existing BR01 customer by mobile + name.
    const target = bank.customers.cBR01!;
    const res = await json("customers", { sourceSystem: "CRM", rows: [{ source_key: "M1", name: target.name, phone: target.phone, org_unit_code: bank.units.BR01!.code }] });
    expect(((await res.json()) as { stats: { merged: { PHONE: number } } }).stats.merged.PHONE).toBe(1);
    const merge = await t.db.identityMerge.findFirstOrThrow({ where: { customerId: target.id } });

    const merges = (await callPath(await contextFor(t.db, bank.users.hoAnalyst!.id), "identity.merges", { rule: "PHONE" })) as { items: { id: string }[] };
    expect(merges.items.map((m) => m.id)).toContain(merge.id);

    expect(await outcome(await contextFor(t.db, bank.users.hoAnalyst!.id), "identity.split", { mergeId: merge.id, reason: "不同人" })).toBe("FORBIDDEN");
    const br010Admin = await t.db.user.findFirstOrThrow({ where: { email: "a010@example.com" } });
    expect(await outcome(await contextFor(t.db, br010Admin.id), "identity.split", { mergeId: merge.id, reason: "不同人" })).toBe("NOT_FOUND");
    const split = (await callPath(await contextFor(t.db, bank.users.br01Admin!.id), "identity.split", { mergeId: merge.id, reason: "不同人" })) as { customerId: number };
    expect((await t.db.sourceRecord.findFirstOrThrow({ where: { sourceSystem: "CRM", sourceKey: "M1" } })).customerId).toBe(split.customerId);
    expect(await outcome(await contextFor(t.db, bank.users.br01Admin!.id), "identity.split", { mergeId: merge.id, reason: "again" })).toBe("CONFLICT");
  });

  it("dataQuality.report covers the caller's subtree", async () => {
    const ho = (await callPath(await contextFor(t.db, bank.users.hoAdmin!.id), "dataQuality.report", undefined)) as { sources: { sourceSystem: string; records: number }[] };
    const br010 = await t.db.user.findFirstOrThrow({ where: { email: "a010@example.com" } });
    const sub = (await callPath(await contextFor(t.db, br010.id), "dataQuality.report", undefined)) as { sources: { sourceSystem: string; records: number }[] };
    const records = (r: typeof ho, s: string) => r.sources.find((x) => x.sourceSystem === s)?.records ?? 0;
    expect(records(ho, "CORE")).toBe(8); // one per fixture customer
    expect(records(sub, "CORE")).toBe(2); // the two BR010 customers
  });
});
