/**
 * Per-channel rate limits shared by every worker process: a token bucket in Redis (one key per
 * channel, refilled at `rate` per second, burst of one second). A caller reserves `n` tokens and
 * waits the time the bucket needs to cover them, so concurrent chunks queue up fairly.
 */
import type { Redis } from "@mkt/jobs";
import type { Channel } from "@mkt/core/campaigns/channels/provider";
import { CHUNK_SIZE, type RateLimiter } from "@mkt/core/campaigns/dispatch/types";

const TAKE = `
local rate = tonumber(ARGV[1]); local n = tonumber(ARGV[2]); local now = tonumber(ARGV[3])
local t = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(t[1]) or rate; local ts = tonumber(t[2]) or now
tokens = math.min(rate, tokens + (now - ts) * rate / 1000) - n
redis.call('HSET', KEYS[1], 'tokens', tokens, 'ts', now)
redis.call('PEXPIRE', KEYS[1], 600000)
if tokens >= 0 then return 0 end
return math.ceil(-tokens * 1000 / rate)`;

export function channelRateLimiter(redis: Redis, prefix: string, rates: Partial<Record<Channel, number>>): RateLimiter {
  return {
    sliceSize: (channel) => {
      const rate = rates[channel];
      return rate ? Math.max(1, Math.min(CHUNK_SIZE, Math.ceil(rate / 2))) : null;
    },
    async take(channel, n) {
      const rate = rates[channel];
      if (!rate || n === 0) return;
      const waitMs = Number(await redis.eval(TAKE, 1, `${prefix}:campaigns:rate:${channel}`, rate, n, Date.now()));
      if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
    },
  };
}
