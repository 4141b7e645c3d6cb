/**
 * `tracking` suite, case `attribution`: conversion attribution for a campaign of --scale contacts
 * (10 % control group), each customer with background transactions, and purchases of the promoted
 * product before, inside and after the 14-day window, purchases of another product, and holdings
 * opened without a transaction.
 * - baseline: the naive job — per contact, look up its first qualifying purchase, else holding,
 *   through the ORM, and write the event and the contact one by one;
 * - platform: `attributeConversions` (one set-based statement, events through recordContactEvent).
 * Both run on identical private databases; checked: the same contacts converted at the same
 * instants. The baseline takes ~70 contacts/s here, so at large scales it runs over the first
 * --baseline-contacts=N customers only (default 5,000) and the answers are compared on those;
 * speedup = platform per_s ÷ baseline per_s.
 */
import { attributeConversions } from "../../packages/core/src/campaigns/tracking/attribution";
import { createDb, type Db } from "../../packages/db/src/client";
import { createOrgTree, createUser } from "../../packages/db/src/seed/factories";
import { withPeakRss } from "../lib/rss";
import { perSecond, round, timed } from "../lib/stats";
import type { Suite } from "../lib/suite";

const T0 = new Date("2026-11-01T02:00:00Z");
const NOW = new Date("2026-12-01T02:00:00Z");
const SINCE = new Date("2026-10-31T02:00:00Z");
const CAMPAIGN = "bench-tracking";

async function load(db: Db, n: number): Promise<void> {
  const org = await createOrgTree(db);
  const manager = await createUser(db, { role: "MARKETING_MANAGER", orgUnit: org.headOffice });
  await db.$executeRaw`
    INSERT INTO customer (customer_no, name, phone, org_unit_id, org_path, opened_at)
    SELECT 'A' || lpad(g::text, 9, '0'), '客户' || g, '139' || lpad(g::text, 8, '0'), ${org.subBranch.id}, ${org.subBranch.path}, DATE '2020-01-01'
    FROM generate_series(1, ${n}) g`;
  const promoted = await db.product.create({ data: { code: "TRK-P1", name: "稳享90天", nameEn: "Steady 90", category: "WEALTH", riskLevel: 2, launchedAt: new Date("2025-01-01") } });
  const other = await db.product.create({ data: { code: "TRK-P2", name: "其他理财", nameEn: "Other", category: "WEALTH", riskLevel: 2, launchedAt: new Date("2025-01-01") } });
  await db.campaign.create({ data: { id: CAMPAIGN, code: "TRK", name: "tracking bench", audienceKind: "SEGMENT", scheduleKind: "NOW", flow: {}, status: "RUNNING", attributionDays: 14, createdById: manager.id, orgUnitId: org.headOffice.id } });
  await db.campaignProduct.create({ data: { campaignId: CAMPAIGN, productId: promoted.id } });
  const run = await db.campaignRun.create({ data: { campaignId: CAMPAIGN, launchKey: "once", flow: {}, flowVersion: 1 } });
  await db.$executeRaw`
    INSERT INTO contact (run_id, campaign_id, customer_id, step_id, channel, status, control, suppression_reason, sent_at, created_at)
    SELECT ${run.id}, ${CAMPAIGN}, g, 'sms', 'SMS',
           CASE WHEN g % 10 = 0 THEN 'SUPPRESSED' ELSE 'SENT' END::"ContactStatus", g % 10 = 0,
           CASE WHEN g % 10 = 0 THEN 'CONTROL_GROUP'::"SuppressionReason" END,
           CASE WHEN g % 10 = 0 THEN NULL ELSE ${T0}::timestamptz + (g % 3600) * interval '1 second' END, ${T0}::timestamptz
    FROM generate_series(1, ${n}) g`;
  await db.$executeRaw`
    INSERT INTO transaction (txn_no, customer_id, product_id, txn_time, type, channel, amount)
    SELECT 'N' || g || '-' || k, g, NULL::int, ${T0}::timestamptz + ((g * 7 + k * 13) % 60 - 30) * interval '1 day', 'DEPOSIT', 'MOBILE', 100
    FROM generate_series(1, ${n}) g, generate_series(1, 3) k`;
  await db.$executeRaw`
    INSERT INTO transaction (txn_no, customer_id, product_id, txn_time, type, channel, amount)
    SELECT 'P' || g, g, ${promoted.id}::int, ${T0}::timestamptz + (g % 20) * interval '1 day' + interval '2 hours', 'PURCHASE'::"TxnType", 'MOBILE'::"TxnChannel", 10000 FROM generate_series(1, ${n}) g WHERE g % 7 = 0
    UNION ALL
    SELECT 'B' || g, g, ${promoted.id}::int, ${T0}::timestamptz - interval '2 days', 'PURCHASE'::"TxnType", 'MOBILE'::"TxnChannel", 10000 FROM generate_series(1, ${n}) g WHERE g % 13 = 0
    UNION ALL
    SELECT 'O' || g, g, ${other.id}::int, ${T0}::timestamptz + interval '2 days', 'PURCHASE'::"TxnType", 'MOBILE'::"TxnChannel", 10000 FROM generate_series(1, ${n}) g WHERE g % 5 = 0`;
  await db.$executeRaw`
    INSERT INTO holding (holding_no, customer_id, product_id, amount, opened_at)
    SELECT 'H' || g, g, ${promoted.id}::int, 50000, DATE '2026-11-04' FROM generate_series(1, ${n}) g WHERE g % 11 = 0`;
  await db.$executeRaw`ANALYZE`;
}

const shanghaiDay = (d: Date) => new Date(`${new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10)}T00:00:00Z`);

/** What a straightforward job would do: one contact at a time through the ORM. */
async function naiveAttribution(db: Db, upToCustomer: number): Promise<number> {
  const products = (await db.campaignProduct.findMany({ where: { campaignId: CAMPAIGN } })).map((p) => p.productId);
  const { attributionDays } = await db.campaign.findUniqueOrThrow({ where: { id: CAMPAIGN } });
  let converted = 0;
  let after = 0n;
  for (;;) {
    const page = await db.contact.findMany({ where: { campaignId: CAMPAIGN, id: { gt: after }, customerId: { lte: upToCustomer }, convertedAt: null, OR: [{ sentAt: { not: null } }, { control: true }] }, orderBy: { id: "asc" }, take: 1000 });
    if (page.length === 0) return converted;
    for (const c of page) {
      const t0 = c.sentAt ?? c.createdAt;
      const end = new Date(Math.min(t0.getTime() + attributionDays * 86_400_000, NOW.getTime()));
      if (end < SINCE) continue;
      let at: Date | null = null;
      let detail: Record<string, string> = {};
      const tx = await db.transaction.findFirst({ where: { customerId: c.customerId, productId: { in: products }, type: "PURCHASE", txnTime: { gt: t0, lte: end } }, orderBy: { txnTime: "asc" } });
      if (tx) {
        at = tx.txnTime;
        detail = { transaction: tx.txnNo };
      } else {
        const h = await db.holding.findFirst({ where: { customerId: c.customerId, productId: { in: products }, openedAt: { gte: shanghaiDay(t0), lte: shanghaiDay(end) } }, orderBy: { openedAt: "asc" } });
        if (h) {
          const opened = new Date(`${h.openedAt.toISOString().slice(0, 10)}T00:00:00+08:00`);
          at = opened > t0 ? opened : t0;
          detail = { holding: h.holdingNo };
        }
      }
      if (!at) continue;
      await db.contactEvent.upsert({
        where: { contactId_type: { contactId: c.id, type: "CONVERTED" } },
        create: { contactId: c.id, type: "CONVERTED", occurredAt: at, source: "attribution", detail },
        update: {},
      });
      await db.contact.update({ where: { id: c.id }, data: { convertedAt: at } });
      converted++;
    }
    after = page.at(-1)!.id;
  }
}

async function fingerprint(db: Db, upToCustomer: number): Promise<{ converted: number; digest: string }> {
  const [row] = await db.$queryRaw<{ n: number; digest: string }[]>`
    SELECT count(*)::int AS n, coalesce(md5(string_agg(id::text || ':' || (extract(epoch FROM converted_at) * 1000)::bigint, ',' ORDER BY id)), '') AS digest
    FROM contact WHERE campaign_id = ${CAMPAIGN} AND converted_at IS NOT NULL AND customer_id <= ${upToCustomer}`;
  return { converted: row!.n, digest: row!.digest };
}

export const trackingSuite: Suite = {
  description: "conversion attribution: per-contact ORM lookups vs one set-based statement (case attribution)",
  defaultScale: 20_000,
  async run(ctx) {
    const dbs: Record<"baseline" | "platform", Db> = {
      baseline: createDb(await ctx.databases.create("baseline"), { max: 4 }),
      platform: createDb(await ctx.databases.create("platform"), { max: 4 }),
    };
    try {
      for (const [name, db] of Object.entries(dbs)) {
        ctx.log(`${name}: loading ${ctx.scale} contacts with transactions and holdings`);
        await load(db, ctx.scale);
      }
      const sample = Math.min(ctx.scale, Number(ctx.args["baseline-contacts"] ?? 5_000));
      ctx.log(`baseline: per-contact attribution over the first ${sample} contacts`);
      const base = await withPeakRss(() => timed(() => naiveAttribution(dbs.baseline, sample)));
      ctx.log("platform: attributeConversions");
      const plat = await withPeakRss(() => timed(() => attributeConversions(dbs.platform, { campaignId: CAMPAIGN, since: SINCE, now: NOW })));
      const [b, p, all] = [await fingerprint(dbs.baseline, sample), await fingerprint(dbs.platform, sample), await fingerprint(dbs.platform, ctx.scale)];
      const platformConverted = plat.result.result.converted + plat.result.result.control;
      const basePerS = perSecond(sample, base.result.ms);
      const platPerS = perSecond(ctx.scale, plat.result.ms);
      ctx.emit({ case: "attribution", variant: "baseline", scale: ctx.scale, contacts: sample, runs: 1, wall_ms: round(base.result.ms), per_s: basePerS, converted: base.result.result, peak_rss_mb: base.peakRssMb });
      ctx.emit({ case: "attribution", variant: "platform", scale: ctx.scale, contacts: ctx.scale, runs: 1, wall_ms: round(plat.result.ms), per_s: platPerS, converted: platformConverted, control: plat.result.result.control, peak_rss_mb: plat.peakRssMb });
      const ok = b.converted === p.converted && b.digest === p.digest && b.converted === base.result.result && platformConverted === all.converted && p.converted > 0;
      return {
        speedup: round(platPerS / basePerS),
        checked: `first ${sample} contacts: ${p.converted} converted, same contacts and instants in both; platform ${all.converted} of ${ctx.scale} (incl. ${plat.result.result.control} control)`,
        ok,
      };
    } finally {
      await Promise.all(Object.values(dbs).map((db) => db.$disconnect()));
    }
  },
};
