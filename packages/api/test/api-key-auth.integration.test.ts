/**
 * authenticateApiKey: the key an admin issued through apiKey.create authenticates /api/v1
 * calls for its unit and scopes; anything else is a 401 (one answer for every bad key) or, for
 * a good key without the scope, a 403.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { authenticateApiKey } from "../src/http/api-key";
import { HttpError } from "../src/http/errors";
import { callPath } from "./call";
import { buildBank, contextFor, type Bank } from "./fixtures";

let t: TestDb;
let bank: Bank;
let issued: { id: string; key: string; prefix: string };

beforeAll(async () => {
  t = await createTestDb();
  bank = await buildBank(t.db);
  const admin = await contextFor(t.db, bank.users.hoAdmin!.id);
  issued = (await callPath(admin, "apiKey.create", { name: "core banking feed", orgUnitId: bank.units.BR01!.id, scopes: ["import:write"] })) as typeof issued;
});
afterAll(() => t.drop());

const request = (headers: Record<string, string>) => new Request("http://localhost/api/v1/import", { method: "POST", headers });

async function status(req: Request, scope = "import:write"): Promise<number> {
  try {
    await authenticateApiKey(t.db, req, scope);
    return 200;
  } catch (e) {
    if (e instanceof HttpError) return e.status;
    throw e;
  }
}

describe("authenticateApiKey", () => {
  it("authenticates a Bearer key for its org unit and records its use", async () => {
    const { apiKey, orgUnit } = await authenticateApiKey(t.db, request({ authorization: `Bearer ${issued.key}` }), "import:write");
    expect(apiKey.id).toBe(issued.id);
    expect(orgUnit.code).toBe(bank.units.BR01!.code);
    expect(apiKey).not.toHaveProperty("orgUnit");
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: issued.id } })).lastUsedAt).not.toBeNull();
  });

  it("accepts the X-Api-Key header too", async () => {
    expect(await status(request({ "x-api-key": issued.key }))).toBe(200);
  });

  it("answers 401 for a missing, malformed, unknown or wrong key", async () => {
    const wrongSecret = `${issued.key.slice(0, -4)}AAAA`;
    const unknownPrefix = issued.key.replace(issued.prefix, "0".repeat(12));
    expect(await status(request({}))).toBe(401);
    expect(await status(request({ authorization: "Basic abc" }))).toBe(401);
    expect(await status(request({ authorization: "Bearer not-a-key" }))).toBe(401);
    expect(await status(request({ authorization: `Bearer ${wrongSecret}` }))).toBe(401);
    expect(await status(request({ authorization: `Bearer ${unknownPrefix}` }))).toBe(401);
  });

  it("answers 403 for a good key without the scope", async () => {
    expect(await status(request({ authorization: `Bearer ${issued.key}` }), "import:read")).toBe(403);
  });

  it("answers 401 for an expired key", async () => {
    await t.db.apiKey.update({ where: { id: issued.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await status(request({ authorization: `Bearer ${issued.key}` }))).toBe(401);
    await t.db.apiKey.update({ where: { id: issued.id }, data: { expiresAt: null } });
  });

  it("answers 401 once the key is revoked, and the revoke is audited once", async () => {
    const admin = await contextFor(t.db, bank.users.hoAdmin!.id);
    await callPath(admin, "apiKey.revoke", { apiKeyId: issued.id });
    await callPath(admin, "apiKey.revoke", { apiKeyId: issued.id });
    expect(await status(request({ authorization: `Bearer ${issued.key}` }))).toBe(401);
    expect(await t.db.auditLog.count({ where: { action: "API_KEY_REVOKE", targetId: issued.id } })).toBe(1);
  });

  it("never stores or audits the clear key", async () => {
    const rows = JSON.stringify(await t.db.apiKey.findMany()) + JSON.stringify((await t.db.auditLog.findMany()).map((r) => r.details));
    expect(rows).not.toContain(issued.key);
    const secret = issued.key.slice(`mkt_${issued.prefix}_`.length);
    expect(secret.length).toBeGreaterThan(20);
    expect(rows).not.toContain(secret);
  });
});
