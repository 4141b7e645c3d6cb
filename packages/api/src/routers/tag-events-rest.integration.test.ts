/**
 * POST /api/v1/events against a real database and Redis: events set the real-time tag, show in
 * the analysts' view, publish "tag changed" signals; a resent batch is applied once; customers
 * outside the key's org subtree and malformed bodies are refused with nothing applied.
 */
import { generateApiKey } from "@mkt/core";
import { installTagLibrary } from "@mkt/core/tags/install-library";
import type { Customer } from "@mkt/db";
import { createCustomer, createOrgTree } from "@mkt/db/seed/index";
import { createTestDb, testRedisPrefix, type TestDb } from "@mkt/db/testing";
import { createJobsClient, tagChangesStream, type JobsClient } from "@mkt/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postTagEvents } from "./tag-events-rest";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
let t: TestDb;
let jobs: JobsClient;
let key: string;
let readOnlyKey: string;
let inside: Customer;
let outside: Customer;

beforeAll(async () => {
  t = await createTestDb();
  jobs = createJobsClient({ url: REDIS_URL, prefix: testRedisPrefix() });
  const org = await createOrgTree(t.db);
  inside = await createCustomer(t.db, { orgUnit: org.subBranch });
  outside = await createCustomer(t.db, { orgUnit: org.prefixSubBranch }); // BR…B10: its path starts like B1's
  await installTagLibrary(t.db);
  const issue = async (scopes: string[]) => {
    const k = generateApiKey();
    await t.db.apiKey.create({ data: { name: "channel events", prefix: k.prefix, secretHash: k.secretHash, scopes, orgUnitId: org.branch.id, createdById: "test" } });
    return k.key;
  };
  key = await issue(["event:write"]);
  readOnlyKey = await issue(["import:read"]);
});
afterAll(async () => {
  await jobs?.redis.del(tagChangesStream(jobs.prefix)).catch(() => undefined);
  await jobs?.close();
  await t?.drop();
});

const post = (body: unknown, apiKey = key) =>
  postTagEvents(
    new Request("http://localhost/api/v1/events", { method: "POST", headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) }),
    { db: t.db, jobs },
  );

const recent = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

describe("POST /api/v1/events", () => {
  it("a large transfer sets the 24-hour tag, visible in the view, and publishes a signal", async () => {
    const res = await post({ events: [
      { eventId: "evt-1", customerId: inside.id, type: "TRANSFER_OUT", occurredAt: recent(5), amount: 80_000 },
      { eventId: "evt-2", customerId: inside.id, type: "TRANSFER_OUT", occurredAt: recent(4), amount: 100 },
    ] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 2, duplicates: 0, tagChanges: 1 });
    const rows = await t.db.realtimeTagValue.findMany({ where: { customerId: inside.id }, include: { tag: true } });
    expect(rows.map((r) => [r.tag.code, r.valueNum, r.eventId])).toEqual([["LARGE_FUND_MOVEMENT_24H", 1, "evt-1"]]);
    const view = await t.db.$queryRaw<{ tag_code: string; value_label: string }[]>`SELECT tag_code, value_label FROM customer_tag_value WHERE customer_id = ${inside.id}`;
    expect(view).toEqual([{ tag_code: "LARGE_FUND_MOVEMENT_24H", value_label: "true" }]);
    const signals = await jobs.redis.xrange(tagChangesStream(jobs.prefix), "-", "+");
    expect(signals).toHaveLength(1);
    expect(signals[0]![1]).toEqual(expect.arrayContaining(["tag", "LARGE_FUND_MOVEMENT_24H", "customerId", String(inside.id), "eventId", "evt-1"]));
  });

  it("the same batch sent twice is applied once (its signal is published again, keyed by event id)", async () => {
    const batch = { events: [{ eventId: "evt-3", customerId: inside.id, type: "WITHDRAWAL", occurredAt: recent(2), amount: 60_000 }] };
    expect(await (await post(batch)).json()).toEqual({ accepted: 1, duplicates: 0, tagChanges: 1 });
    const after = await t.db.realtimeTagValue.findFirstOrThrow({ where: { customerId: inside.id } });
    expect(await (await post(batch)).json()).toEqual({ accepted: 0, duplicates: 1, tagChanges: 1 });
    expect(await t.db.tagEvent.count({ where: { eventId: "evt-3" } })).toBe(1);
    expect(await t.db.realtimeTagValue.findFirstOrThrow({ where: { customerId: inside.id } })).toEqual(after);
  });

  it("concurrent requests are committed together; the same batch sent twice at once is applied once", async () => {
    const batch = (n: number) => ({ events: Array.from({ length: 5 }, (_, i) => ({ eventId: `cc-${n}-${i}`, customerId: inside.id, type: "TRANSFER_OUT", occurredAt: recent(1 + i), amount: 70_000 })) });
    const bodies = Array.from({ length: 20 }, (_, n) => batch(Math.floor(n / 2))); // each batch twice
    const answers = await Promise.all(bodies.map(async (b) => (await post(b)).json() as Promise<{ accepted: number; duplicates: number; tagChanges: number }>));
    expect(answers.reduce((n, a) => n + a.accepted, 0)).toBe(50);
    expect(answers.reduce((n, a) => n + a.duplicates, 0)).toBe(50);
    expect(answers.every((a) => a.tagChanges === 5)).toBe(true);
    expect(await t.db.tagEvent.count({ where: { eventId: { startsWith: "cc-" } } })).toBe(50);
    // The value keeps the latest expiry among the stored events (occurred 1 minute ago).
    const row = await t.db.realtimeTagValue.findFirstOrThrow({ where: { customerId: inside.id } });
    expect(row.eventId).toMatch(/^cc-\d+-0$/);
  });

  it("an event older than the tag's window changes nothing", async () => {
    const res = await post({ events: [{ eventId: "evt-old", customerId: inside.id, type: "TRANSFER_OUT", occurredAt: recent(25 * 60), amount: 500_000 }] });
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0, tagChanges: 0 });
  });

  it("422 for a customer outside the key's subtree, and nothing of the batch is applied", async () => {
    const res = await post({ events: [
      { eventId: "evt-in", customerId: inside.id, type: "TRANSFER_OUT", occurredAt: recent(1), amount: 90_000 },
      { eventId: "evt-out", customerId: outside.id, type: "TRANSFER_OUT", occurredAt: recent(1), amount: 90_000 },
    ] });
    expect(res.status).toBe(422);
    expect(await t.db.tagEvent.count({ where: { eventId: { in: ["evt-in", "evt-out"] } } })).toBe(0);
    expect(await t.db.realtimeTagValue.count({ where: { customerId: outside.id } })).toBe(0);
  });

  it("400 naming the field for bad input, 400 for broken JSON, 401/403 for keys", async () => {
    const bad = await post({ events: [{ eventId: "evt-x", customerId: inside.id, type: "TELEPORT", occurredAt: recent(1) }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("events.0.type");
    expect((await post({ events: [{ eventId: "e", customerId: 1, type: "FEE", occurredAt: recent(1), extra: 1 }] })).status).toBe(400);
    expect((await post("{not json")).status).toBe(400);
    expect((await post({ events: [] })).status).toBe(400);
    expect((await post({ events: [{ eventId: "e", customerId: inside.id, type: "FEE", occurredAt: recent(1) }] }, "mkt_000000000000_wrongwrongwrongwrongwrong")).status).toBe(401);
    expect((await post({ events: [{ eventId: "e", customerId: inside.id, type: "FEE", occurredAt: recent(1) }] }, readOnlyKey)).status).toBe(403);
  });
});
