/**
 * Staff sign-in (better-auth): username + password only (no sign-up, no e-mail flows), argon2id
 * hashes from @mkt/core, sessions in PostgreSQL (auth_session) through the Prisma adapter.
 *
 * Timeouts: a session idles out after SESSION_IDLE_SEC (the expiry slides on activity, at most
 * every SESSION_REFRESH_SEC) and never outlives SESSION_ABSOLUTE_SEC from sign-in: the sliding
 * refresh is capped at that deadline here, and the tRPC context deletes sessions past it.
 *
 * Rate limits: better-auth's per-address request limit (database storage) against floods, and a
 * failure lockout per username + address (sign-in-lockout.ts). Disabled users are refused after
 * their password checks out (403), so the answer does not reveal which accounts exist.
 * Audit: SIGN_IN, SIGN_IN_FAILED (reason only — never the password, and no username unless it
 * names a real account, since a password typed into the username box must not be logged), SIGN_OUT.
 */
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware, getSessionFromCtx, isAPIError } from "better-auth/api";
import { username } from "better-auth/plugins";
import type Redis from "ioredis";
import { hashPassword, verifyPassword } from "@mkt/core";
import { writeAudit, type Db } from "@mkt/db";
import { clientIp } from "../http/client-ip";
import { createSignInLockout, type LockoutPolicy } from "./sign-in-lockout";

export const SESSION_IDLE_SEC = 30 * 60;
export const SESSION_REFRESH_SEC = 5 * 60;
export const SESSION_ABSOLUTE_SEC = 12 * 60 * 60;

export interface CreateAuthOptions {
  db: Db;
  secret: string;
  baseURL: string;
  redis: Redis;
  /** Namespaces the lockout counters (REDIS_PREFIX; a test's own prefix). */
  redisPrefix: string;
  lockout?: LockoutPolicy;
  /** Sign-in requests per client address per minute (default 30). */
  signInPerMinute?: number;
}

const SIGN_IN = "/sign-in/username";

async function staffByUsername(db: Db, name: unknown) {
  if (typeof name !== "string" || !name.trim()) return null;
  return db.user.findUnique({
    where: { username: name.trim().toLowerCase() },
    select: { id: true, name: true, role: true, orgUnitId: true },
  });
}

export function createAuth({ db, secret, baseURL, redis, redisPrefix, lockout: policy, signInPerMinute = 30 }: CreateAuthOptions) {
  const lockout = createSignInLockout(redis, redisPrefix, policy);
  const absoluteDeadline = (createdAt: Date) => new Date(createdAt.getTime() + SESSION_ABSOLUTE_SEC * 1000);

  return betterAuth({
    secret,
    baseURL,
    trustedOrigins: [baseURL],
    telemetry: { enabled: false },
    logger: { level: "error" },
    database: prismaAdapter(db, { provider: "postgresql" }),
    account: { modelName: "authAccount" },
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 10,
      password: {
        hash: hashPassword,
        verify: ({ hash, password }) => verifyPassword(hash, password),
      },
    },
    session: {
      expiresIn: SESSION_IDLE_SEC,
      updateAge: SESSION_REFRESH_SEC,
      // Every request reads the session row, so disabling a user or a password reset ends
      // their sessions at once.
      cookieCache: { enabled: false },
    },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 300,
      customRules: { [SIGN_IN]: { window: 60, max: signInPerMinute } },
    },
    plugins: [username()],
    databaseHooks: {
      session: {
        create: {
          async before(session) {
            const user = await db.user.findUnique({ where: { id: session.userId }, select: { active: true } });
            if (!user?.active) {
              throw new APIError("FORBIDDEN", { code: "ACCOUNT_DISABLED", message: "账户已停用 / account disabled" });
            }
            // Whatever the client asked ("remember me" off gives a day), a new session idles out.
            const idle = new Date(Date.now() + SESSION_IDLE_SEC * 1000);
            return { data: { ...session, expiresAt: session.expiresAt < idle ? session.expiresAt : idle } };
          },
        },
        update: {
          async before(data, ctx) {
            const createdAt = ctx?.context.session?.session.createdAt;
            if (!createdAt || !(data.expiresAt instanceof Date)) return;
            const deadline = absoluteDeadline(new Date(createdAt));
            return { data: { ...data, expiresAt: data.expiresAt < deadline ? data.expiresAt : deadline } };
          },
        },
      },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path === SIGN_IN) {
          const body = ctx.body as { username?: unknown } | undefined;
          const name = typeof body?.username === "string" ? body.username : "";
          const ip = clientIp(ctx.headers ?? ctx.request?.headers);
          const retryAfter = await lockout.lockedFor(name, ip);
          if (retryAfter !== null) {
            const staff = await staffByUsername(db, name);
            await writeAudit(db, {
              action: "SIGN_IN_FAILED",
              actor: staff,
              targetType: "user",
              targetId: staff?.id,
              ip,
              details: { reason: "locked", ...(staff ? {} : { usernameKnown: false }) },
            });
            throw new APIError(
              "TOO_MANY_REQUESTS",
              { code: "SIGN_IN_LOCKED", message: "登录失败次数过多，请稍后再试 / too many failed sign-ins", retryAfter },
              { "X-Retry-After": String(retryAfter) },
            );
          }
        }
        if (ctx.path === "/sign-out") {
          const current = await getSessionFromCtx(ctx).catch(() => null);
          if (current) {
            const staff = await db.user.findUnique({ where: { id: current.user.id }, select: { id: true, name: true, role: true, orgUnitId: true } });
            await writeAudit(db, { action: "SIGN_OUT", actor: staff, targetType: "user", targetId: current.user.id, ip: clientIp(ctx.headers) });
          }
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== SIGN_IN) return;
        const body = ctx.body as { username?: unknown } | undefined;
        const name = typeof body?.username === "string" ? body.username : "";
        const ip = clientIp(ctx.headers ?? ctx.request?.headers);
        const returned = ctx.context.returned;
        const staff = await staffByUsername(db, name);
        if (isAPIError(returned)) {
          const disabled = returned.status === "FORBIDDEN";
          if (returned.status === "UNAUTHORIZED") await lockout.recordFailure(name, ip);
          await writeAudit(db, {
            action: "SIGN_IN_FAILED",
            actor: staff,
            targetType: "user",
            targetId: staff?.id,
            ip,
            details: { reason: disabled ? "disabled" : "invalid_credentials", ...(staff ? {} : { usernameKnown: false }) },
          });
          return;
        }
        const session = ctx.context.newSession;
        if (!session || !staff) return;
        await lockout.recordSuccess(name, ip);
        await writeAudit(db, { action: "SIGN_IN", actor: staff, targetType: "user", targetId: staff.id, ip });
      }),
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
