/**
 * Server-only entry for the web app: the process-wide database, Redis and auth instances, and
 * the two things route handlers and server components need — the tRPC context of a request and
 * the signed-in user of a request. Never import this from client components.
 */
import Redis from "ioredis";
import { getDb, type Db } from "@mkt/db";
import { configureSegmentEngine } from "@mkt/core/segments/engine";
import { createAuth, type Auth } from "./auth/create-auth";
import { resolveSessionUser } from "./auth/session";
import { createContext, type Context, type SessionUser } from "./context";
import { apiEnv } from "./env";
import { clientIp } from "./http/client-ip";

const globalForApi = globalThis as unknown as { __mktAuth?: Auth; __mktAuthRedis?: Redis; __mktSegmentsWarm?: boolean };

export { getDb };

/** The better-auth instance for BETTER_AUTH_SECRET / BETTER_AUTH_URL (one per process). */
export function getAuth(): Auth {
  if (!globalForApi.__mktAuth) {
    const env = apiEnv();
    // Lockout counters must not queue while Redis is away: the limiter falls back to memory.
    globalForApi.__mktAuthRedis ??= new Redis(env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    globalForApi.__mktAuth = createAuth({
      db: getDb(),
      secret: env.BETTER_AUTH_SECRET,
      baseURL: env.BETTER_AUTH_URL,
      redis: globalForApi.__mktAuthRedis,
      redisPrefix: env.REDIS_PREFIX,
      signInPerMinute: env.AUTH_SIGNIN_PER_MINUTE,
    });
  }
  return globalForApi.__mktAuth;
}

/**
 * The resident segment index of this process (packages/core/src/segments/index): following the
 * real-time tag-change stream on its own Redis connection (XREAD blocks) and built in the
 * background — at boot from apps/web/src/instrumentation.ts, else at the first request — so the
 * first count does not wait for it at scale.
 */
export function warmSegmentEngine(): void {
  if (globalForApi.__mktSegmentsWarm) return;
  globalForApi.__mktSegmentsWarm = true;
  const env = apiEnv();
  configureSegmentEngine(getDb(), {
    databaseUrl: env.DATABASE_URL,
    stream: { connect: () => new Redis(env.REDIS_URL, { maxRetriesPerRequest: null }), prefix: env.REDIS_PREFIX },
  }).warmUp();
}

/** The tRPC context of an HTTP request (the refreshed session cookie goes to `resHeaders`). */
export function createRequestContext(req: Request, resHeaders?: Headers): Promise<Context> {
  warmSegmentEngine();
  return createContext({ db: getDb(), auth: getAuth(), headers: req.headers, ip: clientIp(req.headers), resHeaders });
}

/** The signed-in user for a server component or layout (null: send them to /login). */
export function getSessionUser(headers: Headers): Promise<SessionUser | null> {
  return resolveSessionUser(getAuth(), getDb(), headers);
}

export type { Db, SessionUser };
