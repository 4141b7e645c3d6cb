import { exportCellStoreRefreshJob, QUEUES, segmentExportExpiryJob } from "@mkt/jobs";
import { defineSchedule, type QueueConfig } from "./config";

/**
 * Segment exports stream from PostgreSQL to a file with flat memory; two may run at once. The
 * lock is renewed while a job runs, so a long export is not taken for a stalled one.
 */
export const exportsQueueConfig: QueueConfig = {
  queue: QUEUES.exports,
  concurrency: 2,
  lockDuration: 2 * 60_000,
  removeOnComplete: { age: 7 * 24 * 3600, count: 1_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
  schedules: [
    defineSchedule({ id: "exports-expire-hourly", contract: segmentExportExpiryJob, data: {}, repeat: { pattern: "7 * * * *", tz: "Asia/Shanghai" } }),
    // `every` also runs at worker start: a fresh deployment (or a crash, which empties the
    // unlogged store) has its store built without waiting
    defineSchedule({ id: "exports-refresh-cell-store", contract: exportCellStoreRefreshJob, data: {}, repeat: { every: 10 * 60_000 } }),
  ],
};
