/**
 * A worker process that runs only campaign dispatch (its two queues and its services), for the
 * integration and reliability tests: the same start, drain and shutdown code as main.ts.
 */
import { parseWorkerEnv } from "../../../env";
import { createLogger } from "../../../logger";
import type { Registry } from "../../../registry";
import { runUntilSignal } from "../../../run";
import { campaignSendsQueueConfig, campaignsQueueConfig } from "../../../queues/campaigns.config";
import { campaignLaunch } from "../launch";
import { campaignSendChunk } from "../send-chunk";
import { campaignRecoverySweep, campaignTriggerConsumer } from "../services";
import { campaignWave } from "../wave";

const registry: Registry = {
  queueConfigs: { campaigns: campaignsQueueConfig, "campaign-sends": campaignSendsQueueConfig },
  processors: [campaignWave, campaignLaunch, campaignSendChunk],
  services: [campaignRecoverySweep, campaignTriggerConsumer],
};

const env = parseWorkerEnv();
await runUntilSignal(registry, env, createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT, workerId: env.WORKER_ID }));
