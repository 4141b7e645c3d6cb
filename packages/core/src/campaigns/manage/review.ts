/**
 * What an approver weighs before approving (and the author sees before submitting): the audience
 * after the guardrails, by reason, a sample of rendered messages (one per send step, for sample
 * customers of the caller's scope) and the estimated cost against the budget.
 */
import type { Db } from "@mkt/db";
import { z } from "zod";
import type { OrgScope } from "../../auth/scope";
import { DomainError } from "../../domain-error";
import { estimateAudience } from "../dispatch/estimate";
import { validateFlow } from "../flow";
import { estimateCost } from "./cost";
import { campaignProductName, renderedMessage, renderFor, sampleCustomers } from "./preview";

const SAMPLES_PER_STEP = 2;

export const reviewOutput = z.object({
  audience: z.union([
    z.object({ ok: z.literal(true), total: z.number(), control: z.number(), eligible: z.number(), deferred: z.number(), suppressed: z.array(z.object({ reason: z.string(), count: z.number() })) }),
    z.object({ ok: z.literal(false), message: z.string() }),
  ]),
  samples: z.array(renderedMessage.extend({ stepId: z.string(), stepLabel: z.string().nullable() })),
  cost: z.object({ perCustomer: z.number(), total: z.number(), budget: z.number().nullable(), overBudget: z.boolean() }),
  flowValid: z.boolean(),
});
export type CampaignReview = z.infer<typeof reviewOutput>;

export async function reviewCampaign(db: Db, scope: OrgScope, campaignId: string): Promise<CampaignReview> {
  const c = await db.campaign.findUnique({ where: { id: campaignId }, include: { templates: true } });
  if (!c) throw new DomainError("NOT_FOUND", "campaign not found");
  const check = validateFlow(c.flow);
  const audience = await audienceOf(db, campaignId, check.ok);
  const budget = c.budget === null ? null : Number(c.budget);
  const eligible = audience.ok ? audience.eligible : 0;
  const prices = (c.costPerMessage ?? {}) as Record<string, number>;
  const cost = check.ok ? estimateCost(check.flow, prices, eligible, budget) : { perCustomer: 0, total: 0, budget, overBudget: false };

  const samples: CampaignReview["samples"] = [];
  if (check.ok) {
    const customers = await sampleCustomers(db, scope, SAMPLES_PER_STEP);
    const product = await campaignProductName(db, campaignId);
    for (const node of check.flow.nodes) {
      if (node.type !== "send") continue;
      const t = c.templates.find((x) => x.id === node.templateId);
      if (!t) continue;
      for (const customer of customers) {
        const template = { channel: t.channel, subject: t.subject ?? undefined, body: t.body, optOutText: t.optOutText ?? undefined, linkUrl: t.linkUrl ?? undefined };
        samples.push({ ...renderFor(template, customer, product), stepId: node.id, stepLabel: node.label ?? null });
      }
    }
  }
  return { audience, samples, cost, flowValid: check.ok };
}

/** The dispatcher's estimate (control group apart from the guardrails' reasons), or why there is none. */
async function audienceOf(db: Db, campaignId: string, flowValid: boolean) {
  if (!flowValid) return { ok: false as const, message: "the flow is not finished" };
  try {
    const e = await estimateAudience(db, campaignId);
    if (e.audience === null) return { ok: false as const, message: "an event-triggered campaign's audience arrives with its events" };
    const suppressed = e.suppressed.filter((s) => s.reason !== "CONTROL_GROUP");
    return { ok: true as const, total: e.audience, control: e.control, eligible: e.eligible, deferred: e.deferred, suppressed };
  } catch (err) {
    if (err instanceof DomainError) return { ok: false as const, message: err.message };
    throw err;
  }
}
