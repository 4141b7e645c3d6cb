/** Tag center contracts: the batch computation job and the real-time "tag changed" signals. */
import type { Redis } from "ioredis";
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

/**
 * "Tag changed" signals for event-triggered campaigns: one Redis stream entry per real-time tag
 * value an event set. At least once — a resent event batch publishes its signals again — so
 * consumers dedupe by (eventId, tag).
 */
export const tagChangeSchema = z.strictObject({
  tag: z.string(),
  customerId: z.coerce.number().int().positive(),
  value: z.coerce.number(),
  eventId: z.string(),
  expiresAt: z.iso.datetime(),
});
export type TagChangeSignal = z.infer<typeof tagChangeSchema>;

/** The stream under a deployment prefix; trimmed to about this many entries. */
export const tagChangesStream = (prefix: string) => `${prefix}:tags:changes`;
export const TAG_CHANGES_MAXLEN = 1_000_000;

export async function publishTagChanges(redis: Redis, prefix: string, changes: TagChangeSignal[]): Promise<void> {
  if (!changes.length) return;
  const pipeline = redis.pipeline();
  for (const c of changes) {
    const s = tagChangeSchema.parse(c);
    pipeline.xadd(tagChangesStream(prefix), "MAXLEN", "~", String(TAG_CHANGES_MAXLEN), "*", "tag", s.tag, "customerId", String(s.customerId), "value", String(s.value), "eventId", s.eventId, "expiresAt", s.expiresAt);
  }
  const results = await pipeline.exec();
  const failed = results?.find(([err]) => err);
  if (failed) throw failed[0];
}
