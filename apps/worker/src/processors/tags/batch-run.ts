import { TagPlanError } from "@mkt/core/tags/compute";
import { createTagRun, executeTagRun } from "@mkt/core/tags/run";
import { cellStoreAfterRunJobId, enqueueExportCellStoreRefresh, enqueueSegmentSnapshot, snapshotsAfterRunJobId, tagBatchRunJob } from "@mkt/jobs";
import { UnrecoverableError } from "bullmq";
import { parseWorkerEnv } from "../../env";
import { defineProcessor } from "../../processor";

/**
 * Runs one tag batch. Scheduled jobs carry no run id: the run is created keyed by the job id, so
 * a retry finds it again. A finished run is returned as it is; an interrupted one is computed
 * again from the start (nothing of it was visible). A published rule that no longer checks is
 * permanent (UnrecoverableError); a database outage is retried with backoff.
 */
export const tagBatchRun = defineProcessor(tagBatchRunJob, async (job, { db, log, signal }) => {
  const run = job.data.runId
    ? { id: job.data.runId }
    : await createTagRun(db, { trigger: job.data.trigger, jobKey: `${job.queueName}:${job.id}`, now: new Date(job.timestamp) });
  try {
    const summary = await executeTagRun(
      {
        db,
        databaseUrl: parseWorkerEnv().DATABASE_URL,
        signal,
        onProgress: (percent) => job.updateProgress(percent),
      },
      run.id,
    );
    log.info({ runId: run.id, customers: summary.customers, tags: summary.tags, ms: summary.ms, phases: summary.phases, current: summary.current }, "tag run finished");
    // Every rule segment keeps a dated snapshot of this run's values (job id: once per run).
    if (summary.status === "SUCCEEDED" && summary.current) {
      await enqueueSegmentSnapshot({ tagRunId: run.id }, { jobId: snapshotsAfterRunJobId(run.id) });
      // the export cell store's AUM and risk cells are of the previous run now
      await enqueueExportCellStoreRefresh({}, { jobId: cellStoreAfterRunJobId(run.id) });
    }
    return { runId: run.id, status: summary.status, current: summary.current };
  } catch (err) {
    if (err instanceof TagPlanError) throw new UnrecoverableError(err.message);
    throw err;
  }
});
