import { QUEUES } from "@mkt/jobs";
import { attributeConversionsSchedule } from "../processors/campaign-tracking/attribute-conversions";
import type { QueueConfig } from "./config";

/**
 * Flow progression (waves), launches: short jobs, except materialising a large send step (a
 * million contacts inserted in batches), hence the longer lock.
 */
export const campaignsQueueConfig: QueueConfig = {
  queue: QUEUES.campaigns,
  concurrency: 4,
  lockDuration: 120_000,
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
  /** Conversion attribution (camp-channels' tracking), hourly, idempotent. */
  schedules: [attributeConversionsSchedule],
};

/**
 * Send chunks: ~600 contacts each, one short transaction and one provider call. Two at a time per
 * process — one in PostgreSQL while the other is rendered and sent; more only lengthens each
 * chunk (and the locks it holds) on a small box. A short lock so a killed worker's chunk is
 * retried soon; per-channel rate limits are a token bucket in Redis
 * (processors/campaigns/rate-limit.ts) because one queue carries every channel. Failed jobs are
 * kept a week: the dead-letter view.
 */
export const campaignSendsQueueConfig: QueueConfig = {
  queue: QUEUES.campaignSends,
  concurrency: 2,
  lockDuration: 15_000,
  removeOnComplete: { age: 3600, count: 50_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};
