import { runSegmentImport } from "@mkt/core/segments/import";
import { segmentImportJob } from "@mkt/jobs";
import { defineProcessor } from "../../processor";

/** Matches a large uploaded list (stored with its import row) and creates its static segment. */
export const segmentImport = defineProcessor(segmentImportJob, async (job, { db, log }) => {
  const out = await runSegmentImport(db, job.data.importId);
  log.info({ importId: out.id, status: out.status, rows: out.totalRows, matched: out.matchedRows }, "segment list import finished");
  return { status: out.status, segmentId: out.segmentId };
});
