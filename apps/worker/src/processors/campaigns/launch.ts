/** campaigns.launch: a scheduled launch (AT, or one occurrence of a RECURRING campaign). */
import { campaignDispatchQueue, campaignLaunchJob, getJobsClient } from "@mkt/jobs";
import { launchCampaign } from "@mkt/core/campaigns/dispatch/launch";
import { defineProcessor } from "../../processor";

export const campaignLaunch = defineProcessor(campaignLaunchJob, async (job, { db }) => {
  // A recurring occurrence is keyed by its scheduled minute, so a repeated job launches it once.
  const at = new Date(job.timestamp + (job.opts.delay ?? 0));
  const launchKey = job.data.launchKey ?? `at${at.toISOString().slice(0, 16)}`;
  return launchCampaign(db, campaignDispatchQueue(getJobsClient()), { campaignId: job.data.campaignId, actor: null, launchKey, fromSchedule: true });
});
