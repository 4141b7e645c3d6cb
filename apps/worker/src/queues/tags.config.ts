import { QUEUES, tagBatchRunJob } from "@mkt/jobs";
import { defineSchedule, type QueueConfig } from "./config";

/**
 * Tag runs read every source table and hold a large working set (typed arrays per tag): one at a
 * time per process, and a lock long enough for a full recompute of millions of customers.
 */
export const tagsQueueConfig: QueueConfig = {
  queue: QUEUES.tags,
  concurrency: 1,
  lockDuration: 10 * 60_000,
  removeOnComplete: { age: 30 * 24 * 3600, count: 200 },
  removeOnFail: { age: 30 * 24 * 3600 },
  schedules: [
    defineSchedule({
      id: "tags-daily-batch",
      contract: tagBatchRunJob,
      data: { trigger: "SCHEDULED" },
      // 01:00 bank time: yesterday's facts are loaded (T+1); the run describes 00:00 today.
      repeat: { pattern: "0 1 * * *", tz: "Asia/Shanghai" },
    }),
  ],
};
