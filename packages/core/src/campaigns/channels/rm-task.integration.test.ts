/** RM task: one lead per contact for the customer's RM, priority and due date from the flow's lead node. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { RmTaskProvider } from "./rm-task";
import { createContactFixture } from "./testing";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.drop();
});

describe("RM task provider", () => {
  it("creates a lead for the assigned RM once, with the lead node's priority and due date", async () => {
    const flow = { version: 1, nodes: [{ id: "rm-lead", type: "lead", priority: "HIGH", dueInDays: 5 }], edges: [] };
    const f = await createContactFixture(t.db, { channel: "RM_TASK", count: 2, stepId: "rm-lead", flow });
    const p = new RmTaskProvider(t.db);
    const msgs = f.contacts.map((c) => ({ contactId: String(c.id), channel: "RM_TASK" as const, to: "rm", body: "客户对稳享90天表示兴趣，请跟进" }));
    const before = Date.now();
    const r1 = await p.sendBatch([...msgs, { contactId: "999999999", channel: "RM_TASK", to: "rm", body: "x" }]);
    expect(r1.map((r) => r.outcome)).toEqual(["ACCEPTED", "ACCEPTED", "PERMANENT_FAILURE"]);
    const r2 = await p.sendBatch(msgs);
    expect(r2.map((r) => r.providerMessageId)).toEqual(r1.slice(0, 2).map((r) => r.providerMessageId));
    expect(await p.findAccepted([msgs[0]!.contactId, "999999999"])).toEqual(new Map([[msgs[0]!.contactId, r1[0]!.providerMessageId]]));

    const leads = await t.db.lead.findMany({ where: { campaignId: f.campaign.id } });
    expect(leads).toHaveLength(2);
    for (const lead of leads) {
      expect(lead).toMatchObject({ rmId: f.rm.id, orgUnitId: f.orgUnit.id, priority: "HIGH", status: "OPEN", note: "客户对稳享90天表示兴趣，请跟进" });
      const days = (lead.dueAt.getTime() - before) / 86_400_000;
      expect(days).toBeGreaterThan(4.99);
      expect(days).toBeLessThan(5.01);
    }
    expect(await t.db.contact.count({ where: { campaignId: f.campaign.id, status: "DELIVERED" } })).toBe(2);
  });
});
