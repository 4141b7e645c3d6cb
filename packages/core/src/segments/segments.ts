/**
 * Saved segments (客群): create, update, archive, read, list. A RULE segment's rule is validated
 * with `segmentRuleSchema` and its membership leaves are checked: every segment it names must be
 * visible to the caller and active, and following those references must never lead back to the
 * segment itself (a cycle). Saving a rule takes a SAVE snapshot, so the list always has a count.
 */
import { z } from "zod";
import { type Prisma, type Db, type SegmentKind, type SegmentStatus } from "@mkt/db";
import type { OrgScope } from "../auth/scope";
import { DomainError } from "../domain-error";
import { canSeeSegment, segmentScopeWhere } from "./access";
import { referencedSegmentIds } from "./refs";
import { loadSegmentCatalogue } from "./index/catalogue";
import { checkSegmentRuleTags, parseSegmentRule, ruleTagCodes, SegmentRuleError, type SegmentRule } from "./rule";

/** The caller who saves a segment (a session user satisfies it). */
export interface SegmentActor {
  id: string;
  role: string;
  orgUnitId: string;
  orgPath: string;
}

/** A segment as the domain reads it: with its owner's role and its unit's path (its scope). */
export interface SegmentRecord {
  id: string;
  name: string;
  description: string | null;
  kind: SegmentKind;
  status: SegmentStatus;
  rule: unknown;
  ruleVersion: number;
  members: Uint8Array | null;
  ownerId: string;
  ownerRole: string;
  orgUnitId: string;
  orgPath: string;
  latestSnapshotId: string | null;
  latestCount: number | null;
  latestTakenAt: Date | null;
}

export async function loadSegment(db: Db, id: string): Promise<SegmentRecord | null> {
  const s = await db.segment.findUnique({ where: { id }, include: { owner: { select: { role: true } }, orgUnit: { select: { path: true } } } });
  if (!s) return null;
  const { owner, orgUnit, ...row } = s;
  return { ...row, ownerRole: owner.role, orgPath: orgUnit.path };
}

export async function requireSegment(db: Db, id: string): Promise<SegmentRecord> {
  const s = await loadSegment(db, id);
  if (!s) throw new DomainError("NOT_FOUND", `segment ${id} not found`);
  return s;
}

export const segmentNameSchema = z.string().trim().min(1, "name is required").max(80);
export const segmentDescriptionSchema = z.string().trim().max(500).nullish();

/** Most membership references followed from one rule (a chain longer than this is refused). */
const MAX_REFERENCE_DEPTH = 8;

/**
 * Parses a rule tree and checks its membership leaves against the caller's scope and, for a
 * saved segment (`selfId`), for cycles. Any problem is a BAD_REQUEST naming it.
 */
export async function checkSegmentRule(db: Db, scope: OrgScope, raw: unknown, selfId?: string): Promise<SegmentRule> {
  let rule: SegmentRule;
  try {
    rule = parseSegmentRule(raw);
    const tags = await loadSegmentCatalogue(db);
    checkSegmentRuleTags(rule, (code) => tags.get(code));
  } catch (err) {
    if (err instanceof SegmentRuleError) throw new DomainError("BAD_REQUEST", `rule${err.path ? "." : ": "}${err.message}`);
    throw err;
  }
  const refs = referencedSegmentIds(rule);
  if (refs.length === 0) return rule;
  if (selfId && refs.includes(selfId)) throw new DomainError("BAD_REQUEST", "rule: a segment cannot contain itself");
  const rows = await db.segment.findMany({
    where: { id: { in: refs } },
    select: { id: true, name: true, ownerId: true, status: true, orgUnit: { select: { path: true } } },
  });
  for (const id of refs) {
    const row = rows.find((r) => r.id === id);
    // Another branch's segment answers exactly like one that does not exist.
    if (!row || !canSeeSegment(scope, { ownerId: row.ownerId, orgPath: row.orgUnit.path })) {
      throw new DomainError("BAD_REQUEST", `rule: segment ${id} not found`);
    }
    if (row.status === "ARCHIVED") throw new DomainError("BAD_REQUEST", `rule: segment "${row.name}" is archived`);
  }
  await assertNoCycle(db, selfId ?? null, refs);
  return rule;
}

/** Follows membership references breadth-first; refuses a path back to `selfId` or one too long. */
async function assertNoCycle(db: Db, selfId: string | null, refs: string[]): Promise<void> {
  const parent = new Map<string, string | null>(refs.map((id) => [id, null]));
  let frontier = refs;
  for (let depth = 1; frontier.length; depth++) {
    if (depth > MAX_REFERENCE_DEPTH) throw new DomainError("BAD_REQUEST", `rule: segments nest more than ${MAX_REFERENCE_DEPTH} levels deep`);
    const rows = await db.segment.findMany({ where: { id: { in: frontier }, kind: "RULE" }, select: { id: true, rule: true } });
    const next: string[] = [];
    for (const row of rows) {
      for (const ref of referencedSegmentIds(row.rule)) {
        if (ref === selfId) {
          const chain = [ref];
          for (let at: string | null = row.id; at; at = parent.get(at) ?? null) chain.push(at);
          const names = await segmentNames(db, [...chain.reverse(), selfId]);
          throw new DomainError("BAD_REQUEST", `rule: membership would make a cycle (${names.join(" → ")})`);
        }
        if (!parent.has(ref)) {
          parent.set(ref, row.id);
          next.push(ref);
        }
      }
    }
    frontier = next;
  }
}

async function segmentNames(db: Db, ids: string[]): Promise<string[]> {
  const rows = await db.segment.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return ids.map((id) => rows.find((r) => r.id === id)?.name ?? id);
}

export const createRuleSegmentInput = z.strictObject({
  name: segmentNameSchema,
  description: segmentDescriptionSchema,
  rule: z.unknown(),
});
export type CreateRuleSegmentInput = z.infer<typeof createRuleSegmentInput>;

/** Creates a RULE segment over the caller's scope (no snapshot yet: see `saveRuleSegment`). */
export async function createRuleSegment(db: Db, actor: SegmentActor, scope: OrgScope, input: CreateRuleSegmentInput): Promise<string> {
  const rule = await checkSegmentRule(db, scope, input.rule);
  const s = await db.segment.create({
    data: {
      name: input.name,
      description: input.description ?? null,
      kind: "RULE",
      rule: rule as Prisma.InputJsonValue,
      ownerId: actor.id,
      orgUnitId: actor.orgUnitId,
    },
  });
  await recordTagUsage(db, s.id, s.name, rule);
  return s.id;
}

export const updateSegmentInput = z.strictObject({
  segmentId: z.string().min(1),
  name: segmentNameSchema.optional(),
  description: segmentDescriptionSchema,
  rule: z.unknown().optional(),
});
export type UpdateSegmentInput = z.infer<typeof updateSegmentInput>;

/** Renames or changes the rule; a changed rule bumps the version. Returns whether it changed. */
export async function updateSegment(db: Db, scope: OrgScope, segment: SegmentRecord, input: UpdateSegmentInput): Promise<{ ruleChanged: boolean }> {
  if (segment.status === "ARCHIVED") throw new DomainError("PRECONDITION_FAILED", "an archived segment cannot be changed");
  let rule: SegmentRule | undefined;
  if (input.rule !== undefined) {
    if (segment.kind !== "RULE") throw new DomainError("BAD_REQUEST", "rule: only a rule segment has a rule");
    rule = await checkSegmentRule(db, scope, input.rule, segment.id);
  }
  const ruleChanged = rule !== undefined && JSON.stringify(rule) !== JSON.stringify(segment.rule);
  const updated = await db.segment.update({
    where: { id: segment.id },
    data: {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
      ...(ruleChanged && { rule: rule as Prisma.InputJsonValue, ruleVersion: { increment: 1 } }),
    },
  });
  if (ruleChanged && rule) await recordTagUsage(db, segment.id, updated.name, rule);
  return { ruleChanged };
}

/** Archives a segment; refused while an active segment's rule still refers to it. */
export async function archiveSegment(db: Db, segment: SegmentRecord): Promise<void> {
  if (segment.status === "ARCHIVED") return;
  const users = await segmentsReferring(db, segment.id);
  if (users.length) {
    throw new DomainError("PRECONDITION_FAILED", `segment is used by ${users.map((u) => `"${u.name}"`).join(", ")}; change those first`);
  }
  await db.segment.update({ where: { id: segment.id }, data: { status: "ARCHIVED", archivedAt: new Date() } });
  await db.tagUsage.deleteMany({ where: { usedBy: "SEGMENT", refId: segment.id } });
}

/** Active rule segments whose rule has a membership leaf naming `segmentId`. */
export async function segmentsReferring(db: Db, segmentId: string): Promise<{ id: string; name: string }[]> {
  return db.$queryRaw<{ id: string; name: string }[]>`
    SELECT id, name FROM segment
    WHERE status = 'ACTIVE' AND kind = 'RULE'
      AND jsonb_path_exists(rule, '$.** ? (@.kind == "segment" && @.segmentId == $id)', jsonb_build_object('id', ${segmentId}::text))
    ORDER BY name`;
}

async function recordTagUsage(db: Db, segmentId: string, name: string, rule: SegmentRule): Promise<void> {
  const codes = ruleTagCodes(rule);
  const tags = codes.length ? await db.tag.findMany({ where: { code: { in: codes } }, select: { id: true } }) : [];
  await db.$transaction([
    db.tagUsage.deleteMany({ where: { usedBy: "SEGMENT", refId: segmentId, tagId: { notIn: tags.map((t) => t.id) } } }),
    ...tags.map((t) =>
      db.tagUsage.upsert({
        where: { tagId_usedBy_refId: { tagId: t.id, usedBy: "SEGMENT", refId: segmentId } },
        create: { tagId: t.id, usedBy: "SEGMENT", refId: segmentId, refName: name },
        update: { refName: name },
      }),
    ),
  ]);
}

// ── Reading ──

export const segmentListInput = z.strictObject({
  q: z.string().trim().max(80).optional(),
  kind: z.enum(["RULE", "STATIC", "MODEL"]).optional(),
  status: z.enum(["ACTIVE", "ARCHIVED"]).default("ACTIVE"),
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});
export type SegmentListInput = z.infer<typeof segmentListInput>;

const trendPoint = z.object({ takenAt: z.date(), count: z.number() });

export const segmentListItem = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  kind: z.enum(["RULE", "STATIC", "MODEL"]),
  status: z.enum(["ACTIVE", "ARCHIVED"]),
  owner: z.object({ id: z.string(), name: z.string() }),
  orgUnit: z.object({ id: z.string(), name: z.string(), nameEn: z.string() }),
  count: z.number().nullable(),
  lastSnapshotAt: z.date().nullable(),
  updatedAt: z.date(),
  /** The last snapshots' counts, oldest first (the sparkline). */
  trend: z.array(trendPoint),
});
export const segmentListOutput = z.object({ items: z.array(segmentListItem), total: z.number() });
export type SegmentListOutput = z.infer<typeof segmentListOutput>;

const TREND_POINTS = 12;

export async function listSegments(db: Db, scope: OrgScope, input: SegmentListInput): Promise<SegmentListOutput> {
  const where: Prisma.SegmentWhereInput = {
    ...segmentScopeWhere(scope),
    status: input.status,
    ...(input.kind && { kind: input.kind }),
    ...(input.q && { name: { contains: input.q, mode: "insensitive" } }),
  };
  const [rows, total] = await Promise.all([
    db.segment.findMany({
      where,
      orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
      skip: (input.page - 1) * input.pageSize,
      take: input.pageSize,
      select: {
        id: true,
        name: true,
        description: true,
        kind: true,
        status: true,
        latestCount: true,
        latestTakenAt: true,
        updatedAt: true,
        owner: { select: { id: true, name: true } },
        orgUnit: { select: { id: true, name: true, nameEn: true } },
      },
    }),
    db.segment.count({ where }),
  ]);
  const trends = await recentCounts(db, rows.map((r) => r.id), TREND_POINTS);
  return {
    total,
    items: rows.map(({ latestCount, latestTakenAt, ...r }) => ({ ...r, count: latestCount, lastSnapshotAt: latestTakenAt, trend: trends.get(r.id) ?? [] })),
  };
}

/** The last `n` snapshot counts of each segment, oldest first. One query for the whole page. */
async function recentCounts(db: Db, ids: string[], n: number): Promise<Map<string, { takenAt: Date; count: number }[]>> {
  const out = new Map<string, { takenAt: Date; count: number }[]>();
  if (ids.length === 0) return out;
  const rows = await db.$queryRaw<{ segment_id: string; taken_at: Date; count: number }[]>`
    SELECT segment_id, taken_at, count FROM (
      SELECT segment_id, taken_at, count, row_number() OVER (PARTITION BY segment_id ORDER BY taken_at DESC) AS rn
      FROM segment_snapshot WHERE segment_id = ANY(${ids}::text[])
    ) s WHERE rn <= ${n} ORDER BY segment_id, taken_at`;
  for (const r of rows) {
    const list = out.get(r.segment_id) ?? [];
    list.push({ takenAt: r.taken_at, count: r.count });
    out.set(r.segment_id, list);
  }
  return out;
}

export const segmentDetail = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  kind: z.enum(["RULE", "STATIC", "MODEL"]),
  status: z.enum(["ACTIVE", "ARCHIVED"]),
  rule: z.unknown(),
  ruleVersion: z.number(),
  origin: z.unknown(),
  owner: z.object({ id: z.string(), name: z.string() }),
  orgUnit: z.object({ id: z.string(), name: z.string(), nameEn: z.string() }),
  count: z.number().nullable(),
  lastSnapshotAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  /** Active segments whose rule refers to this one (archiving it is refused while any do). */
  usedBy: z.array(z.object({ id: z.string(), name: z.string() })),
  snapshots: z.array(
    z.object({ id: z.string(), takenAt: z.date(), trigger: z.enum(["SAVE", "ON_DEMAND", "TAG_RUN", "STATIC"]), count: z.number(), tagRunId: z.number().nullable(), ruleVersion: z.number().nullable() }),
  ),
});
export type SegmentDetail = z.infer<typeof segmentDetail>;

const SNAPSHOT_LIST = 60;

export async function getSegment(db: Db, id: string): Promise<SegmentDetail> {
  const s = await db.segment.findUnique({
    where: { id },
    include: {
      owner: { select: { id: true, name: true } },
      orgUnit: { select: { id: true, name: true, nameEn: true } },
      snapshots: {
        orderBy: { takenAt: "desc" },
        take: SNAPSHOT_LIST,
        select: { id: true, takenAt: true, trigger: true, count: true, tagRunId: true, ruleVersion: true },
      },
    },
  });
  if (!s) throw new DomainError("NOT_FOUND", `segment ${id} not found`);
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    kind: s.kind,
    status: s.status,
    rule: s.rule,
    ruleVersion: s.ruleVersion,
    origin: s.origin,
    owner: s.owner,
    orgUnit: s.orgUnit,
    count: s.latestCount,
    lastSnapshotAt: s.latestTakenAt,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    usedBy: await segmentsReferring(db, s.id),
    snapshots: s.snapshots,
  };
}
