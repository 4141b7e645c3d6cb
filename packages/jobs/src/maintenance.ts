/** Housekeeping jobs: no payload of interest, run on a schedule by the worker. */
import { z } from "zod";
import { defineJob, producer } from "./contract";
import { QUEUES } from "./queues";

/** Deletes auth sessions whose absolute expiry has passed. Scheduled hourly; safe to run twice. */
export const purgeExpiredSessionsJob = defineJob({
  queue: QUEUES.maintenance,
  name: "purge-expired-sessions",
  schema: z.strictObject({
    /** Sessions that expired before `now - graceSeconds` are deleted. */
    graceSeconds: z.number().int().min(0).max(30 * 24 * 3600).default(0),
  }),
  options: { attempts: 2, removeOnComplete: { count: 48 } },
});

export const enqueuePurgeExpiredSessions = producer(purgeExpiredSessionsJob);
