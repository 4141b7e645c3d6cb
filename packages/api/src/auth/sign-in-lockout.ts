/**
 * Sign-in lockout (登录失败锁定): failures are counted in Redis per username + client address
 * (5 in 15 minutes locks that pair for 15 minutes) and per username alone (20 in an hour locks
 * the account for an hour, whatever addresses the guesses come from). Successes do not count,
 * so a branch sharing one address is not locked out by its own colleagues. If Redis is down
 * the counters fall back to process memory rather than failing open. Keys carry a hash of the
 * username, never the text typed.
 */
import { createHash } from "node:crypto";
import type Redis from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";

export interface LockoutPolicy {
  perUserIp: { failures: number; windowSec: number; lockSec: number };
  perUser: { failures: number; windowSec: number; lockSec: number };
}

export const DEFAULT_LOCKOUT: LockoutPolicy = {
  perUserIp: { failures: 5, windowSec: 15 * 60, lockSec: 15 * 60 },
  perUser: { failures: 20, windowSec: 60 * 60, lockSec: 60 * 60 },
};

export interface SignInLockout {
  /** Seconds until the pair may try again, or null when not locked. */
  lockedFor(username: string, ip: string | null): Promise<number | null>;
  recordFailure(username: string, ip: string | null): Promise<void>;
  /** A successful sign-in clears the pair's failures. */
  recordSuccess(username: string, ip: string | null): Promise<void>;
}

type Rule = LockoutPolicy["perUser"];

function limiter(redis: Redis, keyPrefix: string, rule: Rule): RateLimiterAbstract {
  const opts = { keyPrefix, points: rule.failures, duration: rule.windowSec };
  return new RateLimiterRedis({ ...opts, storeClient: redis, insuranceLimiter: new RateLimiterMemory(opts) });
}

/** Counts one failure; the one that spends the budget locks the key for the full lock time. */
async function fail(l: RateLimiterAbstract, rule: Rule, key: string): Promise<void> {
  try {
    const res = await l.consume(key);
    if (res.remainingPoints <= 0) await l.block(key, rule.lockSec);
  } catch (e) {
    // consume() rejects with a RateLimiterRes when the key is already spent (already locked).
    if (!(e instanceof RateLimiterRes)) throw e;
  }
}

export function createSignInLockout(redis: Redis, prefix: string, policy: LockoutPolicy = DEFAULT_LOCKOUT): SignInLockout {
  const byUserIp = limiter(redis, `${prefix}:signin-fail:user-ip`, policy.perUserIp);
  const byUser = limiter(redis, `${prefix}:signin-fail:user`, policy.perUser);
  // Hashed: what was typed as a username may be a password typed into the wrong box.
  const userKey = (username: string) => createHash("sha256").update(username.trim().toLowerCase()).digest("base64url").slice(0, 32);
  const pairKey = (username: string, ip: string | null) => `${userKey(username)}|${ip ?? "-"}`;

  const remaining = async (l: RateLimiterAbstract, key: string): Promise<number | null> => {
    const res = await l.get(key);
    return res && res.consumedPoints >= l.points ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : null;
  };

  return {
    async lockedFor(username, ip) {
      const [pair, user] = await Promise.all([remaining(byUserIp, pairKey(username, ip)), remaining(byUser, userKey(username))]);
      return pair === null && user === null ? null : Math.max(pair ?? 0, user ?? 0);
    },
    async recordFailure(username, ip) {
      await Promise.all([fail(byUserIp, policy.perUserIp, pairKey(username, ip)), fail(byUser, policy.perUser, userKey(username))]);
    },
    async recordSuccess(username, ip) {
      await byUserIp.delete(pairKey(username, ip));
    },
  };
}
