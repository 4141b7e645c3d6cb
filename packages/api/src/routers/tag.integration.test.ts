/**
 * The tag router end to end on the fixture bank: catalogue by theme, a tag's page, an analyst's
 * rule previewed and submitted, refused to its author and published by an approver, run history,
 * and a customer's tag values visible only inside the caller's scope.
 */
import { installTagLibrary } from "@mkt/core/tags/install-library";
import { createTagRun, executeTagRun } from "@mkt/core/tags/run";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callPath, outcome } from "../../test/call";
import { buildBank, contextFor, type Bank } from "../../test/fixtures";

let t: TestDb;
let bank: Bank;
let runId: number;

beforeAll(async () => {
  t = await createTestDb();
  // preview and customerValues open raw connections to the API's database.
  process.env.DATABASE_URL = t.url;
  process.env.BETTER_AUTH_SECRET ??= "x".repeat(32);
  bank = await buildBank(t.db);
  await installTagLibrary(t.db);
  runId = (await createTagRun(t.db, { trigger: "MANUAL" })).id;
  await executeTagRun({ db: t.db, databaseUrl: t.url }, runId);
}, 120_000);
afterAll(async () => t?.drop());

const as = async (userKey: string) => contextFor(t.db, bank.users[userKey]!.id);

describe("tag router", () => {
  it("lists a theme's tags with coverage from the current run, and a tag's page", async () => {
    const list = (await callPath(await as("hoMarketing"), "tag.list", { category: "RISK" })) as { items: { code: string; category: { code: string }; coverage: number | null }[]; total: number };
    expect(list.items.map((i) => i.code)).toContain("RISK_LEVEL");
    expect(list.items.every((i) => i.category.code.startsWith("RISK"))).toBe(true);
    expect(list.items.find((i) => i.code === "GENDER")).toBeUndefined();
    const tag = (await callPath(await as("hoMarketing"), "tag.get", { code: "AGE_BAND" })) as { versions: { status: string }[]; stats: { runId: number; coverage: number }[] };
    expect(tag.versions.map((v) => v.status)).toEqual(["PUBLISHED"]);
    expect(tag.stats[0]).toMatchObject({ runId, coverage: 1 });
    expect(await outcome(await as("hoMarketing"), "tag.get", { code: "NO_SUCH_TAG" })).toBe("NOT_FOUND");
  });

  it("an analyst previews, creates and submits; the author cannot approve; an approver publishes", async () => {
    const rule = { op: "and", args: [{ tag: "SENIOR_CUSTOMER" }, { op: "not", arg: { tag: "HAS_ASSIGNED_RM" } }] };
    const preview = (await callPath(await as("hoAnalyst"), "tag.preview", { rule, valueType: "BOOLEAN" })) as { customers: number; distribution: { kind: string } };
    expect(preview.customers).toBeGreaterThan(0);
    expect(preview.distribution.kind).toBe("categorical");
    expect(await outcome(await as("hoAnalyst"), "tag.preview", { rule: { tag: "NOPE" }, valueType: "BOOLEAN" })).toBe("BAD_REQUEST");

    const categoryId = (await t.db.tagCategory.findUniqueOrThrow({ where: { code: "VALUE_OPPORTUNITY" } })).id;
    const input = { code: "SENIOR_NO_RM", name: "无管户老年客户", nameEn: "Seniors without an RM", categoryId, valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY", definition: "60岁以上且未分配客户经理", definitionEn: "Aged 60+ without an assigned RM", changeNote: "new", rule };
    expect(await callPath(await as("hoAnalyst"), "tag.create", input)).toEqual({ id: expect.any(Number), version: 1 });
    await callPath(await as("hoAnalyst"), "tag.submit", { code: "SENIOR_NO_RM", version: 1 });
    const inbox = (await callPath(await as("hoApprover"), "tag.approvals", {})) as { code: string }[];
    expect(inbox.map((i) => i.code)).toContain("SENIOR_NO_RM");
    expect(await outcome(await as("hoAnalyst"), "tag.approve", { code: "SENIOR_NO_RM", version: 1 })).toBe("FORBIDDEN");
    expect(await outcome(await as("hoAdmin"), "tag.approve", { code: "SENIOR_NO_RM", version: 1 })).toBe("OK");
  });

  it("the author is refused approval even with the approver permission", async () => {
    const categoryId = (await t.db.tagCategory.findUniqueOrThrow({ where: { code: "VALUE_OPPORTUNITY" } })).id;
    const input = { code: "ADMIN_OWN", name: "自审", nameEn: "Self", categoryId, valueType: "BOOLEAN", sourceKind: "RULE", updateFrequency: "DAILY", definition: "测试", definitionEn: "Test", changeNote: "new", rule: { const: true } };
    await callPath(await as("hoAdmin"), "tag.create", input);
    await callPath(await as("hoAdmin"), "tag.submit", { code: "ADMIN_OWN", version: 1 });
    expect(await outcome(await as("hoAdmin"), "tag.approve", { code: "ADMIN_OWN", version: 1 })).toBe("PRECONDITION_FAILED");
  });

  it("run history shows the finished run as current", async () => {
    const runs = (await callPath(await as("hoAnalyst"), "tag.runs", {})) as { items: { id: number; status: string; current: boolean }[] };
    expect(runs.items[0]).toMatchObject({ id: runId, status: "SUCCEEDED", current: true });
    expect(await outcome(await as("hoAnalyst"), "tag.run", { runId: 999_999 })).toBe("NOT_FOUND");
  });

  it("owners are reassigned only to staff inside the caller's subtree (BR01 is not BR010)", async () => {
    const owners = (id: string) => ({ code: "AGE_BAND", businessOwnerId: id });
    expect(await outcome(await as("br01Admin"), "tag.setOwners", owners(bank.users.br010Manager!.id))).toBe("NOT_FOUND");
    expect(await outcome(await as("br01Admin"), "tag.setOwners", { code: "AGE_BAND", technicalOwnerId: bank.users.hoAnalyst!.id })).toBe("NOT_FOUND");
    expect(await outcome(await as("hoMarketing"), "tag.setOwners", owners(bank.users.br01Manager!.id))).toBe("FORBIDDEN");
    expect(await outcome(await as("br01Admin"), "tag.setOwners", owners(bank.users.br01Manager!.id))).toBe("OK");
    expect((await t.db.tag.findUniqueOrThrow({ where: { code: "AGE_BAND" } })).businessOwnerId).toBe(bank.users.br01Manager!.id);
    const candidates = (await callPath(await as("br01Admin"), "tag.ownerCandidates", {})) as { id: string }[];
    expect(candidates.map((c) => c.id)).toContain(bank.users.br01Manager!.id);
    expect(candidates.map((c) => c.id)).not.toContain(bank.users.br010Manager!.id);
  });

  it("imported values: a non-IMPORTED tag is refused, bad base64 is a 400", async () => {
    const file = { code: "AGE_BAND", fileName: "v.csv", contentBase64: Buffer.from("customer_no,value\nX,1").toString("base64") };
    expect(await outcome(await as("hoAnalyst"), "tag.importValues", file)).toBe("BAD_REQUEST");
    expect(await outcome(await as("hoAnalyst"), "tag.importValues", { ...file, contentBase64: "not base64!" })).toBe("BAD_REQUEST");
    expect(await outcome(await as("hoMarketing"), "tag.importValues", file)).toBe("FORBIDDEN");
  });

  it("a customer's values are visible to its RM, not to another branch's", async () => {
    const customerId = bank.customers.cS01a!.id;
    const values = (await callPath(await as("rmS01a"), "tag.customerValues", { customerId })) as { code: string; value: unknown; theme: string; display: { zh: string; en: string } | null }[];
    expect(values.find((v) => v.code === "GENDER")).toMatchObject({ theme: "NATURAL", display: { zh: expect.any(String), en: expect.any(String) } });
    expect(await outcome(await as("rmBr010"), "tag.customerValues", { customerId })).toBe("NOT_FOUND");
  });
});
