/**
 * Read models of the tag center for the console: the category tree, the catalogue with its
 * filters, a tag's page (versions, statistics over recent runs, usage), the approval inbox, run
 * history, and one customer's tag values (360° page). Inputs and outputs are zod schemas shared
 * with the tRPC router.
 */
import type { Db } from "@mkt/db";
import { withPgClient } from "@mkt/db/tags/storage";
import { z } from "zod";
import { distributionSchema } from "./stats";

const dateOut = z.date();
const tagValueType = z.enum(["BOOLEAN", "ENUM", "NUMBER", "DATE", "TEXT"]);
const sourceKind = z.enum(["FACT", "RULE", "MODEL", "IMPORTED", "REALTIME"]);
const tagStatus = z.enum(["DRAFT", "IN_REVIEW", "PUBLISHED", "RETIRED"]);
const person = z.object({ id: z.string(), name: z.string() }).nullable();

// ── Categories ──
export const categoryOutput = z.array(z.object({ id: z.number(), code: z.string(), name: z.string(), nameEn: z.string(), parentId: z.number().nullable(), sort: z.number(), tags: z.number() }));

export async function listCategories(db: Db): Promise<z.infer<typeof categoryOutput>> {
  const rows = await db.tagCategory.findMany({ orderBy: [{ sort: "asc" }, { id: "asc" }], include: { _count: { select: { tags: true } } } });
  return rows.map((c) => ({ id: c.id, code: c.code, name: c.name, nameEn: c.nameEn, parentId: c.parentId, sort: c.sort, tags: c._count.tags }));
}

// ── Catalogue ──
export const tagListInput = z.strictObject({
  q: z.string().trim().max(100).optional(),
  /** A category code; its sub-categories are included (a theme lists all of its tags). */
  category: z.string().max(64).optional(),
  valueType: tagValueType.optional(),
  sourceKind: sourceKind.optional(),
  status: tagStatus.optional(),
  /** A user id: tags this user owns (business or technical). */
  owner: z.string().max(64).optional(),
  /** Only tags read fewer than this many times in the last 30 days (finding unused tags). */
  readsBelow: z.number().int().min(1).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});

const tagSummary = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  category: z.object({ code: z.string(), name: z.string(), nameEn: z.string() }),
  valueType: tagValueType,
  sourceKind,
  status: tagStatus,
  currentVersion: z.number().nullable(),
  updateFrequency: z.string(),
  businessOwner: person,
  technicalOwner: person,
  coverage: z.number().nullable(),
  alerts: z.array(z.string()),
  reads30d: z.number(),
  usedBy: z.number(),
});
export const tagListOutput = z.object({ items: z.array(tagSummary), total: z.number() });

const since30d = (now: Date) => new Date(now.getTime() - 30 * 86_400_000);

async function reads30d(db: Db, tagIds: number[], now: Date): Promise<Map<number, number>> {
  if (!tagIds.length) return new Map();
  const rows = await db.tagUsageDaily.groupBy({ by: ["tagId"], where: { tagId: { in: tagIds }, day: { gte: since30d(now) } }, _sum: { count: true } });
  return new Map(rows.map((r) => [r.tagId, r._sum.count ?? 0]));
}

export async function listTags(db: Db, input: z.infer<typeof tagListInput>, now = new Date()): Promise<z.infer<typeof tagListOutput>> {
  const categories = input.category ? await db.tagCategory.findMany({ select: { id: true, code: true, parentId: true } }) : [];
  const inCategory = new Set<number>();
  const root = categories.find((c) => c.code === input.category);
  if (root) {
    inCategory.add(root.id);
    for (let grew = true; grew; ) {
      grew = false;
      for (const c of categories) {
        if (c.parentId === null || !inCategory.has(c.parentId) || inCategory.has(c.id)) continue;
        inCategory.add(c.id);
        grew = true;
      }
    }
  }
  const where = {
    ...(input.q ? { OR: [{ code: { contains: input.q.toUpperCase() } }, { name: { contains: input.q } }, { nameEn: { contains: input.q, mode: "insensitive" as const } }] } : {}),
    ...(input.category ? { categoryId: { in: [...inCategory] } } : {}),
    ...(input.valueType ? { valueType: input.valueType } : {}),
    ...(input.sourceKind ? { sourceKind: input.sourceKind } : {}),
    ...(input.status ? { status: input.status } : {}),
    ...(input.owner ? { OR: [{ businessOwnerId: input.owner }, { technicalOwnerId: input.owner }] } : {}),
  };
  const all = await db.tag.findMany({
    where,
    orderBy: [{ categoryId: "asc" }, { code: "asc" }],
    include: { category: true, businessOwner: { select: { id: true, name: true } }, technicalOwner: { select: { id: true, name: true } }, _count: { select: { usages: true } } },
  });
  const reads = await reads30d(db, all.map((t) => t.id), now);
  const filtered = input.readsBelow ? all.filter((t) => (reads.get(t.id) ?? 0) < input.readsBelow!) : all;
  const page = filtered.slice((input.page - 1) * input.pageSize, input.page * input.pageSize);
  const current = await db.tagCurrentRun.findUnique({ where: { id: 1 } });
  const stats = current ? await db.tagStat.findMany({ where: { runId: current.runId, tagId: { in: page.map((t) => t.id) } }, select: { tagId: true, coverage: true, alerts: true } }) : [];
  const byTag = new Map(stats.map((s) => [s.tagId, s]));
  return {
    total: filtered.length,
    items: page.map((t) => ({
      id: t.id,
      code: t.code,
      name: t.name,
      nameEn: t.nameEn,
      category: { code: t.category.code, name: t.category.name, nameEn: t.category.nameEn },
      valueType: t.valueType,
      sourceKind: t.sourceKind,
      status: t.status,
      currentVersion: t.currentVersion,
      updateFrequency: t.updateFrequency,
      businessOwner: t.businessOwner,
      technicalOwner: t.technicalOwner,
      coverage: byTag.get(t.id)?.coverage ?? null,
      alerts: byTag.get(t.id)?.alerts ?? [],
      reads30d: reads.get(t.id) ?? 0,
      usedBy: t._count.usages,
    })),
  };
}

// ── One tag ──
export const tagGetInput = z.strictObject({ code: z.string().max(64), runs: z.number().int().min(1).max(60).default(14) });

const versionOut = z.object({
  version: z.number(),
  status: z.enum(["DRAFT", "IN_REVIEW", "PUBLISHED", "REJECTED", "SUPERSEDED"]),
  rule: z.unknown(),
  definition: z.string(),
  definitionEn: z.string(),
  changeNote: z.string(),
  createdBy: person,
  createdAt: dateOut,
  submittedAt: dateOut.nullable(),
  reviewedBy: person,
  reviewedAt: dateOut.nullable(),
  reviewNote: z.string().nullable(),
});
export const tagGetOutput = tagSummary.extend({
  definition: z.string(),
  definitionEn: z.string(),
  unit: z.string().nullable(),
  enumValues: z.unknown(),
  coverageDriftMax: z.number().nullable(),
  psiMax: z.number().nullable(),
  versions: z.array(versionOut),
  stats: z.array(z.object({ runId: z.number(), asOf: dateOut, coverage: z.number(), nonNull: z.number(), coverageDelta: z.number().nullable(), psi: z.number().nullable(), alerts: z.array(z.string()), distribution: distributionSchema })),
  usages: z.array(z.object({ usedBy: z.enum(["SEGMENT", "CAMPAIGN", "MODEL"]), refId: z.string(), refName: z.string().nullable(), lastUsedAt: dateOut.nullable() })),
});

export async function getTag(db: Db, input: z.infer<typeof tagGetInput>, now = new Date()): Promise<z.infer<typeof tagGetOutput> | null> {
  const t = await db.tag.findUnique({
    where: { code: input.code },
    include: {
      category: true,
      businessOwner: { select: { id: true, name: true } },
      technicalOwner: { select: { id: true, name: true } },
      versions: { orderBy: { version: "desc" } },
      usages: true,
      stats: { orderBy: { runId: "desc" }, take: input.runs, include: { run: { select: { asOf: true, status: true } } } },
    },
  });
  if (!t) return null;
  const userIds = [...new Set(t.versions.flatMap((v) => [v.createdById, v.reviewedById].filter((x): x is string => !!x)))];
  const users = new Map((await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } })).map((u) => [u.id, u]));
  const reads = await reads30d(db, [t.id], now);
  const latest = t.stats[0];
  return {
    id: t.id,
    code: t.code,
    name: t.name,
    nameEn: t.nameEn,
    category: { code: t.category.code, name: t.category.name, nameEn: t.category.nameEn },
    valueType: t.valueType,
    sourceKind: t.sourceKind,
    status: t.status,
    currentVersion: t.currentVersion,
    updateFrequency: t.updateFrequency,
    businessOwner: t.businessOwner,
    technicalOwner: t.technicalOwner,
    coverage: latest?.coverage ?? null,
    alerts: latest?.alerts ?? [],
    reads30d: reads.get(t.id) ?? 0,
    usedBy: t.usages.length,
    definition: t.definition,
    definitionEn: t.definitionEn,
    unit: t.unit,
    enumValues: t.enumValues,
    coverageDriftMax: t.coverageDriftMax,
    psiMax: t.psiMax,
    versions: t.versions.map((v) => ({
      version: v.version,
      status: v.status,
      rule: v.rule,
      definition: v.definition,
      definitionEn: v.definitionEn,
      changeNote: v.changeNote,
      createdBy: users.get(v.createdById) ?? null,
      createdAt: v.createdAt,
      submittedAt: v.submittedAt,
      reviewedBy: v.reviewedById ? (users.get(v.reviewedById) ?? null) : null,
      reviewedAt: v.reviewedAt,
      reviewNote: v.reviewNote,
    })),
    stats: t.stats
      .filter((s) => s.run.status === "SUCCEEDED")
      .map((s) => ({ runId: s.runId, asOf: s.run.asOf, coverage: s.coverage, nonNull: s.nonNull, coverageDelta: s.coverageDelta, psi: s.psi, alerts: s.alerts, distribution: distributionSchema.parse(s.distribution) })),
    usages: t.usages.map((u) => ({ usedBy: u.usedBy, refId: u.refId, refName: u.refName, lastUsedAt: u.lastUsedAt })),
  };
}

// ── Approval inbox ──
export const approvalsOutput = z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string(), version: z.number(), changeNote: z.string(), createdBy: person, submittedAt: dateOut.nullable(), firstVersion: z.boolean() }));

export async function listApprovals(db: Db): Promise<z.infer<typeof approvalsOutput>> {
  const versions = await db.tagVersion.findMany({ where: { status: "IN_REVIEW" }, orderBy: { submittedAt: "asc" }, include: { tag: true } });
  const users = new Map((await db.user.findMany({ where: { id: { in: versions.map((v) => v.createdById) } }, select: { id: true, name: true } })).map((u) => [u.id, u]));
  return versions.map((v) => ({ code: v.tag.code, name: v.tag.name, nameEn: v.tag.nameEn, version: v.version, changeNote: v.changeNote, createdBy: users.get(v.createdById) ?? null, submittedAt: v.submittedAt, firstVersion: v.tag.currentVersion == null }));
}

// ── Runs ──
export const runListInput = z.strictObject({ page: z.number().int().min(1).default(1), pageSize: z.number().int().min(1).max(100).default(20) });
const runOut = z.object({
  id: z.number(),
  trigger: z.enum(["SCHEDULED", "MANUAL"]),
  status: z.enum(["RUNNING", "SUCCEEDED", "FAILED"]),
  asOf: dateOut,
  startedAt: dateOut,
  finishedAt: dateOut.nullable(),
  progress: z.number(),
  phase: z.string().nullable(),
  attempts: z.number(),
  customers: z.number(),
  tagCount: z.number(),
  error: z.string().nullable(),
  current: z.boolean(),
});
export const runListOutput = z.object({ items: z.array(runOut), total: z.number() });
export const runGetOutput = runOut.extend({ tagStats: z.record(z.string(), z.object({ ms: z.number(), rows: z.number(), nonNull: z.number(), coverage: z.number(), error: z.string().optional() })).nullable() });

export async function listRuns(db: Db, input: z.infer<typeof runListInput>): Promise<z.infer<typeof runListOutput>> {
  const [rows, total, current] = await Promise.all([
    db.tagRun.findMany({ orderBy: { id: "desc" }, skip: (input.page - 1) * input.pageSize, take: input.pageSize }),
    db.tagRun.count(),
    db.tagCurrentRun.findUnique({ where: { id: 1 } }),
  ]);
  return { total, items: rows.map(({ tagStats: _s, jobKey: _j, requestedById: _r, ...r }) => ({ ...r, current: r.id === current?.runId })) };
}

export async function getRun(db: Db, runId: number): Promise<z.infer<typeof runGetOutput> | null> {
  const [r, current] = await Promise.all([db.tagRun.findUnique({ where: { id: runId } }), db.tagCurrentRun.findUnique({ where: { id: 1 } })]);
  if (!r) return null;
  const { jobKey: _j, requestedById: _r, tagStats, ...rest } = r;
  return { ...rest, current: r.id === current?.runId, tagStats: (tagStats as z.infer<typeof runGetOutput>["tagStats"]) ?? null };
}

// ── One customer's values (360° page) ──
export const customerTagsOutput = z.array(
  z.object({
    code: z.string(),
    name: z.string(),
    nameEn: z.string(),
    category: z.string(),
    /** The first-level theme (ASSET, …, NATURAL) the tag's category belongs to. */
    theme: z.string(),
    valueType: tagValueType,
    value: z.union([z.number(), z.string(), z.boolean()]),
    label: z.string().nullable(),
    /** ENUM: the value's labels as the catalogue names them; NUMBER: the unit. */
    display: z.object({ zh: z.string(), en: z.string() }).nullable(),
    unit: z.string().nullable(),
    realtime: z.boolean(),
  }),
);

/**
 * Reads element `customerId` of each current column by array subscript (PostgreSQL detoasts each
 * column once), plus unexpired real-time values. The segment engine's in-memory columns will
 * serve this faster once they exist.
 */
export async function customerTagValues(db: Db, databaseUrl: string, customerId: number): Promise<z.infer<typeof customerTagsOutput>> {
  const rows = await withPgClient(databaseUrl, async (c) =>
    (
      await c.query<{ tag_id: number; value_type: string; b: boolean | null; code: number | null; labels: string[] | null; n: number | null; d: string | null; t: string | null; rt: number | null }>(
        `SELECT c.tag_id, c.value_type::text, c.bools[$1] AS b, c.codes[$1] AS code, c.enum_labels AS labels, c.nums[$1] AS n, c.dates[$1]::text AS d, c.texts[$1] AS t,
                (SELECT v.value_num FROM realtime_tag_value v WHERE v.tag_id = c.tag_id AND v.customer_id = $1 AND v.updated_at > r.as_of AND (v.expires_at IS NULL OR v.expires_at > now())) AS rt
         FROM tag_current_run p JOIN tag_run r ON r.id = p.run_id JOIN tag_column c ON c.run_id = p.run_id`,
        [customerId],
      )
    ).rows,
  );
  const tags = new Map((await db.tag.findMany({ where: { id: { in: rows.map((r) => r.tag_id) } }, include: { category: { include: { parent: true } } } })).map((t) => [t.id, t]));
  return rows.flatMap((r): z.infer<typeof customerTagsOutput> => {
    const t = tags.get(r.tag_id);
    if (!t || t.status === "RETIRED") return [];
    const base = { code: t.code, name: t.name, nameEn: t.nameEn, category: t.category.code, theme: (t.category.parent ?? t.category).code, valueType: t.valueType, display: null, unit: t.unit };
    const enumDisplay = (value: string | null | undefined) => {
      const e = (t.enumValues as { value: string; label: string; labelEn: string }[] | null)?.find((x) => x.value === value);
      return e ? { zh: e.label, en: e.labelEn } : null;
    };
    const realtime = r.rt !== null;
    switch (r.value_type) {
      case "BOOLEAN": {
        const v = realtime ? r.rt === 1 : r.b;
        return v === null ? [] : [{ ...base, value: v, label: null, realtime }];
      }
      case "ENUM": {
        const code = realtime ? r.rt : r.code;
        return code === null ? [] : [{ ...base, value: code, label: r.labels?.[code] ?? null, display: enumDisplay(r.labels?.[code]), realtime }];
      }
      case "NUMBER":
        return r.n === null ? [] : [{ ...base, value: r.n, label: null, realtime: false }];
      case "DATE":
        return r.d === null ? [] : [{ ...base, value: r.d, label: r.d, realtime: false }];
      default:
        return r.t === null ? [] : [{ ...base, value: r.t, label: r.t, realtime: false }];
    }
  });
}
