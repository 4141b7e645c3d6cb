/**
 * A real-time event posted to POST /api/v1/events becomes visible in segment counts through the
 * tag-change stream, without a rebuild of the resident index; a resent event changes nothing.
 */
import { generateApiKey } from "@mkt/core";
import { countSegment } from "@mkt/core/segments/engine";
import { ResidentSegmentIndex } from "@mkt/core/segments/index/resident";
import type { SegmentRule } from "@mkt/core/segments/rule";
import { RoaringBitmap32 } from "@mkt/core/segments/bitmap";
import { installTagLibrary } from "@mkt/core/tags/install-library";
import { createTagRun, executeTagRun } from "@mkt/core/tags/run";
import type { Customer } from "@mkt/db";
import { createCustomer, createOrgTree } from "@mkt/db/seed/index";
import { createTestDb, testRedisPrefix, type TestDb } from "@mkt/db/testing";
import { createJobsClient, createRedis, tagChangesStream, type JobsClient } from "@mkt/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postTagEvents } from "./tag-events-rest";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
let t: TestDb;
let jobs: JobsClient;
let key: string;
let customers: Customer[];
let resident: ResidentSegmentIndex;
let orgPath: string;

const moved: SegmentRule = { kind: "tag", tag: "LARGE_FUND_MOVEMENT_24H", op: "eq", value: true };
const notMoved: SegmentRule = { kind: "group", op: "and", not: true, children: [moved] };

beforeAll(async () => {
  t = await createTestDb();
  jobs = createJobsClient({ url: REDIS_URL, prefix: testRedisPrefix() });
  const org = await createOrgTree(t.db);
  orgPath = org.headOffice.path;
  customers = [];
  for (let i = 0; i < 4; i++) customers.push(await createCustomer(t.db, { orgUnit: org.subBranch }));
  await installTagLibrary(t.db);
  const run = await createTagRun(t.db, { trigger: "MANUAL", asOf: new Date(Date.now() - 3_600_000) });
  await executeTagRun({ db: t.db, databaseUrl: t.url }, run.id);
  const k = generateApiKey();
  await t.db.apiKey.create({ data: { name: "events", prefix: k.prefix, secretHash: k.secretHash, scopes: ["event:write"], orgUnitId: org.headOffice.id, createdById: "test" } });
  key = k.key;
  resident = new ResidentSegmentIndex(t.db, { databaseUrl: t.url, stream: { connect: () => createRedis(REDIS_URL, "worker"), prefix: jobs.prefix } });
  await resident.rebuild();
}, 120_000);
afterAll(async () => {
  resident?.close();
  await jobs?.redis.del(tagChangesStream(jobs.prefix)).catch(() => undefined);
  await jobs?.close();
  await t?.drop();
});

const post = (events: unknown[]) =>
  postTagEvents(
    new Request("http://localhost/api/v1/events", { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify({ events }) }),
    { db: t.db, jobs },
  );
const count = (rule: SegmentRule) =>
  countSegment(t.db, rule, { kind: "subtree", orgPath }, { resolveSegment: async () => new RoaringBitmap32(), index: resident });

async function eventually(rule: SegmentRule, expected: number): Promise<number> {
  const until = Date.now() + 5000;
  let n = await count(rule);
  while (n !== expected && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 20));
    n = await count(rule);
  }
  return n;
}

describe("real-time events in segment counts", () => {
  it("a large transfer moves its customer into the segment (and out of its NOT) without a rebuild", async () => {
    expect(await count(moved)).toBe(0);
    expect(await count(notMoved)).toBe(4);
    const index = await resident.get();
    const res = await post([{ eventId: "rt-1", customerId: customers[1]!.id, type: "TRANSFER_OUT", occurredAt: new Date().toISOString(), amount: 80_000 }]);
    expect(res.status).toBe(200);
    expect(await eventually(moved, 1)).toBe(1);
    expect(await count(notMoved)).toBe(3);
    expect(await resident.get()).toBe(index); // same index: applied from the stream
    expect(resident.applied).toBeGreaterThanOrEqual(1);
  });

  it("a small transfer changes nothing; a resent event is applied once", async () => {
    await post([{ eventId: "rt-2", customerId: customers[2]!.id, type: "TRANSFER_OUT", occurredAt: new Date().toISOString(), amount: 100 }]);
    await post([{ eventId: "rt-1", customerId: customers[1]!.id, type: "TRANSFER_OUT", occurredAt: new Date().toISOString(), amount: 80_000 }]);
    await post([{ eventId: "rt-3", customerId: customers[3]!.id, type: "WITHDRAWAL", occurredAt: new Date().toISOString(), amount: 60_000 }]);
    expect(await eventually(moved, 2)).toBe(2);
    expect(await count(notMoved)).toBe(2);
  });

  it("a rebuilt index reads the same values back from the database", async () => {
    await resident.rebuild();
    expect(await count(moved)).toBe(2);
  });
});
