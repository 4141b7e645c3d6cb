/** GET /t/<code>: the click is recorded on the contact (repeats counted), then a redirect; forged codes record nothing. */
import { createContactFixture } from "@mkt/core/campaigns/channels/testing";
import { shortLinkCode } from "@mkt/core/campaigns/tracking/short-link";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followShortLinkRoute } from "./short-link-rest";

let t: TestDb;
const key = Buffer.from("tracking-key-for-tests-0123456789");
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.drop();
});

const open = (code: string, method = "GET") => followShortLinkRoute(new Request(`http://localhost/t/${code}`, { method }), code, { db: t.db, key });

describe("GET /t/[code]", () => {
  it("records the click then redirects to the template's landing page; repeats are counted, HEAD is not", async () => {
    const f = await createContactFixture(t.db, { count: 2 });
    const template = await t.db.campaignTemplate.create({ data: { campaignId: f.campaign.id, channel: "SMS", name: "短信", body: "{{link}}", linkUrl: "https://bank.example/wealth/steady-90?from=sms" } });
    await t.db.contact.updateMany({ where: { runId: f.run.id }, data: { templateId: template.id } });
    const [a, b] = f.contacts;
    const code = shortLinkCode(key, a!.id);

    const head = await open(code, "HEAD");
    expect(head.status).toBe(302);
    expect(await t.db.contactEvent.count({ where: { contactId: a!.id } })).toBe(0);

    const res = await open(code);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("https://bank.example/wealth/steady-90?from=sms");
    expect(res.headers.get("cache-control")).toBe("no-store");
    await open(code);
    const click = await t.db.contactEvent.findUniqueOrThrow({ where: { contactId_type: { contactId: a!.id, type: "CLICKED" } } });
    expect(click.repeats).toBe(2);
    expect((await t.db.contact.findUniqueOrThrow({ where: { id: a!.id } })).clickedAt).toEqual(click.occurredAt);
    expect(await t.db.contactEvent.count({ where: { contactId: b!.id } })).toBe(0);
  });

  it("answers 404 for forged codes, other keys and contacts without a landing page, recording nothing", async () => {
    const f = await createContactFixture(t.db, { count: 1 });
    const id = f.contacts[0]!.id;
    const forged = shortLinkCode(Buffer.from("someone-elses-key-0000000000000000"), id);
    for (const code of [forged, "0000000000000", "bad!code"]) {
      const res = await open(code);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("链接无效");
    }
    expect((await open(shortLinkCode(key, id))).status).toBe(404); // no template, no landing page
    expect(await t.db.contactEvent.count({ where: { contactId: id } })).toBe(0);
  });
});
