/**
 * What this worker process runs. Adding a job is one line in `processors` (its contract lives
 * in @mkt/jobs, its code in processors/<domain>/<job>.ts). Every queue has a config, so a new
 * queue name in @mkt/jobs does not compile until its config is added here.
 */
import type { QueueName } from "@mkt/jobs";
import type { ProcessorDefinition } from "./processor";
import { segmentExport, segmentExportExpiry } from "./processors/exports/segment-export";
import { applyImportBatch } from "./processors/import/apply-import-batch";
import { purgeExpiredSessions } from "./processors/maintenance/purge-expired-sessions";
import { segmentImport } from "./processors/segments/import";
import { segmentSnapshot } from "./processors/segments/snapshot";
import { tagBatchRun } from "./processors/tags/batch-run";
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
};

export const processors: ProcessorDefinition[] = [
  purgeExpiredSessions,
  applyImportBatch,
  tagBatchRun,
  segmentSnapshot,
  segmentImport,
  segmentExport,
  segmentExportExpiry,
];

export interface Registry {
  queueConfigs: Record<string, QueueConfig>;
  processors: ProcessorDefinition[];
}

export const registry: Registry = { queueConfigs, processors };
