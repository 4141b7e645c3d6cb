/** The attribution processor: payload re-validated by the contract, window ending at the job's time, idempotent on retry. */
import { randomBytes } from "node:crypto";
import { createContactFixture } from "@mkt/core/campaigns/channels/testing";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { attributeConversionsJob } from "@mkt/jobs";
import type { Job } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../logger";
import { attributeConversionsProcessor } from "./attribute-conversions";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.drop();
});

describe("campaigns.attribute-conversions", () => {
  it("attributes a purchase inside the window once, however often the job runs", async () => {
    const sent = new Date("2026-11-10T02:00:00Z");
    const f = await createContactFixture(t.db, { count: 2, control: [false, true] });
    const product = await t.db.product.create({ data: { code: `P${randomBytes(4).toString("hex")}`, name: "稳享", nameEn: "Steady", category: "WEALTH", riskLevel: 2, launchedAt: new Date("2026-01-01") } });
    await t.db.campaignProduct.create({ data: { campaignId: f.campaign.id, productId: product.id } });
    await t.db.contact.updateMany({ where: { runId: f.run.id }, data: { sentAt: null, createdAt: sent } });
    await t.db.contact.updateMany({ where: { runId: f.run.id, control: false }, data: { sentAt: sent } });
    for (const c of f.customers) {
      await t.db.transaction.create({ data: { txnNo: `T${randomBytes(5).toString("hex")}`, customerId: c.id, productId: product.id, txnTime: new Date(sent.getTime() + 86_400_000), type: "PURCHASE", channel: "MOBILE", amount: 5000 } });
    }
    const data = attributeConversionsJob.schema.parse({ campaignId: f.campaign.id });
    expect(data).toEqual({ campaignId: f.campaign.id, lookbackDays: 2 });
    const job = { data, timestamp: new Date("2026-11-12T00:00:00Z").getTime() } as Job<typeof data>;
    const ctx = { db: t.db, redis: undefined as never, log: createLogger({ level: "silent", format: "json", workerId: "test" }), signal: new AbortController().signal };
    expect(await attributeConversionsProcessor.run(job, ctx)).toEqual({ converted: 1, control: 1 });
    expect(await attributeConversionsProcessor.run(job, ctx)).toEqual({ converted: 0, control: 0 });
    expect(await t.db.contact.count({ where: { runId: f.run.id, convertedAt: { not: null } } })).toBe(2);
    expect(() => attributeConversionsJob.schema.parse({ campaignId: "x", customerName: "张三" })).toThrow();
  });
});
