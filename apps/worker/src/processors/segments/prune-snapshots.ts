import { getSnapshotRetention, pruneSnapshots } from "@mkt/core/segments/retention";
import { pruneSegmentSnapshotsJob } from "@mkt/jobs";
import { defineProcessor } from "../../processor";

/** Deletes the segment snapshots the retention setting no longer keeps; running it twice deletes nothing more. */
export const pruneSegmentSnapshots = defineProcessor(pruneSegmentSnapshotsJob, async (_job, { db, log }) => {
  const retention = await getSnapshotRetention(db);
  const summary = await pruneSnapshots(db, retention);
  log.info({ ...retention, deleted: summary.deleted }, "segment snapshots pruned");
  return summary;
});
