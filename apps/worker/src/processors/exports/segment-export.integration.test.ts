/**
 * exports.segment through the real worker process: a queued export is written with progress,
 * enqueuing it again (same job id) changes nothing, and the export directory holds one file. The
 * export cell store is built by the refresh scheduled at worker start, and later exports read it.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { requestExport } from "@mkt/core/exports/requests";
import { bitmapToBytes, RoaringBitmap32 } from "@mkt/core/segments/bitmap";
import { seedBank } from "@mkt/db/seed/index";
import { createTestDb, testRedisPrefix, type TestDb } from "@mkt/db/testing";
import { enqueueSegmentExport, QUEUES } from "@mkt/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProducer, spawnWorker, waitForHeartbeat, type SpawnedWorker } from "../../../test/worker-harness";

describe("exports.segment through the worker process", () => {
  let t: TestDb;
  let dir: string;
  let producer: Awaited<ReturnType<typeof openProducer>>;
  let worker: SpawnedWorker;
  const prefix = testRedisPrefix();

  beforeAll(async () => {
    t = await createTestDb();
    await seedBank(t.url, { customers: 300, seed: 3, asOf: "2026-06-30" });
    dir = await mkdtemp(path.join(tmpdir(), "mkt-export-worker-"));
    process.env.EXPORT_DIR = dir; // the worker inherits it
    producer = await openProducer(prefix, QUEUES.exports);
    await producer.jobs.ready(10_000);
    worker = spawnWorker("apps/worker/src/main.ts", { DATABASE_URL: t.url, REDIS_PREFIX: prefix });
    await waitForHeartbeat(producer.jobs, worker);
  }, 120_000);

  afterAll(async () => {
    if (worker && worker.child.exitCode === null) worker.child.kill("SIGKILL");
    await producer?.close();
    await t?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("writes the file with progress; a second enqueue is the same job", async () => {
    const user = await t.db.user.findUniqueOrThrow({ where: { username: "marketing" }, include: { orgUnit: true } });
    const members = new RoaringBitmap32();
    members.addRange(1, 301);
    const segment = await t.db.segment.create({ data: { name: "worker test", kind: "STATIC", ownerId: user.id, orgUnitId: user.orgUnitId, members: bitmapToBytes(members) } });
    await t.db.segmentSnapshot.create({ data: { segmentId: segment.id, trigger: "STATIC", count: 300, members: bitmapToBytes(members) } });
    const actor = { id: user.id, name: user.name, role: user.role, orgUnitId: user.orgUnitId, orgPath: user.orgUnit.path };
    const e = await requestExport(t.db, actor, { segmentId: segment.id, columns: ["customerNo", "name", "city"], format: "CSV" }, { enqueue: async () => undefined, linkSecret: null });

    const progress: number[] = [];
    producer.events.on("progress", ({ data }) => progress.push(Number(data)));
    const job = await enqueueSegmentExport({ exportId: e.id }, { client: producer.jobs, jobId: e.id });
    expect(job.data).toEqual({ exportId: e.id });
    expect(await job.waitUntilFinished(producer.events, 60_000)).toMatchObject({ status: "SUCCEEDED", rows: 300 });
    expect(progress.at(-1)).toBe(100);
    const again = await enqueueSegmentExport({ exportId: e.id }, { client: producer.jobs, jobId: e.id });
    expect(again.id).toBe(job.id);
    const row = await t.db.segmentExport.findUniqueOrThrow({ where: { id: e.id } });
    expect(row).toMatchObject({ status: "SUCCEEDED", attempts: 1, rowsWritten: 300, progress: 100 });
    expect(await readdir(dir)).toEqual([`${e.id}.csv`]);
  }, 120_000);

  it("builds the export cell store at worker start; a masked export then reads its cells", async () => {
    const stored = async () => (await t.db.exportCellBlock.findMany({ where: { field: "row" }, select: { blockNo: true } })).length;
    for (let i = 0; i < 120 && (await stored()) === 0; i++) await new Promise((r) => setTimeout(r, 250));
    expect(await stored()).toBe(1); // 300 customers: block 0
    expect(await t.db.exportBlockChange.count()).toBe(0);
    const user = await t.db.user.findUniqueOrThrow({ where: { username: "analyst" }, include: { orgUnit: true } });
    const segment = await t.db.segment.findFirstOrThrow({ where: { name: "worker test" }, include: { snapshots: true } });
    const actor = { id: user.id, name: user.name, role: user.role, orgUnitId: user.orgUnitId, orgPath: user.orgUnit.path };
    const e = await requestExport(t.db, actor, { segmentId: segment.id, columns: ["customerNo", "name", "phone", "branch"], format: "XLSX" }, { enqueue: async () => undefined, linkSecret: null });
    const job = await enqueueSegmentExport({ exportId: e.id }, { client: producer.jobs, jobId: e.id });
    expect(await job.waitUntilFinished(producer.events, 60_000)).toMatchObject({ status: "SUCCEEDED", rows: 300, storeRows: 300 });
    expect(await t.db.segmentExport.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({ masked: true, rowsWritten: 300 });
  }, 120_000);
});
