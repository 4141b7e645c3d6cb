/**
 * Identity resolution end to end: records of one person from two source systems become one
 * golden customer by certificate, or by mobile + name (not by a shared family mobile alone);
 * each join is logged with its rule and a masked value; an admin's split restores two customers,
 * each with its own source's accounts and transactions, and later imports respect the split.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import type { Actor } from "../../src/auth/actor";
import { listMerges } from "../../src/identity/merges";
import { splitMerge } from "../../src/identity/split";
import { submitFileBatch } from "../../src/import/submit";
import { csv, residentId, seedImportFixture, type ImportFixture } from "../import/fixtures";

let t: TestDb;
let fx: ImportFixture;
let admin: Actor;
const noQueue = async () => undefined;

const ID1 = residentId("11010519491231002"); // check character X
/** The same certificate as another system keeps it: full-width digits, spaces, lower-case x. */
const ID1_VARIANT = "１１０１０５ 19491231 002x";
const CUSTOMERS = "source_key,name,cert_no,phone,org_unit_code";

async function load(sourceSystem: string, kind: "CUSTOMERS" | "ACCOUNTS" | "TRANSACTIONS", ...lines: string[]) {
  const out = await submitFileBatch(t.db, fx.br01, { kind, sourceSystem, fileName: null, content: csv(...lines) }, noQueue);
  expect(out.status, JSON.stringify(await t.db.importRowError.findMany({ where: { batchId: out.id } }))).toBe("APPLIED");
  return out;
}

const customerOf = async (sourceSystem: string, sourceKey: string) =>
  (await t.db.sourceRecord.findUniqueOrThrow({ where: { sourceSystem_sourceKey: { sourceSystem, sourceKey } } })).customerId;

beforeAll(async () => {
  t = await createTestDb();
  fx = await seedImportFixture(t.db);
  const user = await t.db.user.create({
    data: { name: "管理员", email: "admin@example.com", username: "admin", role: "ADMIN", orgUnitId: fx.org.HO.id },
  });
  admin = { id: user.id, name: user.name, role: user.role, orgUnitId: user.orgUnitId };

  await load("CORE", "CUSTOMERS", CUSTOMERS, `C1,张三,${ID1},13800138000,BR01`, "C2,李四,,13900139000,BR01");
  await load("CORE", "ACCOUNTS", "account_no,customer_source_key,kind,balance,opened_at", "A-CORE-1,C1,DEMAND_DEPOSIT,100,2020-01-01");
});
afterAll(async () => t?.drop());

describe("merging", () => {
  it("joins by normalised certificate, and by mobile + name; a shared mobile under another name stays a new customer", async () => {
    const out = await load(
      "CRM",
      "CUSTOMERS",
      CUSTOMERS,
      `K1,张叁,${ID1_VARIANT},,BR01`, // same certificate, other spelling of the name
      "K2,李四,,+86 139-0013-9000,BR01S01", // same mobile and name
      "K3,李小四,,13900139000,BR01", // the family's shared mobile, another person
    );
    expect(out.stats).toMatchObject({ inserted: 3, newCustomers: 1, merged: { CERT_NO: 1, PHONE: 1 } });
    expect(await customerOf("CRM", "K1")).toBe(await customerOf("CORE", "C1"));
    expect(await customerOf("CRM", "K2")).toBe(await customerOf("CORE", "C2"));
    expect(await customerOf("CRM", "K3")).not.toBe(await customerOf("CORE", "C2"));
    expect(await t.db.customer.count()).toBe(3);

    const merges = await t.db.identityMerge.findMany({ orderBy: { rule: "asc" } });
    expect(merges.map((m) => m.rule)).toEqual(["CERT_NO", "PHONE"]);
    // Explainable without exposing the value: masked, never the full certificate or mobile.
    expect(merges[0]!.matchedValue).toBe(`${ID1.slice(0, 6)}********${ID1.slice(-4)}`);
    expect(merges[1]!.matchedValue).toBe("139****9000 + 李*");
  });

  it("lists merges inside the caller's scope only, names masked", async () => {
    const ho = await listMerges(t.db, { kind: "subtree", orgPath: fx.org.HO.path }, {});
    expect(ho.total).toBe(2);
    expect(ho.items.map((m) => [m.rule, m.sourceSystem, m.sourceKey])).toEqual(expect.arrayContaining([["CERT_NO", "CRM", "K1"], ["PHONE", "CRM", "K2"]]));
    expect(ho.items.every((m) => m.customer.name.includes("*"))).toBe(true);
    expect((await listMerges(t.db, { kind: "subtree", orgPath: fx.org.BR02.path }, {})).total).toBe(0);
    // A value another loader stored in the clear is masked on the way out.
    await t.db.identityMerge.updateMany({ where: { rule: "PHONE" }, data: { matchedValue: "13900139000" } });
    const phone = (await listMerges(t.db, { kind: "subtree", orgPath: fx.org.HO.path }, { rule: "PHONE" })).items[0]!;
    expect(phone.matchedValue).toBe("139****9000");
    expect((await listMerges(t.db, { kind: "subtree", orgPath: fx.org.BR010.path }, {})).total).toBe(0);
  });
});

describe("splitting", () => {
  it("restores two customers, each with its own source's accounts and transactions, audited", async () => {
    const golden = await customerOf("CORE", "C1");
    await load("CRM", "ACCOUNTS", "account_no,customer_source_key,kind,balance,opened_at", "A-CRM-1,K1,CREDIT_CARD,-500,2021-01-01");
    await load(
      "CRM",
      "TRANSACTIONS",
      "txn_no,customer_source_key,account_no,txn_time,type,channel,amount",
      "T-CRM-1,K1,A-CRM-1,2025-01-01 10:00:00,CARD_SPEND,POS,50",
    );
    expect(await t.db.account.count({ where: { customerId: golden } })).toBe(2);

    const merge = await t.db.identityMerge.findFirstOrThrow({ where: { rule: "CERT_NO" } });
    const out = await splitMerge(t.db, admin, { mergeId: merge.id, reason: "不同客户：姓名不一致" }, "127.0.0.1");
    expect(out).toMatchObject({ factsMoved: true, moved: { accounts: 1, holdings: 0, transactions: 1 } });

    const split = await t.db.customer.findUniqueOrThrow({ where: { id: out.customerId } });
    expect(split).toMatchObject({ name: "张叁", certNo: ID1, orgPath: fx.org.BR01.path, customerNo: out.customerNo });
    expect(await customerOf("CRM", "K1")).toBe(out.customerId);
    expect((await t.db.sourceRecord.findFirstOrThrow({ where: { sourceKey: "K1" } })).matchRule).toBe("MANUAL_SPLIT");
    expect((await t.db.account.findMany({ where: { customerId: golden } })).map((a) => a.accountNo)).toEqual(["A-CORE-1"]);
    expect((await t.db.account.findMany({ where: { customerId: out.customerId } })).map((a) => a.accountNo)).toEqual(["A-CRM-1"]);
    expect((await t.db.transaction.findUniqueOrThrow({ where: { txnNo: "T-CRM-1" } })).customerId).toBe(out.customerId);

    const reversed = await t.db.identityMerge.findUniqueOrThrow({ where: { id: merge.id } });
    expect(reversed).toMatchObject({ reversedById: admin.id, splitCustomerId: out.customerId });
    const audit = await t.db.auditLog.findFirstOrThrow({ where: { action: "IDENTITY_SPLIT" } });
    expect(audit).toMatchObject({ actorId: admin.id, reason: "不同客户：姓名不一致", targetId: String(golden) });

    await expect(splitMerge(t.db, admin, { mergeId: merge.id, reason: "again" }, null)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("a later import of the split record's key stays with the split customer", async () => {
    const splitId = await customerOf("CRM", "K1");
    await load("CRM", "CUSTOMERS", CUSTOMERS, `K1,张叁,${ID1},13700137000,BR01`);
    expect(await customerOf("CRM", "K1")).toBe(splitId);
    expect((await t.db.customer.findUniqueOrThrow({ where: { id: splitId } })).phone).toBe("13700137000");
  });
});
