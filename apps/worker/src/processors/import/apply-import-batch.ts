import { DomainError } from "@mkt/core/domain-error";
import { runStoredBatch } from "@mkt/core/import/submit";
import { applyImportBatchJob, cellStoreAfterImportJobId, enqueueExportCellStoreRefresh } from "@mkt/jobs";
import { UnrecoverableError } from "bullmq";
import { defineProcessor } from "../../processor";

/**
 * Validates and applies one uploaded import batch (all or nothing, see core/import/run.ts).
 * Idempotent: a finished batch is returned as it is, and a batch interrupted mid-run had its
 * transaction rolled back, so a retry starts it cleanly. A rejected file or a missing batch is
 * permanent (UnrecoverableError: retrying cannot help); anything else (database down) is
 * retried, and on the last attempt the batch is marked FAILED so the console stops waiting.
 */
export const applyImportBatch = defineProcessor(applyImportBatchJob, async (job, { db, log }) => {
  const { batchId } = job.data;
  const markFailed = () =>
    db.importBatch.updateMany({
      where: { id: batchId, status: { in: ["PENDING", "VALIDATING", "APPLYING"] } },
      data: { status: "FAILED", finishedAt: new Date() },
    });
  let outcome;
  try {
    outcome = await runStoredBatch(db, batchId, { onProgress: (p) => void job.updateProgress(p).catch(() => undefined) });
  } catch (err) {
    if (err instanceof DomainError) {
      await markFailed();
      throw new UnrecoverableError(err.message);
    }
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await markFailed();
    throw err;
  }
  log.info({ batchId, status: outcome.status, totalRows: outcome.totalRows, appliedRows: outcome.appliedRows, errorRows: outcome.errorRows }, "import batch finished");
  if (outcome.status === "REJECTED") throw new UnrecoverableError(`import batch rejected: ${outcome.errorRows} rows with errors`);
  // the export cell store's blocks of the customers it wrote are stale now
  if (outcome.status === "APPLIED" && outcome.appliedRows > 0) await enqueueExportCellStoreRefresh({}, { jobId: cellStoreAfterImportJobId(batchId) });
  return { status: outcome.status, totalRows: outcome.totalRows, appliedRows: outcome.appliedRows };
});
