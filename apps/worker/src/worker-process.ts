/**
 * Boots one BullMQ `Worker` per queue that has processors, dispatching each job by name to its
 * processor after re-validating the payload, registers the queues' schedules and the heartbeat.
 * `stop()` drains: no new jobs are taken, active ones finish (or are aborted near the deadline
 * so they fail and retry, rather than being left locked and stalled).
 */
import { createDb, type Db } from "@mkt/db";
import { closeSqlPool } from "@mkt/db/sql-tx";
import { createRedis, queuePrefix, type Redis } from "@mkt/jobs";
import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import { z } from "zod";
import type { WorkerEnv } from "./env";
import { startHeartbeat } from "./heartbeat";
import type { Logger } from "./logger";
import type { ProcessorDefinition } from "./processor";
import type { QueueConfig } from "./queues/config";
import type { Registry } from "./registry";

export interface WorkerProcess {
  workers: Worker[];
  /** Resolves true when every active job finished within the grace period. */
  stop(): Promise<boolean>;
}

type Env = Pick<WorkerEnv, "DATABASE_URL" | "REDIS_URL" | "REDIS_PREFIX" | "WORKER_ID" | "SHUTDOWN_GRACE_MS"> & Partial<Pick<WorkerEnv, "QUEUE_CONCURRENCY">>;

export async function startWorkerProcess(registry: Registry, env: Env, log: Logger): Promise<WorkerProcess> {
  const db = createDb(env.DATABASE_URL, { max: 5 });
  const redis = createRedis(env.REDIS_URL, "worker");
  redis.on("error", (err) => log.error({ err: err.message }, "redis connection error"));
  const prefix = queuePrefix(env.REDIS_PREFIX);

  const byQueue = new Map<string, ProcessorDefinition[]>();
  for (const p of registry.processors) byQueue.set(p.contract.queue, [...(byQueue.get(p.contract.queue) ?? []), p]);

  const workers: Worker[] = [];
  for (const [queue, processors] of byQueue) {
    const config = registry.queueConfigs[queue];
    if (!config) throw new Error(`no queue config for "${queue}" in the registry`);
    const concurrency = env.QUEUE_CONCURRENCY?.[queue] ?? config.concurrency;
    workers.push(createQueueWorker({ ...config, concurrency }, processors, { db, redis, prefix, log }));
    await registerSchedules(config, redis, prefix);
  }
  for (const w of workers) void w.run();
  const services = await Promise.all(
    (registry.services ?? []).map((s) => s.start({ db, redis, prefix: env.REDIS_PREFIX, log: log.child({ service: s.name }) })),
  );

  const heartbeat = await startHeartbeat({ redis, prefix: env.REDIS_PREFIX, workerId: env.WORKER_ID, queues: [...byQueue.keys()], log });
  log.info({ queues: [...byQueue.keys()], processors: registry.processors.length }, "worker started");

  return {
    workers,
    async stop() {
      await heartbeat.stop();
      await Promise.all(services.map((s) => s.stop()));
      const drained = await drain(workers, env.SHUTDOWN_GRACE_MS, log);
      await closeSqlPool(db);
      await db.$disconnect();
      redis.disconnect();
      return drained;
    },
  };
}

function createQueueWorker(config: QueueConfig, processors: ProcessorDefinition[], deps: { db: Db; redis: Redis; prefix: string; log: Logger }): Worker {
  const byName = new Map(processors.map((p) => [p.contract.name, p]));
  const worker = new Worker(
    config.queue,
    async (job: Job, _token?: string, signal?: AbortSignal) => {
      const processor = byName.get(job.name);
      if (!processor) throw new UnrecoverableError(`no processor for job "${job.name}" on queue "${config.queue}"`);
      const parsed = processor.contract.schema.safeParse(job.data);
      // The message lists paths and expectations, never the payload's values.
      if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${z.prettifyError(parsed.error)}`);
      job.data = parsed.data;
      const log = deps.log.child({ queue: config.queue, job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 });
      return processor.run(job, { db: deps.db, redis: deps.redis, log, signal: signal ?? new AbortController().signal });
    },
    {
      connection: deps.redis,
      prefix: deps.prefix,
      autorun: false,
      concurrency: config.concurrency,
      lockDuration: config.lockDuration,
      removeOnComplete: config.removeOnComplete,
      removeOnFail: config.removeOnFail,
      ...(config.limiter && { limiter: config.limiter }),
    },
  );
  worker.on("completed", (job) => deps.log.info({ queue: config.queue, job: job.name, jobId: job.id, ms: elapsed(job) }, "job completed"));
  worker.on("failed", (job, err) =>
    deps.log.warn({ queue: config.queue, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, "job failed"),
  );
  worker.on("error", (err) => deps.log.error({ queue: config.queue, err: err.message }, "worker error"));
  return worker;
}

async function registerSchedules(config: QueueConfig, redis: Redis, prefix: string): Promise<void> {
  if (!config.schedules?.length) return;
  const queue = new Queue(config.queue, { connection: redis, prefix });
  try {
    for (const s of config.schedules) {
      const { jobId: _ignored, ...opts } = s.contract.options;
      await queue.upsertJobScheduler(s.id, s.repeat, { name: s.contract.name, data: s.contract.schema.parse(s.data), opts });
    }
  } finally {
    await queue.close();
  }
}

/** Closes the workers (active jobs finish); near the deadline aborts what still runs. */
async function drain(workers: Worker[], graceMs: number, log: Logger): Promise<boolean> {
  const closing = Promise.all(workers.map((w) => w.close())).then(() => true);
  const abortAt = setTimeout(() => {
    log.warn("shutdown grace nearly over: aborting active jobs (they will retry)");
    for (const w of workers) w.cancelAllJobs("worker shutting down");
  }, Math.max(graceMs - 2_000, graceMs / 2));
  const deadline = new Promise<false>((resolve) => setTimeout(() => resolve(false), graceMs).unref());
  const drained = await Promise.race([closing, deadline]);
  clearTimeout(abortAt);
  if (!drained) {
    log.error({ graceMs }, "active jobs did not finish in time; their locks expire and they are retried");
    await Promise.all(workers.map((w) => w.close(true)));
  }
  return drained;
}

function elapsed(job: Job): number | undefined {
  return job.processedOn && job.finishedOn ? job.finishedOn - job.processedOn : undefined;
}
