/** The process-wide dependencies of the import routes: database, queue, console session. */
import type { ImportRouteDeps } from "@mkt/api/routers/import-rest";
import { getDb, getSessionUser } from "@mkt/api/server";
import { enqueueApplyImportBatch } from "@mkt/jobs";

export function importRouteDeps(): ImportRouteDeps {
  return {
    db: getDb(),
    enqueue: async (batchId) => {
      await enqueueApplyImportBatch({ batchId }, { jobId: batchId });
    },
    sessionUser: (request) => getSessionUser(request.headers),
  };
}
