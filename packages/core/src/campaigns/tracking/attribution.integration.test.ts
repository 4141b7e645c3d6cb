/** Conversion attribution from transactions and holdings, inside/outside the window, for the control group, idempotent. */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { createContactFixture } from "../channels/testing";
import { attributeConversions } from "./attribution";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.drop();
});

const DAY = 86_400_000;
const sent = new Date("2026-11-01T02:00:00Z"); // 10:00 in Shanghai
const at = (days: number) => new Date(sent.getTime() + days * DAY);
const key = () => randomBytes(5).toString("hex");

async function product(name: string) {
  return t.db.product.create({ data: { code: `P${key()}`, name, nameEn: name, category: "WEALTH", riskLevel: 2, launchedAt: new Date("2026-01-01") } });
}

describe("attributeConversions", () => {
  it("attributes purchases of the promoted product inside the window, for treated and control contacts, once", async () => {
    // contacts: 0 bought in window, 1 bought after the window, 2 bought another product, 3 bought before the send,
    // 4 control who bought in window, 5 opened a holding (no transaction) in window, 6 control who bought nothing
    const f = await createContactFixture(t.db, { count: 7, control: [false, false, false, false, true, false, true] });
    const promoted = await product("稳享90天");
    const other = await product("其他理财");
    await t.db.campaignProduct.create({ data: { campaignId: f.campaign.id, productId: promoted.id } });
    await t.db.contact.updateMany({ where: { runId: f.run.id, control: false }, data: { sentAt: sent } });
    await t.db.contact.updateMany({ where: { runId: f.run.id, control: true }, data: { createdAt: sent } });
    const c = f.customers;
    const purchase = (i: number, productId: number, when: Date) =>
      t.db.transaction.create({ data: { txnNo: `T${key()}`, customerId: c[i]!.id, productId, txnTime: when, type: "PURCHASE", channel: "MOBILE", amount: 10_000 } });
    await purchase(0, promoted.id, at(3));
    await purchase(1, promoted.id, at(15));
    await purchase(2, other.id, at(2));
    await purchase(3, promoted.id, at(-1));
    await purchase(4, promoted.id, at(2));
    await t.db.transaction.create({ data: { txnNo: `T${key()}`, customerId: c[6]!.id, productId: promoted.id, txnTime: at(1), type: "REDEMPTION", channel: "MOBILE", amount: 1 } });
    await t.db.holding.create({ data: { holdingNo: `H${key()}`, customerId: c[5]!.id, productId: promoted.id, amount: 50_000, openedAt: new Date("2026-11-06") } });

    const now = at(30);
    expect(await attributeConversions(t.db, { campaignId: f.campaign.id, since: at(-1), now })).toEqual({ converted: 2, control: 1 });
    const converted = await t.db.contact.findMany({ where: { runId: f.run.id, convertedAt: { not: null } }, orderBy: { customerId: "asc" } });
    expect(converted.map((x) => f.customers.findIndex((cu) => cu.id === x.customerId))).toEqual([0, 4, 5]);
    expect(converted[0]!.convertedAt).toEqual(at(3));
    const events = await t.db.contactEvent.findMany({ where: { contactId: { in: converted.map((x) => x.id) }, type: "CONVERTED" } });
    expect(events.map((e) => Object.keys(e.detail as object)[0]).sort()).toEqual(["holding", "transaction", "transaction"]);
    expect(converted.find((x) => x.control)?.status).toBe("SUPPRESSED");

    // a re-run (or a second worker) changes nothing
    expect(await attributeConversions(t.db, { campaignId: f.campaign.id, since: at(-1), now })).toEqual({ converted: 0, control: 0 });
    expect(await t.db.contactEvent.count({ where: { contactId: { in: converted.map((x) => x.id) }, type: "CONVERTED", repeats: 1 } })).toBe(3);

    // a purchase is only attributed once the window has reached it: before day 3, contact 0 is not converted yet
    const g = await createContactFixture(t.db, { count: 1 });
    await t.db.campaignProduct.create({ data: { campaignId: g.campaign.id, productId: promoted.id } });
    await t.db.contact.updateMany({ where: { runId: g.run.id }, data: { sentAt: sent } });
    await t.db.transaction.create({ data: { txnNo: `T${key()}`, customerId: g.customers[0]!.id, productId: promoted.id, txnTime: at(3), type: "PURCHASE", channel: "MOBILE", amount: 1 } });
    expect(await attributeConversions(t.db, { campaignId: g.campaign.id, now: at(2) })).toEqual({ converted: 0, control: 0 });
    expect(await attributeConversions(t.db, { now: at(4) })).toEqual({ converted: 1, control: 0 });
  });
});
