/**
 * Redis connections. Producers (web requests) must fail fast when Redis is down — a request
 * should get an error, not hang — so their connection has no offline queue and one retry.
 * Workers must never give up on a command (BullMQ requires `maxRetriesPerRequest: null`).
 */
import { once } from "node:events";
import { Redis, type RedisOptions } from "ioredis";

export type { Redis } from "ioredis";

export type RedisRole = "producer" | "worker";

const roleOptions: Record<RedisRole, RedisOptions> = {
  producer: { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 },
  worker: { maxRetriesPerRequest: null },
};

export function createRedis(url: string, role: RedisRole = "producer", extra: RedisOptions = {}): Redis {
  return new Redis(url, { ...roleOptions[role], ...extra });
}

/**
 * Resolves when the connection is ready; rejects on a connection error or after `timeoutMs`. Needed before issuing raw
 * commands on a producer connection: without an offline queue, a command sent while connecting fails.
 */
export async function redisReady(redis: Redis, timeoutMs = 2_000): Promise<void> {
  if (redis.status === "ready") return;
  if (redis.status === "wait") void redis.connect().catch(() => undefined);
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  try {
    await once(redis, "ready", { signal: ac.signal });
  } catch (err) {
    // `once` rejects on the connection's first "error" (e.g. ECONNREFUSED): fail fast on that too.
    const reason = ac.signal.aborted ? `not ready after ${timeoutMs} ms` : err instanceof Error ? err.message : String(err);
    throw new Error(`Redis unavailable: ${reason}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}
