/**
 * Reliability of campaign dispatch (TARGETS.md), each against its own redis-server on another
 * port and worker child processes, counted at the sandbox provider by contact id:
 * - kill -9 of the dispatch worker 3 times mid-campaign → 0 lost, 0 duplicated;
 * - Redis killed and restarted (empty) mid-campaign → 0 lost, 0 duplicated;
 * - SIGTERM → the worker drains within 10 s, exits 0, leaves no active job; a new worker finishes.
 */
import { createTestDb, testRedisPrefix, type TestDb } from "@mkt/db/testing";
import { campaignDispatchQueue, QUEUES, type JobsClient } from "@mkt/jobs";
import { launchCampaign } from "@mkt/core/campaigns/dispatch/launch";
import { createApprovedCampaign, createDispatchScenario, type DispatchScenario } from "@mkt/core/campaigns/dispatch/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { contactStatusCounts, freePort, jobsClient, PrivateRedis, providerCounts, spawnCampaignWorker, waitFor, waitForWorker, type CampaignWorker } from "./testing/harness";

const RECIPIENTS = 3_000;

describe("campaign dispatch reliability (private Redis, worker child processes)", () => {
  let t: TestDb;
  let s: DispatchScenario;
  let redis: PrivateRedis;
  let jobs: JobsClient;
  const workers: CampaignWorker[] = [];
  const actor = () => ({ id: s.managerId, name: "测试", role: "MARKETING_MANAGER", orgUnitId: s.org.headOffice.id });

  beforeAll(async () => {
    t = await createTestDb();
    s = await createDispatchScenario(t.db, { customers: RECIPIENTS });
  }, 120_000);

  afterEach(async () => {
    for (const w of workers.splice(0)) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
    await jobs?.close();
    await redis?.stop();
  });

  afterAll(async () => {
    await t?.drop();
  });

  async function setup() {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    const prefix = testRedisPrefix();
    jobs = jobsClient(redis.url, prefix);
    await jobs.ready(10_000);
    const env = { DATABASE_URL: t.url, REDIS_URL: redis.url, REDIS_PREFIX: prefix, CAMPAIGN_RATE_LIMITS: JSON.stringify({ SMS: 400 }) };
    const start = async () => {
      const w = spawnCampaignWorker(env);
      workers.push(w);
      await waitForWorker(jobs, w);
      return w;
    };
    return { start, queue: campaignDispatchQueue(jobs) };
  }

  async function expectExactlyOnce(campaignId: string) {
    await waitFor(async () => (await t.db.campaignRun.findFirst({ where: { campaignId } }))?.status === "COMPLETED", 90_000, () => workers.at(-1)?.output() ?? "");
    const status = await contactStatusCounts(t.db, campaignId);
    expect(status.QUEUED ?? 0).toBe(0);
    expect(status.SENDING ?? 0).toBe(0);
    const sent = (status.SENT ?? 0) + (status.DELIVERED ?? 0) + (status.FAILED ?? 0);
    expect(sent).toBe(RECIPIENTS);
    const provider = await providerCounts(t.db, campaignId);
    expect(provider).toEqual({ messages: RECIPIENTS, ids: RECIPIENTS, duplicates: 0 });
    return provider;
  }

  it("kill -9 of the worker 3 times mid-campaign: every recipient exactly once (0 lost, 0 duplicated)", async () => {
    const { start, queue } = await setup();
    const c = await createApprovedCampaign(t.db, s);
    let worker = await start();
    await launchCampaign(t.db, queue, { campaignId: c.id, actor: actor() });
    const kills: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = (await providerCounts(t.db, c.id)).ids;
      await waitFor(async () => (await providerCounts(t.db, c.id)).ids > before + 200, 60_000, worker.output);
      // Somewhere inside the next slice: between claim, provider and commit.
      await new Promise((r) => setTimeout(r, 40 + Math.floor(Math.random() * 400)));
      worker.child.kill("SIGKILL");
      await worker.exited;
      kills.push((await providerCounts(t.db, c.id)).ids);
      worker = await start();
    }
    expect(kills.every((k) => k < RECIPIENTS)).toBe(true);
    const counted = await expectExactlyOnce(c.id);
    console.info(`kill -9 ×3 at ${kills.join("/")} of ${RECIPIENTS} accepted: provider counted ${JSON.stringify(counted)} (0 lost, 0 duplicated)`);
  }, 180_000);

  it("Redis killed and restarted empty mid-campaign: 0 lost, 0 duplicated", async () => {
    const { start, queue } = await setup();
    const c = await createApprovedCampaign(t.db, s);
    const worker = await start();
    await launchCampaign(t.db, queue, { campaignId: c.id, actor: actor() });
    await waitFor(async () => (await providerCounts(t.db, c.id)).ids > 500, 60_000, worker.output);
    await redis.kill();
    const atKill = (await providerCounts(t.db, c.id)).ids;
    await new Promise((r) => setTimeout(r, 1_000));
    await redis.start();
    expect(atKill).toBeLessThan(RECIPIENTS);
    const counted = await expectExactlyOnce(c.id);
    console.info(`Redis restarted at ${atKill} of ${RECIPIENTS}: provider counted ${JSON.stringify(counted)}`);
  }, 180_000);

  it("SIGTERM drains within 10 s, exits 0 and leaves no active job; the next worker finishes the campaign", async () => {
    const { start, queue } = await setup();
    const c = await createApprovedCampaign(t.db, s);
    const worker = await start();
    await launchCampaign(t.db, queue, { campaignId: c.id, actor: actor() });
    await waitFor(async () => (await providerCounts(t.db, c.id)).ids > 300, 60_000, worker.output);
    const signalledAt = Date.now();
    worker.child.kill("SIGTERM");
    const code = await worker.exited;
    const drainMs = Date.now() - signalledAt;
    expect(code).toBe(0);
    expect(drainMs).toBeLessThanOrEqual(10_000);
    for (const q of [QUEUES.campaigns, QUEUES.campaignSends]) expect(await jobs.queue(q).getActiveCount()).toBe(0);
    expect((await contactStatusCounts(t.db, c.id)).SENDING ?? 0).toBe(0);
    await start();
    await expectExactlyOnce(c.id);
    console.info(`SIGTERM drained in ${drainMs} ms`);
  }, 180_000);
});
