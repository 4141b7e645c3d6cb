/**
 * Governance: maker-checker publication, rules checked against the published catalogue (unknown
 * tags, cycles, real-time shapes), retirement refused while the tag is used, and a published
 * version computed by the next run.
 */
import { createOrgTree, createUser, seedBank } from "@mkt/db/seed/index";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { DomainError } from "../domain-error";
import { approveTagVersion, createTag, registerTagUsage, rejectTagVersion, retireTag, saveTagVersion, submitTagVersion, type CreateTagInput } from "./catalogue";
import { installTagLibrary } from "./install-library";
import { createTagRun, executeTagRun } from "./run";

let t: TestDb;
let maker: Actor;
let checker: Actor;
let categoryId: number;

const actor = (u: { id: string; name: string; role: string; orgUnitId: string }): Actor => ({ id: u.id, name: u.name, role: u.role, orgUnitId: u.orgUnitId });

beforeAll(async () => {
  t = await createTestDb();
  await seedBank(t.url, { customers: 300, seed: 11, asOf: "2026-06-30" });
  await installTagLibrary(t.db);
  const org = await createOrgTree(t.db);
  maker = actor(await createUser(t.db, { role: "ANALYST", orgUnit: org.headOffice }));
  checker = actor(await createUser(t.db, { role: "APPROVER", orgUnit: org.headOffice }));
  categoryId = (await t.db.tagCategory.findUniqueOrThrow({ where: { code: "VALUE_OPPORTUNITY" } })).id;
}, 120_000);
afterAll(async () => t?.drop());

const draft = (code: string, rule: unknown, extra: Partial<CreateTagInput> = {}): CreateTagInput => ({
  code,
  name: `测试${code}`,
  nameEn: `Test ${code}`,
  categoryId,
  valueType: "BOOLEAN",
  sourceKind: "RULE",
  updateFrequency: "DAILY",
  definition: "测试口径",
  definitionEn: "Test definition",
  changeNote: "first",
  rule,
  ...extra,
});
const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    if (err instanceof DomainError) return `${err.code}: ${err.message}`;
    throw err;
  }
  return "accepted";
};

describe("maker-checker", () => {
  it("a draft is submitted, refused to its author, approved by another user and computed by the next run", async () => {
    const rule = { op: "and", args: [{ tag: "PAYROLL_CUSTOMER" }, { op: "gte", left: { tag: "AGE" }, right: { const: 30 } }] };
    const { id } = await createTag(t.db, maker, draft("PAYROLL_OVER_30", rule));
    expect(await refusal(approveTagVersion(t.db, checker, id, 1))).toMatch(/^PRECONDITION_FAILED: version 1 is DRAFT/);
    await submitTagVersion(t.db, id, 1);
    expect((await t.db.tag.findUniqueOrThrow({ where: { id } })).status).toBe("IN_REVIEW");
    expect(await refusal(approveTagVersion(t.db, maker, id, 1))).toBe("PRECONDITION_FAILED: maker-checker: a version cannot be approved by its author");
    await approveTagVersion(t.db, checker, id, 1, "ok");
    expect(await t.db.tag.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "PUBLISHED", currentVersion: 1 });
    expect(await t.db.auditLog.count({ where: { action: "APPROVE", targetId: "PAYROLL_OVER_30@1", actorId: checker.id } })).toBe(1);

    const run = await createTagRun(t.db, { trigger: "MANUAL", asOf: new Date("2026-07-01T00:00:00+08:00") });
    await executeTagRun({ db: t.db, databaseUrl: t.url }, run.id);
    const [row] = await t.db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM customer_tag_value a
      JOIN customer_tag_value p ON p.customer_id = a.customer_id AND p.tag_code = 'PAYROLL_CUSTOMER'
      JOIN customer_tag_value g ON g.customer_id = a.customer_id AND g.tag_code = 'AGE'
      WHERE a.tag_code = 'PAYROLL_OVER_30' AND (a.value_num = 1) <> (p.value_num = 1 AND g.value_num >= 30)`;
    expect(Number(row!.n)).toBe(0);
  });

  it("a new version keeps the published one computing until it is approved; a rejection records the note", async () => {
    const { id } = await t.db.tag.findUniqueOrThrow({ where: { code: "PAYROLL_OVER_30" } });
    const v = await saveTagVersion(t.db, maker, id, {
      rule: { op: "and", args: [{ tag: "PAYROLL_CUSTOMER" }, { op: "gte", left: { tag: "AGE" }, right: { const: 35 } }] },
      definition: "代发且35岁以上",
      definitionEn: "Payroll and 35 or over",
      changeNote: "raise the age",
    });
    expect(v.version).toBe(2);
    await submitTagVersion(t.db, id, 2);
    expect(await refusal(saveTagVersion(t.db, maker, id, { definition: "x", definitionEn: "x", changeNote: "x", rule: { const: true } }))).toMatch(/awaiting approval/);
    await rejectTagVersion(t.db, checker, id, 2, "age threshold not agreed");
    expect(await t.db.tag.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "PUBLISHED", currentVersion: 1 });
    expect(await t.db.tagVersion.findUniqueOrThrow({ where: { tagId_version: { tagId: id, version: 2 } } })).toMatchObject({ status: "REJECTED", reviewNote: "age threshold not agreed" });
  });
});

describe("rules are checked against the published catalogue", () => {
  it("refuses unknown or unpublished tags, wrong types and bad real-time shapes", async () => {
    expect(await refusal(createTag(t.db, maker, draft("READS_NOTHING", { tag: "NO_SUCH_TAG" })))).toBe("BAD_REQUEST: unknown tag NO_SUCH_TAG");
    expect(await refusal(createTag(t.db, maker, draft("WRONG_TYPE", { tag: "AGE" })))).toBe("BAD_REQUEST: rule gives num, tag WRONG_TYPE is BOOLEAN");
    const notWindow = { op: "gt", left: { tag: "CARD_SPEND_30D" }, right: { const: 1 } };
    expect(await refusal(createTag(t.db, maker, draft("RT_BAD", notWindow, { sourceKind: "REALTIME", updateFrequency: "REALTIME" })))).toMatch(/^BAD_REQUEST: a REALTIME tag's rule must be an event window/);
    expect(await refusal(createTag(t.db, maker, draft("IMPORTED_WITH_RULE", { const: true }, { sourceKind: "IMPORTED" })))).toMatch(/no rule/);
  });

  it("refuses a version that would close a dependency cycle, naming it", async () => {
    const a = await createTag(t.db, maker, draft("CYCLE_A", { tag: "PAYROLL_CUSTOMER" }));
    await submitTagVersion(t.db, a.id, 1);
    await approveTagVersion(t.db, checker, a.id, 1);
    const b = await createTag(t.db, maker, draft("CYCLE_B", { op: "not", arg: { tag: "CYCLE_A" } }));
    await submitTagVersion(t.db, b.id, 1);
    await approveTagVersion(t.db, checker, b.id, 1);
    const closing = saveTagVersion(t.db, maker, a.id, { rule: { tag: "CYCLE_B" }, definition: "d", definitionEn: "d", changeNote: "loop" });
    expect(await refusal(closing)).toMatch(/dependency cycle: CYCLE_A → CYCLE_B → CYCLE_A|dependency cycle: CYCLE_B → CYCLE_A → CYCLE_B/);
  });
});

describe("retirement", () => {
  it("is refused while a segment uses the tag or a published rule reads it, with the list", async () => {
    const payroll = await t.db.tag.findUniqueOrThrow({ where: { code: "PAYROLL_CUSTOMER" } });
    await registerTagUsage(t.db, { tagCodes: ["PAYROLL_CUSTOMER"], usedBy: "SEGMENT", refId: "seg-1", refName: "代发客群" });
    const refused = await retireTag(t.db, maker, payroll.id);
    expect(refused.retired).toBe(false);
    expect(!refused.retired && refused.usedBy).toEqual(
      expect.arrayContaining([
        { kind: "SEGMENT", refId: "seg-1", name: "代发客群" },
        { kind: "TAG", refId: "PAYROLL_OVER_30", name: "PAYROLL_OVER_30" },
      ]),
    );

    const unused = await createTag(t.db, maker, draft("UNUSED_TAG", { const: true }));
    await submitTagVersion(t.db, unused.id, 1);
    await approveTagVersion(t.db, checker, unused.id, 1);
    expect(await retireTag(t.db, maker, unused.id)).toEqual({ retired: true });
    expect((await t.db.tag.findUniqueOrThrow({ where: { id: unused.id } })).status).toBe("RETIRED");
  });
});
