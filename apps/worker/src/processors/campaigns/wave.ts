/** campaigns.wave: moves a wave of customers through the flow (core dispatch/waves.ts). */
import { campaignWaveJob } from "@mkt/jobs";
import { processWave } from "@mkt/core/campaigns/dispatch/waves";
import { defineProcessor } from "../../processor";
import { dispatchDeps } from "./deps";

export const campaignWave = defineProcessor(campaignWaveJob, async (job, { db, redis }) => {
  return processWave(dispatchDeps(db, redis), job.data);
});
