/** Outbound calls: tasks created once per contact, fetched by org subtree (API rows and CSV), results recorded once. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { CallCentreProvider, callTasksCsv, listCallTasks, recordCallResults } from "./call-centre";
import { createContactFixture } from "./testing";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.drop();
});

describe("call-centre provider", () => {
  it("creates one task per contact, lists them by org subtree, records results as events once", async () => {
    const f = await createContactFixture(t.db, { channel: "CALL", count: 3 });
    const [a, b, c] = f.contacts.map((x) => String(x.id)) as [string, string, string];
    const p = new CallCentreProvider(t.db);
    const call = (id: string, to = "13800000001") => ({ contactId: id, channel: "CALL" as const, to, body: "您好，这里是示例银行，为您介绍稳享90天理财。" });
    const r1 = await p.sendBatch([call(a), call(b), call(c, "n/a"), call("999999999")]);
    expect(r1.map((r) => r.outcome)).toEqual(["ACCEPTED", "ACCEPTED", "PERMANENT_FAILURE", "PERMANENT_FAILURE"]);
    expect((await p.sendBatch([call(a)]))[0]).toMatchObject({ outcome: "ACCEPTED", providerMessageId: `call-${a}` });
    expect(await t.db.callTask.count({ where: { campaignId: f.campaign.id } })).toBe(2);
    expect(await p.findAccepted([a, c])).toEqual(new Map([[a, `call-${a}`]]));

    expect(await listCallTasks(t.db, { orgPath: "/NOPE/", status: "PENDING", limit: 10 })).toEqual([]);
    const orgPath = f.orgUnit.path;
    const fetched = await listCallTasks(t.db, { orgPath, status: "PENDING", limit: 10 });
    expect(fetched.map((x) => x.taskId)).toEqual([a, b]);
    expect(fetched[0]).toMatchObject({ campaignCode: f.campaign.code, phone: "13800000001", status: "FETCHED" });
    expect(fetched[0]!.salutation).toMatch(/^张(先生|女士)$/);
    expect(await listCallTasks(t.db, { orgPath, status: "PENDING", limit: 10 })).toEqual([]);
    const csv = callTasksCsv(await listCallTasks(t.db, { orgPath, status: "FETCHED", limit: 10 }));
    expect(csv.split("\r\n")[0]).toBe("\uFEFFtaskId,campaignCode,campaignName,customerNo,salutation,phone,script,status,createdAt");
    expect(csv).toContain(`${a},${f.campaign.code},测试活动,`);

    await expect(recordCallResults(t.db, { results: [{ taskId: a, result: "INTERESTED", calledAt: "2026-11-30T09:00:00+08:00" }, { taskId: "999999999", result: "BUSY", calledAt: "2026-11-30T09:00:00+08:00" }] }, { orgPath }))
      .rejects.toThrow(/unknown call tasks: 999999999/);
    await expect(recordCallResults(t.db, { results: [{ taskId: a, result: "BUSY", calledAt: "2026-11-30T09:00:00+08:00" }] }, { orgPath: "/NOPE/" })).rejects.toThrow(/unknown call tasks/);
    expect(await t.db.contactEvent.count({ where: { contactId: BigInt(a) } })).toBe(0);

    const batch = { results: [{ taskId: a, result: "INTERESTED" as const, calledAt: "2026-11-30T09:00:00+08:00", note: "想了解起购金额" }, { taskId: b, result: "NO_ANSWER" as const, calledAt: "2026-11-30T09:05:00+08:00" }] };
    expect(await recordCallResults(t.db, batch, { orgPath })).toEqual({ recorded: 2, repeated: 0 });
    expect(await recordCallResults(t.db, batch, { orgPath })).toEqual({ recorded: 0, repeated: 2 });
    const events = await t.db.contactEvent.findMany({ where: { contactId: { in: [BigInt(a), BigInt(b)] } }, orderBy: [{ contactId: "asc" }, { type: "asc" }] });
    expect(events.map((e) => [String(e.contactId), e.type, e.repeats])).toEqual([
      [a, "DELIVERED", 1],
      [a, "RESPONDED", 1],
      [b, "DELIVERY_FAILED", 1],
    ]);
    const task = await t.db.callTask.findUniqueOrThrow({ where: { contactId: BigInt(a) } });
    expect(task).toMatchObject({ status: "DONE", result: "INTERESTED", note: "想了解起购金额" });
  });
});
