/**
 * Segment jobs. Payloads carry ids only (a list upload waits in `segment_import.content`, never
 * in Redis).
 * - `segments.snapshot`: snapshots of rule segments. With `tagRunId` (after a daily tag run) every
 *   active rule segment gets one snapshot for that run — at most one per (segment, run), so a
 *   retried or repeated job takes only the missing ones; with `segmentId` one segment on demand.
 * - `segments.import`: matches a large uploaded list and creates its static segment.
 * - `segments.prune-snapshots` (maintenance queue, daily): deletes the snapshots the retention
 *   setting no longer keeps (packages/core/src/segments/retention.ts).
 */
import { z } from "zod";
import { defineJob, producer } from "./contract";
import { QUEUES } from "./queues";

const id = z.string().min(1).max(64).regex(/^[\w-]+$/);

export const segmentSnapshotJob = defineJob({
  queue: QUEUES.segments,
  name: "segments.snapshot",
  schema: z.union([
    z.strictObject({ tagRunId: z.number().int().positive() }),
    z.strictObject({ segmentId: id, requestedById: id.optional() }),
  ]),
  options: { attempts: 3, backoff: { type: "exponential", delay: 10_000 } },
});
export const enqueueSegmentSnapshot = producer(segmentSnapshotJob);

/** The job id of the snapshots after a tag run: enqueuing them twice queues them once. */
export const snapshotsAfterRunJobId = (tagRunId: number) => `segments-after-run-${tagRunId}`;

export const segmentImportJob = defineJob({
  queue: QUEUES.segments,
  name: "segments.import",
  schema: z.strictObject({ importId: id }),
  options: { attempts: 3, backoff: { type: "exponential", delay: 10_000 } },
});
export const enqueueSegmentImport = producer(segmentImportJob);

export const pruneSegmentSnapshotsJob = defineJob({
  queue: QUEUES.maintenance,
  name: "segments.prune-snapshots",
  schema: z.strictObject({}),
  options: { attempts: 2, removeOnComplete: { count: 30 } },
});
export const enqueuePruneSegmentSnapshots = producer(pruneSegmentSnapshotsJob);
