/**
 * Read models of the campaign console: the list with key figures, one campaign as the editor and
 * the monitoring page need it. A campaign is visible to staff of its org unit and the unit's
 * ancestors (the router's guard checks one campaign; `campaignScopeWhere` filters lists).
 */
import type { Db, Prisma } from "@mkt/db";
import { z } from "zod";
import type { OrgScope } from "../../auth/scope";
import { DomainError } from "../../domain-error";

export const CAMPAIGN_STATUSES = ["DRAFT", "PENDING_APPROVAL", "APPROVED", "RUNNING", "PAUSED", "COMPLETED", "CANCELLED", "REJECTED"] as const;
const status = z.enum(CAMPAIGN_STATUSES);
const person = z.object({ id: z.string(), name: z.string() }).nullable();
const orgUnit = z.object({ id: z.string(), name: z.string(), nameEn: z.string() });

export function campaignScopeWhere(scope: OrgScope): Prisma.CampaignWhereInput {
  return { orgUnit: { path: { startsWith: scope.orgPath } } };
}

// ── List ──
export const campaignListInput = z.strictObject({
  q: z.string().trim().max(100).optional(),
  status: status.optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});

const figures = z.object({ audience: z.number(), sent: z.number(), delivered: z.number(), converted: z.number(), cost: z.number() });
export const campaignListOutput = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      name: z.string(),
      status,
      audienceKind: z.enum(["SEGMENT", "EVENT_TRIGGER"]),
      scheduleKind: z.string(),
      budget: z.number().nullable(),
      createdAt: z.date(),
      startAt: z.date().nullable(),
      createdBy: person,
      orgUnit,
      figures,
    }),
  ),
  total: z.number(),
});
export type CampaignFigures = z.infer<typeof figures>;

/** Treated-group figures per campaign from its contact rows (the control group gets nothing). */
export async function campaignFigures(db: Db, campaigns: { id: string; costPerMessage: unknown }[]): Promise<Map<string, CampaignFigures>> {
  const ids = campaigns.map((c) => c.id);
  const out = new Map<string, CampaignFigures>(ids.map((id) => [id, { audience: 0, sent: 0, delivered: 0, converted: 0, cost: 0 }]));
  if (!ids.length) return out;
  const [runs, sent, delivered, converted] = await Promise.all([
    db.campaignRun.groupBy({ by: ["campaignId"], where: { campaignId: { in: ids } }, _sum: { audienceCount: true } }),
    db.contact.groupBy({ by: ["campaignId", "channel"], where: { run: { campaignId: { in: ids } }, control: false, sentAt: { not: null } }, _count: { _all: true } }),
    db.contact.groupBy({ by: ["campaignId"], where: { run: { campaignId: { in: ids } }, control: false, deliveredAt: { not: null } }, _count: { _all: true } }),
    db.contact.groupBy({ by: ["campaignId"], where: { run: { campaignId: { in: ids } }, control: false, convertedAt: { not: null } }, _count: { _all: true } }),
  ]);
  const prices = new Map(campaigns.map((c) => [c.id, (c.costPerMessage ?? {}) as Record<string, number>]));
  for (const r of runs) out.get(r.campaignId)!.audience = r._sum.audienceCount ?? 0;
  for (const r of sent) {
    const f = out.get(r.campaignId)!;
    f.sent += r._count._all;
    f.cost = Math.round((f.cost + r._count._all * (prices.get(r.campaignId)?.[r.channel] ?? 0)) * 100) / 100;
  }
  for (const r of delivered) out.get(r.campaignId)!.delivered = r._count._all;
  for (const r of converted) out.get(r.campaignId)!.converted = r._count._all;
  return out;
}

export async function listCampaigns(db: Db, scope: OrgScope, input: z.infer<typeof campaignListInput>): Promise<z.infer<typeof campaignListOutput>> {
  const where: Prisma.CampaignWhereInput = {
    ...campaignScopeWhere(scope),
    ...(input.status && { status: input.status }),
    ...(input.q && { OR: [{ name: { contains: input.q, mode: "insensitive" } }, { code: { contains: input.q, mode: "insensitive" } }] }),
  };
  const [rows, total] = await Promise.all([
    db.campaign.findMany({
      where,
      orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
      skip: (input.page - 1) * input.pageSize,
      take: input.pageSize,
      include: { createdBy: { select: { id: true, name: true } }, orgUnit: { select: { id: true, name: true, nameEn: true } } },
    }),
    db.campaign.count({ where }),
  ]);
  const figs = await campaignFigures(db, rows);
  return {
    items: rows.map((c) => ({
      id: c.id,
      code: c.code,
      name: c.name,
      status: c.status,
      audienceKind: c.audienceKind,
      scheduleKind: c.scheduleKind,
      budget: c.budget === null ? null : Number(c.budget),
      createdAt: c.createdAt,
      startAt: c.startAt,
      createdBy: c.createdBy,
      orgUnit: c.orgUnit,
      figures: figs.get(c.id)!,
    })),
    total,
  };
}

// ── One campaign ──
export const campaignGetOutput = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  goal: z.string().nullable(),
  status,
  products: z.array(z.object({ id: z.number(), code: z.string(), name: z.string(), nameEn: z.string(), riskLevel: z.number() })),
  audience: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("SEGMENT"), segmentId: z.string(), snapshotId: z.string().nullable(), segmentName: z.string().nullable() }),
    z.object({ kind: z.literal("EVENT_TRIGGER"), trigger: z.unknown() }),
  ]),
  schedule: z.object({
    kind: z.enum(["NOW", "AT", "RECURRING", "ON_TRIGGER"]),
    startAt: z.date().nullable(),
    endAt: z.date().nullable(),
    cron: z.string().nullable(),
    triggerDelayMinutes: z.number(),
    triggerWindowMinutes: z.number().nullable(),
  }),
  budget: z.number().nullable(),
  costPerMessage: z.record(z.string(), z.number()),
  controlSharePct: z.number(),
  quietHoursPolicy: z.enum(["DEFER", "DROP"]),
  attributionDays: z.number(),
  /** The funnel's delivery alert fires below this delivery rate (percent; 0: never). */
  deliveryAlertPct: z.number(),
  flow: z.unknown(),
  flowVersion: z.number(),
  templates: z.array(
    z.object({ id: z.string(), channel: z.string(), name: z.string(), subject: z.string().nullable(), body: z.string(), optOutText: z.string().nullable(), linkUrl: z.string().nullable() }),
  ),
  createdBy: person,
  /** Whether the caller wrote it (an author cannot approve their own campaign). */
  byViewer: z.boolean(),
  approvedBy: person,
  submittedAt: z.date().nullable(),
  decidedAt: z.date().nullable(),
  decisionNote: z.string().nullable(),
  orgUnit,
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type CampaignDetail = z.infer<typeof campaignGetOutput>;

export async function getCampaign(db: Db, campaignId: string, viewerId: string): Promise<CampaignDetail> {
  const c = await db.campaign.findUnique({
    where: { id: campaignId },
    include: {
      products: { include: { product: { select: { id: true, code: true, name: true, nameEn: true, riskLevel: true } } } },
      templates: { orderBy: { createdAt: "asc" } },
      createdBy: { select: { id: true, name: true } },
      approvedBy: { select: { id: true, name: true } },
      orgUnit: { select: { id: true, name: true, nameEn: true } },
    },
  });
  if (!c) throw new DomainError("NOT_FOUND", "campaign not found");
  const segment = c.segmentId ? await db.segment.findUnique({ where: { id: c.segmentId }, select: { name: true } }) : null;
  return {
    id: c.id,
    code: c.code,
    name: c.name,
    goal: c.goal,
    status: c.status,
    products: c.products.map((p) => p.product),
    audience:
      c.audienceKind === "SEGMENT"
        ? { kind: "SEGMENT", segmentId: c.segmentId ?? "", snapshotId: c.segmentSnapshotId, segmentName: segment?.name ?? null }
        : { kind: "EVENT_TRIGGER", trigger: c.trigger },
    schedule: {
      kind: c.scheduleKind,
      startAt: c.startAt,
      endAt: c.endAt,
      cron: c.cron,
      triggerDelayMinutes: Math.round(c.triggerDelaySeconds / 60),
      triggerWindowMinutes: c.triggerWindowSeconds === null ? null : Math.round(c.triggerWindowSeconds / 60),
    },
    budget: c.budget === null ? null : Number(c.budget),
    costPerMessage: (c.costPerMessage ?? {}) as Record<string, number>,
    controlSharePct: c.controlShareBp / 100,
    quietHoursPolicy: c.quietHoursPolicy,
    attributionDays: c.attributionDays,
    deliveryAlertPct: c.deliveryAlertBp / 100,
    flow: c.flow,
    flowVersion: c.flowVersion,
    templates: c.templates.map((t) => ({ id: t.id, channel: t.channel, name: t.name, subject: t.subject, body: t.body, optOutText: t.optOutText, linkUrl: t.linkUrl })),
    createdBy: c.createdBy,
    byViewer: c.createdById === viewerId,
    approvedBy: c.approvedBy,
    submittedAt: c.submittedAt,
    decidedAt: c.decidedAt,
    decisionNote: c.decisionNote,
    orgUnit: c.orgUnit,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}
