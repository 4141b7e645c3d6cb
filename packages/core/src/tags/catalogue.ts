/**
 * Governance of the tag catalogue: drafts and versions, maker-checker publication, retirement.
 *   draft  → a tag is created with version 1 as a DRAFT; later changes are new versions;
 *   submit → IN_REVIEW (one open version per tag at a time);
 *   approve → PUBLISHED by a different user holding tag:approve (maker-checker); the tag then
 *            computes that version from the next run; the previous version is SUPERSEDED;
 *   reject → REJECTED with a note;
 *   retire → refused while segments, campaigns or models use the tag, or published rules read it.
 * Every rule is checked against the published catalogue before it is saved (types, references,
 * cycles), so a published rule always computes.
 */
import { writeAudit, type Db } from "@mkt/db";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { DomainError } from "../domain-error";
import { checkTagRule, type TagSignature } from "./check";
import { planTags, TagPlanError, type TagDefinition } from "./compute";
import { enumCodes, enumValuesSchema, loadPublishedTags } from "./definitions";
import { realtimeTrigger } from "./realtime";
import { parseRule, RuleError, ruleDependencies, tagCode, type Expr } from "./rule";

const text = (max: number) => z.string().trim().min(1).max(max);

export const tagVersionInput = z.strictObject({
  rule: z.unknown().optional(),
  enumValues: enumValuesSchema.optional(),
  unit: text(20).optional(),
  definition: text(2000),
  definitionEn: text(2000),
  changeNote: text(500),
});
export type TagVersionInput = z.infer<typeof tagVersionInput>;

export const createTagInput = tagVersionInput.extend({
  code: tagCode,
  name: text(100),
  nameEn: text(100),
  categoryId: z.number().int().positive(),
  valueType: z.enum(["BOOLEAN", "ENUM", "NUMBER", "DATE", "TEXT"]),
  sourceKind: z.enum(["FACT", "RULE", "MODEL", "IMPORTED", "REALTIME"]),
  updateFrequency: z.enum(["DAILY", "REALTIME", "MONTHLY", "ON_DEMAND"]),
  businessOwnerId: z.string().min(1).optional(),
  technicalOwnerId: z.string().min(1).optional(),
  coverageDriftMax: z.number().min(0).max(1).optional(),
  psiMax: z.number().min(0).max(10).optional(),
});
export type CreateTagInput = z.infer<typeof createTagInput>;

const COMPUTED = new Set(["FACT", "RULE", "REALTIME"]);

/**
 * Checks a rule for a tag against the published catalogue with this tag's new definition in it:
 * types, references and — since other published rules may read this tag — cycles.
 */
async function checkRule(db: Db, tag: TagSignature & { sourceKind: string }, raw: unknown): Promise<Expr | null> {
  if (!COMPUTED.has(tag.sourceKind)) {
    if (raw !== undefined && raw !== null) throw new DomainError("BAD_REQUEST", `${tag.sourceKind} tags take their values from outside: no rule`);
    return null;
  }
  if (raw === undefined || raw === null) throw new DomainError("BAD_REQUEST", `a ${tag.sourceKind} tag needs a rule`);
  try {
    const rule = parseRule(raw);
    const published = (await loadPublishedTags(db)).filter((t) => t.code !== tag.code);
    const self: TagDefinition = { id: 0, code: tag.code, version: 0, valueType: tag.valueType, enumValues: tag.enumValues, rule };
    const sigs = (code: string) => (code === tag.code ? self : published.find((t) => t.code === code));
    checkTagRule(rule, self, sigs);
    for (const dep of ruleDependencies(rule)) if (!published.some((t) => t.code === dep)) throw new RuleError(`tag ${dep} is not published`);
    planTags([...published, self]);
    if (tag.sourceKind === "REALTIME" && !realtimeTrigger(rule)) {
      throw new RuleError("a REALTIME tag's rule must be an event window: count of transactions (types, days, minimum amount) > 0, or their max >= an amount");
    }
    return rule;
  } catch (err) {
    if (err instanceof RuleError || err instanceof TagPlanError) throw new DomainError("BAD_REQUEST", err.message);
    throw err;
  }
}

export async function createTag(db: Db, actor: Actor, input: CreateTagInput): Promise<{ id: number; version: number }> {
  if (await db.tag.findUnique({ where: { code: input.code }, select: { id: true } })) throw new DomainError("CONFLICT", `tag ${input.code} already exists`);
  if (!(await db.tagCategory.findUnique({ where: { id: input.categoryId }, select: { id: true } }))) throw new DomainError("NOT_FOUND", "category not found");
  if (input.valueType === "ENUM" && !input.enumValues?.length) throw new DomainError("BAD_REQUEST", "an ENUM tag needs its values");
  const rule = await checkRule(db, { code: input.code, valueType: input.valueType, enumValues: input.enumValues?.map((v) => v.value), sourceKind: input.sourceKind }, input.rule);
  const tag = await db.tag.create({
    data: {
      code: input.code,
      name: input.name,
      nameEn: input.nameEn,
      categoryId: input.categoryId,
      valueType: input.valueType,
      unit: input.unit ?? null,
      enumValues: input.enumValues,
      sourceKind: input.sourceKind,
      definition: input.definition,
      definitionEn: input.definitionEn,
      businessOwnerId: input.businessOwnerId ?? actor.id,
      technicalOwnerId: input.technicalOwnerId ?? actor.id,
      updateFrequency: input.updateFrequency,
      coverageDriftMax: input.coverageDriftMax ?? null,
      psiMax: input.psiMax ?? null,
      createdById: actor.id,
      versions: {
        create: {
          version: 1,
          rule: rule ?? undefined,
          enumValues: input.enumValues,
          unit: input.unit ?? null,
          definition: input.definition,
          definitionEn: input.definitionEn,
          changeNote: input.changeNote,
          createdById: actor.id,
        },
      },
    },
  });
  return { id: tag.id, version: 1 };
}

/** Saves a new DRAFT version (or replaces the tag's open draft). */
export async function saveTagVersion(db: Db, actor: Actor, tagId: number, input: TagVersionInput): Promise<{ version: number }> {
  const tag = await db.tag.findUnique({ where: { id: tagId }, include: { versions: { orderBy: { version: "desc" }, take: 1 } } });
  if (!tag) throw new DomainError("NOT_FOUND", "tag not found");
  if (tag.status === "RETIRED") throw new DomainError("PRECONDITION_FAILED", "the tag is retired");
  const latest = tag.versions[0]!;
  if (latest.status === "IN_REVIEW") throw new DomainError("PRECONDITION_FAILED", `version ${latest.version} is awaiting approval`);
  const enumValues = input.enumValues ?? (tag.enumValues as z.infer<typeof enumValuesSchema> | null) ?? undefined;
  const rule = await checkRule(db, { code: tag.code, valueType: tag.valueType, enumValues: enumCodes(enumValues), sourceKind: tag.sourceKind }, input.rule);
  const data = {
    rule: rule ?? undefined,
    enumValues,
    unit: input.unit ?? tag.unit,
    definition: input.definition,
    definitionEn: input.definitionEn,
    changeNote: input.changeNote,
    createdById: actor.id,
  };
  if (latest.status === "DRAFT") {
    await db.tagVersion.update({ where: { id: latest.id }, data });
    return { version: latest.version };
  }
  const created = await db.tagVersion.create({ data: { ...data, tagId, version: latest.version + 1 } });
  return { version: created.version };
}

async function openVersion(db: Db, tagId: number, version: number) {
  const v = await db.tagVersion.findUnique({ where: { tagId_version: { tagId, version } }, include: { tag: true } });
  if (!v) throw new DomainError("NOT_FOUND", "tag version not found");
  return v;
}

export async function submitTagVersion(db: Db, tagId: number, version: number): Promise<void> {
  const v = await openVersion(db, tagId, version);
  if (v.status !== "DRAFT") throw new DomainError("PRECONDITION_FAILED", `version ${version} is ${v.status}, not a draft`);
  // The catalogue may have changed since the draft was saved: check the rule again.
  await checkRule(db, { code: v.tag.code, valueType: v.tag.valueType, enumValues: enumCodes(v.enumValues ?? v.tag.enumValues), sourceKind: v.tag.sourceKind }, v.rule);
  await db.$transaction([
    db.tagVersion.update({ where: { id: v.id }, data: { status: "IN_REVIEW", submittedAt: new Date() } }),
    ...(v.tag.currentVersion == null ? [db.tag.update({ where: { id: tagId }, data: { status: "IN_REVIEW" } })] : []),
  ]);
}

/** Publishes a submitted version. The approver must not be its author (maker-checker). */
export async function approveTagVersion(db: Db, actor: Actor, tagId: number, version: number, note?: string): Promise<void> {
  const v = await openVersion(db, tagId, version);
  if (v.status !== "IN_REVIEW") throw new DomainError("PRECONDITION_FAILED", `version ${version} is ${v.status}, not awaiting approval`);
  if (v.createdById === actor.id) throw new DomainError("PRECONDITION_FAILED", "maker-checker: a version cannot be approved by its author");
  await checkRule(db, { code: v.tag.code, valueType: v.tag.valueType, enumValues: enumCodes(v.enumValues ?? v.tag.enumValues), sourceKind: v.tag.sourceKind }, v.rule);
  const now = new Date();
  await db.$transaction(async (tx) => {
    await tx.tagVersion.updateMany({ where: { tagId, status: "PUBLISHED" }, data: { status: "SUPERSEDED" } });
    await tx.tagVersion.update({ where: { id: v.id }, data: { status: "PUBLISHED", reviewedById: actor.id, reviewedAt: now, reviewNote: note ?? null } });
    await tx.tag.update({
      where: { id: tagId },
      data: { status: "PUBLISHED", currentVersion: version, definition: v.definition, definitionEn: v.definitionEn, unit: v.unit, enumValues: v.enumValues ?? undefined },
    });
    await writeAudit(tx, { action: "APPROVE", actor, targetType: "tag_version", targetId: `${v.tag.code}@${version}`, reason: note, details: { tagId, version } });
  });
}

export async function rejectTagVersion(db: Db, actor: Actor, tagId: number, version: number, note: string): Promise<void> {
  const v = await openVersion(db, tagId, version);
  if (v.status !== "IN_REVIEW") throw new DomainError("PRECONDITION_FAILED", `version ${version} is ${v.status}, not awaiting approval`);
  await db.$transaction(async (tx) => {
    await tx.tagVersion.update({ where: { id: v.id }, data: { status: "REJECTED", reviewedById: actor.id, reviewedAt: new Date(), reviewNote: note } });
    if (v.tag.currentVersion == null) await tx.tag.update({ where: { id: tagId }, data: { status: "DRAFT" } });
    await writeAudit(tx, { action: "REJECT", actor, targetType: "tag_version", targetId: `${v.tag.code}@${version}`, reason: note, details: { tagId, version } });
  });
}

export interface TagUser {
  kind: "SEGMENT" | "CAMPAIGN" | "MODEL" | "TAG";
  refId: string;
  name: string | null;
}

/** Retires a tag no one uses; otherwise refuses with the list of its users. */
export async function retireTag(db: Db, actor: Actor, tagId: number): Promise<{ retired: true } | { retired: false; usedBy: TagUser[] }> {
  const tag = await db.tag.findUnique({ where: { id: tagId }, include: { usages: true } });
  if (!tag) throw new DomainError("NOT_FOUND", "tag not found");
  const readers = (await loadPublishedTags(db)).filter((t) => t.rule && ruleDependencies(t.rule).includes(tag.code));
  const usedBy: TagUser[] = [
    ...tag.usages.map((u) => ({ kind: u.usedBy, refId: u.refId, name: u.refName })),
    ...readers.map((t) => ({ kind: "TAG" as const, refId: t.code, name: t.code })),
  ];
  if (usedBy.length) return { retired: false, usedBy };
  await db.tag.update({ where: { id: tagId }, data: { status: "RETIRED" } });
  await writeAudit(db, { action: "SETTINGS_CHANGE", actor, targetType: "tag", targetId: tag.code, details: { retired: true } });
  return { retired: true };
}

/** Declares (or refreshes) that a segment, campaign or model uses these tags. */
export async function registerTagUsage(db: Db, input: { tagCodes: string[]; usedBy: "SEGMENT" | "CAMPAIGN" | "MODEL"; refId: string; refName?: string }): Promise<void> {
  const tags = await db.tag.findMany({ where: { code: { in: input.tagCodes } }, select: { id: true } });
  await db.$transaction([
    db.tagUsage.deleteMany({ where: { usedBy: input.usedBy, refId: input.refId, tagId: { notIn: tags.map((t) => t.id) } } }),
    ...tags.map((t) =>
      db.tagUsage.upsert({
        where: { tagId_usedBy_refId: { tagId: t.id, usedBy: input.usedBy, refId: input.refId } },
        create: { tagId: t.id, usedBy: input.usedBy, refId: input.refId, refName: input.refName ?? null },
        update: { refName: input.refName ?? null },
      }),
    ),
  ]);
}

/** 埋点: counts one read of each tag today (segment counts, previews, exports). */
export async function recordTagReads(db: Db, tagIds: number[], now = new Date()): Promise<void> {
  if (!tagIds.length) return;
  const day = new Date(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  await db.$executeRaw`
    INSERT INTO tag_usage_daily (tag_id, day, count)
    SELECT id, ${day}::date, 1 FROM unnest(${tagIds}::int[]) AS id
    ON CONFLICT (tag_id, day) DO UPDATE SET count = tag_usage_daily.count + 1`;
  await db.tagUsage.updateMany({ where: { tagId: { in: tagIds } }, data: { lastUsedAt: now } });
}
