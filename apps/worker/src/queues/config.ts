/** Per-queue worker settings. One `<domain>.config.ts` per queue in this folder. */
import type { JobContract, JobPayload, QueueName } from "@mkt/jobs";
import type { KeepJobs, RateLimiterOptions, RepeatOptions } from "bullmq";

export interface QueueSchedule<C extends JobContract = JobContract> {
  /** Stable id: restarting the worker updates the schedule rather than adding another. */
  id: string;
  contract: C;
  data: JobPayload<C>;
  repeat: Omit<RepeatOptions, "key">;
}

export interface QueueConfig {
  queue: QueueName;
  /** Jobs run at once by one worker process. */
  concurrency: number;
  /** How long a job may run without renewing its lock before it counts as stalled. */
  lockDuration: number;
  /** Retention of finished jobs, applied by the worker (contracts may ask for less). */
  removeOnComplete: KeepJobs;
  removeOnFail: KeepJobs;
  limiter?: RateLimiterOptions;
  schedules?: QueueSchedule[];
}

export function defineSchedule<C extends JobContract>(schedule: QueueSchedule<C>): QueueSchedule {
  return schedule as unknown as QueueSchedule;
}
