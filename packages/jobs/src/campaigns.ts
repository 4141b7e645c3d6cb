/**
 * Campaign dispatch contracts: wave jobs (flow progression), chunk jobs (sending one chunk of a
 * step) and launch jobs (schedules). Job ids are deterministic — `w.<run>.<node>.<wave>`,
 * `c.<run>.<step>.<wave>.<chunk>` — so an enqueue repeated by a retry or a second process is a
 * no-op while the first job is kept; deliberate re-enqueues (deferral, resume, recovery) add a
 * suffix. Payloads are ids only: addresses and names are read at send time.
 */
import { TRIGGER_WAVE, type ChunkRef, type DispatchQueue, type EnqueueOpts, type WaveRef } from "@mkt/core/campaigns/dispatch/types";
import type { JobsOptions } from "bullmq";
import { z } from "zod";
import { getJobsClient, type JobsClient } from "./client";
import { defineJob } from "./contract";
import { QUEUES } from "./queues";

const id = z.string().min(1).max(200);

export const campaignWaveJob = defineJob({
  queue: QUEUES.campaigns,
  name: "campaigns.wave",
  schema: z.strictObject({ runId: id, wave: id, nodeId: id }),
  options: { attempts: 8, backoff: { type: "exponential", delay: 1_000 }, removeOnComplete: { age: 3600, count: 10_000 } },
});

export const campaignChunkJob = defineJob({
  queue: QUEUES.campaignSends,
  name: "campaigns.send-chunk",
  schema: z.strictObject({ runId: id, stepId: id, wave: id, chunk: z.number().int().min(0) }),
  options: { attempts: 10, backoff: { type: "exponential", delay: 1_000 }, removeOnComplete: { age: 3600, count: 50_000 }, removeOnFail: { age: 7 * 24 * 3600 } },
});

export const campaignLaunchJob = defineJob({
  queue: QUEUES.campaigns,
  name: "campaigns.launch",
  schema: z.strictObject({ campaignId: id, launchKey: z.string().max(100).optional() }),
  options: { attempts: 5, backoff: { type: "exponential", delay: 5_000 } },
});

/** Job ids: no ':' (BullMQ reserves it). */
export const waveJobId = (r: WaveRef, suffix?: string) => ["w", r.runId, r.nodeId, r.wave, suffix].filter(Boolean).join(".");
export const chunkJobId = (r: ChunkRef, suffix?: string) => ["c", r.runId, r.stepId, r.wave, r.chunk, suffix].filter((x) => x !== undefined && x !== "").join(".");
export const launchSchedulerId = (campaignId: string) => `campaign-launch.${campaignId}`;

/**
 * BullMQ priority of a batch wave's chunks. Jobs without a priority are taken first, so an
 * event-triggered chunk (`TRIGGER_WAVE`) goes ahead of the chunks a large batch campaign has
 * queued instead of waiting behind them; batch chunks keep their FIFO order among themselves.
 */
export const BATCH_CHUNK_PRIORITY = 10;

/** A job's options: its contract's, its id, and the delay asked for. */
const jobOptions = (contract: { options: JobsOptions }, jobId: string, o?: EnqueueOpts): JobsOptions => ({
  ...contract.options,
  jobId,
  ...(o?.delayMs ? { delay: Math.round(o.delayMs) } : {}),
});

export function chunkJobOptions(ref: ChunkRef, o?: EnqueueOpts): JobsOptions {
  return { ...jobOptions(campaignChunkJob, chunkJobId(ref, o?.suffix), o), ...(TRIGGER_WAVE.test(ref.wave) ? {} : { priority: BATCH_CHUNK_PRIORITY }) };
}

/** The queue side of dispatch (core's `DispatchQueue`) over BullMQ. */
export function campaignDispatchQueue(client: JobsClient = getJobsClient()): DispatchQueue {
  const waves = () => client.queue(QUEUES.campaigns);
  const sends = () => client.queue(QUEUES.campaignSends);
  return {
    async enqueueWave(ref, o) {
      await client.ready();
      const data = campaignWaveJob.schema.parse(ref);
      await waves().add(campaignWaveJob.name, data, jobOptions(campaignWaveJob, waveJobId(ref, o?.suffix), o));
    },
    async enqueueChunks(refs, o) {
      if (!refs.length) return;
      await client.ready();
      for (let i = 0; i < refs.length; i += 500) {
        await sends().addBulk(
          refs.slice(i, i + 500).map((r) => ({
            name: campaignChunkJob.name,
            data: campaignChunkJob.schema.parse(r),
            opts: chunkJobOptions(r, o),
          })),
        );
      }
    },
    async scheduleLaunch(campaignId, when) {
      await client.ready();
      if ("at" in when) {
        await waves().add(campaignLaunchJob.name, { campaignId, launchKey: "once" }, {
          ...campaignLaunchJob.options,
          jobId: `l.${campaignId}.once`,
          delay: Math.max(0, when.at.getTime() - Date.now()),
        });
      } else {
        await waves().upsertJobScheduler(launchSchedulerId(campaignId), { pattern: when.cron, tz: when.tz }, {
          name: campaignLaunchJob.name,
          data: { campaignId },
          opts: { attempts: campaignLaunchJob.options.attempts, backoff: campaignLaunchJob.options.backoff },
        });
      }
    },
    async unscheduleLaunch(campaignId) {
      await client.ready();
      await waves().removeJobScheduler(launchSchedulerId(campaignId));
      await waves().remove(`l.${campaignId}.once`);
    },
  };
}
