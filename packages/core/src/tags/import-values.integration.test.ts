/**
 * Imported tag values (every bad line reported, nothing applied half-way, a good file replaces the
 * values and the next run carries them) and owner reassignment (audited, owners must be eligible).
 */
import { seedBank } from "@mkt/db/seed/index";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { scopeFor, type OrgScope } from "../auth/scope";
import { DomainError } from "../domain-error";
import { approveTagVersion, createTag, submitTagVersion } from "./catalogue";
import { importTagValues } from "./import-values";
import { installTagLibrary } from "./install-library";
import { ownerCandidates, setTagOwners } from "./owners";
import { createTagRun, executeTagRun } from "./run";

let t: TestDb;
let tagId: number;
const staff: Record<string, { actor: Actor; scope: OrgScope }> = {};
const customers: { no: string; orgPath: string }[] = [];

const csv = (...lines: string[]) => ({ fileName: "values.csv", contentBase64: Buffer.from(lines.join("\n")).toString("base64") });
const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    if (err instanceof DomainError) return `${err.code}: ${err.message}`;
    throw err;
  }
  return "accepted";
};

beforeAll(async () => {
  t = await createTestDb();
  await seedBank(t.url, { customers: 300, seed: 5, asOf: "2026-06-30" });
  await installTagLibrary(t.db);
  for (const username of ["analyst", "approver", "bm_br01", "rm_br01s01"]) {
    const u = await t.db.user.findFirstOrThrow({ where: { username }, include: { orgUnit: true } });
    staff[username] = { actor: { id: u.id, name: u.name, role: u.role, orgUnitId: u.orgUnitId }, scope: scopeFor({ id: u.id, role: u.role, orgPath: u.orgUnit.path }) };
  }
  customers.push(...(await t.db.customer.findMany({ orderBy: { id: "asc" }, select: { customerNo: true, orgPath: true } })).map((c) => ({ no: c.customerNo, orgPath: c.orgPath })));
  const category = await t.db.tagCategory.findUniqueOrThrow({ where: { code: "VALUE_OPPORTUNITY" } });
  tagId = (
    await createTag(t.db, staff.analyst!.actor, {
      code: "BRANCH_CAMPAIGN_SCORE",
      name: "分行活动评分",
      nameEn: "Branch campaign score",
      categoryId: category.id,
      valueType: "ENUM",
      enumValues: [
        { value: "A", label: "甲", labelEn: "A" },
        { value: "B", label: "乙", labelEn: "B" },
      ],
      sourceKind: "IMPORTED",
      updateFrequency: "ON_DEMAND",
      definition: "分行线下评估结果。",
      definitionEn: "The branch's offline assessment.",
      changeNote: "new",
    })
  ).id;
  await submitTagVersion(t.db, tagId, 1);
  await approveTagVersion(t.db, staff.approver!.actor, tagId, 1);
}, 120_000);
afterAll(async () => t?.drop());

describe("imported tag values", () => {
  it("reports every bad line with its number and applies nothing", async () => {
    const [a, b] = customers;
    const result = await importTagValues(t.db, staff.analyst!.actor, staff.analyst!.scope, tagId, csv("customer_no,value", `${a!.no},A`, `${b!.no},C`, "NOPE000001,A", `${a!.no},B`, `${b!.no}`, ",A"));
    expect(result).toEqual({
      applied: false,
      problemCount: 5,
      problems: [
        { line: 3, field: "value", message: '"C" is not one of the tag\'s values (A, B)' },
        { line: 4, field: "customer_no", message: "no customer NOPE000001 in your scope" },
        { line: 5, field: "customer_no", message: `customer ${a!.no} is already on line 2` },
        { line: 6, field: null, message: "1 columns, the header has 2" },
        { line: 7, field: "customer_no", message: "customer number is empty" },
      ],
    });
    expect(await t.db.tagSourceValue.count({ where: { tagId } })).toBe(0);
  });

  it("refuses a file without the two columns, and tags that are not IMPORTED", async () => {
    expect(await refusal(importTagValues(t.db, staff.analyst!.actor, staff.analyst!.scope, tagId, csv("cust,val", "x,A")))).toMatch(/^BAD_REQUEST: line 1: the header must name/);
    const computed = await t.db.tag.findUniqueOrThrow({ where: { code: "PAYROLL_CUSTOMER" } });
    expect(await refusal(importTagValues(t.db, staff.analyst!.actor, staff.analyst!.scope, computed.id, csv("customer_no,value", `${customers[0]!.no},true`)))).toBe(
      "BAD_REQUEST: PAYROLL_CUSTOMER is a RULE tag: only IMPORTED tags take values from a file",
    );
  });

  it("a branch uploader cannot set values of customers outside the branch", async () => {
    const outside = customers.find((c) => !c.orgPath.startsWith(staff.bm_br01!.scope.orgPath))!;
    const result = await importTagValues(t.db, staff.bm_br01!.actor, staff.bm_br01!.scope, tagId, csv("客户号,标签值", `${outside.no},A`));
    expect(result).toMatchObject({ applied: false, problems: [{ line: 2, field: "customer_no", message: `no customer ${outside.no} in your scope` }] });
  });

  it("a good file replaces the values, is audited, and the next run carries them", async () => {
    const [a, b, c] = customers;
    expect(await importTagValues(t.db, staff.analyst!.actor, staff.analyst!.scope, tagId, csv("customer_no,value", `${a!.no},A`, `${b!.no},B`))).toEqual({ applied: true, rows: 2, source: "file:values.csv" });
    expect(await importTagValues(t.db, staff.analyst!.actor, staff.analyst!.scope, tagId, csv("\ufeffcustomer_no,value", `${b!.no},A`, `${c!.no},A`, ""))).toMatchObject({ applied: true, rows: 2 });
    expect(await t.db.tagSourceValue.count({ where: { tagId } })).toBe(2);
    expect(await t.db.auditLog.count({ where: { action: "IMPORT", targetType: "tag", targetId: "BRANCH_CAMPAIGN_SCORE" } })).toBe(2);

    const run = await createTagRun(t.db, { trigger: "MANUAL", asOf: new Date("2026-07-01T00:00:00+08:00") });
    await executeTagRun({ db: t.db, databaseUrl: t.url }, run.id);
    const stat = await t.db.tagStat.findUniqueOrThrow({ where: { runId_tagId: { runId: run.id, tagId } } });
    expect(stat).toMatchObject({ nonNull: 2, distribution: { kind: "categorical", counts: { A: 2, B: 0 } } });
  }, 60_000);
});

describe("owner reassignment", () => {
  it("sets eligible owners (audited) and refuses an RM", async () => {
    const candidates = await ownerCandidates(t.db, staff.analyst!.scope);
    expect(candidates.map((c) => c.id)).toContain(staff.bm_br01!.actor.id);
    expect(candidates.map((c) => c.id)).not.toContain(staff.rm_br01s01!.actor.id);
    expect(await ownerCandidates(t.db, staff.rm_br01s01!.scope)).toEqual([]);

    await setTagOwners(t.db, staff.analyst!.actor, tagId, { businessOwnerId: staff.bm_br01!.actor.id });
    expect(await t.db.tag.findUniqueOrThrow({ where: { id: tagId } })).toMatchObject({ businessOwnerId: staff.bm_br01!.actor.id, technicalOwnerId: staff.analyst!.actor.id });
    expect(await t.db.auditLog.count({ where: { action: "SETTINGS_CHANGE", targetId: "BRANCH_CAMPAIGN_SCORE" } })).toBe(1);
    expect(await refusal(setTagOwners(t.db, staff.analyst!.actor, tagId, { technicalOwnerId: staff.rm_br01s01!.actor.id }))).toMatch(/^BAD_REQUEST: an owner must be/);
    expect((await t.db.tag.findUniqueOrThrow({ where: { id: tagId } })).technicalOwnerId).toBe(staff.analyst!.actor.id);
  });
});
