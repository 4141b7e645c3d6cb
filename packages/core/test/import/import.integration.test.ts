/**
 * The import pipeline against a real database: malformed files are rejected whole with every bad
 * line reported; good files apply; the same file twice applies once; an overlapping file adds
 * only its new rows; fact imports resolve customers, products and accounts inside the scope.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { submitFileBatch } from "../../src/import/submit";
import { csv, residentId, seedImportFixture, type ImportFixture } from "./fixtures";

let t: TestDb;
let fx: ImportFixture;
const noQueue = async () => {
  throw new Error("small files run inline");
};

beforeAll(async () => {
  t = await createTestDb();
  fx = await seedImportFixture(t.db);
});
afterAll(async () => t?.drop());

const ID1 = residentId("11010519800101001");
const ID2 = residentId("11010519850202002");
const ID3 = residentId("11010519900303003");
const CUSTOMER_HEADER = "source_key,name,cert_type,cert_no,phone,email,birth_date,org_unit_code";

async function counts() {
  const [customers, sourceRecords, accounts, holdings, transactions] = await Promise.all([
    t.db.customer.count(),
    t.db.sourceRecord.count(),
    t.db.account.count(),
    t.db.holding.count(),
    t.db.transaction.count(),
  ]);
  return { customers, sourceRecords, accounts, holdings, transactions };
}

async function errorsOf(batchId: string) {
  const rows = await t.db.importRowError.findMany({ where: { batchId }, orderBy: [{ line: "asc" }, { id: "asc" }] });
  return rows.map((r) => `${r.line}:${r.field ?? "-"}:${r.code}`);
}

describe("customer imports", () => {
  it("a malformed file is REJECTED with every bad line reported and nothing applied", async () => {
    const file = csv(
      CUSTOMER_HEADER,
      `C1,张三,ID_CARD,${ID1},13800138000,,,BR01`, // line 2: fine
      `C2,李四,ID_CARD,110105198001010010,13800138001,,,BR01`, // 3: bad checksum
      `C3,王五,ID_CARD,${ID2},12345,,,BR01`, // 4: bad mobile
      `C4,赵六,ID_CARD,,,,1990-13-01,BR01`, // 5: bad date
      `C5,孙七,ID_CARD,,,,,BR99`, // 6: unknown org
      `C6,周八,,,,,BR01`, // 7: wrong column count
      `C7,"吴"九,,,,,,BR01`, // 8: bad quotes
      `C1,郑十,,,,,,BR01`, // 9: repeats line 2's key
      `C8,钱一,,,,,,BR02`, // 10: outside BR01's subtree
      `C9,陈二,,,,,,BR010`, // 11: BR010 is not under BR01
      `C10,,,,,x@,,BR01S01`, // 12: name missing, e-mail bad
    );
    const before = await counts();
    const out = await submitFileBatch(t.db, fx.br01, { kind: "CUSTOMERS", sourceSystem: "CORE", fileName: "bad.csv", content: file }, noQueue);
    expect(out.status).toBe("REJECTED");
    expect(await counts()).toEqual(before);
    const errors = await errorsOf(out.id);
    expect(errors).toEqual(
      expect.arrayContaining([
        "3:cert_no:INVALID_RESIDENT_ID_CHECKSUM",
        "4:phone:INVALID_MOBILE",
        "5:birth_date:INVALID_DATE",
        "6:org_unit_code:UNKNOWN_ORG_UNIT",
        "7:-:CSV_WRONG_COLUMN_COUNT",
        "8:-:CSV_BAD_QUOTES",
        "9:source_key:DUPLICATE_KEY",
        "10:org_unit_code:UNKNOWN_ORG_UNIT",
        "11:org_unit_code:UNKNOWN_ORG_UNIT",
        "12:email:INVALID_EMAIL",
        "12:name:REQUIRED",
      ]),
    );
    expect(errors.some((e) => e.startsWith("2:"))).toBe(false);
    const batch = await t.db.importBatch.findUniqueOrThrow({ where: { id: out.id } });
    expect(batch).toMatchObject({ errorRows: 10, appliedRows: 0, progress: 100 });
    expect(await t.db.importFile.count({ where: { batchId: out.id } })).toBe(0);
  });

  const good = csv(
    CUSTOMER_HEADER,
    `C1,张三,ID_CARD,${ID1},+86 138-0013-8000,zs@example.com,,BR01`,
    `C2,李四,id_card,${ID2.toLowerCase()},,,1985-02-02,BR01S01`,
    `C3,王五,PASSPORT,E1234567,13900139000,,,BR01`,
  );
  let firstId: string;

  it("a good file is APPLIED: golden customers and source records created", async () => {
    const out = await submitFileBatch(t.db, fx.br01, { kind: "CUSTOMERS", sourceSystem: "CORE", fileName: "good.csv", content: good }, noQueue);
    firstId = out.id;
    expect(out).toMatchObject({ status: "APPLIED", totalRows: 3, appliedRows: 3, errorRows: 0 });
    expect(out.stats).toMatchObject({ inserted: 3, updated: 0, unchanged: 0, newCustomers: 3 });
    const c1 = await t.db.customer.findFirstOrThrow({ where: { certNo: ID1 } });
    expect(c1).toMatchObject({ name: "张三", phone: "13800138000", gender: "M", orgPath: fx.org.BR01.path });
    expect(c1.customerNo).toMatch(/^C\d{10}$/);
    const sr = await t.db.sourceRecord.findUniqueOrThrow({ where: { sourceSystem_sourceKey: { sourceSystem: "CORE", sourceKey: "C1" } } });
    expect(sr).toMatchObject({ customerId: c1.id, matchRule: "NEW", phone: "+86 138-0013-8000", phoneNorm: "13800138000", importBatchId: out.id });
    expect(await t.db.auditLog.count({ where: { action: "IMPORT", targetId: out.id } })).toBe(1);
  });

  it("the same file again is a DUPLICATE of the first and changes nothing", async () => {
    const before = await counts();
    const out = await submitFileBatch(t.db, fx.br01, { kind: "CUSTOMERS", sourceSystem: "CORE", fileName: "again.csv", content: good }, noQueue);
    expect(out).toMatchObject({ status: "DUPLICATE", duplicateOfId: firstId });
    expect(await counts()).toEqual(before);
  });

  it("an overlapping file adds only its new rows; known rows are updated only when they changed", async () => {
    const before = await counts();
    const out = await submitFileBatch(
      t.db,
      fx.br01,
      {
        kind: "CUSTOMERS",
        sourceSystem: "CORE",
        fileName: "overlap.csv",
        content: csv(
          CUSTOMER_HEADER,
          `C2,李四,id_card,${ID2.toLowerCase()},,,1985-02-02,BR01S01`, // unchanged
          `C3,王五,PASSPORT,E1234567,13900139000,ww@example.com,,BR01`, // e-mail added
          `C4,赵六,ID_CARD,${ID3},,,,BR01`, // new
        ),
      },
      noQueue,
    );
    expect(out).toMatchObject({ status: "APPLIED", totalRows: 3 });
    expect(out.stats).toMatchObject({ inserted: 1, updated: 1, unchanged: 1, newCustomers: 1 });
    expect(await counts()).toEqual({ ...before, customers: before.customers + 1, sourceRecords: before.sourceRecords + 1 });
    // The golden record lacked an e-mail: it is filled in; nothing else is overwritten.
    expect((await t.db.customer.findFirstOrThrow({ where: { certNo: "E1234567" } })).email).toBe("ww@example.com");
  });
});

describe("fact imports", () => {
  const ACCOUNT_HEADER = "account_no,customer_source_key,product_code,kind,balance,opened_at,maturity_date";

  it("accounts, holdings and transactions resolve customers through the source system's keys", async () => {
    const accounts = await submitFileBatch(
      t.db,
      fx.br01,
      {
        kind: "ACCOUNTS",
        sourceSystem: "CORE",
        fileName: "accounts.csv",
        content: csv(ACCOUNT_HEADER, "A001,C1,,DEMAND_DEPOSIT,1000.5,2020-01-01,", "A002,C1,TD-1Y,TIME_DEPOSIT,50000,2024-01-01,2025-01-01", "A003,C2,,DEMAND_DEPOSIT,-12.30,2021-06-01,"),
      },
      noQueue,
    );
    expect(accounts).toMatchObject({ status: "APPLIED", appliedRows: 3 });
    const c1 = await t.db.customer.findFirstOrThrow({ where: { certNo: ID1 } });
    const a2 = await t.db.account.findUniqueOrThrow({ where: { accountNo: "A002" } });
    expect(a2).toMatchObject({ customerId: c1.id, kind: "TIME_DEPOSIT", sourceSystem: "CORE" });
    expect(a2.balance.toString()).toBe("50000");

    const refreshed = await submitFileBatch(
      t.db,
      fx.br01,
      { kind: "ACCOUNTS", sourceSystem: "CORE", fileName: "accounts-2.csv", content: csv(ACCOUNT_HEADER, "A001,C1,,DEMAND_DEPOSIT,2000,2020-01-01,", "A004,C3,,DEMAND_DEPOSIT,1,2022-01-01,") },
      noQueue,
    );
    expect(refreshed.stats).toEqual({ inserted: 1, updated: 1, unchanged: 0 });
    expect((await t.db.account.findUniqueOrThrow({ where: { accountNo: "A001" } })).balance.toString()).toBe("2000");

    const holdings = await submitFileBatch(
      t.db,
      fx.br01,
      { kind: "HOLDINGS", sourceSystem: "CORE", fileName: "h.csv", content: csv("holding_no,customer_source_key,product_code,amount,opened_at,maturity_date", "H1,C1,WM-001,100000,2024-05-20,2025-05-20") },
      noQueue,
    );
    expect(holdings).toMatchObject({ status: "APPLIED", appliedRows: 1 });

    const txns = csv(
      "txn_no,customer_source_key,account_no,txn_time,type,channel,amount,mcc",
      "T1,C1,A001,2025-01-01 09:30:00,PAYROLL,MOBILE,8500,",
      "T2,C1,,2025-01-02T10:00:00Z,CARD_SPEND,POS,88.80,5411",
    );
    const t1 = await submitFileBatch(t.db, fx.br01, { kind: "TRANSACTIONS", sourceSystem: "CORE", fileName: "t.csv", content: txns }, noQueue);
    expect(t1).toMatchObject({ status: "APPLIED", appliedRows: 2 });
    const txn = await t.db.transaction.findUniqueOrThrow({ where: { txnNo: "T1" } });
    expect(txn.txnTime.toISOString()).toBe("2025-01-01T01:30:00.000Z");
  });

  it("references are checked inside the importer's scope: unknown customer, product, account, someone else's key", async () => {
    // C1 is filed under BR01: a BR02 importer cannot reach it.
    const br02 = await submitFileBatch(
      t.db,
      { orgUnitId: fx.org.BR02.id },
      { kind: "ACCOUNTS", sourceSystem: "CORE", fileName: "x.csv", content: csv(ACCOUNT_HEADER, "B001,C1,,DEMAND_DEPOSIT,1,2020-01-01,") },
      noQueue,
    );
    expect(br02.status).toBe("REJECTED");
    expect(await errorsOf(br02.id)).toEqual(["2:customer_source_key:UNKNOWN_CUSTOMER"]);

    const before = await counts();
    const bad = await submitFileBatch(
      t.db,
      fx.br01,
      {
        kind: "TRANSACTIONS",
        sourceSystem: "CORE",
        fileName: "bad-t.csv",
        content: csv(
          "txn_no,customer_source_key,account_no,product_code,txn_time,type,channel,amount",
          "T10,C1,A001,,2025-01-03 10:00:00,DEPOSIT,BRANCH,1", // fine
          "T11,NOPE,,,2025-01-03 10:00:00,DEPOSIT,BRANCH,1", // unknown customer
          "T12,C1,,XX-9,2025-01-03 10:00:00,PURCHASE,ONLINE,1", // unknown product
          "T13,C2,A001,,2025-01-03 10:00:00,DEPOSIT,BRANCH,1", // A001 is C1's account
          "T1,C2,,,2025-01-01 09:30:00,PAYROLL,MOBILE,8500", // T1 belongs to C1
          "T14,C1,,,2025-01-03 25:00:00,DEPOSIT,BRANCH,-1", // bad time, negative amount
        ),
      },
      noQueue,
    );
    expect(bad.status).toBe("REJECTED");
    expect(await errorsOf(bad.id)).toEqual([
      "3:customer_source_key:UNKNOWN_CUSTOMER",
      "4:product_code:UNKNOWN_PRODUCT",
      "5:account_no:UNKNOWN_ACCOUNT",
      "6:txn_no:KEY_OF_OTHER_CUSTOMER",
      "7:amount:NEGATIVE_AMOUNT",
      "7:txn_time:INVALID_DATETIME",
    ]);
    expect(await counts()).toEqual(before);
  });
});
