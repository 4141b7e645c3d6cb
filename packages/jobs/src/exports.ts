/** Segment export contract: writing one requested export file (packages/core/src/exports). */
import { z } from "zod";
import { defineJob, producer } from "./contract";
import { QUEUES } from "./queues";

/**
 * Writes the file of one `SegmentExport` row. The payload is the row's id only — columns,
 * masking and the members are read from the database. Enqueued with `jobId` = the export id, so
 * a second enqueue is a no-op; a retried attempt rewrites the same file path (never a second file).
 */
export const segmentExportJob = defineJob({
  queue: QUEUES.exports,
  name: "exports.segment",
  schema: z.strictObject({ exportId: z.string().min(1).max(64) }),
  options: { attempts: 3, backoff: { type: "exponential", delay: 10_000 }, removeOnComplete: { age: 7 * 24 * 3600, count: 1_000 } },
});

export const enqueueSegmentExport = producer(segmentExportJob);

/** Removes the files of expired exports (hourly schedule on the exports queue). */
export const segmentExportExpiryJob = defineJob({
  queue: QUEUES.exports,
  name: "exports.expire",
  schema: z.strictObject({}),
  options: { attempts: 2, removeOnComplete: { age: 24 * 3600, count: 50 } },
});

/**
 * Rebuilds the blocks of the export cell store whose customers changed (core/exports/cell-store.ts).
 * Scheduled every ten minutes on the exports queue and at worker start, and enqueued after a tag
 * run becomes current and after an import batch is applied; nothing to do costs one query. Safe to
 * run twice: a second refresh waits for the first and finds nothing stale.
 */
export const exportCellStoreRefreshJob = defineJob({
  queue: QUEUES.exports,
  name: "exports.refresh-cell-store",
  schema: z.strictObject({}),
  options: { attempts: 2, backoff: { type: "fixed", delay: 60_000 }, removeOnComplete: { age: 24 * 3600, count: 50 } },
});

export const enqueueExportCellStoreRefresh = producer(exportCellStoreRefreshJob);

/** The refresh after tag run `runId` became current (its AUM and risk cells are stale): once per run. */
export const cellStoreAfterRunJobId = (runId: number) => `cell-store-after-run-${runId}`;
/** The refresh after import batch `batchId` was applied (its customers' blocks are stale): once per batch. */
export const cellStoreAfterImportJobId = (batchId: string) => `cell-store-after-import-${batchId}`;
