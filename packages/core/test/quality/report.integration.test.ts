/**
 * The data-quality report against hand-computed counts on a small fixture, and the SQL rules
 * against the TypeScript rules they mirror (same verdict for the same values).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@mkt/db";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { isValidMobile, isValidResidentId, normalizeCertNo, normalizePhone } from "../../src/identity/normalize";
import { validateRow } from "../../src/import/row-schema";
import { dataQualityReport } from "../../src/quality/report";
import { certNormSql, convertibleBirthDateSql, convertibleGenderSql, dateTextSql, phoneNormSql, validBirthDateSql, validCertSql, validEmailSql, validMobileSql } from "../../src/quality/rules-sql";
import { residentId, seedImportFixture, type ImportFixture } from "../import/fixtures";

let t: TestDb;
let fx: ImportFixture;
const ID_A = residentId("11010519491231002"); // …X
const BAD_CHECKSUM = "110105194912310020";

beforeAll(async () => {
  t = await createTestDb();
  fx = await seedImportFixture(t.db);
  const customer = async (no: string, unit: { id: string; path: string }) =>
    (
      await t.db.customer.create({
        data: { customerNo: no, name: no, orgUnitId: unit.id, orgPath: unit.path, openedAt: new Date("2020-01-01") },
      })
    ).id;
  const c1 = await customer("Q1", fx.org.BR01);
  const c2 = await customer("Q2", fx.org.BR01);
  const c3 = await customer("Q3", fx.org.BR02);
  const c4 = await customer("Q4", fx.org.BR01S01);
  const rec = (sourceSystem: string, sourceKey: string, customerId: number, v: Partial<Record<"name" | "certNo" | "certType" | "phone" | "email" | "birthDate" | "gender", string | null>>) => ({
    sourceSystem,
    sourceKey,
    customerId,
    matchRule: "NEW" as const,
    loadedAt: new Date("2025-03-01T00:00:00Z"),
    ...v,
  });
  await t.db.sourceRecord.createMany({
    data: [
      rec("CORE", "r1", c1, { name: "张三", certNo: ID_A, phone: "13800138000", email: "a@example.com", birthDate: "1949-12-31", gender: "M" }),
      rec("CORE", "r2", c2, { name: null, certNo: BAD_CHECKSUM, phone: "+86 139 0013 9000", email: "bad@", birthDate: "19800101", gender: "男" }),
      rec("CORE", "r3", c3, { name: "王五", certNo: ID_A, phone: "12345", email: null, birthDate: null, gender: "F" }),
      rec("CORE", "r4", c4, { name: "赵六", certNo: "", phone: null, email: null, birthDate: "  ", gender: null }),
      rec("CRM", "r5", c1, { name: "张三", certNo: ID_A.toLowerCase(), phone: "13800138000", birthDate: "1949-12-31", gender: "m" }),
      rec("CRM", "r6", c4, { name: "赵六", certNo: `${ID_A.slice(0, 6)} ${ID_A.slice(6)}`, certType: "ID_CARD", phone: "0086-13700137000", gender: "U" }),
    ],
  });
});
afterAll(async () => t?.drop());

const field = (report: Awaited<ReturnType<typeof dataQualityReport>>, source: string, name: string) =>
  report.sources.find((s) => s.sourceSystem === source)!.fields.find((f) => f.field === name)!;

describe("dataQualityReport", () => {
  it("matches hand-computed counts for the head office", async () => {
    const r = await dataQualityReport(t.db, { kind: "subtree", orgPath: fx.org.HO.path });
    expect(r.sources.map((s) => [s.sourceSystem, s.records, s.customers])).toEqual([
      ["CORE", 4, 4],
      ["CRM", 2, 2],
    ]);
    const core = (f: string) => {
      const x = field(r, "CORE", f);
      return [x.nullCount, x.invalidCount, x.nonStandardCount];
    };
    expect(core("name")).toEqual([1, 0, 0]);
    expect(core("cert_no")).toEqual([1, 1, 0]); // r4 empty; r2 bad checksum
    expect(core("phone")).toEqual([1, 1, 0]); // r4 null; r3 too short (+86 with spaces is fine)
    expect(core("email")).toEqual([2, 1, 0]);
    expect(core("birth_date")).toEqual([2, 0, 1]); // r3 null, r4 blank; r2 19800101: not YYYY-MM-DD but convertible
    expect(core("gender")).toEqual([1, 0, 1]); // 男 is not M/F/U but converts to M
    expect(field(r, "CORE", "gender")).toMatchObject({ nonStandardRate: 0.3333, invalidRate: 0 });
    expect(field(r, "CORE", "cert_no")).toMatchObject({ nullRate: 0.25, invalidRate: 0.3333 });
    for (const f of ["name", "cert_no", "phone", "birth_date", "gender"]) expect(field(r, "CRM", f).invalidCount, f).toBe(0);
    // ID_A is held by three golden customers (c1, c3, c4): r1, r3 in CORE and r5, r6 in CRM.
    expect(r.sources.map((s) => [s.sourceSystem, s.duplicates])).toEqual([
      ["CORE", { certAcrossCustomers: 2, certMultipleKeys: 2 }],
      ["CRM", { certAcrossCustomers: 2, certMultipleKeys: 2 }],
    ]);
    expect(r.sources[0]!.lastLoadedAt?.toISOString()).toBe("2025-03-01T00:00:00.000Z");
  });

  it("counts only records of customers inside the caller's subtree", async () => {
    const r = await dataQualityReport(t.db, { kind: "subtree", orgPath: fx.org.BR01.path });
    expect(r.sources.map((s) => [s.sourceSystem, s.records])).toEqual([
      ["CORE", 3],
      ["CRM", 2],
    ]);
    expect(r.sources[0]!.duplicates).toEqual({ certAcrossCustomers: 1, certMultipleKeys: 0 });
    expect((await dataQualityReport(t.db, { kind: "subtree", orgPath: fx.org.BR010.path })).sources).toEqual([]);
  });
});

describe("SQL rules agree with the TypeScript rules", () => {
  const sqlVerdicts = async (expr: (col: string) => string, values: string[]) => {
    const rows = await t.db.$queryRaw<{ ok: boolean }[]>`
      SELECT ${Prisma.raw(expr("v.x"))} AS ok FROM unnest(${values}::text[]) WITH ORDINALITY AS v(x, i) ORDER BY v.i`;
    return rows.map((r) => r.ok);
  };

  it("resident IDs and other certificates", async () => {
    const values = [ID_A, ID_A.toLowerCase(), "１１０１０５１９４９１２３１００２Ｘ", ` ${ID_A.slice(0, 6)}\t${ID_A.slice(6)} `, "E1234567v", BAD_CHECKSUM, "110105194902300021", "11010519491231002", "010105194912310020", "110105299901010011", "E1234567"];
    const expected = values.map((v) => isValidResidentId(normalizeCertNo(v)));
    expect(await sqlVerdicts((c) => validCertSql(certNormSql(c), "NULL"), values)).toEqual(expected);
    expect(await sqlVerdicts((c) => validCertSql(certNormSql(c), "'PASSPORT'"), ["E1234567", "E12/34"])).toEqual([true, false]);
  });

  it("mobiles, e-mails and dates", async () => {
    const phones = ["13800138000", "12345678901", "+86 138 0013 8000", "0086-13800138000", "8613800138000", "(138)0013-8000", "１３８００１３８０００", "12800138000", "1380013800", "010-65521234"];
    expect(await sqlVerdicts((c) => validMobileSql(phoneNormSql(c)), phones)).toEqual(phones.map((p) => isValidMobile(normalizePhone(p))));
    const emails = ["a@example.com", "a.b+c@x.co", "bad@", "@x.com", "a b@x.com", "a@x"];
    const tsEmail = (email: string) => validateRow("CUSTOMERS", { source_key: "k", name: "n", org_unit_code: "HO", email }, 2).ok;
    expect(await sqlVerdicts(validEmailSql, emails)).toEqual(emails.map(tsEmail));
    const dates = ["1980-01-01", "2024-02-29", "2023-02-29", "1980-13-01", "19800101", "1980/01/01", "1899-12-31", "2999-01-01"];
    const tsDate = (birth_date: string) => validateRow("CUSTOMERS", { source_key: "k", name: "n", org_unit_code: "HO", birth_date }, 2).ok;
    expect(await sqlVerdicts((c) => validBirthDateSql(dateTextSql(c)), dates)).toEqual(dates.map(tsDate));
  });

  it("non-standard codings that convert to the dictionary's form", async () => {
    const dates = ["19800101", "1980/01/01", "1980.01.01", "19801301", "2023/02/29", "29990101", "1980-01-01", "1980/1/1", "80-01-01"];
    expect(await sqlVerdicts((c) => convertibleBirthDateSql(dateTextSql(c)), dates)).toEqual([true, true, true, false, false, false, false, false, false]);
    const genders = ["男", " 女 ", "未知", "1", "2", "0", "9", "male", "FEMALE", "M", "X", "3", ""];
    expect(await sqlVerdicts(convertibleGenderSql, genders)).toEqual([true, true, true, true, true, true, true, true, true, false, false, false, false]);
  });
});
