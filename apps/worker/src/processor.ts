/**
 * A processor: the code that runs one job contract from @mkt/jobs. It receives the job with its
 * payload already validated against the contract, and the process's shared resources.
 * Permanent failures throw BullMQ's `UnrecoverableError` (anything else is retried).
 */
import type { Db } from "@mkt/db";
import type { JobContract, JobPayload, Redis } from "@mkt/jobs";
import type { Job } from "bullmq";
import type { Logger } from "./logger";

export interface ProcessorContext {
  db: Db;
  redis: Redis;
  /** Child logger bound to the job's queue, name and id. */
  log: Logger;
  /** Aborted when the worker shuts down or the job is cancelled: long jobs should stop and retry later. */
  signal: AbortSignal;
}

export interface ProcessorDefinition<C extends JobContract = JobContract, R = unknown> {
  contract: C;
  run(job: Job<JobPayload<C>>, ctx: ProcessorContext): Promise<R>;
}

export function defineProcessor<C extends JobContract, R>(
  contract: C,
  run: (job: Job<JobPayload<C>>, ctx: ProcessorContext) => Promise<R>,
): ProcessorDefinition<C, R> {
  return { contract, run };
}

/** What a long-running service of the worker process (a stream consumer, a sweep) receives. */
export interface ServiceContext {
  db: Db;
  redis: Redis;
  /** The deployment key prefix (REDIS_PREFIX). */
  prefix: string;
  log: Logger;
}

/** A long-running part of the worker process, started with it and stopped before the queues drain. */
export interface ServiceDefinition {
  name: string;
  start(ctx: ServiceContext): Promise<{ stop(): Promise<void> }>;
}
