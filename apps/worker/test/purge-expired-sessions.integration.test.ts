/**
 * The job pipeline end to end: a producer from @mkt/jobs enqueues, the real worker process
 * (main.ts and its registry) runs the processor against PostgreSQL, SIGTERM stops it cleanly.
 */
import { createTestDb, testRedisPrefix, type TestDb } from "@mkt/db/testing";
import { enqueuePurgeExpiredSessions, listWorkerHeartbeats, QUEUES } from "@mkt/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProducer, spawnWorker, waitForHeartbeat, type SpawnedWorker } from "./worker-harness";

describe("maintenance.purge-expired-sessions through the worker process", () => {
  let t: TestDb;
  let producer: Awaited<ReturnType<typeof openProducer>>;
  let worker: SpawnedWorker;
  const prefix = testRedisPrefix();

  beforeAll(async () => {
    t = await createTestDb();
    producer = await openProducer(prefix, QUEUES.maintenance);
    worker = spawnWorker("apps/worker/src/main.ts", { DATABASE_URL: t.url, REDIS_PREFIX: prefix });
    await waitForHeartbeat(producer.jobs, worker);
  });

  afterAll(async () => {
    if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
    await producer.close();
    await t.drop();
  });

  it("registers the hourly schedule", async () => {
    const schedulers = await producer.jobs.queue(QUEUES.maintenance).getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.name, s.pattern])).toContainEqual(["purge-expired-sessions-hourly", "purge-expired-sessions", "0 * * * *"]);
  });

  it("deletes sessions expired longer than the grace period and keeps the others", async () => {
    const org = await t.db.orgUnit.create({ data: { code: "HO", name: "总行", nameEn: "Head office", level: "HEAD_OFFICE", path: "/HO/" } });
    const user = await t.db.user.create({ data: { name: "u", email: "u@example.test", orgUnitId: org.id } });
    const hour = 3600_000;
    await t.db.session.createMany({
      data: [
        { token: "expired-1", userId: user.id, expiresAt: new Date(Date.now() - 2 * hour) },
        { token: "expired-just-now", userId: user.id, expiresAt: new Date(Date.now() - 1000) },
        { token: "live", userId: user.id, expiresAt: new Date(Date.now() + hour) },
      ],
    });

    const job = await enqueuePurgeExpiredSessions({ graceSeconds: 60 }, { client: producer.jobs, jobId: "purge-now" });
    const result = await job.waitUntilFinished(producer.events, 30_000);

    expect(result).toEqual({ deleted: 1 });
    const left = await t.db.session.findMany({ select: { token: true }, orderBy: { token: "asc" } });
    expect(left.map((s) => s.token)).toEqual(["expired-just-now", "live"]);
  });

  it("rejects an invalid payload before it reaches Redis", async () => {
    await expect(enqueuePurgeExpiredSessions({ graceSeconds: -1 }, { client: producer.jobs })).rejects.toThrow(/graceSeconds/);
    const counts = await producer.jobs.queue(QUEUES.maintenance).getJobCounts("waiting", "active", "failed");
    expect(counts).toEqual({ waiting: 0, active: 0, failed: 0 });
  });

  it("exits 0 on SIGTERM and removes its heartbeat", async () => {
    worker.child.kill("SIGTERM");
    expect(await worker.exited, worker.output()).toBe(0);
    const beats = await listWorkerHeartbeats(producer.jobs.redis, prefix);
    expect(beats.map((b) => b.id)).not.toContain(worker.id);
  });
});
