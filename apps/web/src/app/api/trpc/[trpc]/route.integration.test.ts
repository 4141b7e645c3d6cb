/**
 * The two route handlers wired as Next.js serves them: sign in through /api/auth, then call
 * /api/trpc with the session cookie and the proxy's X-Forwarded-For, as the console does.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@mkt/core";
import { createTestDb, testRedisPrefix, type TestDb } from "@mkt/db/testing";
import type * as AuthRoute from "../../auth/[...all]/route";
import type * as TrpcRoute from "./route";

const BASE = "http://localhost:3000";
const PASSWORD = "Route-test-passw0rd";

let t: TestDb;
let authRoute: typeof AuthRoute;
let trpcRoute: typeof TrpcRoute;
let customerId: number;

beforeAll(async () => {
  t = await createTestDb();
  // The server entry reads its configuration on first use: point it at this test's database.
  Object.assign(process.env, {
    DATABASE_URL: t.url,
    BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
    BETTER_AUTH_URL: BASE,
    REDIS_PREFIX: testRedisPrefix(),
  });
  const unit = await t.db.orgUnit.create({ data: { code: "HO", name: "总行", nameEn: "Head office", level: "HEAD_OFFICE", path: "/HO/" } });
  const user = await t.db.user.create({
    data: { username: "route_bm", name: "测试行长", email: "route_bm@test.bank", role: "BRANCH_MANAGER", orgUnitId: unit.id },
  });
  await t.db.authAccount.create({ data: { userId: user.id, accountId: user.id, providerId: "credential", password: await hashPassword(PASSWORD) } });
  customerId = (
    await t.db.customer.create({
      data: { customerNo: "C-ROUTE-1", name: "王小明", phone: "13800138000", orgUnitId: unit.id, orgPath: unit.path, openedAt: new Date("2020-01-01") },
    })
  ).id;
  authRoute = await import("../../auth/[...all]/route");
  trpcRoute = await import("./route");
});
afterAll(async () => {
  const { getDb } = await import("@mkt/api/server");
  await getDb().$disconnect();
  await t.drop();
});

async function signIn(): Promise<string> {
  const res = await authRoute.POST(
    new Request(`${BASE}/api/auth/sign-in/username`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE, "x-forwarded-for": "192.0.2.10" },
      body: JSON.stringify({ username: "route_bm", password: PASSWORD }),
    }),
  );
  expect(res.status).toBe(200);
  return res.headers.getSetCookie().map((c) => c.split(";")[0]!).join("; ");
}

describe("route handlers", () => {
  it("answers 401 to /api/trpc without a session", async () => {
    const res = await trpcRoute.GET(new Request(`${BASE}/api/trpc/me.get`));
    expect(res.status).toBe(401);
  });

  it("serves me.get to a signed-in user through the session cookie", async () => {
    const cookie = await signIn();
    const res = await trpcRoute.GET(new Request(`${BASE}/api/trpc/me.get`, { headers: { cookie } }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { data: { json: { username: string; orgUnit: { code: string } } } } };
    expect(body.result.data.json).toMatchObject({ username: "route_bm", orgUnit: { code: "HO" } });
  });

  it("takes the client address from X-Forwarded-For into the audit log", async () => {
    const cookie = await signIn();
    const res = await trpcRoute.POST(
      new Request(`${BASE}/api/trpc/customer.unmask`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", "x-forwarded-for": "198.51.100.7, 10.0.0.1" },
        body: JSON.stringify({ json: { customerId, fields: ["phone"], reason: "客户来电核实" } }),
      }),
    );
    expect(res.status).toBe(200);
    const audit = await t.db.auditLog.findFirstOrThrow({ where: { action: "UNMASK" } });
    expect(audit.ip).toBe("198.51.100.7");
    expect((await t.db.auditLog.findFirstOrThrow({ where: { action: "SIGN_IN" } })).ip).toBe("192.0.2.10");
  });
});
