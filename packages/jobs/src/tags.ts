/** Tag center jobs: the batch computation of every published tag. */
import { z } from "zod";
import { defineJob, producer } from "./contract";
import { QUEUES } from "./queues";

/**
 * Computes every published tag and, when it succeeds, makes the run current (core/tags/run.ts).
 * On demand the producer creates the run first and passes its id (the console shows it at once);
 * the daily schedule passes none, and the worker creates the run keyed by the job id, so a retried
 * attempt resumes the same run. A run is fixed by its as-of time: a retry computes the same values.
 */
export const tagBatchRunJob = defineJob({
  queue: QUEUES.tags,
  name: "tags.batch-run",
  schema: z.strictObject({
    runId: z.number().int().positive().optional(),
    trigger: z.enum(["SCHEDULED", "MANUAL"]),
  }),
  options: { attempts: 3, backoff: { type: "exponential", delay: 30_000 }, removeOnComplete: { age: 30 * 24 * 3600, count: 200 } },
});

export const enqueueTagBatchRun = producer(tagBatchRunJob);
