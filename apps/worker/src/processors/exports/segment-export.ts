import { DomainError } from "@mkt/core/domain-error";
import { exportEnv } from "@mkt/core/exports/env";
import { expireExports, runSegmentExport } from "@mkt/core/exports/run";
import { segmentExportExpiryJob, segmentExportJob } from "@mkt/jobs";
import { UnrecoverableError } from "bullmq";
import { parseWorkerEnv } from "../../env";
import { defineProcessor } from "../../processor";

/**
 * Writes one export file (core/exports/run.ts). A missing, unapproved or rejected export is
 * permanent (UnrecoverableError); anything else is retried, rewriting the same file.
 */
export const segmentExport = defineProcessor(segmentExportJob, async (job, { db, log, signal }) => {
  const attempts = job.opts.attempts ?? 1;
  try {
    const result = await runSegmentExport(
      {
        db,
        databaseUrl: parseWorkerEnv().DATABASE_URL,
        dir: exportEnv().dir,
        signal,
        finalAttempt: job.attemptsMade + 1 >= attempts,
        onProgress: (percent) => job.updateProgress(percent),
      },
      job.data.exportId,
    );
    log.info({ exportId: job.data.exportId, status: result.status, rows: result.rows, storeRows: result.storeRows }, "segment export finished");
    return result;
  } catch (err) {
    if (err instanceof DomainError) throw new UnrecoverableError(err.message);
    throw err;
  }
});

/** Hourly: expired links lose their files. */
export const segmentExportExpiry = defineProcessor(segmentExportExpiryJob, async (_job, { db, log }) => {
  const expired = await expireExports(db);
  if (expired) log.info({ expired }, "expired export files removed");
  return { expired };
});
