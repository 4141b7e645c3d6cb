/**
 * Test and benchmark fixture: a private org tree, `customers` customers created set-based (each
 * with a phone, marketing consent for SMS and CALL, a valid C3 assessment), a segment snapshot of
 * them, and approved campaigns over it. Quiet hours are off by default (tests run at any hour);
 * caps as given. Not for production code.
 */
import { randomBytes } from "node:crypto";
import type { Campaign, Db } from "@mkt/db";
import { createOrgTree, createUser, type OrgTree } from "@mkt/db/seed/factories";
import { RoaringBitmap32, bitmapToBytes } from "../../segments/bitmap";
import type { Flow } from "../flow";

export interface DispatchScenario {
  org: OrgTree;
  managerId: string;
  approverId: string;
  rmId: string;
  customerIds: number[];
  snapshotId: string;
  segmentId: string;
  productId: number;
}

export function simpleSmsFlow(templateId = "tpl-sms"): Flow {
  return {
    version: 1,
    nodes: [
      { id: "entry", type: "entry" },
      { id: "sms", type: "send", channel: "SMS", templateId },
      { id: "done", type: "exit" },
    ],
    edges: [
      { source: "entry", target: "sms" },
      { source: "sms", target: "done" },
    ],
  };
}

export async function setContactPolicy(
  db: Db,
  channel: "SMS" | "CALL" | "EMAIL" | "APP_PUSH" | "WECHAT",
  p: { dailyCap?: number | null; weeklyCap?: number | null; quietStart?: string; quietEnd?: string } = {},
): Promise<void> {
  const data = { dailyCap: p.dailyCap ?? null, weeklyCap: p.weeklyCap ?? null, quietStart: p.quietStart ?? "00:00", quietEnd: p.quietEnd ?? "00:00" };
  await db.contactPolicy.upsert({ where: { channel }, create: { channel, ...data }, update: data });
}

export async function createDispatchScenario(db: Db, opts: { customers: number }): Promise<DispatchScenario> {
  const org = await createOrgTree(db);
  const manager = await createUser(db, { role: "MARKETING_MANAGER", orgUnit: org.headOffice });
  const approver = await createUser(db, { role: "APPROVER", orgUnit: org.headOffice });
  const rm = await createUser(db, { role: "RM", orgUnit: org.subBranch });
  const tag = randomBytes(4).toString("hex").toUpperCase();
  const rows = await db.$queryRaw<{ id: number }[]>`
    INSERT INTO customer (customer_no, name, phone, org_unit_id, org_path, rm_id, opened_at)
    SELECT 'D' || ${tag} || lpad(g::text, 8, '0'), '测试客户' || g, '138' || lpad(g::text, 8, '0'), ${org.subBranch.id}, ${org.subBranch.path}, ${rm.id}, DATE '2020-01-01'
    FROM generate_series(1, ${opts.customers}) g
    RETURNING id`;
  const ids = rows.map((r) => r.id).sort((a, b) => a - b);
  await db.$executeRaw`
    INSERT INTO consent (id, customer_id, purpose, channel, granted, updated_at)
    SELECT 'cs' || c.id || ch, c.id, 'MARKETING', ch::"Channel", true, now() - interval '1 day'
    FROM unnest(${ids}::int[]) AS c(id) CROSS JOIN unnest(ARRAY['SMS', 'CALL']) AS ch`;
  await db.$executeRaw`
    INSERT INTO risk_assessment (id, customer_id, level, assessed_at, expires_at)
    SELECT 'ra' || c.id, c.id, 'C3', now() - interval '30 days', now() + interval '300 days' FROM unnest(${ids}::int[]) AS c(id)`;
  const product = await db.product.create({
    data: { code: `P${tag}`, name: "稳健理财A", nameEn: "Steady wealth A", category: "WEALTH", riskLevel: 2, launchedAt: new Date("2025-01-01T00:00:00Z") },
  });
  const segment = await db.segment.create({ data: { name: `客群${tag}`, kind: "STATIC", ownerId: manager.id, orgUnitId: org.headOffice.id } });
  const snapshot = await db.segmentSnapshot.create({
    data: { segmentId: segment.id, trigger: "ON_DEMAND", count: ids.length, members: Buffer.from(bitmapToBytes(new RoaringBitmap32(ids))) },
  });
  for (const ch of ["SMS", "CALL"] as const) await setContactPolicy(db, ch);
  return { org, managerId: manager.id, approverId: approver.id, rmId: rm.id, customerIds: ids, snapshotId: snapshot.id, segmentId: segment.id, productId: product.id };
}

/** An approved campaign over the scenario's snapshot; templates "sms"/"call" are created and wired into `flow`. */
export async function createApprovedCampaign(
  db: Db,
  s: DispatchScenario,
  opts: { flow?: (t: { sms: string; call: string }) => Flow; controlShareBp?: number; quietHoursPolicy?: "DEFER" | "DROP"; snapshotId?: string } = {},
): Promise<Campaign> {
  const code = `C${randomBytes(4).toString("hex")}`;
  const campaign = await db.campaign.create({
    data: {
      code,
      name: `活动${code}`,
      audienceKind: "SEGMENT",
      segmentId: s.segmentId,
      segmentSnapshotId: opts.snapshotId ?? s.snapshotId,
      scheduleKind: "NOW",
      controlShareBp: opts.controlShareBp ?? 0,
      quietHoursPolicy: opts.quietHoursPolicy ?? "DEFER",
      costPerMessage: { SMS: 0.05, CALL: 1.5 },
      flow: {},
      status: "APPROVED",
      createdById: s.managerId,
      approvedById: s.approverId,
      orgUnitId: s.org.headOffice.id,
      products: { create: [{ productId: s.productId }] },
    },
  });
  const sms = await db.campaignTemplate.create({ data: { campaignId: campaign.id, channel: "SMS", name: "sms", body: "{{name}}您好，{{product}}热销中 {{link}}", optOutText: "回复TD退订", linkUrl: "https://bank.example/p" } });
  const call = await db.campaignTemplate.create({ data: { campaignId: campaign.id, channel: "CALL", name: "call", body: "致电{{name}}介绍{{product}}" } });
  const flow = (opts.flow ?? ((t) => simpleSmsFlow(t.sms)))({ sms: sms.id, call: call.id });
  return db.campaign.update({ where: { id: campaign.id }, data: { flow } });
}
