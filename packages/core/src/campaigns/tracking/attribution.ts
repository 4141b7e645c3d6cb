/**
 * Conversion attribution: a contact converted when its customer bought one of the campaign's
 * promoted products within the campaign's attribution window after the contact — a PURCHASE
 * transaction of the product after the send, or else a holding of it opened on the day of the
 * send or later (holdings carry a date only, in Asia/Shanghai), up to `attributionDays` later.
 *
 * Treated contacts count from `sentAt`; control-group contacts (never sent) from the moment the
 * dispatcher recorded them at the first send step, so the two groups are compared over the same
 * window (uplift). Every contact of the customer whose window holds the purchase converts (each
 * step's funnel); campaign totals count distinct customers.
 *
 * Set-based and idempotent: contacts already converted are skipped, and the events go through
 * `recordContactEvent` (one per contact and type). Only contacts whose window reaches past
 * `since` are looked at, so a daily run does not rescan finished campaigns.
 */
import type { Db } from "@mkt/db";
import { Prisma } from "@mkt/db";
import type { ContactEventInput } from "../channels/events";
import { recordContactEvent } from "../channels/record-event";
import { ofCampaign } from "../dispatch/context";

export interface AttributionOptions {
  /** Only this campaign (on demand); all campaigns otherwise. */
  campaignId?: string;
  /** Look at contacts whose window ends after this instant (default: 2 days before `now`). */
  since?: Date;
  now?: Date;
}

export interface AttributionSummary {
  converted: number;
  control: number;
}

export async function attributeConversions(db: Db, opts: AttributionOptions = {}): Promise<AttributionSummary> {
  const now = opts.now ?? new Date();
  const since = opts.since ?? new Date(now.getTime() - 2 * 86_400_000);
  const campaign = opts.campaignId ? Prisma.sql`AND ${ofCampaign(opts.campaignId, "c")}` : Prisma.empty;
  const rows = await db.$queryRaw<{ contact_id: bigint; control: boolean; at: Date; kind: string; ref: string }[]>`
    WITH touch AS (
      SELECT c.id, c.customer_id, c.campaign_id, c.control, coalesce(c.sent_at, c.created_at) AS t0,
             coalesce(c.sent_at, c.created_at) + make_interval(days => ca.attribution_days) AS t1
      FROM contact c JOIN campaign ca ON ca.id = c.campaign_id
      WHERE c.converted_at IS NULL AND (c.sent_at IS NOT NULL OR c.control) ${campaign}
        AND coalesce(c.sent_at, c.created_at) + make_interval(days => ca.attribution_days) >= ${since}
        AND coalesce(c.sent_at, c.created_at) <= ${now}
    )
    SELECT t.id AS contact_id, t.control, p.at, p.kind, p.ref
    FROM touch t
    CROSS JOIN LATERAL (
      SELECT * FROM (
        SELECT tr.txn_time AS at, 'transaction' AS kind, tr.txn_no AS ref
        FROM transaction tr JOIN campaign_product cp ON cp.campaign_id = t.campaign_id AND cp.product_id = tr.product_id
        WHERE tr.customer_id = t.customer_id AND tr.type = 'PURCHASE' AND tr.txn_time > t.t0 AND tr.txn_time <= least(t.t1, ${now})
        UNION ALL
        SELECT greatest(h.opened_at::timestamp AT TIME ZONE 'Asia/Shanghai', t.t0) AS at, 'holding' AS kind, h.holding_no AS ref
        FROM holding h JOIN campaign_product cp ON cp.campaign_id = t.campaign_id AND cp.product_id = h.product_id
        WHERE h.customer_id = t.customer_id
          AND h.opened_at >= (t.t0 AT TIME ZONE 'Asia/Shanghai')::date
          AND h.opened_at <= (least(t.t1, ${now}) AT TIME ZONE 'Asia/Shanghai')::date
      ) x ORDER BY x.kind = 'holding', x.at LIMIT 1
    ) p`;
  const events: ContactEventInput[] = rows.map((r) => ({
    contactId: String(r.contact_id),
    type: "CONVERTED",
    occurredAt: r.at,
    source: "attribution",
    detail: { [r.kind]: r.ref },
  }));
  for (let i = 0; i < events.length; i += 10_000) await recordContactEvent(db, events.slice(i, i + 10_000));
  const control = rows.filter((r) => r.control).length;
  return { converted: rows.length - control, control };
}
