import { attributeConversions } from "@mkt/core/campaigns/tracking/attribution";
import { attributeConversionsJob } from "@mkt/jobs";
import { defineProcessor } from "../../processor";
import { defineSchedule } from "../../queues/config";

/**
 * Attributes conversions (set-based, idempotent): a retried or overlapping run records nothing
 * twice. The window's end is the job's own time, so a retry looks at the same purchases.
 */
export const attributeConversionsProcessor = defineProcessor(attributeConversionsJob, async (job, { db, log }) => {
  const now = new Date(job.timestamp);
  const since = new Date(now.getTime() - job.data.lookbackDays * 86_400_000);
  const summary = await attributeConversions(db, { ...(job.data.campaignId ? { campaignId: job.data.campaignId } : {}), since, now });
  log.info({ campaignId: job.data.campaignId, ...summary }, "conversions attributed");
  return summary;
});

/** Hourly over every campaign with an open window (add to the campaigns queue's schedules). */
export const attributeConversionsSchedule = defineSchedule({
  id: "campaigns-attribute-conversions-hourly",
  contract: attributeConversionsJob,
  data: { lookbackDays: 2 },
  repeat: { pattern: "15 * * * *" },
});
