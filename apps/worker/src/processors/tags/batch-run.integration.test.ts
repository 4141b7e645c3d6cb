/**
 * tags.batch-run through the real worker process: an on-demand run is computed, reports progress
 * and becomes current; a scheduled job (no run id) creates its run keyed by the job id; enqueuing
 * the same job id again changes nothing. A run that becomes current has the export cell store
 * rebuilt (its AUM and risk cells are the run's).
 */
import { installTagLibrary } from "@mkt/core/tags/install-library";
import { createTagRun } from "@mkt/core/tags/run";
import { seedBank } from "@mkt/db/seed/index";
import { createTestDb, testRedisPrefix, type TestDb } from "@mkt/db/testing";
import { cellStoreAfterRunJobId, enqueueTagBatchRun, QUEUES } from "@mkt/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProducer, spawnWorker, waitForHeartbeat, type SpawnedWorker } from "../../../test/worker-harness";

describe("tags.batch-run through the worker process", () => {
  let t: TestDb;
  let producer: Awaited<ReturnType<typeof openProducer>>;
  let worker: SpawnedWorker;
  const prefix = testRedisPrefix();

  beforeAll(async () => {
    t = await createTestDb();
    await seedBank(t.url, { customers: 500, seed: 9, asOf: "2026-06-30" });
    await installTagLibrary(t.db);
    producer = await openProducer(prefix, QUEUES.tags);
    await producer.jobs.ready(10_000);
    worker = spawnWorker("apps/worker/src/main.ts", { DATABASE_URL: t.url, REDIS_PREFIX: prefix });
    await waitForHeartbeat(producer.jobs, worker);
  }, 120_000);

  afterAll(async () => {
    if (worker && worker.child.exitCode === null) worker.child.kill("SIGKILL");
    await producer?.close();
    await t?.drop();
  });

  it("computes an on-demand run with progress and makes it current", async () => {
    const run = await createTagRun(t.db, { trigger: "MANUAL", asOf: new Date("2026-07-01T00:00:00+08:00") });
    const progress: number[] = [];
    producer.events.on("progress", ({ data }) => progress.push(Number(data)));
    const job = await enqueueTagBatchRun({ runId: run.id, trigger: "MANUAL" }, { client: producer.jobs, jobId: `tag-run-${run.id}` });
    expect(job.data).toEqual({ runId: run.id, trigger: "MANUAL" });
    expect(await job.waitUntilFinished(producer.events, 120_000)).toEqual({ runId: run.id, status: "SUCCEEDED", current: true });
    expect(progress.at(-1)).toBe(100);
    expect(await t.db.tagCurrentRun.findUnique({ where: { id: 1 } })).toMatchObject({ runId: run.id });
    // the refresh after the run: the store's tag cells become this run's
    const exportsQueue = await openProducer(prefix, QUEUES.exports);
    try {
      const refresh = await exportsQueue.jobs.queue(QUEUES.exports).getJob(cellStoreAfterRunJobId(run.id));
      expect(refresh?.name).toBe("exports.refresh-cell-store");
      await refresh!.waitUntilFinished(exportsQueue.events, 120_000);
      const tagCells = await t.db.exportCellBlock.findMany({ where: { field: { startsWith: "tag:" } }, select: { runId: true } });
      expect(tagCells.length).toBeGreaterThan(0);
      expect(new Set(tagCells.map((c) => c.runId))).toEqual(new Set([run.id]));
    } finally {
      await exportsQueue.close();
    }

    const again = await enqueueTagBatchRun({ runId: run.id, trigger: "MANUAL" }, { client: producer.jobs, jobId: `tag-run-${run.id}` });
    expect(again.id).toBe(job.id);
    expect(await t.db.tagRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: "SUCCEEDED", attempts: 1 });
  }, 180_000);

  it("a scheduled job creates its run, keyed by the job id", async () => {
    const job = await enqueueTagBatchRun({ trigger: "SCHEDULED" }, { client: producer.jobs, jobId: "scheduled-test" });
    const result = (await job.waitUntilFinished(producer.events, 120_000)) as { runId: number; status: string };
    expect(result.status).toBe("SUCCEEDED");
    expect(await t.db.tagRun.findUniqueOrThrow({ where: { id: result.runId } })).toMatchObject({ trigger: "SCHEDULED", jobKey: "tags:scheduled-test" });
  }, 180_000);
});
