import { QUEUES } from "@mkt/jobs";
import type { QueueConfig } from "./config";

/**
 * Segment snapshots (every rule segment after a tag run) and large list imports: one at a time,
 * so they do not compete with the console's live counts for the two cores.
 */
export const segmentsQueueConfig: QueueConfig = {
  queue: QUEUES.segments,
  concurrency: 1,
  lockDuration: 5 * 60_000,
  removeOnComplete: { age: 7 * 24 * 3600, count: 1_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};
