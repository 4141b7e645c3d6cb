/**
 * Source-data imports too large to run inside the upload request. The payload is the batch id
 * only: the file waits in the database (import_file), so no personal data passes through Redis.
 * The job id is the batch id, so enqueueing a batch twice queues it once.
 */
import { z } from "zod";
import { defineJob, producer } from "./contract";
import { QUEUES } from "./queues";

export const applyImportBatchJob = defineJob({
  queue: QUEUES.import,
  name: "apply-import-batch",
  schema: z.strictObject({ batchId: z.string().min(1).max(64).regex(/^[\w-]+$/) }),
  options: { attempts: 3, backoff: { type: "exponential", delay: 10_000 } },
});

export const enqueueApplyImportBatch = producer(applyImportBatchJob);
