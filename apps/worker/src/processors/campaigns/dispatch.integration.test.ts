/**
 * Campaign dispatch through the real worker process (shared Redis, private key prefix): launch,
 * the flow of seed 001, pause/resume/cancel, opt-out at T, frequency caps across campaigns —
 * every send counted at the sandbox provider by contact id.
 */
import { createTestDb, testRedisPrefix, type TestDb } from "@mkt/db/testing";
import { campaignDispatchQueue, publishTagChanges, type JobsClient } from "@mkt/jobs";
import { seedExampleFlow } from "@mkt/core/campaigns/flow.fixtures";
import { estimateAudience } from "@mkt/core/campaigns/dispatch/estimate";
import { campaignFunnel } from "@mkt/core/campaigns/dispatch/funnel";
import { cancelCampaign, kickRun, launchCampaign, pauseCampaign, resumeCampaign } from "@mkt/core/campaigns/dispatch/launch";
import type { DispatchQueue } from "@mkt/core/campaigns/dispatch/types";
import { createApprovedCampaign, createDispatchScenario, setContactPolicy, type DispatchScenario } from "@mkt/core/campaigns/dispatch/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contactStatusCounts, jobsClient, providerCounts, SHARED_REDIS_URL, spawnCampaignWorker, waitFor, waitForWorker, type CampaignWorker } from "./testing/harness";

describe("campaign dispatch through the worker", () => {
  let t: TestDb;
  let jobs: JobsClient;
  let queue: DispatchQueue;
  let worker: CampaignWorker;
  let s: DispatchScenario;
  const prefix = testRedisPrefix();
  const actor = (id: string) => ({ id, name: "测试", role: "MARKETING_MANAGER", orgUnitId: s.org.headOffice.id });

  beforeAll(async () => {
    t = await createTestDb();
    s = await createDispatchScenario(t.db, { customers: 1_500 });
    jobs = jobsClient(SHARED_REDIS_URL, prefix);
    await jobs.ready(10_000);
    queue = campaignDispatchQueue(jobs);
    worker = spawnCampaignWorker({ DATABASE_URL: t.url, REDIS_PREFIX: prefix, CAMPAIGN_RATE_LIMITS: JSON.stringify({ SMS: 400 }), CALL_CHANNEL_MODE: "sandbox" });
    await waitForWorker(jobs, worker);
  }, 120_000);

  afterAll(async () => {
    if (worker && worker.child.exitCode === null) worker.child.kill("SIGKILL");
    await worker?.exited;
    await jobs?.close();
    await t?.drop();
  });

  const runDone = (campaignId: string, timeoutMs = 60_000) =>
    waitFor(
      async () => (await t.db.campaignRun.findMany({ where: { campaignId } })).some((r) => r.status === "COMPLETED"),
      timeoutMs,
      () => `run of ${campaignId} not completed:\n${worker.output()}`,
    );

  it("50 concurrent launches make one run; every eligible customer gets exactly one message; the control group none", async () => {
    const c = await createApprovedCampaign(t.db, s, { controlShareBp: 1_000 });
    const estimate = await estimateAudience(t.db, c.id);
    expect(estimate.audience).toBe(1_500);
    expect(estimate.control).toBeGreaterThan(100);
    expect(estimate.eligible + estimate.control).toBe(1_500);

    const launches = await Promise.all(Array.from({ length: 50 }, () => launchCampaign(t.db, queue, { campaignId: c.id, actor: actor(s.managerId) })));
    expect(launches.filter((l) => l.created)).toHaveLength(1);
    expect(new Set(launches.map((l) => l.runId)).size).toBe(1);
    expect(await t.db.campaignRun.count({ where: { campaignId: c.id } })).toBe(1);

    await runDone(c.id);
    const status = await contactStatusCounts(t.db, c.id);
    const sent = (status.SENT ?? 0) + (status.DELIVERED ?? 0) + (status.FAILED ?? 0);
    expect(status.SUPPRESSED).toBe(estimate.control);
    expect(sent).toBe(estimate.eligible);
    expect(await providerCounts(t.db, c.id)).toEqual({ messages: sent, ids: sent, duplicates: 0 });

    const funnel = await campaignFunnel(t.db, c.id);
    expect(funnel.steps).toHaveLength(1);
    expect(funnel.steps[0]!.treated.sent).toBe(sent);
    expect(funnel.steps[0]!.control?.audience).toBe(estimate.control);
    expect(funnel.steps[0]!.treated.delivered).toBeGreaterThan(sent * 0.8);
    expect(funnel.comparison.treated).toBe(sent);
    expect(funnel.cost.spent).toBeCloseTo(sent * 0.05, 5);
    expect(await t.db.campaign.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ status: "COMPLETED" });
  }, 120_000);

  it("seed 001: SMS → wait → no response → call → interested → lead for the RM", async () => {
    const c = await createApprovedCampaign(t.db, s, { flow: seedExampleFlow });
    const { runId } = await launchCampaign(t.db, queue, { campaignId: c.id, actor: actor(s.managerId) });
    // The sandbox records its simulated receipts, clicks and answers a little after each chunk
    // commits (providers.ts recordWhenCommitted): the branch after the wait must not be evaluated
    // before they are in, or some responders take the "no" path (as a real wait would allow).
    const eventsSettled = async (stepId: string) => {
      const count = () => t.db.contactEvent.count({ where: { contact: { runId: runId!, stepId } } });
      let last = -1;
      let stableFor = 0;
      await waitFor(
        async () => {
          const n = await count();
          stableFor = n === last ? stableFor + 1 : 0;
          last = n;
          return n > 0 && stableFor >= 10; // unchanged for ~1 s
        },
        60_000,
        () => `events of step ${stepId} kept arriving or never came (${last})`,
      );
    };
    const fastForward = async (nodeId: string, after: string) => {
      await waitFor(async () => (await t.db.campaignWave.count({ where: { runId: runId!, nodeId, status: "PENDING" } })) > 0, 60_000, () => `no wave at ${nodeId}:\n${worker.output()}`);
      await eventsSettled(after);
      await t.db.campaignWave.updateMany({ where: { runId: runId!, nodeId, status: "PENDING" }, data: { dueAt: new Date() } });
      await kickRun(t.db, queue, runId!, `ff${nodeId}`);
    };
    await fastForward("sms-responded", "sms");
    await fastForward("call-interested", "call");
    await runDone(c.id);

    const sms = await t.db.contact.findMany({ where: { runId: runId!, stepId: "sms" } });
    const call = await t.db.contact.findMany({ where: { runId: runId!, stepId: "call" } });
    const responded = new Set(sms.filter((x) => x.clickedAt || x.respondedAt).map((x) => x.customerId));
    expect(responded.size).toBeGreaterThan(50);
    expect(call.map((x) => x.customerId).sort()).toEqual(sms.filter((x) => !responded.has(x.customerId)).map((x) => x.customerId).sort());
    const interested = call.filter((x) => x.respondedAt || x.clickedAt).map((x) => x.customerId).sort();
    expect(interested.length).toBeGreaterThan(10);
    const leads = await t.db.lead.findMany({ where: { campaignId: c.id } });
    expect(leads.map((l) => l.customerId).sort()).toEqual(interested);
    expect(leads.every((l) => l.rmId === s.rmId && l.priority === "HIGH" && l.status === "OPEN")).toBe(true);
    expect(await providerCounts(t.db, c.id)).toMatchObject({ duplicates: 0, ids: sms.length + call.length });
  }, 180_000);

  it("pause stops sending within seconds, resume finishes, cancel cancels what is left", async () => {
    await setContactPolicy(t.db, "SMS");
    const c = await createApprovedCampaign(t.db, s);
    await launchCampaign(t.db, queue, { campaignId: c.id, actor: actor(s.managerId) });
    await waitFor(async () => (await providerCounts(t.db, c.id)).ids > 100, 30_000);
    await pauseCampaign(t.db, queue, c.id, actor(s.managerId));
    await new Promise((r) => setTimeout(r, 2_500));
    const atPause = (await providerCounts(t.db, c.id)).ids;
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await providerCounts(t.db, c.id)).ids).toBe(atPause);
    expect(atPause).toBeLessThan(1_500);

    await resumeCampaign(t.db, queue, c.id, actor(s.managerId));
    await runDone(c.id);
    expect(await providerCounts(t.db, c.id)).toEqual({ messages: 1_500, ids: 1_500, duplicates: 0 });

    const d = await createApprovedCampaign(t.db, s);
    await launchCampaign(t.db, queue, { campaignId: d.id, actor: actor(s.managerId) });
    await waitFor(async () => (await providerCounts(t.db, d.id)).ids > 100, 30_000);
    await cancelCampaign(t.db, queue, d.id, actor(s.managerId), "wrong product");
    await new Promise((r) => setTimeout(r, 2_000));
    const atCancel = (await providerCounts(t.db, d.id)).ids;
    await waitFor(async () => !(await contactStatusCounts(t.db, d.id)).QUEUED, 30_000);
    expect((await providerCounts(t.db, d.id)).ids).toBe(atCancel);
    const status = await contactStatusCounts(t.db, d.id);
    expect(status.CANCELLED).toBeGreaterThan(0);
    expect(atCancel + status.CANCELLED!).toBe(1_500);
  }, 180_000);

  it("opt-out committed at T: 0 marketing sends to that customer after T", async () => {
    const c = await createApprovedCampaign(t.db, s);
    const optOut = s.customerIds.filter((_, i) => i % 3 === 0);
    await launchCampaign(t.db, queue, { campaignId: c.id, actor: actor(s.managerId) });
    await waitFor(async () => (await providerCounts(t.db, c.id)).ids > 200, 30_000);
    await t.db.$executeRaw`UPDATE consent SET granted = false, updated_at = now() WHERE customer_id = ANY(${optOut}::int[]) AND purpose = 'MARKETING' AND channel = 'SMS'`;
    const [{ t: T }] = (await t.db.$queryRaw<{ t: Date }[]>`SELECT clock_timestamp() AS t`) as [{ t: Date }];
    await runDone(c.id);
    const after = await t.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM sandbox_message m JOIN contact c ON c.id = m.contact_id
      WHERE c.campaign_id = ${c.id} AND c.customer_id = ANY(${optOut}::int[]) AND m.accepted_at > ${T}`;
    expect(after[0]!.n).toBe(0);
    const suppressed = await t.db.contact.count({ where: { campaignId: c.id, suppressionReason: "NO_CONSENT" } });
    expect(suppressed).toBeGreaterThan(0);
    expect(await providerCounts(t.db, c.id)).toMatchObject({ duplicates: 0, ids: 1_500 - suppressed });
    await t.db.$executeRaw`UPDATE consent SET granted = true WHERE customer_id = ANY(${optOut}::int[]) AND purpose = 'MARKETING'`;
  }, 120_000);

  it("3 campaigns to the same customers under a 2-per-7-days cap: 2 sent, 1 suppressed with its reason", async () => {
    const fresh = await createDispatchScenario(t.db, { customers: 300 });
    await setContactPolicy(t.db, "SMS", { weeklyCap: 2 });
    await new Promise((r) => setTimeout(r, 2_500)); // the worker caches a channel's policy for 2 s
    const campaigns = [];
    for (let i = 0; i < 3; i++) campaigns.push(await createApprovedCampaign(t.db, fresh));
    await Promise.all(campaigns.map((c) => launchCampaign(t.db, queue, { campaignId: c.id, actor: actor(fresh.managerId) })));
    for (const c of campaigns) await runDone(c.id);
    const perCustomer = await t.db.$queryRaw<{ sent: number; capped: number; n: number }[]>`
      SELECT sent, capped, count(*)::int AS n FROM (
        SELECT c.customer_id, count(*) FILTER (WHERE c.sent_at IS NOT NULL)::int AS sent,
               count(*) FILTER (WHERE c.suppression_reason = 'FREQUENCY_CAP_WEEK')::int AS capped
        FROM contact c WHERE c.campaign_id = ANY(${campaigns.map((c) => c.id)}::text[]) GROUP BY c.customer_id) x
      GROUP BY sent, capped`;
    expect(perCustomer).toEqual([{ sent: 2, capped: 1, n: 300 }]);
    let total = 0;
    for (const c of campaigns) {
      const p = await providerCounts(t.db, c.id);
      expect(p.duplicates).toBe(0);
      total += p.ids;
    }
    expect(total).toBe(600);
    await setContactPolicy(t.db, "SMS");
    // The worker caches a channel's policy for 2 s: without this wait the next test's sends
    // would still meet the 2-per-7-days cap (seen as FREQUENCY_CAP_WEEK suppressions).
    await new Promise((r) => setTimeout(r, 2_500));
  }, 120_000);
  it("event-triggered: tag-change signals reach the provider once per customer (replayed events deduped)", async () => {
    const c = await createApprovedCampaign(t.db, s);
    await t.db.campaign.update({
      where: { id: c.id },
      data: { audienceKind: "EVENT_TRIGGER", scheduleKind: "ON_TRIGGER", segmentId: null, segmentSnapshotId: null, trigger: { tag: "rt_large_deposit", op: "gte", value: 1 } },
    });
    const { runId, created } = await launchCampaign(t.db, queue, { campaignId: c.id, actor: actor(s.managerId) });
    expect(created).toBe(true);
    const who = s.customerIds.slice(0, 20);
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const signals = who.map((customerId, i) => ({ tag: "rt_large_deposit", customerId, value: i === 0 ? 0 : 1, eventId: `ev-${customerId}`, expiresAt }));
    await publishTagChanges(jobs.redis, prefix, signals);
    await publishTagChanges(jobs.redis, prefix, signals.slice(5, 10)); // a resent batch
    await publishTagChanges(jobs.redis, prefix, [{ tag: "rt_other", customerId: who[1]!, value: 5, eventId: "ev-other", expiresAt }]);
    // Generous: under a loaded CI machine the consumer group and the trigger waves can lag; on a
    // time-out the message carries the contacts by status so the cause is visible.
    const statuses = async () => JSON.stringify(await t.db.contact.groupBy({ by: ["status", "suppressionReason"], where: { runId: runId! }, _count: true }));
    let lastStatuses = "";
    await waitFor(
      async () => {
        lastStatuses = await statuses();
        return (await providerCounts(t.db, c.id)).ids === 19;
      },
      60_000,
      () => `contacts ${lastStatuses}\n${worker.output()}`,
    );
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await providerCounts(t.db, c.id)).toEqual({ messages: 19, ids: 19, duplicates: 0 });
    const contacts = await t.db.contact.findMany({ where: { runId: runId! }, select: { customerId: true } });
    expect(contacts.map((x) => x.customerId).sort()).toEqual(who.slice(1).sort());
    expect((await t.db.campaignRun.findUniqueOrThrow({ where: { id: runId! } })).status).toBe("RUNNING");
    await cancelCampaign(t.db, queue, c.id, actor(s.managerId));
  }, 90_000);
});
