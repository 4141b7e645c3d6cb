/**
 * Scheduled launches through the real worker process: an AT campaign starts at its time — not
 * before — exactly once however often it is launched or its job delivered; a RECURRING campaign
 * registers its cron with BullMQ's job scheduler and starts one run per occurrence (the occurrence's
 * minute is the run's launch key), however often an occurrence's job is delivered.
 */
import { createTestDb, testRedisPrefix, type TestDb } from "@mkt/db/testing";
import { campaignDispatchQueue, campaignLaunchJob, launchSchedulerId, QUEUES, type JobsClient } from "@mkt/jobs";
import { launchCampaign } from "@mkt/core/campaigns/dispatch/launch";
import type { DispatchQueue } from "@mkt/core/campaigns/dispatch/types";
import { createApprovedCampaign, createDispatchScenario, type DispatchScenario } from "@mkt/core/campaigns/dispatch/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobsClient, SHARED_REDIS_URL, spawnCampaignWorker, waitFor, waitForWorker, type CampaignWorker } from "./testing/harness";

describe("scheduled campaign launches through the worker", () => {
  let t: TestDb;
  let jobs: JobsClient;
  let queue: DispatchQueue;
  let worker: CampaignWorker;
  let s: DispatchScenario;
  const prefix = testRedisPrefix();
  const actor = () => ({ id: s.managerId, name: "测试", role: "MARKETING_MANAGER", orgUnitId: s.org.headOffice.id });
  const runsOf = (campaignId: string) => t.db.campaignRun.findMany({ where: { campaignId }, orderBy: { startedAt: "asc" } });

  beforeAll(async () => {
    t = await createTestDb();
    s = await createDispatchScenario(t.db, { customers: 200 });
    jobs = jobsClient(SHARED_REDIS_URL, prefix);
    await jobs.ready(10_000);
    queue = campaignDispatchQueue(jobs);
    worker = spawnCampaignWorker({ DATABASE_URL: t.url, REDIS_PREFIX: prefix, CALL_CHANNEL_MODE: "sandbox" });
    await waitForWorker(jobs, worker);
  }, 120_000);

  afterAll(async () => {
    if (worker && worker.child.exitCode === null) worker.child.kill("SIGKILL");
    await worker?.exited;
    await jobs?.close();
    await t?.drop();
  });

  it("AT: nothing runs before the start time; at it, one run — repeated launches and a redelivered job change nothing", async () => {
    const c = await createApprovedCampaign(t.db, s);
    const startAt = new Date(Date.now() + 4_000);
    await t.db.campaign.update({ where: { id: c.id }, data: { scheduleKind: "AT", startAt } });

    // The manager launches twice (a double click): both answer "scheduled", no run yet.
    const launches = await Promise.all([launchCampaign(t.db, queue, { campaignId: c.id, actor: actor() }), launchCampaign(t.db, queue, { campaignId: c.id, actor: actor() })]);
    for (const l of launches) expect(l).toMatchObject({ runId: null, created: false, scheduled: { at: startAt } });
    expect(await t.db.campaign.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ status: "RUNNING" });
    // One delayed job, whatever the number of launches.
    const delayed = (await jobs.queue(QUEUES.campaigns).getDelayed()).filter((j) => j.name === campaignLaunchJob.name && j.data.campaignId === c.id);
    expect(delayed).toHaveLength(1);
    expect(await runsOf(c.id)).toEqual([]);

    await waitFor(async () => (await runsOf(c.id)).length > 0, 30_000, () => `no run after the start time:\n${worker.output()}`);
    const [run] = await runsOf(c.id);
    expect(run!.launchKey).toBe("once");
    expect(run!.startedAt.getTime()).toBeGreaterThanOrEqual(startAt.getTime());

    // The job delivered again (a retry, a second worker) and the scheduler's own call: the same run.
    const again = await launchCampaign(t.db, queue, { campaignId: c.id, actor: null, launchKey: "once", fromSchedule: true });
    expect(again).toMatchObject({ runId: run!.id, created: false });
    await jobs.queue(QUEUES.campaigns).add(campaignLaunchJob.name, { campaignId: c.id, launchKey: "once" }, { jobId: `l.${c.id}.once.redelivered` });
    await waitFor(async () => (await jobs.queue(QUEUES.campaigns).getJob(`l.${c.id}.once.redelivered`))?.finishedOn !== undefined, 30_000, () => worker.output());
    expect((await runsOf(c.id)).map((r) => r.id)).toEqual([run!.id]);
  }, 90_000);

  it("RECURRING: the cron is registered once; each occurrence starts one run, a repeated occurrence none", async () => {
    const c = await createApprovedCampaign(t.db, s);
    // Mondays at 10:00 (Beijing time): no real occurrence falls inside the test.
    await t.db.campaign.update({ where: { id: c.id }, data: { scheduleKind: "RECURRING", cron: "0 10 * * 1" } });

    const first = await launchCampaign(t.db, queue, { campaignId: c.id, actor: actor() });
    expect(first).toMatchObject({ runId: null, created: false, scheduled: { cron: "0 10 * * 1" } });
    await launchCampaign(t.db, queue, { campaignId: c.id, actor: actor() }); // launched again: still one scheduler
    const schedulers = (await jobs.queue(QUEUES.campaigns).getJobSchedulers()).filter((x) => x.key === launchSchedulerId(c.id));
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ pattern: "0 10 * * 1", tz: "Asia/Shanghai" });
    expect(await runsOf(c.id)).toEqual([]);

    // Occurrences as the job scheduler produces them (no launch key: the worker keys the run by the
    // occurrence's minute): Monday 10:00 delivered twice, then the next Monday.
    const monday = Date.parse("2026-12-07T02:00:00.000Z"); // 10:00 in Beijing
    const week = 7 * 86_400_000;
    const deliveries = [
      { jobId: `occ.${c.id}.1`, timestamp: monday },
      { jobId: `occ.${c.id}.1b`, timestamp: monday + 1_500 }, // the same occurrence, redelivered a moment later
      { jobId: `occ.${c.id}.2`, timestamp: monday + week },
    ];
    for (const d of deliveries) await jobs.queue(QUEUES.campaigns).add(campaignLaunchJob.name, { campaignId: c.id }, { jobId: d.jobId, timestamp: d.timestamp });
    await waitFor(
      async () => (await Promise.all(deliveries.map((d) => jobs.queue(QUEUES.campaigns).getJob(d.jobId)))).every((j) => j?.finishedOn !== undefined),
      30_000,
      () => worker.output(),
    );

    const runs = await runsOf(c.id);
    expect(runs.map((r) => r.launchKey).sort()).toEqual(["at2026-12-07T02:00", "at2026-12-14T02:00"]);
    const failed = (await Promise.all(deliveries.map((d) => jobs.queue(QUEUES.campaigns).getJob(d.jobId)))).filter((j) => j?.failedReason);
    expect(failed).toEqual([]);
  }, 90_000);
});
