/**
 * Server-only entry for the web app: the process-wide database, Redis and auth instances, and
 * the two things route handlers and server components need — the tRPC context of a request and
 * the signed-in user of a request. Never import this from client components.
 */
import Redis from "ioredis";
import { getDb, type Db } from "@mkt/db";
import { createAuth, type Auth } from "./auth/create-auth";
import { resolveSessionUser } from "./auth/session";
import { createContext, type Context, type SessionUser } from "./context";
import { apiEnv } from "./env";
import { clientIp } from "./http/client-ip";

const globalForApi = globalThis as unknown as { __mktAuth?: Auth; __mktAuthRedis?: Redis };

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
    });
  }
  return globalForApi.__mktAuth;
}

/** The tRPC context of an HTTP request (the refreshed session cookie goes to `resHeaders`). */
export function createRequestContext(req: Request, resHeaders?: Headers): Promise<Context> {
  return createContext({ db: getDb(), auth: getAuth(), headers: req.headers, ip: clientIp(req.headers), resHeaders });
}

/** The signed-in user for a server component or layout (null: send them to /login). */
export function getSessionUser(headers: Headers): Promise<SessionUser | null> {
  return resolveSessionUser(getAuth(), getDb(), headers);
}

export type { Db, SessionUser };
