/**
 * Sign-in through better-auth's HTTP handler with real Requests: passwords, the failure
 * lockout, disabled users, idle and absolute timeouts (by moving session timestamps in the
 * database, not by sleeping), sign-out, and the audit rows of each — none with a password.
 */
import { randomBytes } from "node:crypto";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRedisPrefix, type TestDb } from "@mkt/db/testing";
import { createAuth, SESSION_ABSOLUTE_SEC, SESSION_IDLE_SEC, type Auth } from "../src/auth/create-auth";
import { createContext } from "../src/context";
import { callPath } from "./call";
import { buildBank, contextFor, type Bank } from "./fixtures";

const BASE = "http://localhost:3000";
const PASSWORD = "Corr3ct-horse-battery";
const WRONG = "Wr0ng-password-guess";

let t: TestDb;
let bank: Bank;
let redis: Redis;
let auth: Auth;
const redisPrefix = testRedisPrefix();

beforeAll(async () => {
  t = await createTestDb();
  bank = await buildBank(t.db, { password: PASSWORD });
  redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  auth = createAuth({ db: t.db, secret: randomBytes(32).toString("hex"), baseURL: BASE, redis, redisPrefix });
});
afterAll(async () => {
  const keys = await redis.keys(`${redisPrefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await t.drop();
});

function signIn(username: string, password: string, ip = "10.1.1.1"): Promise<Response> {
  return auth.handler(
    new Request(`${BASE}/api/auth/sign-in/username`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE, "x-forwarded-for": ip },
      body: JSON.stringify({ username, password }),
    }),
  );
}

/** The Cookie header a browser would send back after this response. */
function cookieFrom(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
}

async function contextFromCookie(cookie: string, resHeaders?: Headers) {
  return createContext({ db: t.db, auth, headers: new Headers({ cookie }), ip: "10.1.1.1", resHeaders });
}

const json = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));

async function sessionOf(userId: string) {
  return t.db.session.findFirstOrThrow({ where: { userId }, orderBy: { createdAt: "desc" } });
}

async function auditRows(userId: string | null, action: string) {
  return t.db.auditLog.findMany({ where: { actorId: userId, action }, orderBy: { id: "asc" } });
}

describe("sign-in", () => {
  it("accepts the right password: a session cookie, a session row, a SIGN_IN audit row", async () => {
    const u = bank.users.rmS01a!;
    const res = await signIn(u.username.toUpperCase(), PASSWORD);
    expect(res.status).toBe(200);
    const ctx = await contextFromCookie(cookieFrom(res));
    expect(ctx.user).toMatchObject({ id: u.id, role: "RM", orgCode: bank.units.BR01S01!.code, orgPath: bank.units.BR01S01!.path });
    const me = (await callPath(ctx, "me.get", undefined)) as { orgUnit: { code: string }; permissions: string[] };
    expect(me.orgUnit.code).toBe(bank.units.BR01S01!.code);
    expect(me.permissions).toContain("customer:unmask");
    expect(await auditRows(u.id, "SIGN_IN")).toEqual([expect.objectContaining({ ip: "10.1.1.1", actorRole: "RM", targetId: u.id })]);
  });

  it("refuses a wrong password and an unknown user alike (401), auditing without the username typed", async () => {
    const u = bank.users.rmS01b!;
    expect((await signIn(u.username, WRONG, "10.2.2.2")).status).toBe(401);
    expect((await signIn("nobody_here", WRONG, "10.2.2.2")).status).toBe(401);
    expect(await auditRows(u.id, "SIGN_IN_FAILED")).toEqual([expect.objectContaining({ details: { reason: "invalid_credentials" } })]);
    const unknown = await auditRows(null, "SIGN_IN_FAILED");
    expect(unknown.at(-1)!.details).toEqual({ reason: "invalid_credentials", usernameKnown: false });
    expect(json(unknown)).not.toContain("nobody_here");
    expect((await redis.keys(`${redisPrefix}:*`)).join(" ")).not.toContain("nobody_here");
  });

  it("locks a username + address after 5 failures, even for the right password; other addresses still work", async () => {
    const u = bank.users.rmS02!;
    for (let i = 0; i < 5; i++) expect((await signIn(u.username, WRONG, "10.3.3.3")).status).toBe(401);
    const locked = await signIn(u.username, PASSWORD, "10.3.3.3");
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("X-Retry-After"))).toBeGreaterThan(14 * 60);
    expect(await auditRows(u.id, "SIGN_IN_FAILED")).toHaveLength(6);
    expect((await auditRows(u.id, "SIGN_IN_FAILED")).at(-1)!.details).toEqual({ reason: "locked" });
    expect((await signIn(u.username, PASSWORD, "10.4.4.4")).status).toBe(200);
  });

  it("counts only failures: a success resets the address's count", async () => {
    const u = bank.users.hoMarketing!;
    for (let i = 0; i < 4; i++) await signIn(u.username, WRONG, "10.5.5.5");
    expect((await signIn(u.username, PASSWORD, "10.5.5.5")).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await signIn(u.username, WRONG, "10.5.5.5")).status).toBe(401);
    expect((await signIn(u.username, PASSWORD, "10.5.5.5")).status).toBe(200);
  });

  it("refuses a disabled user with the right password (403) and audits it", async () => {
    const u = bank.users.hoApprover!;
    await t.db.user.update({ where: { id: u.id }, data: { active: false } });
    const res = await signIn(u.username, PASSWORD, "10.6.6.6");
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await t.db.session.count({ where: { userId: u.id } })).toBe(0);
    expect((await auditRows(u.id, "SIGN_IN_FAILED")).at(-1)!.details).toEqual({ reason: "disabled" });
    expect((await signIn(u.username, WRONG, "10.6.6.6")).status).toBe(401);
    await t.db.user.update({ where: { id: u.id }, data: { active: true } });
  });

  it("limits sign-in requests per address whatever the usernames (flood guard, database storage)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await signIn(`flood_${i}`, WRONG, "10.8.8.8")).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
    expect(await t.db.rateLimit.count()).toBeGreaterThan(0);
  });

  it("never writes a password into the audit log", async () => {
    const all = json(await t.db.auditLog.findMany());
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(WRONG);
  });
});

describe("session timeouts", () => {
  const MIN = 60_000;

  async function fresh(userKey: string, ip: string) {
    const res = await signIn(bank.users[userKey]!.username, PASSWORD, ip);
    expect(res.status).toBe(200);
    return { cookie: cookieFrom(res), session: await sessionOf(bank.users[userKey]!.id) };
  }

  it("starts with the idle timeout", async () => {
    const { session } = await fresh("br01Manager", "10.7.0.1");
    const ttl = session.expiresAt.getTime() - Date.now();
    expect(ttl).toBeGreaterThan(SESSION_IDLE_SEC * 1000 - MIN);
    expect(ttl).toBeLessThanOrEqual(SESSION_IDLE_SEC * 1000);
  });

  it("slides the idle timeout on activity and sends the refreshed cookie", async () => {
    const { cookie, session } = await fresh("br01Manager", "10.7.0.2");
    // Last refreshed 10 minutes ago: 20 minutes left.
    await t.db.session.update({ where: { id: session.id }, data: { expiresAt: new Date(Date.now() + 20 * MIN) } });
    const resHeaders = new Headers();
    const ctx = await contextFromCookie(cookie, resHeaders);
    expect(ctx.user?.id).toBe(bank.users.br01Manager!.id);
    const after = await t.db.session.findUniqueOrThrow({ where: { id: session.id } });
    expect(after.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * MIN);
    expect(resHeaders.getSetCookie().some((c) => c.includes("session_token"))).toBe(true);
  });

  it("ends an idle session", async () => {
    const { cookie, session } = await fresh("br010Manager", "10.7.0.3");
    await t.db.session.update({ where: { id: session.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await contextFromCookie(cookie)).user).toBeNull();
    expect(await t.db.session.count({ where: { id: session.id } })).toBe(0);
  });

  it("ends a busy session at the absolute timeout and deletes it", async () => {
    const { cookie, session } = await fresh("rmBr010", "10.7.0.4");
    await t.db.session.update({
      where: { id: session.id },
      data: { createdAt: new Date(Date.now() - SESSION_ABSOLUTE_SEC * 1000 - MIN), expiresAt: new Date(Date.now() + 25 * MIN) },
    });
    const ctx = await contextFromCookie(cookie);
    expect(ctx.user).toBeNull();
    expect(await t.db.session.count({ where: { id: session.id } })).toBe(0);
    await expect(callPath(ctx, "me.get", undefined)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("never slides a session past the absolute deadline", async () => {
    const { cookie, session } = await fresh("hoAnalyst", "10.7.0.5");
    const createdAt = new Date(Date.now() - SESSION_ABSOLUTE_SEC * 1000 + 5 * MIN);
    await t.db.session.update({ where: { id: session.id }, data: { createdAt, expiresAt: new Date(Date.now() + 20 * MIN) } });
    expect((await contextFromCookie(cookie)).user).not.toBeNull();
    const after = await t.db.session.findUniqueOrThrow({ where: { id: session.id } });
    expect(after.expiresAt.getTime()).toBeLessThanOrEqual(createdAt.getTime() + SESSION_ABSOLUTE_SEC * 1000);
  });

  it("ends the sessions of a user an admin disables", async () => {
    const { cookie } = await fresh("rmS01b", "10.7.0.6");
    expect((await contextFromCookie(cookie)).user).not.toBeNull();
    await callPath(await contextFor(t.db, bank.users.hoAdmin!.id), "user.setActive", { userId: bank.users.rmS01b!.id, active: false });
    expect((await contextFromCookie(cookie)).user).toBeNull();
    await t.db.user.update({ where: { id: bank.users.rmS01b!.id }, data: { active: true } });
  });

  it("signs out: the session is gone and SIGN_OUT is audited", async () => {
    const u = bank.users.br01Admin!;
    const { cookie, session } = await fresh("br01Admin", "10.7.0.7");
    const res = await auth.handler(
      new Request(`${BASE}/api/auth/sign-out`, { method: "POST", headers: { cookie, origin: BASE, "x-forwarded-for": "10.7.0.7" } }),
    );
    expect(res.status).toBe(200);
    expect(await t.db.session.count({ where: { id: session.id } })).toBe(0);
    expect(await auditRows(u.id, "SIGN_OUT")).toHaveLength(1);
  });
});
