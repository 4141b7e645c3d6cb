/**
 * The live funnel of a campaign: audience → suppressed (by reason) → sent → delivered → clicked /
 * responded → converted, per step and channel, for the treated and the control group (held back
 * at the first send step, so its conversions are the baseline), over time, and cost against
 * budget. One pass over the campaign's contacts per figure set.
 */
import type { Db } from "@mkt/db";
import { DomainError } from "../../domain-error";
import { ofCampaign } from "./context";
import type { SuppressionReason } from "../guardrails/reasons";

export interface FunnelCounts {
  audience: number;
  suppressed: number;
  pending: number;
  sent: number;
  delivered: number;
  failed: number;
  clicked: number;
  responded: number;
  converted: number;
}

export interface FunnelStep {
  stepId: string;
  channel: string;
  treated: FunnelCounts;
  /** Only at the step where the control group is held back. */
  control: FunnelCounts | null;
  suppressedBy: { reason: SuppressionReason; count: number }[];
}

export interface CampaignFunnel {
  campaignId: string;
  runs: { id: string; launchKey: string; status: string; startedAt: Date; finishedAt: Date | null; audience: number }[];
  steps: FunnelStep[];
  /** Customers reached by the first step: treated vs control, with conversion rates and their difference. */
  comparison: { treated: number; treatedConverted: number; control: number; controlConverted: number; treatedRate: number; controlRate: number; uplift: number };
  timeline: { bucket: Date; sent: number; delivered: number; clicked: number; converted: number }[];
  cost: { spent: number; budget: number | null; byChannel: { channel: string; sent: number; cost: number }[] };
}

const zero = (): FunnelCounts => ({ audience: 0, suppressed: 0, pending: 0, sent: 0, delivered: 0, failed: 0, clicked: 0, responded: 0, converted: 0 });

export async function campaignFunnel(db: Db, campaignId: string, opts: { bucket?: "minute" | "hour" | "day" } = {}): Promise<CampaignFunnel> {
  const c = await db.campaign.findUnique({ where: { id: campaignId }, select: { id: true, budget: true, costPerMessage: true, runs: { orderBy: { startedAt: "asc" } } } });
  if (!c) throw new DomainError("NOT_FOUND", "campaign not found");
  const rows = await db.$queryRaw<(Omit<FunnelCounts, never> & { step_id: string; channel: string; control: boolean; first_at: Date })[]>`
    SELECT step_id, channel::text AS channel, control, min(created_at) AS first_at,
           count(*)::int AS audience,
           count(*) FILTER (WHERE status = 'SUPPRESSED')::int AS suppressed,
           count(*) FILTER (WHERE status IN ('QUEUED', 'SENDING'))::int AS pending,
           count(*) FILTER (WHERE status IN ('SENT', 'DELIVERED') OR (status = 'FAILED' AND sent_at IS NOT NULL))::int AS sent,
           count(delivered_at)::int AS delivered,
           count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
           count(clicked_at)::int AS clicked,
           count(coalesce(responded_at, clicked_at))::int AS responded,
           count(converted_at)::int AS converted
    FROM contact WHERE ${ofCampaign(campaignId)}
    GROUP BY step_id, channel, control`;
  const reasons = await db.$queryRaw<{ step_id: string; reason: SuppressionReason; n: number }[]>`
    SELECT step_id, suppression_reason::text AS reason, count(*)::int AS n FROM contact
    WHERE ${ofCampaign(campaignId)} AND status = 'SUPPRESSED' GROUP BY step_id, suppression_reason
    UNION ALL
    SELECT s.step_id, s.reason::text, sum(s.count)::int FROM suppression_count s JOIN campaign_run r ON r.id = s.run_id
    WHERE r.campaign_id = ${campaignId} GROUP BY s.step_id, s.reason`;
  const steps = new Map<string, FunnelStep & { firstAt: number }>();
  for (const r of rows) {
    const key = `${r.step_id}|${r.channel}`;
    const s = steps.get(key) ?? { stepId: r.step_id, channel: r.channel, treated: zero(), control: null, suppressedBy: [], firstAt: r.first_at.getTime() };
    const counts: FunnelCounts = { audience: r.audience, suppressed: r.suppressed, pending: r.pending, sent: r.sent, delivered: r.delivered, failed: r.failed, clicked: r.clicked, responded: r.responded, converted: r.converted };
    if (r.control) s.control = counts;
    else s.treated = counts;
    s.firstAt = Math.min(s.firstAt, r.first_at.getTime());
    steps.set(key, s);
  }
  for (const r of reasons) {
    const s = [...steps.values()].find((x) => x.stepId === r.step_id);
    if (s) s.suppressedBy.push({ reason: r.reason, count: r.n });
  }
  const ordered = [...steps.values()].sort((a, b) => a.firstAt - b.firstAt).map(({ firstAt: _f, ...s }) => ({ ...s, suppressedBy: s.suppressedBy.sort((a, b) => b.count - a.count) }));

  const first = ordered.find((s) => s.control) ?? ordered[0];
  const treated = first?.treated.audience ?? 0;
  const control = first?.control?.audience ?? 0;
  const treatedConverted = first?.treated.converted ?? 0;
  const controlConverted = first?.control?.converted ?? 0;
  const rate = (a: number, b: number) => (b ? a / b : 0);

  const bucket = opts.bucket ?? "hour";
  const timeline = await db.$queryRaw<{ bucket: Date; sent: number; delivered: number; clicked: number; converted: number }[]>`
    SELECT bucket, sum(sent)::int AS sent, sum(delivered)::int AS delivered, sum(clicked)::int AS clicked, sum(converted)::int AS converted FROM (
      SELECT date_trunc(${bucket}, sent_at) AS bucket, 1 AS sent, 0 AS delivered, 0 AS clicked, 0 AS converted FROM contact WHERE ${ofCampaign(campaignId)} AND sent_at IS NOT NULL AND NOT control
      UNION ALL SELECT date_trunc(${bucket}, delivered_at), 0, 1, 0, 0 FROM contact WHERE ${ofCampaign(campaignId)} AND delivered_at IS NOT NULL
      UNION ALL SELECT date_trunc(${bucket}, clicked_at), 0, 0, 1, 0 FROM contact WHERE ${ofCampaign(campaignId)} AND clicked_at IS NOT NULL
      UNION ALL SELECT date_trunc(${bucket}, converted_at), 0, 0, 0, 1 FROM contact WHERE ${ofCampaign(campaignId)} AND converted_at IS NOT NULL AND NOT control
    ) t GROUP BY bucket ORDER BY bucket`;

  const prices = (c.costPerMessage ?? {}) as Record<string, number>;
  const byChannelMap = new Map<string, number>();
  for (const s of ordered) byChannelMap.set(s.channel, (byChannelMap.get(s.channel) ?? 0) + s.treated.sent);
  const byChannel = [...byChannelMap].map(([channel, sent]) => ({ channel, sent, cost: sent * (Number(prices[channel]) || 0) }));
  return {
    campaignId,
    runs: c.runs.map((r) => ({ id: r.id, launchKey: r.launchKey, status: r.status, startedAt: r.startedAt, finishedAt: r.finishedAt, audience: r.audienceCount })),
    steps: ordered,
    comparison: {
      treated,
      treatedConverted,
      control,
      controlConverted,
      treatedRate: rate(treatedConverted, treated),
      controlRate: rate(controlConverted, control),
      uplift: rate(treatedConverted, treated) - rate(controlConverted, control),
    },
    timeline,
    cost: { spent: byChannel.reduce((s, x) => s + x.cost, 0), budget: c.budget === null ? null : Number(c.budget), byChannel },
  };
}
