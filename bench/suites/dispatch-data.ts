/**
 * Data for the dispatch and trigger suites: `n` customers (ids 1..n) whose facts trip every
 * guardrail in a fixed pattern, a history campaign whose earlier sends hit the caps, contact
 * policies, a segment snapshot of 1..audience, and a campaign with a fixed id (so the control group
 * draw — a hash of campaign and customer — is the same in the baseline's and the platform's database).
 */
import { RoaringBitmap32, bitmapToBytes } from "../../packages/core/src/segments/bitmap";
import { simpleSmsFlow } from "../../packages/core/src/campaigns/dispatch/testing";
import type { Db } from "../../packages/db/src/client";
import { createOrgTree, createUser } from "../../packages/db/src/seed/factories";

export const BENCH_CAMPAIGN_ID = "bench-campaign";

/** A fixed-offset zone where it is night now (quiet hours), picked once per benchmark run. */
export function nightZone(now = new Date()): string {
  // Etc/GMT-X is UTC+X. Local hour = (utcHour + X) mod 24; aim for 02:00.
  const x = (((2 - now.getUTCHours()) % 24) + 24) % 24;
  const offset = x > 12 ? x - 24 : x;
  return offset === 0 ? "Etc/GMT" : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

/** A zone where it is midday now, for the customers who should not meet quiet hours. */
export function dayZone(now = new Date()): string {
  const x = (((12 - now.getUTCHours()) % 24) + 24) % 24;
  const offset = x > 12 ? x - 24 : x;
  return offset === 0 ? "Etc/GMT" : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

export interface BenchData {
  managerId: string;
  orgUnitId: string;
}

export async function loadDispatchData(db: Db, n: number, zones: { day: string; night: string }, log: (m: string) => void): Promise<BenchData> {
  const org = await createOrgTree(db);
  const manager = await createUser(db, { role: "MARKETING_MANAGER", orgUnit: org.headOffice });
  await createUser(db, { role: "APPROVER", orgUnit: org.headOffice });
  const rm = await createUser(db, { role: "RM", orgUnit: org.subBranch });
  log(`  ${n} customers with consents, restrictions, assessments`);
  await db.$executeRaw`
    INSERT INTO customer (customer_no, name, phone, org_unit_id, org_path, rm_id, opened_at, time_zone)
    SELECT 'B' || lpad(g::text, 9, '0'), '客户' || g, CASE WHEN g % 97 = 0 THEN NULL ELSE '139' || lpad(g::text, 8, '0') END,
           ${org.subBranch.id}, ${org.subBranch.path}, ${rm.id}, DATE '2020-01-01', CASE WHEN g % 15 = 7 THEN ${zones.night} ELSE ${zones.day} END
    FROM generate_series(1, ${n}) g`;
  await db.$executeRaw`
    INSERT INTO consent (id, customer_id, purpose, channel, granted, updated_at)
    SELECT 'cs' || g, g, 'MARKETING', 'SMS', g % 10 <> 1, now() - interval '30 days' FROM generate_series(1, ${n}) g`;
  await db.$executeRaw`
    INSERT INTO contact_restriction (id, customer_id, kind, channel, valid_from)
    SELECT 'r' || g, g, CASE WHEN g % 50 = 2 THEN 'DO_NOT_DISTURB' ELSE 'COMPLAINT' END::"RestrictionKind", NULL, now() - interval '10 days'
    FROM generate_series(1, ${n}) g WHERE g % 50 = 2 OR g % 70 = 3`;
  await db.$executeRaw`
    INSERT INTO risk_assessment (id, customer_id, level, assessed_at, expires_at)
    SELECT 'ra' || g, g, CASE WHEN g % 20 = 4 THEN 'C1' ELSE 'C3' END::"RiskLevel", now() - interval '100 days',
           CASE WHEN g % 25 = 5 THEN now() - interval '1 day' ELSE now() + interval '200 days' END
    FROM generate_series(1, ${n}) g WHERE g % 40 <> 6`;
  await db.product.create({ data: { code: "BENCH-R2", name: "稳健理财", nameEn: "Steady", category: "WEALTH", riskLevel: 2, launchedAt: new Date("2025-01-01T00:00:00Z") } });
  log("  send history (caps)");
  const history = await db.campaign.create({
    data: { code: "HIST", name: "history", audienceKind: "SEGMENT", scheduleKind: "NOW", flow: {}, status: "COMPLETED", createdById: manager.id, orgUnitId: org.headOffice.id },
  });
  const run = await db.campaignRun.create({ data: { campaignId: history.id, launchKey: "once", flow: {}, flowVersion: 1, status: "COMPLETED" } });
  await db.$executeRaw`
    INSERT INTO contact (run_id, campaign_id, customer_id, step_id, channel, status, sent_at)
    SELECT ${run.id}, ${history.id}, g, s.step, 'SMS', 'DELIVERED', now() - s.ago
    FROM generate_series(1, ${n}) g
    JOIN (VALUES ('a', interval '2 days', 8), ('b', interval '3 days', 8), ('c', interval '5 minutes', 9)) AS s(step, ago, r)
      ON (g % 12 = 8 AND s.r = 8) OR (g % 30 = 9 AND s.r = 9)`;
  await db.contactPolicy.create({ data: { channel: "SMS", dailyCap: 1, weeklyCap: 2, quietStart: "21:00", quietEnd: "08:00" } });
  await db.$executeRawUnsafe("VACUUM ANALYZE");

  return { managerId: manager.id, orgUnitId: org.headOffice.id };
}

/** The approved campaign over customers 1..audience (segment audience), or an event-triggered one. */
export async function createBenchCampaign(
  db: Db,
  data: BenchData,
  opts: { audience?: number; trigger?: { tag: string; op: "gte"; value: number } },
): Promise<void> {
  const segment = await db.segment.create({ data: { name: "bench", kind: "STATIC", ownerId: data.managerId, orgUnitId: data.orgUnitId } });
  let snapshotId: string | null = null;
  if (opts.audience) {
    const members = new RoaringBitmap32();
    members.addRange(1, opts.audience + 1);
    snapshotId = (await db.segmentSnapshot.create({ data: { segmentId: segment.id, trigger: "ON_DEMAND", count: opts.audience, members: Buffer.from(bitmapToBytes(members)) } })).id;
  }
  const product = await db.product.findUniqueOrThrow({ where: { code: "BENCH-R2" } });
  await db.campaign.create({
    data: {
      id: BENCH_CAMPAIGN_ID,
      code: "BENCH",
      name: "bench",
      audienceKind: opts.trigger ? "EVENT_TRIGGER" : "SEGMENT",
      segmentId: opts.trigger ? null : segment.id,
      segmentSnapshotId: snapshotId,
      trigger: opts.trigger ?? undefined,
      scheduleKind: opts.trigger ? "ON_TRIGGER" : "NOW",
      controlShareBp: opts.trigger ? 0 : 500,
      quietHoursPolicy: "DROP",
      costPerMessage: { SMS: 0.05 },
      flow: simpleSmsFlow("bench-sms"),
      status: "APPROVED",
      createdById: data.managerId,
      orgUnitId: data.orgUnitId,
      products: { create: [{ productId: product.id }] },
      templates: { create: [{ id: "bench-sms", channel: "SMS", name: "sms", body: "{{name}}您好，{{product}}热销中", optOutText: "回复TD退订" }] },
    },
  });
}
