import { QUEUES } from "@mkt/jobs";
import type { QueueConfig } from "./config";

/**
 * Source-data imports are heavy (a batch is parsed, validated and applied in one transaction):
 * one at a time per process, with a long lock so a large batch is not mistaken for a stalled one.
 */
export const importQueueConfig: QueueConfig = {
  queue: QUEUES.import,
  concurrency: 1,
  lockDuration: 5 * 60_000,
  removeOnComplete: { age: 7 * 24 * 3600, count: 1_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};
