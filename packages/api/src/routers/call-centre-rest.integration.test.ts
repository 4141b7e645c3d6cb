/** The call centre's API: task list (JSON, CSV) by API key scope and org subtree, results posted back once. */
import { generateApiKey } from "@mkt/core";
import { CallCentreProvider } from "@mkt/core/campaigns/channels/call-centre";
import { createContactFixture, type ContactFixture } from "@mkt/core/campaigns/channels/testing";
import { createOrgTree } from "@mkt/db/seed/factories";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCallTasks, postCallResults } from "./call-centre-rest";

let t: TestDb;
let f: ContactFixture;
const keys: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestDb();
  f = await createContactFixture(t.db, { channel: "CALL", count: 2 });
  await new CallCentreProvider(t.db).sendBatch(f.contacts.map((c) => ({ contactId: String(c.id), channel: "CALL" as const, to: "13800000001", body: "话术：稳享90天" })));
  const elsewhere = await createOrgTree(t.db);
  const issue = async (name: string, scopes: string[], orgUnitId: string) => {
    const k = generateApiKey();
    await t.db.apiKey.create({ data: { name, prefix: k.prefix, secretHash: k.secretHash, scopes, orgUnitId, createdById: "test" } });
    keys[name] = k.key;
  };
  await issue("centre", ["call:read", "call:write"], f.orgUnit.id);
  await issue("other-branch", ["call:read", "call:write"], elsewhere.branch.id);
  await issue("events-only", ["event:write"], f.orgUnit.id);
});
afterAll(async () => {
  await t?.drop();
});

const get = (query: string, key = keys.centre!) => getCallTasks(new Request(`http://localhost/api/v1/call-tasks${query}`, { headers: { authorization: `Bearer ${key}` } }), { db: t.db });
const post = (body: unknown, key = keys.centre!) =>
  postCallResults(new Request("http://localhost/api/v1/call-results", { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) }), { db: t.db });

describe("call-centre API", () => {
  it("refuses missing keys and scopes", async () => {
    expect((await getCallTasks(new Request("http://localhost/api/v1/call-tasks"), { db: t.db })).status).toBe(401);
    expect((await get("", keys["events-only"])).status).toBe(403);
    expect((await post({ results: [] }, keys["events-only"])).status).toBe(403);
    const bad = await get("?limit=5000");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: { path: string }[] }).issues[0]!.path).toBe("limit");
  });

  it("lists the subtree's tasks once as JSON, again as CSV, and audits the download", async () => {
    const none = await get("", keys["other-branch"]);
    expect(await none.json()).toEqual({ tasks: [] });
    const res = await get("?status=PENDING");
    const { tasks } = (await res.json()) as { tasks: { taskId: string; phone: string; status: string }[] };
    expect(tasks.map((x) => x.taskId)).toEqual(f.contacts.map((c) => String(c.id)));
    expect(tasks[0]).toMatchObject({ phone: "13800000001", status: "FETCHED" });
    expect(await (await get("?status=PENDING")).json()).toEqual({ tasks: [] });
    const csv = await get("?status=FETCHED&format=csv");
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="call-tasks-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await csv.text();
    expect(text.trim().split("\r\n")).toHaveLength(3);
    const audits = await t.db.auditLog.findMany({ where: { action: "EXPORT", targetType: "call_tasks" } });
    expect(audits.map((a) => (a.details as { count: number }).count)).toEqual([0, 2, 0, 2]);
    expect(JSON.stringify(audits.map((a) => a.details))).not.toContain("13800000001");
  });

  it("records results once, refuses unknown or out-of-scope tasks with nothing recorded", async () => {
    const [a, b] = f.contacts.map((c) => String(c.id)) as [string, string];
    const body = { results: [{ taskId: a, result: "INTERESTED", calledAt: "2026-11-30T10:00:00+08:00" }, { taskId: b, result: "WRONG_NUMBER", calledAt: "2026-11-30T10:02:00+08:00" }] };
    const outside = await post(body, keys["other-branch"]);
    expect(outside.status).toBe(422);
    expect(await t.db.contactEvent.count({ where: { contactId: { in: f.contacts.map((c) => c.id) } } })).toBe(0);
    const malformed = await post({ results: [{ taskId: a, result: "MAYBE", calledAt: "2026-11-30T10:00:00+08:00", extra: 1 }] });
    expect(malformed.status).toBe(400);
    expect((await post("{not json")).status).toBe(400);

    expect(await (await post(body)).json()).toEqual({ recorded: 2, repeated: 0 });
    expect(await (await post(body)).json()).toEqual({ recorded: 0, repeated: 2 });
    const responded = await t.db.contact.findUniqueOrThrow({ where: { id: BigInt(a) } });
    expect(responded.respondedAt).toEqual(new Date("2026-11-30T02:00:00Z"));
    expect((await t.db.contact.findUniqueOrThrow({ where: { id: BigInt(b) } })).status).toBe("FAILED");
  });
});
