/**
 * Administration through the API: users (create → can sign in; role/org changes audited as
 * PERMISSION_CHANGE; a password reset ends sessions), the org tree (paths, levels, duplicate
 * codes), the audit log's filters and pages, and the caller's own profile and locale.
 */
import { randomBytes } from "node:crypto";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRedisPrefix, type TestDb } from "@mkt/db/testing";
import { createAuth, type Auth } from "../src/auth/create-auth";
import { createContext } from "../src/context";
import { callPath, outcome } from "./call";
import { buildBank, contextFor, type Bank } from "./fixtures";

const BASE = "http://localhost:3000";
let t: TestDb;
let bank: Bank;
let redis: Redis;
let auth: Auth;
const redisPrefix = testRedisPrefix();

beforeAll(async () => {
  t = await createTestDb();
  bank = await buildBank(t.db);
  redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  auth = createAuth({ db: t.db, secret: randomBytes(32).toString("hex"), baseURL: BASE, redis, redisPrefix });
});
afterAll(async () => {
  const keys = await redis.keys(`${redisPrefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await t.drop();
});

async function signIn(username: string, password: string): Promise<{ status: number; cookie: string }> {
  const res = await auth.handler(
    new Request(`${BASE}/api/auth/sign-in/username`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE, "x-forwarded-for": "10.9.9.9" },
      body: JSON.stringify({ username, password }),
    }),
  );
  return { status: res.status, cookie: res.headers.getSetCookie().map((c) => c.split(";")[0]!).join("; ") };
}

const admin = () => contextFor(t.db, bank.users.hoAdmin!.id);

describe("user administration", () => {
  let userId: string;

  it("creates a user who can then sign in; usernames are stored lower-case", async () => {
    const out = (await callPath(await admin(), "user.create", {
      username: "Li.Ming",
      name: "李明",
      email: "li.ming@test.bank",
      role: "RM",
      orgUnitId: bank.units.BR01S02!.id,
      employeeNo: "E10086",
      password: "First-passw0rd",
    })) as { id: string };
    userId = out.id;
    expect((await t.db.user.findUniqueOrThrow({ where: { id: userId } })).username).toBe("li.ming");
    const audit = await t.db.auditLog.findFirstOrThrow({ where: { action: "USER_CREATE", targetId: userId } });
    expect(audit.details).toMatchObject({ username: "li.ming", role: "RM" });
    expect(JSON.stringify(audit.details)).not.toContain("First-passw0rd");
    expect((await signIn("li.ming", "First-passw0rd")).status).toBe(200);
  });

  it("refuses a duplicate username, a weak password and an invalid username", async () => {
    const base = { name: "x", role: "RM", orgUnitId: bank.units.BR01S02!.id, password: "Another-passw0rd" };
    expect(await outcome(await admin(), "user.create", { ...base, username: "li.ming", email: "other@test.bank" })).toBe("CONFLICT");
    expect(await outcome(await admin(), "user.create", { ...base, username: "zhang.san", email: "zs@test.bank", password: "short" })).toBe("BAD_REQUEST");
    expect(await outcome(await admin(), "user.create", { ...base, username: "张三", email: "zs@test.bank" })).toBe("BAD_REQUEST");
  });

  it("audits a role or org change as PERMISSION_CHANGE, and the new scope applies at once", async () => {
    await callPath(await admin(), "user.update", { userId, role: "BRANCH_MANAGER", orgUnitId: bank.units.BR01!.id });
    const audit = await t.db.auditLog.findFirstOrThrow({ where: { action: "PERMISSION_CHANGE", targetId: userId } });
    expect(audit.details).toEqual({
      from: { role: "RM", orgUnitId: bank.units.BR01S02!.id },
      to: { role: "BRANCH_MANAGER", orgUnitId: bank.units.BR01!.id },
    });
    const ctx = await contextFor(t.db, userId);
    const found = (await callPath(ctx, "customer.search", { limit: 100 })) as { items: unknown[] };
    expect(found.items).toHaveLength(5); // every customer of BR01's subtree
  });

  it("audits other edits as USER_UPDATE with the field names only", async () => {
    await callPath(await admin(), "user.update", { userId, name: "李明明", employeeNo: "E10087" });
    const audit = await t.db.auditLog.findFirstOrThrow({ where: { action: "USER_UPDATE", targetId: userId }, orderBy: { id: "desc" } });
    expect(audit.details).toEqual({ fields: ["name", "employeeNo"] });
  });

  it("a password reset ends the user's sessions; the new password works, the old one not", async () => {
    const before = await signIn("li.ming", "First-passw0rd");
    expect(before.status).toBe(200);
    await callPath(await admin(), "user.update", { userId, password: "Second-passw0rd" });
    const ctx = await createContext({ db: t.db, auth, headers: new Headers({ cookie: before.cookie }), ip: null });
    expect(ctx.user).toBeNull();
    expect((await signIn("li.ming", "First-passw0rd")).status).toBe(401);
    expect((await signIn("li.ming", "Second-passw0rd")).status).toBe(200);
  });

  it("an admin cannot disable themself or change their own role", async () => {
    const self = bank.users.hoAdmin!.id;
    expect(await outcome(await admin(), "user.setActive", { userId: self, active: false })).toBe("BAD_REQUEST");
    expect(await outcome(await admin(), "user.update", { userId: self, role: "RM" })).toBe("BAD_REQUEST");
  });
});

describe("org tree administration", () => {
  it("creates a sub-branch under a branch with its path and level, audited", async () => {
    const out = (await callPath(await admin(), "org.create", { parentId: bank.units.BR010!.id, code: "NEWSUB01", name: "新支行", nameEn: "New sub-branch" })) as {
      id: string;
      path: string;
    };
    expect(out.path).toBe(`${bank.units.BR010!.path}NEWSUB01/`);
    expect((await t.db.orgUnit.findUniqueOrThrow({ where: { id: out.id } })).level).toBe("SUB_BRANCH");
    expect(await t.db.auditLog.count({ where: { action: "ORG_CHANGE", targetId: out.id } })).toBe(1);
  });

  it("refuses a duplicate code and a code that is not upper-case alphanumeric", async () => {
    const input = { parentId: bank.units.HO!.id, name: "x", nameEn: "x" };
    expect(await outcome(await admin(), "org.create", { ...input, code: bank.units.BR01!.code })).toBe("CONFLICT");
    expect(await outcome(await admin(), "org.create", { ...input, code: "BR_%" })).toBe("BAD_REQUEST");
  });

  it("renames a unit and audits the changed fields; an unchanged update writes nothing", async () => {
    const id = bank.units.BR01!.id;
    await callPath(await admin(), "org.update", { orgUnitId: id, name: "北京分行" });
    await callPath(await admin(), "org.update", { orgUnitId: id, name: "北京分行" });
    const rows = await t.db.auditLog.findMany({ where: { action: "ORG_CHANGE", targetId: id } });
    expect(rows.map((r) => r.details)).toEqual([{ op: "update", code: bank.units.BR01!.code, fields: ["name"] }]);
  });
});

describe("audit.list", () => {
  it("filters by action and actor and pages newest first", async () => {
    const ctx = await contextFor(t.db, bank.users.hoApprover!.id);
    const page1 = (await callPath(ctx, "audit.list", { actor: bank.users.hoAdmin!.id, limit: 2 })) as {
      items: { id: string; actorId: string }[];
      nextCursor: string | null;
    };
    expect(page1.items).toHaveLength(2);
    expect(page1.items.every((r) => r.actorId === bank.users.hoAdmin!.id)).toBe(true);
    const page2 = (await callPath(ctx, "audit.list", { actor: bank.users.hoAdmin!.id, limit: 2, cursor: page1.nextCursor })) as { items: { id: string }[] };
    expect(BigInt(page2.items[0]!.id)).toBeLessThan(BigInt(page1.items[1]!.id));

    const signIns = (await callPath(ctx, "audit.list", { action: "SIGN_IN" })) as { items: { action: string }[] };
    expect(signIns.items.length).toBeGreaterThan(0);
    expect(signIns.items.every((r) => r.action === "SIGN_IN")).toBe(true);

    const future = (await callPath(ctx, "audit.list", { from: new Date(Date.now() + 3_600_000) })) as { items: unknown[] };
    expect(future.items).toEqual([]);
  });
});

describe("me", () => {
  it("returns the user, org unit and permissions, and stores the locale", async () => {
    const ctx = await contextFor(t.db, bank.users.br01Manager!.id);
    const me = (await callPath(ctx, "me.get", undefined)) as { role: string; orgUnit: { code: string; level: string }; permissions: string[]; locale: string };
    expect(me).toMatchObject({ role: "BRANCH_MANAGER", orgUnit: { code: bank.units.BR01!.code, level: "BRANCH" }, locale: "zh-CN" });
    expect(me.permissions).toEqual(expect.arrayContaining(["customer:read", "customer:unmask", "user:read"]));
    expect(me.permissions).not.toContain("user:manage");
    await callPath(ctx, "me.setLocale", { locale: "en" });
    expect(((await callPath(await contextFor(t.db, bank.users.br01Manager!.id), "me.get", undefined)) as { locale: string }).locale).toBe("en");
    expect(await outcome(ctx, "me.setLocale", { locale: "fr" })).toBe("BAD_REQUEST");
  });
});
