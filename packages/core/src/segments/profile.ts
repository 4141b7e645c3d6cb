/**
 * 客群画像: how a segment differs from the scope it was built over.
 * - For chosen tags, the distribution of values in the segment and in the whole scope, with the
 *   TGI index = (segment share ÷ scope share) × 100: 100 is "as common as anywhere", 200 "twice
 *   as common in this segment". Categorical tags (boolean, enum, text) by value; numbers and
 *   dates in five equal-frequency bands of the scope's values; customers without a value form
 *   their own row ("no value").
 * - AUM (latest month-end) and its bands; product holdings by category (holders and amounts).
 * - The size trend over snapshots.
 * Set-based SQL over the current tag run (`customer_tag_value`) and the facts; the members are
 * passed as one int array.
 */
import { z } from "zod";
import { Prisma, type Db } from "@mkt/db";
import { customerScopeSql } from "../auth/scope-query";
import { AUM_BANDS } from "../customer/aum-band";
import { DomainError } from "../domain-error";
import { segmentEvaluationScope } from "./access";
import { currentMembers } from "./resolve";
import type { SegmentRecord } from "./segments";

export const MAX_PROFILE_TAGS = 8;
const TEXT_TOP = 20;
const NUMBER_BANDS = 5;
const TREND_SNAPSHOTS = 90;
/** The AUM band floors of customer/aum-band.ts (MASS, GOLD, PLATINUM, PRIVATE); a unit test keeps them equal. */
export const AUM_BAND_FLOORS = [0, 50_000, 500_000, 6_000_000] as const;

export const profileInput = z.strictObject({
  segmentId: z.string().min(1),
  tagCodes: z.array(z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/)).max(MAX_PROFILE_TAGS, `at most ${MAX_PROFILE_TAGS} tags`).default([]),
});
export type ProfileInput = z.infer<typeof profileInput>;

const bucket = z.object({
  /** A value, a band "lo – hi", or null for customers without a value. */
  label: z.string().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  segmentCount: z.number(),
  scopeCount: z.number(),
  segmentShare: z.number(),
  scopeShare: z.number(),
  /** null when the scope has nobody in this bucket. */
  tgi: z.number().nullable(),
});
export type ProfileBucket = z.infer<typeof bucket>;

export const profileOutput = z.object({
  segmentSize: z.number(),
  scopeSize: z.number(),
  tags: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      nameEn: z.string(),
      valueType: z.enum(["BOOLEAN", "ENUM", "NUMBER", "DATE", "TEXT"]),
      unit: z.string().nullable(),
      buckets: z.array(bucket),
    }),
  ),
  aum: z.object({
    month: z.date().nullable(),
    segment: z.object({ customers: z.number(), total: z.number(), average: z.number().nullable(), median: z.number().nullable() }),
    scope: z.object({ customers: z.number(), total: z.number(), average: z.number().nullable(), median: z.number().nullable() }),
    bands: z.array(bucket),
  }),
  holdings: z.array(
    z.object({
      category: z.string(),
      segmentHolders: z.number(),
      scopeHolders: z.number(),
      segmentShare: z.number(),
      scopeShare: z.number(),
      tgi: z.number().nullable(),
      segmentAmount: z.number(),
    }),
  ),
  trend: z.array(z.object({ takenAt: z.date(), count: z.number(), trigger: z.string() })),
});
export type ProfileOutput = z.infer<typeof profileOutput>;

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** TGI = segment share ÷ scope share × 100 (one decimal); null when the scope share is 0. */
export function tgi(segmentCount: number, segmentSize: number, scopeCount: number, scopeSize: number): number | null {
  if (scopeCount === 0 || scopeSize === 0 || segmentSize === 0) return null;
  return round((segmentCount / segmentSize / (scopeCount / scopeSize)) * 100, 1);
}

function toBucket(label: string | null, min: number | null, max: number | null, seg: number, scope: number, segSize: number, scopeSize: number): ProfileBucket {
  return {
    label,
    min,
    max,
    segmentCount: seg,
    scopeCount: scope,
    segmentShare: segSize ? seg / segSize : 0,
    scopeShare: scopeSize ? scope / scopeSize : 0,
    tgi: tgi(seg, segSize, scope, scopeSize),
  };
}

/** The "no value" row: whoever the value rows did not count. */
function withMissing(rows: ProfileBucket[], segSize: number, scopeSize: number): ProfileBucket[] {
  const seg = segSize - rows.reduce((a, r) => a + r.segmentCount, 0);
  const scope = scopeSize - rows.reduce((a, r) => a + r.scopeCount, 0);
  return scope > 0 || seg > 0 ? [...rows, toBucket(null, null, null, seg, scope, segSize, scopeSize)] : rows;
}

export async function profileSegment(db: Db, segment: SegmentRecord, tagCodes: string[]): Promise<ProfileOutput> {
  const scope = segmentEvaluationScope(segment);
  const members = await currentMembers(db, segment);
  const ids = Array.from(members.toUint32Array());
  const inScope = customerScopeSql(scope, "c");
  const m = Prisma.sql`m AS (SELECT unnest(${ids}::int[]) AS id)`;

  const [sizes] = await db.$queryRaw<{ scope_size: number; segment_size: number }[]>`
    WITH ${m}
    SELECT count(*)::int AS scope_size, count(m.id)::int AS segment_size
    FROM customer c LEFT JOIN m ON m.id = c.id WHERE ${inScope}`;
  const segSize = sizes?.segment_size ?? 0;
  const scopeSize = sizes?.scope_size ?? 0;

  const tags = await db.tag.findMany({ where: { code: { in: tagCodes } }, select: { id: true, code: true, name: true, nameEn: true, valueType: true, unit: true, enumValues: true } });
  const unknown = tagCodes.find((c) => !tags.some((t) => t.code === c));
  if (unknown) throw new DomainError("BAD_REQUEST", `tagCodes: unknown tag ${unknown}`);

  const tagProfiles = [];
  for (const code of tagCodes) {
    const t = tags.find((x) => x.code === code)!;
    const rows = t.valueType === "NUMBER" || t.valueType === "DATE" ? await banded(db, m, inScope, t.id, t.valueType) : await categorical(db, m, inScope, t.id, t.valueType);
    const buckets = rows.map((r) => toBucket(r.label, r.min, r.max, r.seg, r.scope, segSize, scopeSize));
    if (t.valueType === "ENUM") sortByEnumOrder(buckets, t.enumValues);
    tagProfiles.push({ code: t.code, name: t.name, nameEn: t.nameEn, valueType: t.valueType, unit: t.unit, buckets: withMissing(buckets, segSize, scopeSize) });
  }

  const [aum, holdings, trend] = await Promise.all([
    aumSummary(db, m, inScope, segSize, scopeSize),
    holdingSummary(db, m, inScope, segSize, scopeSize),
    db.segmentSnapshot.findMany({ where: { segmentId: segment.id }, orderBy: { takenAt: "desc" }, take: TREND_SNAPSHOTS, select: { takenAt: true, count: true, trigger: true } }),
  ]);
  return { segmentSize: segSize, scopeSize, tags: tagProfiles, aum, holdings, trend: trend.reverse() };
}

/** ENUM values in the order the tag defines them (age bands young to old), not by frequency. */
function sortByEnumOrder(buckets: ProfileBucket[], enumValues: unknown): void {
  const order = Array.isArray(enumValues) ? enumValues.map((v) => (v as { value?: unknown }).value) : [];
  const rank = (label: string | null) => {
    const i = order.indexOf(label);
    return i < 0 ? order.length : i;
  };
  buckets.sort((a, b) => rank(a.label) - rank(b.label));
}

interface Row {
  label: string | null;
  min: number | null;
  max: number | null;
  seg: number;
  scope: number;
}

async function categorical(db: Db, m: Prisma.Sql, inScope: Prisma.Sql, tagId: number, valueType: string): Promise<Row[]> {
  const rows = await db.$queryRaw<{ label: string; seg: number; scope: number }[]>`
    WITH ${m}
    SELECT v.value_label AS label, count(m.id)::int AS seg, count(*)::int AS scope
    FROM customer_tag_value v
    JOIN customer c ON c.id = v.customer_id
    LEFT JOIN m ON m.id = v.customer_id
    WHERE v.tag_id = ${tagId} AND v.value_label IS NOT NULL AND ${inScope}
    GROUP BY v.value_label
    ORDER BY scope DESC, label
    LIMIT ${valueType === "TEXT" ? TEXT_TOP : 500}`;
  return rows.map((r) => ({ label: r.label, min: null, max: null, seg: r.seg, scope: r.scope }));
}

async function banded(db: Db, m: Prisma.Sql, inScope: Prisma.Sql, tagId: number, valueType: string): Promise<Row[]> {
  const rows = await db.$queryRaw<{ lo: number; hi: number; lo_date: string | null; hi_date: string | null; seg: number; scope: number }[]>`
    WITH ${m},
    v AS (
      SELECT v.customer_id, v.value_num, v.value_date, ntile(${NUMBER_BANDS}) OVER (ORDER BY v.value_num) AS band
      FROM customer_tag_value v JOIN customer c ON c.id = v.customer_id
      WHERE v.tag_id = ${tagId} AND v.value_num IS NOT NULL AND ${inScope}
    )
    SELECT min(value_num) AS lo, max(value_num) AS hi, min(value_date)::text AS lo_date, max(value_date)::text AS hi_date,
           count(m.id)::int AS seg, count(*)::int AS scope
    FROM v LEFT JOIN m ON m.id = v.customer_id
    GROUP BY band ORDER BY band`;
  // Bands of equal frequency can share an edge value when many customers have it: merge them.
  const merged: typeof rows = [];
  for (const r of rows) {
    const last = merged[merged.length - 1];
    if (last && last.hi === r.lo && last.lo === r.hi) {
      last.seg += r.seg;
      last.scope += r.scope;
    } else merged.push({ ...r });
  }
  const fmt = (n: number) => String(round(n, 2));
  return merged.map((r) => ({
    label: valueType === "DATE" ? `${r.lo_date} – ${r.hi_date}` : r.lo === r.hi ? fmt(r.lo) : `${fmt(r.lo)} – ${fmt(r.hi)}`,
    min: r.lo,
    max: r.hi,
    seg: r.seg,
    scope: r.scope,
  }));
}

async function aumSummary(db: Db, m: Prisma.Sql, inScope: Prisma.Sql, segSize: number, scopeSize: number): Promise<ProfileOutput["aum"]> {
  const floors = AUM_BAND_FLOORS.slice(1) as number[];
  const [stats] = await db.$queryRaw<
    { month: Date | null; seg_n: number; seg_sum: number | null; seg_median: number | null; scope_n: number; scope_sum: number | null; scope_median: number | null; bands: { band: number; seg: number; scope: number }[] | null }[]
  >`
    WITH ${m},
    latest AS (SELECT max(month) AS month FROM monthly_balance),
    a AS (
      SELECT mb.customer_id, mb.aum::float8 AS aum, (m.id IS NOT NULL) AS member,
             width_bucket(mb.aum::float8, ${floors}::float8[]) AS band
      FROM monthly_balance mb JOIN customer c ON c.id = mb.customer_id
      LEFT JOIN m ON m.id = mb.customer_id
      WHERE mb.month = (SELECT month FROM latest) AND ${inScope}
    ),
    b AS (SELECT band, count(*) FILTER (WHERE member)::int AS seg, count(*)::int AS scope FROM a GROUP BY band)
    SELECT (SELECT month FROM latest) AS month,
           count(*) FILTER (WHERE member)::int AS seg_n, sum(aum) FILTER (WHERE member) AS seg_sum,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY aum) FILTER (WHERE member) AS seg_median,
           count(*)::int AS scope_n, sum(aum) AS scope_sum, percentile_cont(0.5) WITHIN GROUP (ORDER BY aum) AS scope_median,
           (SELECT json_agg(json_build_object('band', band, 'seg', seg, 'scope', scope)) FROM b) AS bands
    FROM a`;
  const side = (n: number, sum: number | null, median: number | null) => ({
    customers: n,
    total: round(sum ?? 0, 2),
    average: n ? round((sum ?? 0) / n, 2) : null,
    median: median === null ? null : round(median, 2),
  });
  const bandRows = AUM_BANDS.map((name, i) => {
    const r = stats?.bands?.find((b) => b.band === i);
    return toBucket(name, AUM_BAND_FLOORS[i]!, AUM_BAND_FLOORS[i + 1] ?? null, r?.seg ?? 0, r?.scope ?? 0, segSize, scopeSize);
  });
  return {
    month: stats?.month ?? null,
    segment: side(stats?.seg_n ?? 0, stats?.seg_sum ?? null, stats?.seg_median ?? null),
    scope: side(stats?.scope_n ?? 0, stats?.scope_sum ?? null, stats?.scope_median ?? null),
    bands: bandRows,
  };
}

async function holdingSummary(db: Db, m: Prisma.Sql, inScope: Prisma.Sql, segSize: number, scopeSize: number): Promise<ProfileOutput["holdings"]> {
  // Held = an ACTIVE holding or an account not CLOSED, as the rule language's holding leaf says.
  const rows = await db.$queryRaw<{ category: string; seg: number; scope: number; seg_amount: number | null }[]>`
    WITH ${m},
    h AS (
      SELECT a.customer_id, a.kind::text AS category, a.balance AS amount FROM account a WHERE a.status <> 'CLOSED'
      UNION ALL
      SELECT h.customer_id, p.category::text, h.amount FROM holding h JOIN product p ON p.id = h.product_id WHERE h.status = 'ACTIVE'
    ),
    per AS (
      SELECT h.customer_id, h.category, sum(h.amount)::float8 AS amount
      FROM h JOIN customer c ON c.id = h.customer_id WHERE ${inScope}
      GROUP BY h.customer_id, h.category
    )
    SELECT per.category, count(m.id)::int AS seg, count(*)::int AS scope, sum(per.amount) FILTER (WHERE m.id IS NOT NULL) AS seg_amount
    FROM per LEFT JOIN m ON m.id = per.customer_id
    GROUP BY per.category ORDER BY per.category`;
  return rows.map((r) => ({
    category: r.category,
    segmentHolders: r.seg,
    scopeHolders: r.scope,
    segmentShare: segSize ? r.seg / segSize : 0,
    scopeShare: scopeSize ? r.scope / scopeSize : 0,
    tgi: tgi(r.seg, segSize, r.scope, scopeSize),
    segmentAmount: round(r.seg_amount ?? 0, 2),
  }));
}
