import { snapshotAfterTagRun, takeSnapshot } from "@mkt/core/segments/snapshot";
import { segmentSnapshotJob } from "@mkt/jobs";
import { defineProcessor } from "../../processor";

/**
 * After a tag run: one TAG_RUN snapshot per active rule segment (unique per segment and run, so a
 * retry takes only the missing ones; a segment that fails is logged and retried with the job).
 * On demand: one ON_DEMAND snapshot of one segment.
 */
export const segmentSnapshot = defineProcessor(segmentSnapshotJob, async (job, { db, log }) => {
  const data = job.data;
  if ("tagRunId" in data) {
    const summary = await snapshotAfterTagRun(db, data.tagRunId, (done, total) => job.updateProgress(Math.round((done / Math.max(total, 1)) * 100)));
    log.info({ tagRunId: data.tagRunId, segments: summary.segments, taken: summary.taken, existing: summary.existing, failed: summary.failed.length }, "segment snapshots after tag run");
    if (summary.failed.length) throw new Error(`${summary.failed.length} segment snapshot(s) failed: ${summary.failed.map((f) => `${f.segmentId}: ${f.error}`).join("; ")}`);
    return summary;
  }
  const snap = await takeSnapshot(db, data.segmentId, { trigger: "ON_DEMAND", ...(data.requestedById && { takenById: data.requestedById }) });
  await job.updateProgress(100);
  return { snapshotId: snap.id, count: snap.count };
});
