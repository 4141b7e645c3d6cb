import { purgeExpiredSessionsJob } from "@mkt/jobs";
import { defineProcessor } from "../../processor";

/** Deletes expired auth sessions in one statement; running it twice deletes nothing more. */
export const purgeExpiredSessions = defineProcessor(purgeExpiredSessionsJob, async (job, { db, log }) => {
  const cutoff = new Date(Date.now() - job.data.graceSeconds * 1000);
  const { count } = await db.session.deleteMany({ where: { expiresAt: { lt: cutoff } } });
  log.info({ deleted: count }, "expired sessions purged");
  return { deleted: count };
});
