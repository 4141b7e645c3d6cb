/**
 * What this worker process runs. Adding a job is one line in `processors` (its contract lives
 * in @mkt/jobs, its code in processors/<domain>/<job>.ts). Every queue has a config, so a new
 * queue name in @mkt/jobs does not compile until its config is added here.
 */
import type { QueueName } from "@mkt/jobs";
import type { ProcessorDefinition, ServiceDefinition } from "./processor";
import { attributeConversionsProcessor } from "./processors/campaign-tracking/attribute-conversions";
import { campaignLaunch } from "./processors/campaigns/launch";
import { campaignSendChunk } from "./processors/campaigns/send-chunk";
import { campaignRecoverySweep, campaignTriggerConsumer } from "./processors/campaigns/services";
import { campaignWave } from "./processors/campaigns/wave";
import { exportCellStoreRefresh } from "./processors/exports/refresh-cell-store";
import { segmentExport, segmentExportExpiry } from "./processors/exports/segment-export";
import { applyImportBatch } from "./processors/import/apply-import-batch";
import { purgeExpiredSessions } from "./processors/maintenance/purge-expired-sessions";
import { segmentImport } from "./processors/segments/import";
import { pruneSegmentSnapshots } from "./processors/segments/prune-snapshots";
import { segmentSnapshot } from "./processors/segments/snapshot";
import { tagBatchRun } from "./processors/tags/batch-run";
import { campaignSendsQueueConfig, campaignsQueueConfig } from "./queues/campaigns.config";
import type { QueueConfig } from "./queues/config";
import { exportsQueueConfig } from "./queues/exports.config";
import { importQueueConfig } from "./queues/import.config";
import { maintenanceQueueConfig } from "./queues/maintenance.config";
import { segmentsQueueConfig } from "./queues/segments.config";
import { tagsQueueConfig } from "./queues/tags.config";

export const queueConfigs: Record<QueueName, QueueConfig> = {
  maintenance: maintenanceQueueConfig,
  import: importQueueConfig,
  tags: tagsQueueConfig,
  segments: segmentsQueueConfig,
  exports: exportsQueueConfig,
  campaigns: campaignsQueueConfig,
  "campaign-sends": campaignSendsQueueConfig,
};

export const processors: ProcessorDefinition[] = [
  purgeExpiredSessions,
  applyImportBatch,
  tagBatchRun,
  segmentSnapshot,
  segmentImport,
  pruneSegmentSnapshots,
  segmentExport,
  segmentExportExpiry,
  exportCellStoreRefresh,
  campaignWave,
  campaignLaunch,
  campaignSendChunk,
  attributeConversionsProcessor,
];

/** Long-running parts started with the process (stream consumers, sweeps). */
export const services: ServiceDefinition[] = [campaignRecoverySweep, campaignTriggerConsumer];

export interface Registry {
  queueConfigs: Record<string, QueueConfig>;
  processors: ProcessorDefinition[];
  services?: ServiceDefinition[];
}

export const registry: Registry = { queueConfigs, processors, services };
