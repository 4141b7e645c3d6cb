/** The replay guard of signed callbacks in Redis: `SET key 1 NX EX ttl` (shared by every web process). */
import type { ReplayGuard } from "@mkt/core/campaigns/channels/signature";
import type { Redis } from "ioredis";

export function redisReplayGuard(redis: Redis, prefix: string): ReplayGuard {
  const key = (signature: string) => `${prefix}:callbacks:seen:${signature}`;
  return {
    async firstSeen(signature, ttlSeconds) {
      return (await redis.set(key(signature), "1", "EX", ttlSeconds, "NX")) === "OK";
    },
    async forget(signature) {
      await redis.del(key(signature));
    },
  };
}
