/**
 * Segments on a seeded bank (600 customers, the starter tag library, one tag run):
 * - the profile's distributions and TGI recomputed independently from the tag values, the scope
 *   and the snapshot's members (TGI = segment share ÷ scope share × 100);
 * - overlap regions of three segments and the set operations checked against SQL over the
 *   members;
 * - snapshots after a tag run: referenced segments first, one per (segment, run), a rerun adds none.
 */
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { seedBank } from "@mkt/db/seed/index";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scopeFor } from "../auth/scope";
import { aumBand } from "../customer/aum-band";
import { seedTagCenter } from "../tags/seed";
import { bitmapFromBytes } from "./bitmap";
import { createSetOpSegment, overlapSegments } from "./overlap";
import { AUM_BAND_FLOORS, profileSegment } from "./profile";
import { saveNewRuleSegment } from "./save";
import { requireSegment, type SegmentActor } from "./segments";
import { snapshotAfterTagRun } from "./snapshot";

let t: TestDb;
let actor: SegmentActor & { name: string };
let runId: number;

beforeAll(async () => {
  t = await createTestDb();
  process.env.DATABASE_URL = t.url;
  await seedBank(t.url, { customers: 600, seed: 11, asOf: "2026-06-30" });
  runId = (await seedTagCenter(t.url, { asOf: "2026-06-30" })).run.runId;
  const u = await t.db.user.findFirstOrThrow({ where: { username: "marketing_br01" }, include: { orgUnit: true } });
  actor = { id: u.id, name: u.name, role: u.role, orgUnitId: u.orgUnitId, orgPath: u.orgUnit.path };
}, 240_000);
afterAll(async () => t?.drop());

const scope = () => scopeFor({ id: actor.id, role: actor.role, orgPath: actor.orgPath });
const save = (name: string, rule: unknown) => saveNewRuleSegment(t.db, actor, scope(), { name, rule });

async function members(segmentId: string): Promise<number[]> {
  const s = await requireSegment(t.db, segmentId);
  const snap = await t.db.segmentSnapshot.findUniqueOrThrow({ where: { id: s.latestSnapshotId! } });
  return bitmapFromBytes(snap.members).toArray();
}

async function scopeIds(): Promise<number[]> {
  const rows = await t.db.customer.findMany({ where: { orgPath: { startsWith: actor.orgPath } }, select: { id: true } });
  return rows.map((r) => r.id);
}

const tgiOf = (seg: number, segSize: number, scope: number, scopeSize: number) => Math.round((seg / segSize / (scope / scopeSize)) * 1000) / 10;

describe("segment profile", () => {
  it("distributions and TGI match an independent count", async () => {
    const s = await save("理财持有客户", { kind: "holding", category: "WEALTH", held: true });
    const memberIds = new Set(await members(s.id));
    const inScope = new Set(await scopeIds());
    expect(memberIds.size).toBeGreaterThanOrEqual(5);
    expect([...memberIds].every((id) => inScope.has(id))).toBe(true);

    const profile = await profileSegment(t.db, await requireSegment(t.db, s.id), ["AGE_BAND", "GENDER", "AGE"]);
    expect(profile.segmentSize).toBe(memberIds.size);
    expect(profile.scopeSize).toBe(inScope.size);

    for (const code of ["AGE_BAND", "GENDER"]) {
      const values = await t.db.$queryRaw<{ customer_id: number; value_label: string }[]>`SELECT customer_id, value_label FROM customer_tag_value WHERE tag_code = ${code}`;
      const byLabel = new Map<string, { seg: number; scope: number }>();
      for (const v of values) {
        if (!inScope.has(v.customer_id)) continue;
        const e = byLabel.get(v.value_label) ?? { seg: 0, scope: 0 };
        e.scope += 1;
        if (memberIds.has(v.customer_id)) e.seg += 1;
        byLabel.set(v.value_label, e);
      }
      const tag = profile.tags.find((x) => x.code === code)!;
      const labelled = tag.buckets.filter((b) => b.label !== null);
      expect(labelled.length, code).toBe(byLabel.size);
      for (const b of labelled) {
        const e = byLabel.get(b.label!)!;
        expect({ label: b.label, seg: b.segmentCount, scope: b.scopeCount }).toEqual({ label: b.label, seg: e.seg, scope: e.scope });
        expect(b.tgi).toBe(e.seg === 0 ? 0 : tgiOf(e.seg, memberIds.size, e.scope, inScope.size));
      }
    }

    // Enum values in the tag's own order (young to old), the "no value" row last.
    const bands = ["UNDER_25", "25_34", "35_44", "45_54", "55_64", "65_PLUS"];
    const ageBand = profile.tags.find((x) => x.code === "AGE_BAND")!.buckets.map((b) => b.label);
    expect(ageBand.filter((l) => l !== null)).toEqual(bands.filter((b) => ageBand.includes(b)));

    // Number bands: every scope customer with a value is in one band; the shares add up to 1.
    const age = profile.tags.find((x) => x.code === "AGE")!;
    expect(age.buckets.reduce((a, b) => a + b.scopeCount, 0)).toBe(inScope.size);
    expect(age.buckets.reduce((a, b) => a + b.segmentShare, 0)).toBeCloseTo(1, 9);
    for (const b of age.buckets.filter((x) => x.label !== null)) expect(b.min!).toBeLessThanOrEqual(b.max!);

    // AUM: the latest month-end values, averaged over members; bands as customer/aum-band.ts draws them.
    const aum = await t.db.$queryRaw<{ customer_id: number; aum: string }[]>`
      SELECT customer_id, aum::text AS aum FROM monthly_balance WHERE month = (SELECT max(month) FROM monthly_balance)`;
    const memberAum = aum.filter((r) => memberIds.has(r.customer_id)).map((r) => Number(r.aum));
    expect(profile.aum.segment.customers).toBe(memberAum.length);
    expect(profile.aum.segment.average).toBeCloseTo(memberAum.reduce((a, b) => a + b, 0) / memberAum.length, 1);
    const gold = aum.filter((r) => memberIds.has(r.customer_id) && aumBand(Number(r.aum)) === "GOLD").length;
    expect(profile.aum.bands.find((b) => b.label === "GOLD")!.segmentCount).toBe(gold);

    // Every member holds wealth management: 100% in the segment, TGI = 1 / scope share × 100.
    const wealth = profile.holdings.find((h) => h.category === "WEALTH")!;
    expect(wealth.segmentHolders).toBe(memberIds.size);
    expect(wealth.tgi).toBe(tgiOf(memberIds.size, memberIds.size, wealth.scopeHolders, inScope.size));
    expect(profile.trend.map((p) => p.count)).toEqual([memberIds.size]);
  });

  it("AUM band floors agree with customer/aum-band.ts", () => {
    const names = AUM_BAND_FLOORS.map((f) => aumBand(f));
    expect(names).toEqual(["MASS", "GOLD", "PLATINUM", "PRIVATE"]);
    expect(AUM_BAND_FLOORS.slice(1).map((f) => aumBand(f - 0.01))).toEqual(["MASS", "GOLD", "PLATINUM"]);
  });
});

describe("overlap and set operations", () => {
  it("counts every Venn region of three segments as SQL does over their members", async () => {
    const a = await save("A 理财", { kind: "holding", category: "WEALTH", held: true });
    const b = await save("B 基金", { kind: "holding", category: "FUND", held: true });
    const c = await save("C 刷卡", { kind: "behavior", source: "txn", eventType: "CARD_SPEND", did: true, atLeast: 1, lastDays: 90 });
    const [ma, mb, mc] = await Promise.all([members(a.id), members(b.id), members(c.id)]);
    const out = await overlapSegments(t.db, [a.id, b.id, c.id]);
    const sql = await t.db.$queryRaw<{ r: string; n: number }[]>`
      WITH a AS (SELECT unnest(${ma}::int[]) AS id), b AS (SELECT unnest(${mb}::int[]) AS id), c AS (SELECT unnest(${mc}::int[]) AS id),
      u AS (SELECT id FROM a UNION SELECT id FROM b UNION SELECT id FROM c)
      SELECT (CASE WHEN EXISTS (SELECT 1 FROM a WHERE a.id = u.id) THEN 'A' ELSE '' END)
          || (CASE WHEN EXISTS (SELECT 1 FROM b WHERE b.id = u.id) THEN 'B' ELSE '' END)
          || (CASE WHEN EXISTS (SELECT 1 FROM c WHERE c.id = u.id) THEN 'C' ELSE '' END) AS r, count(*)::int AS n
      FROM u GROUP BY 1`;
    const want = Object.fromEntries(sql.map((r) => [r.r, r.n]));
    const got = Object.fromEntries(out.regions.map((r) => [r.inside.map((i) => "ABC"[i]).join(""), r.count]));
    for (const k of ["A", "B", "C", "AB", "AC", "BC", "ABC"]) expect(got[k], k).toBe(want[k] ?? 0);
    expect(out.union).toBe(sql.reduce((s, r) => s + r.n, 0));
    expect(out.segments.map((s) => s.count)).toEqual([ma.length, mb.length, mc.length]);
    expect(want.AB ?? 0).toBeGreaterThan(0);

    const diff = await createSetOpSegment(t.db, actor, { op: "difference", segmentIds: [a.id, b.id], name: "理财非基金" });
    const setB = new Set(mb);
    const diffMembers = await members(diff.id);
    expect(diffMembers).toEqual(ma.filter((id) => !setB.has(id)));
    const union = await createSetOpSegment(t.db, actor, { op: "union", segmentIds: [a.id, b.id, c.id], name: "任一" });
    expect(union.count).toBe(out.union);
    const inter = await createSetOpSegment(t.db, actor, { op: "intersection", segmentIds: [a.id, b.id], name: "理财且基金" });
    expect(inter.count).toBe((want.AB ?? 0) + (want.ABC ?? 0));
    expect((await requireSegment(t.db, inter.id)).kind).toBe("STATIC");
  });
});

describe("snapshots after a tag run", () => {
  it("takes one per segment and run, referenced segments first; a rerun adds none", async () => {
    const base = await save("基础", { kind: "holding", category: "TIME_DEPOSIT", held: true });
    const derived = await save("派生", { kind: "group", op: "and", children: [{ kind: "segment", segmentId: base.id, in: true }, { kind: "holding", category: "FUND", held: true }] });
    const first = await snapshotAfterTagRun(t.db, runId);
    expect(first.failed).toEqual([]);
    expect(first.taken).toBe(first.segments);
    const runSnaps = await t.db.segmentSnapshot.findMany({ where: { tagRunId: runId }, orderBy: { takenAt: "asc" } });
    const order = runSnaps.map((s) => s.segmentId);
    expect(order.indexOf(base.id)).toBeLessThan(order.indexOf(derived.id));
    expect(runSnaps.find((s) => s.segmentId === derived.id)!.count).toBe(derived.count);

    const again = await snapshotAfterTagRun(t.db, runId);
    expect(again).toMatchObject({ taken: 0, existing: first.segments });
    expect(await t.db.segmentSnapshot.count({ where: { tagRunId: runId } })).toBe(first.segments);
    expect((await requireSegment(t.db, derived.id)).latestSnapshotId).toBe(runSnaps.find((s) => s.segmentId === derived.id)!.id);
  });
});
