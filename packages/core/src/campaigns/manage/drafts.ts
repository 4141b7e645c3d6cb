/**
 * Designing a campaign: create and edit a draft, and its templates per channel. A campaign belongs
 * to its author's org unit (staff of that unit and its ancestors see it). Only a DRAFT or a
 * REJECTED campaign can be edited; editing a rejected one makes it a draft again. A new campaign
 * starts with the flow entry → exit; the designer saves the flow on its own (`saveFlow`).
 */
import type { Db, Prisma } from "@mkt/db";
import { randomBytes } from "node:crypto";
import type { Actor } from "../../auth/actor";
import type { OrgScope } from "../../auth/scope";
import { DomainError } from "../../domain-error";
import { canSeeSegment } from "../../segments/access";
import { checkFlow, flowProblems, STARTER_FLOW } from "./flow-check";
import type { FlowError } from "../flow";
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
    deliveryAlertBp: Math.round(input.deliveryAlertPct * 100),
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
      flow: STARTER_FLOW as Prisma.InputJsonValue,
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

export async function updateCampaign(db: Db, scope: OrgScope, campaignId: string, input: DraftInput): Promise<{ id: string }> {
  await editable(db, campaignId);
  const data = await draftData(db, scope, input);
  await db.$transaction([
    db.campaignProduct.deleteMany({ where: { campaignId } }),
    db.campaign.update({
      where: { id: campaignId },
      data: { ...data, status: "DRAFT", products: { create: [...new Set(input.productIds)].map((productId) => ({ productId })) } },
    }),
  ]);
  return { id: campaignId };
}

/**
 * Saves the drawn flow (even unfinished: see flow-check.ts) and answers every problem it still
 * has, by node, for the designer. A changed flow gets the next version.
 */
export async function saveFlow(db: Db, campaignId: string, raw: unknown): Promise<{ flowVersion: number; errors: FlowError[] }> {
  const current = await editable(db, campaignId);
  const flow = checkFlow(raw);
  const changed = JSON.stringify(current.flow) !== JSON.stringify(flow);
  const flowVersion = current.flowVersion + (changed ? 1 : 0);
  if (changed) {
    const { count } = await db.campaign.updateMany({
      where: { id: campaignId, flowVersion: current.flowVersion, status: current.status },
      data: { flow: flow as Prisma.InputJsonValue, flowVersion, status: "DRAFT" },
    });
    if (count !== 1) throw new DomainError("CONFLICT", "the campaign changed meanwhile; reload it");
  }
  const templates = await db.campaignTemplate.findMany({ where: { campaignId }, select: { id: true, channel: true, subject: true, body: true, optOutText: true, linkUrl: true } });
  const hasProduct = (await db.campaignProduct.count({ where: { campaignId } })) > 0;
  return { flowVersion, errors: flowProblems(flow, templates, { hasProduct }) };
}

/**
 * Replaces the campaign's templates with `templates`: a template with an id is updated (it must
 * belong to this campaign), one without is created, and those not listed are deleted.
 */
export async function saveTemplates(db: Db, campaignId: string, templates: TemplateInput[]): Promise<{ ids: string[] }> {
  const current = await editable(db, campaignId);
  const existing = new Set((await db.campaignTemplate.findMany({ where: { campaignId }, select: { id: true } })).map((t) => t.id));
  for (const t of templates) if (t.id && !existing.has(t.id)) throw new DomainError("NOT_FOUND", `template ${t.id} not found`);
  const keep = new Set(templates.flatMap((t) => (t.id ? [t.id] : [])));
  return db.$transaction(async (tx) => {
    await tx.campaignTemplate.deleteMany({ where: { campaignId, id: { notIn: [...keep] } } });
    if (current.status === "REJECTED") await tx.campaign.update({ where: { id: campaignId }, data: { status: "DRAFT" } });
    const ids: string[] = [];
    for (const { id, ...t } of templates) {
      const data = { channel: t.channel, name: t.name, subject: t.subject ?? null, body: t.body, optOutText: t.optOutText ?? null, linkUrl: t.linkUrl ?? null };
      const row = id ? await tx.campaignTemplate.update({ where: { id }, data }) : await tx.campaignTemplate.create({ data: { ...data, campaignId } });
      ids.push(row.id);
    }
    return { ids };
  });
}
