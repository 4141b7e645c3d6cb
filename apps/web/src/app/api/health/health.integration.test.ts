import net from "node:net";
import { createDb } from "@mkt/db";
import { createTestDb, testRedisPrefix, type TestDb } from "@mkt/db/testing";
import { createJobsClient, HEARTBEAT_TTL_MS, writeHeartbeat, type JobsClient } from "@mkt/jobs";
import { configureSegmentEngine } from "@mkt/core/segments/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthReport } from "./health";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

describe("health report", () => {
  let t: TestDb;
  let jobs: JobsClient;
  beforeAll(async () => {
    t = await createTestDb();
    jobs = createJobsClient({ url: REDIS_URL, prefix: testRedisPrefix() });
    await jobs.ready(); // a producer connection has no offline queue: raw commands need it connected
    await t.db.$queryRaw`SELECT 1`; // connected before timing: a cold connect on a loaded machine may exceed the 2 s probe
  });
  afterAll(async () => {
    await jobs.close();
    await t.drop();
  });

  it("is ok with both services up and lists live workers only", async () => {
    const now = new Date().toISOString();
    await writeHeartbeat(jobs.redis, jobs.prefix, { id: "w-live", startedAt: now, lastBeatAt: now, queues: ["maintenance"] });
    await jobs.redis.set(`${jobs.prefix}:worker:w-expired:heartbeat`, JSON.stringify({ id: "w-expired", startedAt: now, lastBeatAt: now, queues: [] }), "PX", 1);
    await new Promise((r) => setTimeout(r, 5));

    const report = await healthReport({ db: t.db, jobs });

    expect(report).toMatchObject({ status: "ok", db: { ok: true }, redis: { ok: true }, workers: [{ id: "w-live", lastBeatAt: now }] });
    expect(await jobs.redis.pttl(`${jobs.prefix}:worker:w-live:heartbeat`)).toBeLessThanOrEqual(HEARTBEAT_TTL_MS);
  });

  it("shows the resident segment index: idle, then building once warmed up, then ready", async () => {
    expect((await healthReport({ db: t.db, jobs })).segments).toEqual({ state: "idle", rebuilding: false });
    const resident = configureSegmentEngine(t.db, { databaseUrl: t.url });
    try {
      resident.warmUp();
      expect((await healthReport({ db: t.db, jobs })).segments.state).toMatch(/^(building|ready)$/);
      await resident.get();
      const report = await healthReport({ db: t.db, jobs });
      expect(report.status).toBe("ok");
      expect(report.segments).toMatchObject({ state: "ready", rebuilding: false, customers: 0 });
      expect(Date.parse(report.segments.builtAt!)).not.toBeNaN();
    } finally {
      resident.close();
    }
  });

  it("is unavailable, within the timeout, when Redis does not answer", async () => {
    const down = createJobsClient({ url: `redis://127.0.0.1:${await closedPort()}`, prefix: "t:down" });
    try {
      const report = await healthReport({ db: t.db, jobs: down });
      expect(report).toMatchObject({ status: "unavailable", db: { ok: true }, redis: { ok: false }, workers: [] });
      expect(report.redis.latencyMs).toBeLessThan(2_500);
    } finally {
      await down.close();
    }
  });

  it("is unavailable when PostgreSQL does not answer", async () => {
    const db = createDb(`postgresql://postgres@127.0.0.1:${await closedPort()}/none`, { max: 1 });
    try {
      const report = await healthReport({ db, jobs });
      expect(report).toMatchObject({ status: "unavailable", db: { ok: false }, redis: { ok: true } });
      expect(JSON.stringify(report)).not.toMatch(/postgres|password|ECONNREFUSED/i);
    } finally {
      await db.$disconnect();
    }
  });
});
