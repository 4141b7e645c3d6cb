/**
 * A large upload through the real worker process: the request stores the file and enqueues the
 * batch id; the worker validates and applies it all or nothing, reports progress, does nothing
 * when the same batch runs again, and fails a rejected file without retrying it. An applied batch
 * has the export cell store refreshed over its customers.
 */
import { submitFileBatch } from "@mkt/core/import/submit";
import { createTestDb, testRedisPrefix, type TestDb } from "@mkt/db/testing";
import { cellStoreAfterImportJobId, enqueueApplyImportBatch, QUEUES } from "@mkt/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProducer, spawnWorker, waitForHeartbeat, type SpawnedWorker } from "./worker-harness";

const ROWS = 20_000;

function customersFile(badLine?: number): Uint8Array<ArrayBuffer> {
  const lines = ["source_key,name,phone,email,org_unit_code"];
  for (let i = 0; i < ROWS; i++) {
    const line = i + 2;
    const phone = line === badLine ? "12345" : `138${String(i).padStart(8, "0")}`;
    lines.push(`K${i},客户${i},${phone},user${i}@example.com,BR01`);
  }
  return new TextEncoder().encode(`${lines.join("\n")}\n`) as Uint8Array<ArrayBuffer>;
}

describe("import.apply-import-batch through the worker process", () => {
  let t: TestDb;
  let producer: Awaited<ReturnType<typeof openProducer>>;
  let worker: SpawnedWorker;
  let orgUnitId: string;
  const prefix = testRedisPrefix();
  const enqueue = (batchId: string) => enqueueApplyImportBatch({ batchId }, { client: producer.jobs, jobId: batchId }).then(() => undefined);

  beforeAll(async () => {
    t = await createTestDb();
    const ho = await t.db.orgUnit.create({ data: { code: "HO", name: "总行", nameEn: "Head office", level: "HEAD_OFFICE", path: "/HO/" } });
    const br = await t.db.orgUnit.create({ data: { code: "BR01", name: "分行", nameEn: "Branch", level: "BRANCH", path: "/HO/BR01/", parentId: ho.id } });
    orgUnitId = br.id;
    producer = await openProducer(prefix, QUEUES.import);
    await producer.jobs.ready(10_000); // the producer connection has no offline queue
    worker = spawnWorker("apps/worker/src/main.ts", { DATABASE_URL: t.url, REDIS_PREFIX: prefix });
    await waitForHeartbeat(producer.jobs, worker);
  });

  afterAll(async () => {
    if (worker && worker.child.exitCode === null) worker.child.kill("SIGKILL");
    await producer?.close();
    await t?.drop();
  });

  it("applies a large file in the background, with progress, and a second run changes nothing", async () => {
    const file = customersFile();
    expect(file.byteLength).toBeGreaterThan(1024 * 1024);
    const submitted = await submitFileBatch(t.db, { orgUnitId }, { kind: "CUSTOMERS", sourceSystem: "CRM", fileName: "big.csv", content: file }, enqueue);
    expect(submitted.status).toBe("PENDING");

    const job = await producer.jobs.queue(QUEUES.import).getJob(submitted.id);
    expect(job!.data).toEqual({ batchId: submitted.id }); // nothing personal in Redis
    const progress: number[] = [];
    producer.events.on("progress", ({ jobId, data }) => jobId === submitted.id && progress.push(Number(data)));
    expect(await job!.waitUntilFinished(producer.events, 120_000)).toEqual({ status: "APPLIED", totalRows: ROWS, appliedRows: ROWS });

    const batch = await t.db.importBatch.findUniqueOrThrow({ where: { id: submitted.id } });
    expect(batch).toMatchObject({ status: "APPLIED", progress: 100, totalRows: ROWS, errorRows: 0 });
    expect(progress.length).toBeGreaterThan(0);
    expect(await t.db.customer.count()).toBe(ROWS);
    expect(await t.db.importFile.count()).toBe(0);

    // the refresh after the import: every block of the new customers is current
    const exportsQueue = await openProducer(prefix, QUEUES.exports);
    try {
      const refresh = await exportsQueue.jobs.queue(QUEUES.exports).getJob(cellStoreAfterImportJobId(submitted.id));
      expect(refresh?.name).toBe("exports.refresh-cell-store");
      await refresh!.waitUntilFinished(exportsQueue.events, 120_000);
      const maxId = (await t.db.customer.aggregate({ _max: { id: true } }))._max.id!;
      expect(await t.db.exportCellBlock.count({ where: { field: "row" } })).toBe((maxId >> 12) + 1);
      expect(await t.db.exportBlockChange.count()).toBe(0);
    } finally {
      await exportsQueue.close();
    }

    const rerun = await enqueueApplyImportBatch({ batchId: submitted.id }, { client: producer.jobs, jobId: `${submitted.id}-again` });
    expect(await rerun.waitUntilFinished(producer.events, 60_000)).toMatchObject({ status: "APPLIED" });
    expect(await t.db.customer.count()).toBe(ROWS);
    expect(await t.db.sourceRecord.count()).toBe(ROWS);
  });

  it("fails a rejected file at once (no retry), with the bad line recorded and nothing applied", async () => {
    const before = await t.db.customer.count();
    const submitted = await submitFileBatch(
      t.db,
      { orgUnitId },
      { kind: "CUSTOMERS", sourceSystem: "CARD", fileName: "bad.csv", content: customersFile(12_345) },
      enqueue,
    );
    const job = await producer.jobs.queue(QUEUES.import).getJob(submitted.id);
    await expect(job!.waitUntilFinished(producer.events, 120_000)).rejects.toThrow(/rejected: 1 rows/);
    const failed = await producer.jobs.queue(QUEUES.import).getJob(submitted.id);
    expect(failed!.attemptsMade).toBe(1);

    const batch = await t.db.importBatch.findUniqueOrThrow({ where: { id: submitted.id } });
    expect(batch).toMatchObject({ status: "REJECTED", errorRows: 1, totalRows: ROWS, appliedRows: 0 });
    const errors = await t.db.importRowError.findMany({ where: { batchId: submitted.id } });
    expect(errors.map((e) => [e.line, e.field, e.code])).toEqual([[12_345, "phone", "INVALID_MOBILE"]]);
    expect(await t.db.customer.count()).toBe(before);
  });
});
