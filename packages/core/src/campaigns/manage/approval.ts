/**
 * Maker-checker for campaigns. The author submits a finished draft (a valid flow whose send steps
 * name this campaign's templates of the right channel, each passing the renderer's rules); a DIFFERENT user holding campaign:approve
 * approves or rejects it with a note. Each transition is one conditional UPDATE on the expected
 * status, so two approvers racing cannot both decide. Decisions are audited.
 */
import { writeAudit, type Db } from "@mkt/db";
import type { Actor } from "../../auth/actor";
import { DomainError } from "../../domain-error";
import { flowProblems } from "./flow-check";

async function loadForDecision(db: Db, campaignId: string) {
  const c = await db.campaign.findUnique({
    where: { id: campaignId },
    select: { id: true, code: true, status: true, createdById: true, flow: true, flowVersion: true, templates: { select: { id: true, channel: true, subject: true, body: true, optOutText: true, linkUrl: true } }, _count: { select: { products: true } } },
  });
  if (!c) throw new DomainError("NOT_FOUND", "campaign not found");
  return c;
}

export async function submitCampaign(db: Db, campaignId: string): Promise<{ status: "PENDING_APPROVAL" }> {
  const c = await loadForDecision(db, campaignId);
  if (c.status !== "DRAFT" && c.status !== "REJECTED") throw new DomainError("PRECONDITION_FAILED", `a ${c.status} campaign cannot be submitted`);
  const problems = flowProblems(c.flow, c.templates, { hasProduct: c._count.products > 0 });
  if (problems.length) throw new DomainError("BAD_REQUEST", `the flow is not finished: ${problems.slice(0, 3).map((p) => p.message).join("; ")}`);
  const { count } = await db.campaign.updateMany({
    where: { id: campaignId, status: c.status, flowVersion: c.flowVersion },
    data: { status: "PENDING_APPROVAL", submittedAt: new Date(), decisionNote: null, decidedAt: null, approvedById: null },
  });
  if (count !== 1) throw new DomainError("CONFLICT", "the campaign changed meanwhile; reload and submit again");
  return { status: "PENDING_APPROVAL" };
}

async function decide(db: Db, actor: Actor, campaignId: string, approve: boolean, note: string | undefined, ip: string | null) {
  const c = await loadForDecision(db, campaignId);
  if (c.status !== "PENDING_APPROVAL") throw new DomainError("PRECONDITION_FAILED", `the campaign is ${c.status}, not awaiting approval`);
  if (c.createdById === actor.id) throw new DomainError("PRECONDITION_FAILED", "the author of a campaign cannot approve or reject it (maker-checker)");
  const status = approve ? "APPROVED" : "REJECTED";
  await db.$transaction(async (tx) => {
    const { count } = await tx.campaign.updateMany({
      where: { id: campaignId, status: "PENDING_APPROVAL", flowVersion: c.flowVersion },
      data: { status, approvedById: approve ? actor.id : null, decidedAt: new Date(), decisionNote: note ?? null },
    });
    if (count !== 1) throw new DomainError("CONFLICT", "the campaign was decided or changed meanwhile");
    await writeAudit(tx, {
      action: approve ? "APPROVE" : "REJECT",
      actor,
      targetType: "campaign",
      targetId: campaignId,
      reason: note,
      ip,
      details: { code: c.code, flowVersion: c.flowVersion },
    });
  });
  return { status };
}

export function approveCampaign(db: Db, actor: Actor, campaignId: string, note: string | undefined, ip: string | null) {
  return decide(db, actor, campaignId, true, note, ip);
}

export function rejectCampaign(db: Db, actor: Actor, campaignId: string, note: string, ip: string | null) {
  if (!note.trim()) throw new DomainError("BAD_REQUEST", "a rejection needs a note saying why");
  return decide(db, actor, campaignId, false, note, ip);
}
