import { pruneSegmentSnapshotsJob, purgeExpiredSessionsJob, QUEUES } from "@mkt/jobs";
import { defineSchedule, type QueueConfig } from "./config";

/** Light housekeeping: one at a time is plenty and keeps it out of the way of real work. */
export const maintenanceQueueConfig: QueueConfig = {
  queue: QUEUES.maintenance,
  concurrency: 1,
  lockDuration: 60_000,
  removeOnComplete: { age: 24 * 3600, count: 100 },
  removeOnFail: { age: 7 * 24 * 3600 },
  schedules: [
    defineSchedule({
      id: "purge-expired-sessions-hourly",
      contract: purgeExpiredSessionsJob,
      data: { graceSeconds: 0 },
      // On the hour rather than `every`, which would also run at each worker start.
      repeat: { pattern: "0 * * * *" },
    }),
    defineSchedule({
      id: "segments-prune-snapshots-daily",
      contract: pruneSegmentSnapshotsJob,
      data: {},
      // After the night's tag run (01:00) and its snapshots.
      repeat: { pattern: "30 4 * * *", tz: "Asia/Shanghai" },
    }),
  ],
};
