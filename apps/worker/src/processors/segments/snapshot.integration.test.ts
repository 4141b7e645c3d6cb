/**
 * segments.snapshot and segments.import through the real worker process: after a tag run every
 * active rule segment gets one TAG_RUN snapshot; the same job again (and a retry) adds none; a
 * large list upload is matched by the worker with progress and becomes a static segment.
 */
import { saveNewRuleSegment } from "@mkt/core/segments/save";
import { INLINE_LIST_BYTES, submitSegmentImport } from "@mkt/core/segments/import";
import { scopeFor } from "@mkt/core";
import { seedTagCenter } from "@mkt/core/tags/seed";
import { seedBank } from "@mkt/db/seed/index";
import { createTestDb, testRedisPrefix, type TestDb } from "@mkt/db/testing";
import { enqueueSegmentImport, enqueueSegmentSnapshot, QUEUES, snapshotsAfterRunJobId } from "@mkt/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProducer, spawnWorker, waitForHeartbeat, type SpawnedWorker } from "../../../test/worker-harness";

describe("segment jobs through the worker process", () => {
  let t: TestDb;
  let producer: Awaited<ReturnType<typeof openProducer>>;
  let worker: SpawnedWorker;
  let runId: number;
  const prefix = testRedisPrefix();

  beforeAll(async () => {
    t = await createTestDb();
    process.env.DATABASE_URL = t.url;
    await seedBank(t.url, { customers: 400, seed: 5, asOf: "2026-06-30" });
    runId = (await seedTagCenter(t.url, { asOf: "2026-06-30" })).run.runId;
    producer = await openProducer(prefix, QUEUES.segments);
    await producer.jobs.ready(10_000);
    worker = spawnWorker("apps/worker/src/main.ts", { DATABASE_URL: t.url, REDIS_PREFIX: prefix });
    await waitForHeartbeat(producer.jobs, worker);
  }, 180_000);

  afterAll(async () => {
    if (worker && worker.child.exitCode === null) worker.child.kill("SIGKILL");
    await producer?.close();
    await t?.drop();
  });

  const actor = async () => {
    const u = await t.db.user.findFirstOrThrow({ where: { username: "marketing" }, include: { orgUnit: true } });
    return { id: u.id, name: u.name, role: u.role, orgUnitId: u.orgUnitId, orgPath: u.orgUnit.path };
  };

  it("snapshots every active rule segment once per tag run", async () => {
    const a = await actor();
    const scope = scopeFor({ id: a.id, role: a.role, orgPath: a.orgPath });
    const wealth = await saveNewRuleSegment(t.db, a, scope, { name: "理财客户", rule: { kind: "holding", category: "WEALTH", held: true } });
    await saveNewRuleSegment(t.db, a, scope, { name: "非理财客户", rule: { kind: "segment", segmentId: wealth.id, in: false } });

    const job = await enqueueSegmentSnapshot({ tagRunId: runId }, { client: producer.jobs, jobId: snapshotsAfterRunJobId(runId) });
    expect(await job.waitUntilFinished(producer.events, 120_000)).toMatchObject({ segments: 2, taken: 2, existing: 0, failed: [] });
    const snaps = await t.db.segmentSnapshot.findMany({ where: { tagRunId: runId } });
    expect(snaps.map((s) => s.trigger)).toEqual(["TAG_RUN", "TAG_RUN"]);
    const total = await t.db.customer.count();
    expect(snaps.reduce((n, s) => n + s.count, 0)).toBe(total);

    // The same run enqueued again under another id (a manual retry): nothing new.
    const again = await enqueueSegmentSnapshot({ tagRunId: runId }, { client: producer.jobs, jobId: `${snapshotsAfterRunJobId(runId)}-again` });
    expect(await again.waitUntilFinished(producer.events, 120_000)).toMatchObject({ taken: 0, existing: 2 });
    expect(await t.db.segmentSnapshot.count({ where: { tagRunId: runId } })).toBe(2);
  }, 240_000);

  it("matches a list too large for the request in the worker", async () => {
    const a = await actor();
    const customers = await t.db.customer.findMany({ select: { customerNo: true }, orderBy: { id: "asc" }, take: 50 });
    // Padding rows of unknown customer numbers push the file past the inline limit.
    const filler = Array.from({ length: Math.ceil(INLINE_LIST_BYTES / 12) + 10 }, (_, i) => `X${String(i).padStart(10, "0")}`);
    const csv = ["客户号", ...customers.map((c) => c.customerNo), ...filler].join("\n");
    const content = new TextEncoder().encode(csv) as Uint8Array<ArrayBuffer>;
    expect(content.byteLength).toBeGreaterThan(INLINE_LIST_BYTES);
    let enqueued: Promise<unknown> = Promise.resolve();
    const out = await submitSegmentImport(t.db, a, { name: "大名单", matchBy: "CUSTOMER_NO", content }, async (importId) => {
      enqueued = enqueueSegmentImport({ importId }, { client: producer.jobs, jobId: importId }).then((job) => job.waitUntilFinished(producer.events, 120_000));
    });
    expect(out.status).toBe("PENDING");
    expect(await enqueued).toMatchObject({ status: "APPLIED" });
    const imp = await t.db.segmentImport.findUniqueOrThrow({ where: { id: out.id } });
    expect(imp).toMatchObject({ status: "APPLIED", matchedRows: 50, unmatchedRows: filler.length, progress: 100, content: null });
    expect((await t.db.segment.findUniqueOrThrow({ where: { id: imp.segmentId! } })).latestCount).toBe(50);
  }, 240_000);
});
