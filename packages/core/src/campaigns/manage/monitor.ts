/**
 * The monitoring page's read model: the dispatcher's funnel (`campaignFunnel`, per step and
 * channel, treated vs control) shaped for the console — the whole campaign's funnel (audience →
 * suppressed by reason → sent → delivered → clicked → converted), the step labels of the flow, a
 * time bucket that suits how long it has run — plus the console's alerts: delivery rate under the
 * threshold, cost over the budget.
 */
import type { Db } from "@mkt/db";
import { z } from "zod";
import { DomainError } from "../../domain-error";
import { campaignFunnel } from "../dispatch/funnel";

/**
 * Below its campaign's threshold (`campaign.delivery_alert_bp`, set in the campaign form; 80 % by
 * default, 0 turns it off) the delivery rate — delivered / sent, once enough were sent — raises an alert.
 */
export const DEFAULT_DELIVERY_ALERT_THRESHOLD = 0.8;
export const MIN_SENT_FOR_ALERT = 20;

const counts = z.object({ audience: z.number(), suppressed: z.number(), pending: z.number(), sent: z.number(), delivered: z.number(), failed: z.number(), clicked: z.number(), responded: z.number(), converted: z.number() });
export const funnelOutput = z.object({
  status: z.string(),
  runs: z.number(),
  audience: z.number(),
  /** Messages of the treated group over every step (sent … responded); converted: customers of the first step. */
  treated: z.object({ reached: z.number(), sent: z.number(), delivered: z.number(), clicked: z.number(), responded: z.number(), converted: z.number() }),
  control: z.object({ reached: z.number(), converted: z.number() }),
  comparison: z.object({ treatedRate: z.number(), controlRate: z.number(), uplift: z.number() }),
  suppressed: z.array(z.object({ reason: z.string(), count: z.number() })),
  steps: z.array(z.object({ stepId: z.string(), label: z.string().nullable(), channel: z.string(), treated: counts, control: counts.nullable() })),
  series: z.object({ bucket: z.enum(["minute", "hour", "day"]), points: z.array(z.object({ at: z.date(), sent: z.number(), delivered: z.number(), clicked: z.number(), converted: z.number() })) }),
  cost: z.object({ spent: z.number(), budget: z.number().nullable(), byChannel: z.array(z.object({ channel: z.string(), sent: z.number(), cost: z.number() })) }),
  alerts: z.array(
    z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("LOW_DELIVERY"), rate: z.number(), threshold: z.number() }),
      z.object({ kind: z.literal("OVER_BUDGET"), spent: z.number(), budget: z.number() }),
    ]),
  ),
  leads: z.number(),
});
export type CampaignMonitor = z.infer<typeof funnelOutput>;
type Alert = CampaignMonitor["alerts"][number];

/** The alerts of a campaign's figures (pure: unit-tested at the boundaries). */
export function campaignAlerts(sent: number, delivered: number, spent: number, budget: number | null, deliveryThreshold = DEFAULT_DELIVERY_ALERT_THRESHOLD): Alert[] {
  const alerts: Alert[] = [];
  if (sent >= MIN_SENT_FOR_ALERT && delivered / sent < deliveryThreshold) alerts.push({ kind: "LOW_DELIVERY", rate: delivered / sent, threshold: deliveryThreshold });
  if (budget !== null && spent > budget) alerts.push({ kind: "OVER_BUDGET", spent, budget });
  return alerts;
}

/** Minutes for the first hours of a campaign, then hours, then days. */
export function bucketFor(firstStart: Date | null, now: Date): "minute" | "hour" | "day" {
  const span = firstStart ? now.getTime() - firstStart.getTime() : 0;
  return span < 3 * 3_600_000 ? "minute" : span < 4 * 86_400_000 ? "hour" : "day";
}

const round2 = (v: number) => Math.round(v * 100) / 100;

export async function campaignMonitor(db: Db, campaignId: string, now = new Date()): Promise<CampaignMonitor> {
  const campaign = await db.campaign.findUnique({ where: { id: campaignId }, select: { status: true, flow: true, deliveryAlertBp: true } });
  if (!campaign) throw new DomainError("NOT_FOUND", "campaign not found");
  const firstRun = await db.campaignRun.findFirst({ where: { campaignId }, orderBy: { startedAt: "asc" }, select: { startedAt: true } });
  const bucket = bucketFor(firstRun?.startedAt ?? null, now);
  const [f, leads] = await Promise.all([campaignFunnel(db, campaignId, { bucket }), db.lead.count({ where: { campaignId } })]);

  const labels = new Map(((campaign.flow as { nodes?: { id: string; label?: string }[] } | null)?.nodes ?? []).map((x) => [x.id, x.label ?? null]));
  const sum = (k: "sent" | "delivered" | "clicked" | "responded") => f.steps.reduce((s, x) => s + x.treated[k], 0);
  const suppressed = new Map<string, number>();
  for (const s of f.steps) for (const r of s.suppressedBy) if (r.reason !== "CONTROL_GROUP") suppressed.set(r.reason, (suppressed.get(r.reason) ?? 0) + r.count);
  const treated = { reached: f.comparison.treated, sent: sum("sent"), delivered: sum("delivered"), clicked: sum("clicked"), responded: sum("responded"), converted: f.comparison.treatedConverted };
  const spent = round2(f.cost.spent);

  return {
    status: campaign.status,
    runs: f.runs.length,
    audience: f.runs.reduce((s, r) => s + r.audience, 0),
    treated,
    control: { reached: f.comparison.control, converted: f.comparison.controlConverted },
    comparison: { treatedRate: f.comparison.treatedRate, controlRate: f.comparison.controlRate, uplift: f.comparison.uplift },
    suppressed: [...suppressed].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
    steps: f.steps.map((s) => ({ stepId: s.stepId, label: labels.get(s.stepId) ?? null, channel: s.channel, treated: s.treated, control: s.control })),
    series: { bucket, points: f.timeline.map((p) => ({ at: p.bucket, sent: p.sent, delivered: p.delivered, clicked: p.clicked, converted: p.converted })) },
    cost: { spent, budget: f.cost.budget, byChannel: f.cost.byChannel.map((c) => ({ ...c, cost: round2(c.cost) })) },
    alerts: campaignAlerts(treated.sent, treated.delivered, spent, f.cost.budget, campaign.deliveryAlertBp / 10_000),
    leads,
  };
}
