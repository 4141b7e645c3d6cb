/**
 * Snapshot retention: two years of daily snapshots of one segment (and a few of another) pruned
 * with 90 days daily / 12 months monthly — every snapshot of the last 90 days stays, one per
 * month (its last) up to 12 months back, none older; the latest snapshot, a campaign run's
 * pinned audience and an export's snapshot stay whatever their age; a second run deletes nothing.
 */
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bitmapToBytes, RoaringBitmap32 } from "./bitmap";
import { DEFAULT_SNAPSHOT_RETENTION, getSnapshotRetention, pruneSnapshots } from "./retention";

const NOW = new Date("2026-11-30T12:00:00+08:00");
const DAY = 86_400_000;
let t: TestDb;
let segA: string;
let segB: string;
const ids: { id: string; takenAt: Date }[] = [];
let pinnedByRun: string;
let exported: string;
let oldLatestOfB: string;

beforeAll(async () => {
  t = await createTestDb();
  const org = await t.db.orgUnit.create({ data: { code: "HO", name: "总行", nameEn: "Head office", path: "/HO/", level: "HEAD_OFFICE" } });
  const user = await t.db.user.create({ data: { username: "mm", email: "mm@example.test", name: "MM", role: "MARKETING_MANAGER", orgUnitId: org.id } });
  const seg = (name: string) => t.db.segment.create({ data: { name, kind: "RULE", ownerId: user.id, orgUnitId: org.id }, select: { id: true } });
  segA = (await seg("A")).id;
  segB = (await seg("B")).id;
  const members = Buffer.from(bitmapToBytes(RoaringBitmap32.from([1, 2, 3])));
  // A: one snapshot a day for 730 days (the newest is its latest).
  const rows = Array.from({ length: 730 }, (_, k) => ({ id: `a${String(k).padStart(4, "0")}`, segmentId: segA, trigger: "TAG_RUN" as const, count: 3, members, takenAt: new Date(NOW.getTime() - k * DAY) }));
  await t.db.segmentSnapshot.createMany({ data: rows });
  ids.push(...rows.map((r) => ({ id: r.id, takenAt: r.takenAt })));
  await t.db.segment.update({ where: { id: segA }, data: { latestSnapshotId: "a0000" } });
  // B: three old snapshots; its latest is 500 days old (no newer one).
  await t.db.segmentSnapshot.createMany({
    data: [500, 501, 502].map((d) => ({ id: `b${d}`, segmentId: segB, trigger: "ON_DEMAND" as const, count: 3, members, takenAt: new Date(NOW.getTime() - d * DAY) })),
  });
  oldLatestOfB = "b500";
  await t.db.segment.update({ where: { id: segB }, data: { latestSnapshotId: oldLatestOfB } });
  // A campaign run pinned a 400-day-old snapshot of A, an export was made from a 300-day-old one.
  pinnedByRun = "a0400";
  exported = "a0300";
  const campaign = await t.db.campaign.create({
    data: { code: "C1", name: "C1", audienceKind: "SEGMENT", scheduleKind: "NOW", flow: {}, createdById: user.id, orgUnitId: org.id },
    select: { id: true },
  });
  await t.db.campaignRun.create({ data: { campaignId: campaign.id, launchKey: "k", flow: {}, flowVersion: 1, snapshotId: pinnedByRun } });
  await t.db.segmentExport.create({
    data: { snapshotId: exported, segmentId: segA, requestedById: user.id, orgUnitId: org.id, columns: [], format: "CSV", status: "QUEUED", rowCount: 3 },
  });
}, 120_000);
afterAll(async () => t?.drop());

const monthOf = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);

describe("snapshot retention", () => {
  it("defaults to 90 days daily and 24 months monthly", async () => {
    expect(await getSnapshotRetention(t.db)).toEqual(DEFAULT_SNAPSHOT_RETENTION);
    await t.db.setting.create({ data: { key: "segments.snapshotRetention", value: { dailyDays: 90, monthlyMonths: 12 } } });
    expect(await getSnapshotRetention(t.db)).toEqual({ dailyDays: 90, monthlyMonths: 12 });
  });

  it("keeps every recent snapshot, the last of each month for a year, and the pinned ones", async () => {
    const summary = await pruneSnapshots(t.db, await getSnapshotRetention(t.db), NOW);
    const left = new Set((await t.db.segmentSnapshot.findMany({ select: { id: true } })).map((s) => s.id));

    const dailyCutoff = NOW.getTime() - 90 * DAY;
    const yearAgo = new Date(NOW);
    yearAgo.setUTCMonth(yearAgo.getUTCMonth() - 12);
    const lastOfMonth = new Map<string, string>();
    for (const s of [...ids].sort((a, b) => a.takenAt.getTime() - b.takenAt.getTime())) lastOfMonth.set(monthOf(s.takenAt), s.id);
    const monthly = new Set(lastOfMonth.values());
    const want = new Set<string>();
    for (const s of ids) {
      if (s.takenAt.getTime() >= dailyCutoff) want.add(s.id);
      else if (monthly.has(s.id) && s.takenAt >= yearAgo) want.add(s.id);
    }
    want.add(pinnedByRun).add(exported).add("a0000");
    for (const id of ids.map((s) => s.id)) expect(left.has(id), id).toBe(want.has(id));
    // B: only its latest survives.
    expect(["b500", "b501", "b502"].filter((id) => left.has(id))).toEqual([oldLatestOfB]);
    expect(summary.deleted).toBe(733 - left.size);
    expect(want.size).toBeGreaterThan(90 + 9);
    expect(want.size).toBeLessThan(90 + 14 + 2);
    expect(await t.db.segmentExport.count()).toBe(1);
  });

  it("deletes nothing more when run again", async () => {
    expect(await pruneSnapshots(t.db, await getSnapshotRetention(t.db), NOW)).toEqual({ deleted: 0, batches: 0 });
  });
});
