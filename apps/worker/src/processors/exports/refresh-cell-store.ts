import { refreshCellStore } from "@mkt/core/exports/cell-store";
import { withPgClient } from "@mkt/db/tags/storage";
import { exportCellStoreRefreshJob } from "@mkt/jobs";
import { parseWorkerEnv } from "../../env";
import { defineProcessor } from "../../processor";

/** Rebuilds the changed blocks of the export cell store, with progress (0–100 over the stale blocks). */
export const exportCellStoreRefresh = defineProcessor(exportCellStoreRefreshJob, async (job, { log, signal }) => {
  const result = await withPgClient(parseWorkerEnv().DATABASE_URL, (client) =>
    refreshCellStore(client, { signal, onProgress: (built, total) => job.updateProgress(Math.floor((built / total) * 100)) }),
  );
  if (result.blocks) log.info({ blocks: result.blocks }, "export cell store refreshed");
  return result;
});
