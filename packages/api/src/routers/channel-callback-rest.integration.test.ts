/**
 * The webhook loop over loopback: our provider pushes to a local gateway, the gateway calls back
 * POST /api/v1/callbacks/app-push (served here by a local HTTP server around the route handler),
 * and the delivery lands on the contact. Bad, stale and replayed signatures → 401 with nothing
 * recorded (replays remembered in Redis).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { signedHeaders } from "@mkt/core/campaigns/channels/signature";
import { createContactFixture } from "@mkt/core/campaigns/channels/testing";
import { TestWebhookGateway } from "@mkt/core/campaigns/channels/testing-webhook";
import { WebhookProvider } from "@mkt/core/campaigns/channels/webhook";
import { createTestDb, testRedisPrefix, type TestDb } from "@mkt/db/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisReplayGuard } from "../http/replay-guard";
import { postChannelCallback, type ChannelCallbackDeps } from "./channel-callback-rest";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const secret = "app-push-shared-secret-0123456789abcdef";
const prefix = testRedisPrefix();
let t: TestDb;
let redis: Redis;
let deps: ChannelCallbackDeps;
let server: Server;
let callbackUrl: string;

beforeAll(async () => {
  t = await createTestDb();
  redis = new Redis(REDIS_URL);
  deps = { db: t.db, secretFor: (c) => (c === "APP_PUSH" ? secret : null), replay: redisReplayGuard(redis, prefix), windowSeconds: 300 };
  server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", async () => {
      const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : [])));
      const response = await postChannelCallback(new Request(`http://127.0.0.1${req.url}`, { method: "POST", headers, body }), req.url!.split("/").pop()!, deps);
      res.writeHead(response.status, { "content-type": "application/json" });
      res.end(await response.text());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/callbacks/app-push`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await t?.drop();
});

const post = (slug: string, body: string, headers: Record<string, string>) =>
  postChannelCallback(new Request(`http://localhost/api/v1/callbacks/${slug}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body }), slug, deps);

const eventsOf = (ids: bigint[]) => t.db.contactEvent.count({ where: { contactId: { in: ids } } });

describe("POST /api/v1/callbacks/[channel]", () => {
  it("records the gateway's signed delivery callbacks for pushed messages", async () => {
    const f = await createContactFixture(t.db, { channel: "APP_PUSH", count: 2 });
    const gateway = new TestWebhookGateway(secret, callbackUrl);
    const url = await gateway.listen();
    try {
      const p = new WebhookProvider("APP_PUSH", { url, secret });
      const results = await p.sendBatch(f.contacts.map((c, i) => ({ contactId: String(c.id), channel: "APP_PUSH" as const, to: i === 0 ? "device-1" : "undeliverable-2", body: "稳享90天今日开放" })));
      expect(results.map((r) => r.outcome)).toEqual(["ACCEPTED", "ACCEPTED"]);
      for (let i = 0; i < 250 && gateway.callbacks.length < 2; i++) await new Promise((r) => setTimeout(r, 20)); // callbacks follow the answers
      expect(gateway.callbacks).toEqual([
        { status: 200, body: { recorded: 1, repeated: 0, unknown: 0 } },
        { status: 200, body: { recorded: 1, repeated: 0, unknown: 0 } },
      ]);
    } finally {
      await gateway.close();
    }
    const [a, b] = await Promise.all(f.contacts.map((c) => t.db.contact.findUniqueOrThrow({ where: { id: c.id } })));
    expect(a!.status).toBe("DELIVERED");
    expect(b!.status).toBe("FAILED");
    expect(await t.db.contactEvent.findUniqueOrThrow({ where: { contactId_type: { contactId: b!.id, type: "DELIVERY_FAILED" } } })).toMatchObject({ source: "callback:APP_PUSH", detail: { reason: "token expired" } });
  });

  it("refuses bad, stale and replayed signatures with 401 and records nothing", async () => {
    const f = await createContactFixture(t.db, { channel: "APP_PUSH", count: 1 });
    const ids = f.contacts.map((c) => c.id);
    const body = JSON.stringify({ events: [{ requestId: String(ids[0]), status: "DELIVERED", occurredAt: new Date().toISOString() }] });

    const wrongSecret = await post("app-push", body, signedHeaders("another-secret-of-enough-length-xx", body));
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toEqual({ error: "invalid signature (bad-signature)" });
    const tampered = signedHeaders(secret, body);
    expect((await post("app-push", body.replace("DELIVERED", "FAILED"), tampered)).status).toBe(401);
    const stale = signedHeaders(secret, body, new Date(Date.now() - 301_000));
    expect(await (await post("app-push", body, stale)).json()).toEqual({ error: "invalid signature (stale)" });
    expect((await post("app-push", body, {})).status).toBe(401);
    expect(await eventsOf(ids)).toBe(0);

    const good = signedHeaders(secret, body);
    const first = await post("app-push", body, good);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ recorded: 1, repeated: 0, unknown: 0 });
    const replay = await post("app-push", body, good);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toEqual({ error: "replayed callback" });
    expect(await t.db.contactEvent.findMany({ where: { contactId: { in: ids } }, select: { type: true, repeats: true } })).toEqual([{ type: "DELIVERED", repeats: 1 }]);
  });

  it("answers 404 for other channels, 400 for bad bodies (the signature can be sent again), and ignores contacts of another channel", async () => {
    const body = JSON.stringify({ events: [] });
    expect((await post("sms", body, signedHeaders(secret, body))).status).toBe(404);
    expect((await post("wechat", body, signedHeaders(secret, body))).status).toBe(404); // not live here

    const bad = JSON.stringify({ events: [{ requestId: "abc", status: "READ", occurredAt: "yesterday" }] });
    const headers = signedHeaders(secret, bad);
    const res = await post("app-push", bad, headers);
    expect(res.status).toBe(400);
    const { issues } = (await res.json()) as { issues: { path: string }[] };
    expect(issues.map((i) => i.path).sort()).toEqual(["events.0.occurredAt", "events.0.requestId", "events.0.status"]);
    expect((await post("app-push", bad, headers)).status).toBe(400); // not a replay: nothing was recorded

    const sms = await createContactFixture(t.db, { channel: "SMS", count: 1 });
    const other = JSON.stringify({ events: [{ requestId: String(sms.contacts[0]!.id), status: "DELIVERED", occurredAt: new Date().toISOString() }] });
    const r = await post("app-push", other, signedHeaders(secret, other));
    expect(await r.json()).toEqual({ recorded: 0, repeated: 0, unknown: 1 });
    expect(await eventsOf([sms.contacts[0]!.id])).toBe(0);
  });
});
