/**
 * SIGTERM drains: the worker process stops taking jobs, lets active ones finish and exits 0
 * within 10 s, leaving no job active (which would otherwise be found stalled later).
 */
import { createTestDb, testRedisPrefix, type TestDb } from "@mkt/db/testing";
import { producer as makeProducer, QUEUES } from "@mkt/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sleepJob, untilAbortedJob } from "./fixtures/slow-jobs";
import { openProducer, spawnWorker, waitForHeartbeat } from "./worker-harness";

const enqueueSleep = makeProducer(sleepJob);
const enqueueUntilAborted = makeProducer(untilAbortedJob);

describe("worker shutdown", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t.drop();
  });

  async function startWorker(graceMs: number) {
    const prefix = testRedisPrefix();
    const producer = await openProducer(prefix, QUEUES.maintenance);
    const worker = spawnWorker("apps/worker/test/fixtures/slow-worker.ts", { DATABASE_URL: t.url, REDIS_PREFIX: prefix, SHUTDOWN_GRACE_MS: String(graceMs) });
    await waitForHeartbeat(producer.jobs, worker);
    return { producer, worker };
  }

  function activeEvent(events: Awaited<ReturnType<typeof openProducer>>["events"], jobId: string): Promise<void> {
    return new Promise((resolve) => {
      const onActive = (e: { jobId: string }) => {
        if (e.jobId !== jobId) return;
        events.off("active", onActive);
        resolve();
      };
      events.on("active", onActive);
    });
  }

  it("finishes the active job, then exits 0 within 10 s", async () => {
    const { producer, worker } = await startWorker(10_000);
    try {
      const active = activeEvent(producer.events, "slow-1");
      await enqueueSleep({ ms: 3_000 }, { client: producer.jobs, jobId: "slow-1" });
      await active;

      const signalledAt = Date.now();
      worker.child.kill("SIGTERM");
      const code = await worker.exited;
      const tookMs = Date.now() - signalledAt;

      expect(code, worker.output()).toBe(0);
      expect(tookMs).toBeLessThan(10_000);
      const queue = producer.jobs.queue(QUEUES.maintenance);
      expect(await (await queue.getJob("slow-1"))?.getState()).toBe("completed");
      expect(await queue.getJobCounts("active", "wait")).toEqual({ active: 0, wait: 0 });
      console.log(`SIGTERM drain: exited in ${tookMs} ms, 1 job completed, 0 active`);
    } finally {
      if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
      await producer.close();
    }
  });

  it("aborts a job that would outlast the grace period so it is retried, not stalled", async () => {
    const { producer, worker } = await startWorker(4_000);
    try {
      const active = activeEvent(producer.events, "endless-1");
      await enqueueUntilAborted({}, { client: producer.jobs, jobId: "endless-1" });
      await active;

      const signalledAt = Date.now();
      worker.child.kill("SIGTERM");
      const code = await worker.exited;
      const tookMs = Date.now() - signalledAt;

      expect(code, worker.output()).toBe(0);
      expect(tookMs).toBeLessThan(4_000 + 1_000);
      const queue = producer.jobs.queue(QUEUES.maintenance);
      const job = await queue.getJob("endless-1");
      // Failed attempt 1 of 2: waiting out its backoff, to be picked up by the next worker.
      expect(await job?.getState()).toBe("delayed");
      expect(job?.failedReason).toMatch(/aborted by shutdown/);
      expect(await queue.getJobCounts("active")).toEqual({ active: 0 });
    } finally {
      if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
      await producer.close();
    }
  });
});
