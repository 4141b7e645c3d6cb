/**
 * The producer side of the queues: one fail-fast Redis connection and one BullMQ `Queue` per
 * queue name, created on first use. A process normally uses the shared client from
 * `getJobsClient()`; tests create their own with a private key prefix.
 */
import { Queue } from "bullmq";
import { jobsEnv } from "./env";
import { queuePrefix, type QueueName } from "./queues";
import { createRedis, redisReady, type Redis } from "./redis";

export interface JobsClientOptions {
  url: string;
  /** Deployment key prefix (REDIS_PREFIX); tests pass `testRedisPrefix()` from @mkt/db/testing. */
  prefix: string;
}

export class JobsClient {
  readonly prefix: string;
  readonly redis: Redis;
  private readonly queues = new Map<QueueName, Queue>();

  constructor(opts: JobsClientOptions) {
    this.prefix = opts.prefix;
    this.redis = createRedis(opts.url, "producer");
    // Errors surface on the commands that fail; without a listener ioredis would also print them.
    this.redis.on("error", () => undefined);
  }

  /**
   * Resolves once connected; rejects after `timeoutMs`. Producers call this before `queue.add`,
   * so a request fails within the timeout while Redis is down — instead of hanging, or worse,
   * having its job added later after the caller was told it failed.
   */
  ready(timeoutMs = 2_000): Promise<void> {
    return redisReady(this.redis, timeoutMs);
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: queuePrefix(this.prefix) });
      queue.on("error", () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
    this.redis.disconnect();
  }
}

export function createJobsClient(opts: JobsClientOptions): JobsClient {
  return new JobsClient(opts);
}

const globalForJobs = globalThis as unknown as { __mktJobs?: JobsClient };

/** The process-wide client for REDIS_URL / REDIS_PREFIX (survives Next.js hot reload). */
export function getJobsClient(): JobsClient {
  if (!globalForJobs.__mktJobs) {
    const env = jobsEnv();
    globalForJobs.__mktJobs = createJobsClient({ url: env.REDIS_URL, prefix: env.REDIS_PREFIX });
  }
  return globalForJobs.__mktJobs;
}
