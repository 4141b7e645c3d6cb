/**
 * Designing a campaign: create and edit a draft, and its templates per channel. A campaign belongs
 * to its author's org unit (staff of that unit and its ancestors see it). Only a DRAFT or a
 * REJECTED campaign can be edited; editing a rejected one makes it a draft again. The flow is
 * checked by ../flow.ts on every save, so a stored flow is always well-formed; references that only
 * the whole campaign can check (templates of the send nodes) are checked at submission.
 */
import type { Db, Prisma } from "@mkt/db";
import { randomBytes } from "node:crypto";
import type { Actor } from "../../auth/actor";
import type { OrgScope } from "../../auth/scope";
import { DomainError } from "../../domain-error";
import { canSeeSegment } from "../../segments/access";
import { checkFlow } from "./flow-check";
import type { DraftInput, TemplateInput } from "./inputs";

const EDITABLE = new Set(["DRAFT", "REJECTED"]);

async function checkAudience(db: Db, scope: OrgScope, input: DraftInput): Promise<void> {
  if (input.audience.kind !== "SEGMENT") return;
  const segment = await db.segment.findUnique({ where: { id: input.audience.segmentId }, select: { ownerId: true, orgUnit: { select: { path: true } } } });
  if (!segment || !canSeeSegment(scope, { ownerId: segment.ownerId, orgPath: segment.orgUnit.path })) throw new DomainError("NOT_FOUND", "segment not found");
  const snapshotId = input.audience.snapshotId;
  if (snapshotId && !(await db.segmentSnapshot.findFirst({ where: { id: snapshotId, segmentId: input.audience.segmentId }, select: { id: true } }))) {
    throw new DomainError("NOT_FOUND", "segment snapshot not found");
  }
}

async function checkProducts(db: Db, productIds: number[]): Promise<void> {
  if (!productIds.length) return;
  const found = await db.product.count({ where: { id: { in: productIds } } });
  if (found !== new Set(productIds).size) throw new DomainError("BAD_REQUEST", "unknown product in productIds");
}

async function draftData(db: Db, scope: OrgScope, input: DraftInput) {
  await checkAudience(db, scope, input);
  await checkProducts(db, input.productIds);
  const flow = checkFlow(input.flow);
  const s = input.schedule;
  return {
    name: input.name,
    goal: input.goal ?? null,
    audienceKind: input.audience.kind,
    segmentId: input.audience.kind === "SEGMENT" ? input.audience.segmentId : null,
    segmentSnapshotId: input.audience.kind === "SEGMENT" ? (input.audience.snapshotId ?? null) : null,
    trigger: input.audience.kind === "EVENT_TRIGGER" ? (input.audience.trigger as Prisma.InputJsonValue) : undefined,
    scheduleKind: s.kind,
    startAt: s.startAt ?? null,
    endAt: s.endAt ?? null,
    cron: s.kind === "RECURRING" ? (s.cron ?? null) : null,
    triggerDelaySeconds: s.triggerDelayMinutes * 60,
    triggerWindowSeconds: s.triggerWindowMinutes ? s.triggerWindowMinutes * 60 : null,
    budget: input.budget ?? null,
    costPerMessage: input.costPerMessage,
    controlShareBp: Math.round(input.controlSharePct * 100),
    quietHoursPolicy: input.quietHoursPolicy,
    attributionDays: input.attributionDays,
    flow: flow as Prisma.InputJsonValue,
  };
}

/** A human-readable unique code: CMP-YYYYMMDD-xxxx. */
function newCode(now = new Date()): string {
  return `CMP-${now.toISOString().slice(0, 10).replaceAll("-", "")}-${randomBytes(2).toString("hex").toUpperCase()}`;
}

export async function createCampaign(db: Db, actor: Actor, scope: OrgScope, input: DraftInput): Promise<{ id: string }> {
  const data = await draftData(db, scope, input);
  const campaign = await db.campaign.create({
    data: {
      ...data,
      code: newCode(),
      createdById: actor.id,
      orgUnitId: actor.orgUnitId,
      products: { create: [...new Set(input.productIds)].map((productId) => ({ productId })) },
    },
  });
  return { id: campaign.id };
}

async function editable(db: Db, campaignId: string) {
  const c = await db.campaign.findUnique({ where: { id: campaignId }, select: { id: true, status: true, flowVersion: true, flow: true } });
  if (!c) throw new DomainError("NOT_FOUND", "campaign not found");
  if (!EDITABLE.has(c.status)) throw new DomainError("PRECONDITION_FAILED", `a ${c.status} campaign cannot be edited`);
  return c;
}

export async function updateCampaign(db: Db, scope: OrgScope, campaignId: string, input: DraftInput): Promise<{ id: string; flowVersion: number }> {
  const current = await editable(db, campaignId);
  const data = await draftData(db, scope, input);
  const flowChanged = JSON.stringify(current.flow) !== JSON.stringify(data.flow);
  const flowVersion = current.flowVersion + (flowChanged ? 1 : 0);
  await db.$transaction([
    db.campaignProduct.deleteMany({ where: { campaignId } }),
    db.campaign.update({
      where: { id: campaignId },
      data: {
        ...data,
        flowVersion,
        status: "DRAFT",
        products: { create: [...new Set(input.productIds)].map((productId) => ({ productId })) },
      },
    }),
  ]);
  return { id: campaignId, flowVersion };
}

/**
 * Replaces the campaign's templates with `templates`: a template with an id is updated (it must
 * belong to this campaign), one without is created, and those not listed are deleted.
 */
export async function saveTemplates(db: Db, campaignId: string, templates: TemplateInput[]): Promise<{ ids: string[] }> {
  await editable(db, campaignId);
  const existing = new Set((await db.campaignTemplate.findMany({ where: { campaignId }, select: { id: true } })).map((t) => t.id));
  for (const t of templates) if (t.id && !existing.has(t.id)) throw new DomainError("NOT_FOUND", `template ${t.id} not found`);
  const keep = new Set(templates.flatMap((t) => (t.id ? [t.id] : [])));
  return db.$transaction(async (tx) => {
    await tx.campaignTemplate.deleteMany({ where: { campaignId, id: { notIn: [...keep] } } });
    const ids: string[] = [];
    for (const { id, ...t } of templates) {
      const data = { channel: t.channel, name: t.name, subject: t.subject ?? null, body: t.body, optOutText: t.optOutText ?? null, linkUrl: t.linkUrl ?? null };
      const row = id ? await tx.campaignTemplate.update({ where: { id }, data }) : await tx.campaignTemplate.create({ data: { ...data, campaignId } });
      ids.push(row.id);
    }
    return { ids };
  });
}
