/**
 * Core dispatch against a real database: the set-based SQL guardrails give the same decision as
 * the reference `decide()` for every customer of a varied population, at a daytime and a
 * night-time instant; and a crash after the provider accepted a chunk but before the commit is
 * recovered by asking the provider, without sending again.
 */
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChannelProvider, OutboundMessage, SendResult } from "../channels/provider";
import { decide } from "../guardrails/evaluate";
import { DEFAULT_POLICY } from "./context";
import { chunkFactsSql, reasonSql } from "./guardrails-sql";
import { RoaringBitmap32, bitmapToBytes } from "../../segments/bitmap";
import { SandboxProvider } from "../channels/sandbox";
import { campaignFunnel } from "./funnel";
import { launchCampaign, resumeCampaign } from "./launch";
import { processChunk } from "./send-chunk";
import { createApprovedCampaign, createDispatchScenario, type DispatchScenario } from "./testing";
import type { ChunkRef, DispatchDeps, DispatchQueue, ReconcilingProvider, WaveRef } from "./types";
import { clearTriggerCache, startTriggerWaves } from "./trigger-waves";
import { processWave } from "./waves";

/** Records what would be enqueued (the worker tests run the real queue). */
function recordingQueue() {
  const waves: WaveRef[] = [];
  const chunks: ChunkRef[] = [];
  const queue: DispatchQueue = {
    enqueueWave: async (r) => void waves.push(r),
    enqueueChunks: async (r) => void chunks.push(...r),
    scheduleLaunch: async () => undefined,
    unscheduleLaunch: async () => undefined,
  };
  return { queue, waves, chunks };
}

describe("dispatch in PostgreSQL", () => {
  let t: TestDb;
  let s: DispatchScenario;
  beforeAll(async () => {
    t = await createTestDb();
    s = await createDispatchScenario(t.db, { customers: 600 });
  }, 120_000);
  afterAll(async () => t?.drop());

  it("SQL guardrails = decide() for every customer, day and night", async () => {
    const ids = s.customerIds;
    const at = (iso: string) => new Date(iso);
    const day = at("2026-12-01T02:00:00Z"); // 10:00 Shanghai, 21:00 New York (previous day)
    const night = at("2026-12-01T14:30:00Z"); // 22:30 Shanghai, 09:30 New York
    const pick = (m: number, r: number) => ids.filter((id) => id % m === r);
    const db = t.db;
    await db.$executeRaw`UPDATE consent SET granted = false WHERE channel = 'SMS' AND customer_id = ANY(${pick(7, 1)}::int[])`;
    await db.$executeRaw`INSERT INTO contact_restriction (id, customer_id, kind, channel, valid_from)
      SELECT 'dnd' || id, id, 'DO_NOT_DISTURB', NULL, '2026-01-01' FROM unnest(${pick(11, 2)}::int[]) id`;
    await db.$executeRaw`INSERT INTO contact_restriction (id, customer_id, kind, channel, valid_from, valid_to)
      SELECT 'cmp' || id, id, 'COMPLAINT', 'SMS', '2026-01-01', '2026-12-01T06:00:00Z' FROM unnest(${pick(13, 3)}::int[]) id`;
    await db.$executeRaw`UPDATE risk_assessment SET level = 'C1' WHERE customer_id = ANY(${pick(5, 4)}::int[])`;
    await db.$executeRaw`UPDATE risk_assessment SET expires_at = '2026-11-30' WHERE customer_id = ANY(${pick(17, 5)}::int[])`;
    await db.$executeRaw`DELETE FROM risk_assessment WHERE customer_id = ANY(${pick(19, 6)}::int[])`;
    await db.$executeRaw`UPDATE customer SET time_zone = 'America/New_York' WHERE id = ANY(${pick(23, 8)}::int[])`;
    await db.$executeRaw`UPDATE customer SET phone = NULL WHERE id = ANY(${pick(29, 9)}::int[])`;
    const other = await createApprovedCampaign(db, s);
    const run = await db.campaignRun.create({ data: { campaignId: other.id, launchKey: "history", flow: {}, flowVersion: 1 } });
    await db.$executeRaw`INSERT INTO contact (run_id, campaign_id, customer_id, step_id, channel, status, sent_at)
      SELECT ${run.id}, ${other.id}, id, 'a', 'SMS'::"Channel", 'SENT'::"ContactStatus", '2026-11-30T20:00:00Z'::timestamptz FROM unnest(${pick(9, 7)}::int[]) id
      UNION ALL SELECT ${run.id}, ${other.id}, id, 'b', 'SMS'::"Channel", 'SENT'::"ContactStatus", '2026-11-26T20:00:00Z'::timestamptz FROM unnest(${[...new Set(pick(9, 7).concat(pick(31, 10)))]}::int[]) id`;

    const facts = await loadFacts(t, ids);
    for (const when of [day, night]) {
      for (const policy of ["DEFER", "DROP"] as const) {
        const p = { channel: "SMS" as const, productRisk: 2, policy: { ...DEFAULT_POLICY.SMS, dailyCap: 1, weeklyCap: 2 }, quietHoursPolicy: policy, at: when };
        const rows = await db.$queryRaw<{ id: number; reason: string | null }[]>`SELECT cu.id, ${reasonSql(p)} AS reason FROM customer cu WHERE cu.id = ANY(${ids}::int[]) ORDER BY cu.id`;
        // The chunk's set-based form (facts joined over a range of ids) decides the same.
        const chunk = chunkFactsSql(p, ids);
        const chunked = await db.$queryRaw<{ id: number; reason: string | null }[]>`SELECT cu.id, ${reasonSql(p, chunk.facts)} AS reason FROM ${chunk.from} ORDER BY m.ord`;
        expect(chunked).toEqual(rows);
        const sparseIds = ids.filter((id) => id % 7 === 0); // ids looked up, not a range
        const sparse = chunkFactsSql(p, sparseIds);
        const sparseRows = await db.$queryRaw<{ id: number; reason: string | null }[]>`SELECT cu.id, ${reasonSql(p, sparse.facts)} AS reason FROM ${sparse.from} ORDER BY m.ord`;
        expect(sparseRows).toEqual(rows.filter((r) => r.id % 7 === 0));
        const expected = ids.map((id) => {
          const d = decide(facts.get(id)!, { campaignId: "x", channel: "SMS", productRisk: 2, controlShareBp: 0, quietHoursPolicy: policy, quietWindow: p.policy.quiet, caps: p.policy, at: when });
          return { id, reason: d.kind === "send" ? null : d.kind === "defer" ? "DEFER" : d.reason };
        });
        expect(rows).toEqual(expected);
        const reasons = new Set(rows.map((r) => r.reason));
        expect(reasons.size).toBeGreaterThanOrEqual(when === day ? 9 : 8);
      }
    }
  });

  it("a crash after the provider accepted, before our commit: recovered by asking the provider, nothing sent twice", async () => {
    await t.db.$executeRaw`UPDATE consent SET granted = true`;
    await t.db.$executeRaw`DELETE FROM contact_restriction`;
    const fresh = await createDispatchScenario(t.db, { customers: 50 });
    const c = await createApprovedCampaign(t.db, fresh);
    const { queue, chunks } = recordingQueue();
    const accepted = new Map<string, number>();
    let crash = true;
    const provider: ReconcilingProvider = {
      channel: "SMS",
      async sendBatch(messages: OutboundMessage[]): Promise<SendResult[]> {
        for (const m of messages) accepted.set(m.contactId, (accepted.get(m.contactId) ?? 0) + 1);
        if (crash) throw new Error("worker died right after the provider accepted");
        return messages.map((m) => ({ contactId: m.contactId, outcome: "ACCEPTED", providerMessageId: `p${m.contactId}` }));
      },
      async findAccepted(contactIds) {
        return new Map(contactIds.filter((id) => accepted.has(id)).map((id) => [id, `p${id}`]));
      },
      async close() {},
    };
    const deps: DispatchDeps = { db: t.db, queue, provider: () => provider as ChannelProvider, workerId: "test", linkFor: (id) => `https://s.bank/t/${id}` };
    const { runId } = await launchCampaign(t.db, queue, { campaignId: c.id, actor: null });
    await processWave(deps, { runId: runId!, wave: "main", nodeId: "entry" });
    expect(chunks).toHaveLength(1);
    await expect(processChunk(deps, chunks[0]!, "attempt-1")).rejects.toThrow(/worker died/);
    expect(await t.db.contact.count({ where: { runId: runId! } })).toBe(0); // nothing committed
    expect(accepted.size).toBe(50);

    crash = false;
    const outcome = await processChunk(deps, chunks[0]!, "attempt-2", { retry: true });
    expect(outcome).toMatchObject({ recovered: 50, sent: 0 });
    expect(await t.db.contact.count({ where: { runId: runId!, status: "SENT", providerMessageId: { startsWith: "p" } } })).toBe(50);
    expect([...accepted.values()].every((n) => n === 1)).toBe(true);
    expect(accepted.size).toBe(50);
    expect((await t.db.campaignRun.findUniqueOrThrow({ where: { id: runId! } })).status).toBe("RUNNING"); // the exit wave is next
  });

  it("a campaign with a budget stops sending when the cost reaches it: paused, the rest left for a resume", async () => {
    const fresh = await createDispatchScenario(t.db, { customers: 50 });
    const c = await createApprovedCampaign(t.db, fresh); // SMS at 0.05 a message
    await t.db.campaign.update({ where: { id: c.id }, data: { budget: 1.5 } }); // pays for 30
    const { queue, chunks } = recordingQueue();
    const provider = new SandboxProvider("SMS");
    const deps: DispatchDeps = { db: t.db, queue, provider: () => provider, workerId: "test", linkFor: (id) => `https://s.bank/t/${id}` };
    const { runId } = await launchCampaign(t.db, queue, { campaignId: c.id, actor: null });
    await processWave(deps, { runId: runId!, wave: "main", nodeId: "entry" });
    for (const ref of chunks.splice(0)) await processChunk(deps, ref, "attempt-1");
    expect((await provider.counts()).acceptedIds).toBe(30);
    expect((await t.db.campaignRun.findUniqueOrThrow({ where: { id: runId! } })).status).toBe("PAUSED");
    expect((await t.db.campaign.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("PAUSED");
    expect(await t.db.contact.count({ where: { runId: runId!, status: "QUEUED" } })).toBe(20);
    expect(await t.db.auditLog.count({ where: { targetId: c.id, reason: "budget reached" } })).toBe(1);

    // A higher budget and a resume: the rest goes out as far as it pays, never more.
    await t.db.campaign.update({ where: { id: c.id }, data: { budget: 2 } });
    await resumeCampaign(t.db, queue, c.id, null);
    for (const ref of chunks.splice(0)) await processChunk(deps, ref, "attempt-2", { retry: true });
    expect(await provider.counts()).toEqual({ messages: 40, acceptedIds: 40, duplicateIds: 0 });
    expect(await t.db.contact.count({ where: { runId: runId!, status: "QUEUED" } })).toBe(10);
    expect((await campaignFunnel(t.db, c.id)).cost.spent).toBeCloseTo(2, 5);
    expect((await t.db.campaignRun.findUniqueOrThrow({ where: { id: runId! } })).status).toBe("PAUSED");
  });

  it("trigger waves over the same customers, their chunks sent at once: each customer one message, the rest DUPLICATE", async () => {
    await t.db.$executeRaw`UPDATE consent SET granted = true`;
    await t.db.$executeRaw`DELETE FROM contact_restriction`;
    const fresh = await createDispatchScenario(t.db, { customers: 60 });
    const c = await createApprovedCampaign(t.db, fresh);
    await t.db.campaign.update({
      where: { id: c.id },
      data: { audienceKind: "EVENT_TRIGGER", scheduleKind: "ON_TRIGGER", segmentId: null, segmentSnapshotId: null, trigger: { tag: "rt_large_deposit", op: "gte", value: 1 }, controlShareBp: 0 },
    });
    const { queue, chunks } = recordingQueue();
    const provider = new SandboxProvider("SMS");
    const deps: DispatchDeps = { db: t.db, queue, provider: () => provider, workerId: "test", linkFor: (id) => `https://s.bank/t/${id}` };
    const { runId } = await launchCampaign(t.db, queue, { campaignId: c.id, actor: null });
    clearTriggerCache();
    // Every other customer (a sparse wave); the second batch shares half of the first's customers.
    const ids = fresh.customerIds.filter((_, i) => i % 2 === 0);
    const first = ids.slice(0, 20);
    const second = ids.slice(10, 30);
    const now = Date.now();
    const signals = (who: number[], seq: number) => who.map((customerId, i) => ({ streamId: `${now}-${seq + i}`, eventId: `e${seq}-${customerId}`, tag: "rt_large_deposit", customerId, value: 1 }));
    const waves = [...(await startTriggerWaves(t.db, signals(first, 0))), ...(await startTriggerWaves(t.db, signals(second, 100)))];
    expect(waves).toHaveLength(2);
    for (const w of waves) await processWave(deps, w.ref);
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    await Promise.all(chunks.splice(0).map((ref, i) => processChunk(deps, ref, `attempt-${i}`)));
    const union = new Set([...first, ...second]);
    expect(await provider.counts()).toEqual({ messages: union.size, acceptedIds: union.size, duplicateIds: 0 });
    const sent = await t.db.contact.findMany({ where: { runId: runId!, status: "SENT" }, select: { customerId: true } });
    expect(sent.map((x) => x.customerId).sort((a, b) => a - b)).toEqual([...union].sort((a, b) => a - b));
    const dup = await t.db.suppressionCount.findMany({ where: { runId: runId!, reason: "DUPLICATE" } });
    expect(dup.reduce((n, r) => n + r.count, 0)).toBe(first.length + second.length - union.size);
    await t.db.campaignRun.update({ where: { id: runId! }, data: { status: "CANCELLED" } });
    clearTriggerCache();
  });

  it("RM leads pass the guardrails: call consent, DND, suitability; suppressed with the reason, once per customer", async () => {
    const fresh = await createDispatchScenario(t.db, { customers: 40 });
    const ids = fresh.customerIds;
    await t.db.$executeRaw`UPDATE consent SET granted = false WHERE channel = 'CALL' AND customer_id = ANY(${ids.slice(0, 5)}::int[])`;
    await t.db.$executeRaw`INSERT INTO contact_restriction (id, customer_id, kind, channel, valid_from)
      SELECT 'ldnd' || id, id, 'DO_NOT_DISTURB'::"RestrictionKind", NULL::"Channel", now() - interval '1 day' FROM unnest(${ids.slice(5, 10)}::int[]) id
      UNION ALL SELECT 'lsms' || id, id, 'DO_NOT_DISTURB'::"RestrictionKind", 'SMS'::"Channel", now() - interval '1 day' FROM unnest(${ids.slice(15, 20)}::int[]) id`;
    await t.db.$executeRaw`UPDATE risk_assessment SET level = 'C1' WHERE customer_id = ANY(${ids.slice(10, 15)}::int[])`;
    const c = await createApprovedCampaign(t.db, fresh, {
      flow: () => ({
        version: 1,
        nodes: [
          { id: "entry", type: "entry" },
          { id: "lead", type: "lead", priority: "HIGH", dueInDays: 3 },
          { id: "done", type: "exit" },
        ],
        edges: [
          { source: "entry", target: "lead" },
          { source: "lead", target: "done" },
        ],
      }),
    });
    const { queue } = recordingQueue();
    const deps: DispatchDeps = { db: t.db, queue, provider: () => new SandboxProvider("SMS"), workerId: "test" };
    const { runId } = await launchCampaign(t.db, queue, { campaignId: c.id, actor: null });
    await processWave(deps, { runId: runId!, wave: "main", nodeId: "entry" });
    const leads = await t.db.lead.findMany({ where: { campaignId: c.id } });
    expect(leads.map((l) => l.customerId).sort((a, b) => a - b)).toEqual(ids.slice(15));
    const reasons = await t.db.contact.groupBy({ by: ["suppressionReason"], where: { runId: runId!, status: "SUPPRESSED" }, _count: true });
    expect(Object.fromEntries(reasons.map((r) => [r.suppressionReason, r._count]))).toEqual({ NO_CONSENT: 5, DO_NOT_DISTURB: 5, UNSUITABLE: 5 });

    // The same customers reaching the lead step again in another wave: no second lead or contact.
    await t.db.campaignWave.create({ data: { runId: runId!, wave: "again", nodeId: "lead", members: Buffer.from(bitmapToBytes(new RoaringBitmap32(ids))), count: ids.length } });
    await processWave(deps, { runId: runId!, wave: "again", nodeId: "lead" });
    expect(await t.db.lead.count({ where: { campaignId: c.id } })).toBe(25);
    expect(await t.db.contact.count({ where: { runId: runId!, stepId: "lead" } })).toBe(40);
  });
});

async function loadFacts(t: TestDb, ids: number[]) {
  const customers = await t.db.customer.findMany({
    where: { id: { in: ids } },
    select: { id: true, timeZone: true, phone: true, consents: true, restrictions: true, riskAssessments: { orderBy: { assessedAt: "desc" }, take: 1 } },
  });
  const sends = await t.db.contact.findMany({ where: { customerId: { in: ids }, channel: "SMS", sentAt: { not: null } }, select: { customerId: true, sentAt: true } });
  return new Map(
    customers.map((c) => [
      c.id,
      {
        customerId: c.id,
        timeZone: c.timeZone,
        consents: c.consents,
        restrictions: c.restrictions,
        assessment: c.riskAssessments[0] ?? null,
        sentAt: sends.filter((x) => x.customerId === c.id).map((x) => x.sentAt!),
        hasAddress: !!c.phone,
      },
    ]),
  );
}
