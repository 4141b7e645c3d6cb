import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { recordContactEvent } from "./record-event";
import { DbLedger, SandboxProvider } from "./sandbox";
import { createContactFixture } from "./testing";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.drop();
});

const at = new Date("2026-11-30T02:00:00Z");

describe("recordContactEvent", () => {
  it("records each (contact, type) once, stamps the contact, bumps repeated clicks only", async () => {
    const { contacts } = await createContactFixture(t.db, { count: 2 });
    const [a, b] = contacts.map((c) => String(c.id)) as [string, string];
    const first = await recordContactEvent(t.db, [
      { contactId: a, type: "DELIVERED", occurredAt: at, source: "smpp", detail: { stat: "DELIVRD" } },
      { contactId: a, type: "CLICKED", occurredAt: new Date(at.getTime() + 60_000), source: "link" },
      { contactId: b, type: "DELIVERY_FAILED", occurredAt: at, source: "smpp" },
      { contactId: "999999999", type: "DELIVERED", occurredAt: at, source: "smpp" },
    ]);
    expect(first).toEqual({ recorded: 3, repeated: 0, unknown: 1 });

    const again = await recordContactEvent(t.db, [
      { contactId: a, type: "DELIVERED", occurredAt: new Date(at.getTime() + 1000), source: "smpp" },
      { contactId: a, type: "CLICKED", occurredAt: new Date(at.getTime() + 120_000), source: "link" },
      { contactId: a, type: "CLICKED", occurredAt: new Date(at.getTime() + 180_000), source: "link" },
    ]);
    expect(again).toEqual({ recorded: 0, repeated: 3, unknown: 0 });

    const events = await t.db.contactEvent.findMany({ where: { contactId: { in: contacts.map((c) => c.id) } }, orderBy: [{ contactId: "asc" }, { type: "asc" }] });
    expect(events.map((e) => [String(e.contactId), e.type, e.repeats])).toEqual([
      [a, "DELIVERED", 1],
      [a, "CLICKED", 3],
      [b, "DELIVERY_FAILED", 1],
    ]);
    const [ca, cb] = await Promise.all(contacts.map((c) => t.db.contact.findUniqueOrThrow({ where: { id: c.id } })));
    expect(ca!.status).toBe("DELIVERED");
    expect(ca!.deliveredAt).toEqual(at);
    expect(ca!.clickedAt).toEqual(new Date(at.getTime() + 60_000));
    expect(cb!.status).toBe("FAILED");
    expect(cb!.failedAt).toEqual(at);
  });

  it("leaves contacts that are not SENT in their status", async () => {
    const { contacts } = await createContactFixture(t.db, { count: 1, status: "SENDING" });
    await recordContactEvent(t.db, { contactId: String(contacts[0]!.id), type: "DELIVERED", occurredAt: at, source: "smpp" });
    const c = await t.db.contact.findUniqueOrThrow({ where: { id: contacts[0]!.id } });
    expect(c.status).toBe("SENDING");
    expect(c.deliveredAt).toEqual(at);
  });
});

describe("sandbox with the PostgreSQL ledger", () => {
  it("counts duplicates across provider instances and records its simulated events", async () => {
    const { contacts } = await createContactFixture(t.db, { count: 3 });
    const ids = contacts.map((c) => String(c.id));
    const ledger = new DbLedger(t.db);
    const before = await ledger.counts();
    const make = () =>
      new SandboxProvider("SMS", { ledger, rates: { delivered: 1, clicked: 0, converted: 0 }, record: (e) => recordContactEvent(t.db, e) });
    const msg = (id: string) => ({ contactId: id, channel: "SMS" as const, to: "x", body: "b" });
    await make().sendBatch(ids.map(msg));
    await make().sendBatch([msg(ids[0]!)]);
    const after = await ledger.counts();
    expect(after.messages - before.messages).toBe(4);
    expect(after.acceptedIds - before.acceptedIds).toBe(3);
    expect(after.duplicateIds - before.duplicateIds).toBe(1);
    expect([...(await make().findAccepted([ids[1]!, "999999999"])).keys()]).toEqual([ids[1]]);
    const delivered = await t.db.contact.count({ where: { id: { in: contacts.map((c) => c.id) }, status: "DELIVERED" } });
    expect(delivered).toBe(3);
  });
});
