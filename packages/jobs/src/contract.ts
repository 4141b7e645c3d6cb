/**
 * A job contract: the queue it goes to, its name, the zod schema of its payload and its default
 * options. Producers validate against the schema before anything reaches Redis; the worker
 * validates again before processing (a payload may have been written by an older release).
 * Payloads carry ids and parameters only, never personal data.
 */
import type { Job, JobsOptions } from "bullmq";
import type { z } from "zod";
import { getJobsClient, type JobsClient } from "./client";
import type { QueueName } from "./queues";

export interface JobContract<Q extends QueueName = QueueName, N extends string = string, S extends z.ZodType = z.ZodType> {
  queue: Q;
  name: N;
  schema: S;
  options: JobsOptions;
}

/** Retries with backoff; finished jobs kept long enough to inspect, then dropped. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: "exponential", delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export function defineJob<const Q extends QueueName, const N extends string, S extends z.ZodType>(def: {
  queue: Q;
  name: N;
  schema: S;
  options?: JobsOptions;
}): JobContract<Q, N, S> {
  return { ...def, options: { ...DEFAULT_JOB_OPTIONS, ...def.options } };
}

export type JobPayload<C extends JobContract> = z.output<C["schema"]>;

export interface EnqueueOptions {
  /** Idempotency key: a second enqueue with the same id is a no-op while the first job is kept. */
  jobId?: string;
  delay?: number;
  priority?: number;
  /** Defaults to the process-wide client (REDIS_URL). */
  client?: JobsClient;
}

export type Producer<C extends JobContract> = (
  data: z.input<C["schema"]>,
  opts?: EnqueueOptions,
) => Promise<Job<JobPayload<C>, unknown, C["name"]>>;

/** A typed `enqueueX(data, { jobId })` for a contract: validates, then `queue.add`. */
export function producer<C extends JobContract>(contract: C): Producer<C> {
  return async (data, opts = {}) => {
    const payload = contract.schema.parse(data) as JobPayload<C>;
    const { client = getJobsClient(), jobId, delay, priority } = opts;
    await client.ready();
    const job = await client.queue(contract.queue).add(contract.name, payload, {
      ...contract.options,
      ...(jobId !== undefined && { jobId }),
      ...(delay !== undefined && { delay }),
      ...(priority !== undefined && { priority }),
    });
    return job as Job<JobPayload<C>, unknown, C["name"]>;
  };
}
