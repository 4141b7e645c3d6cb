/**
 * The router walk: every procedure declares a permission and an org scope, refuses callers
 * without a session (UNAUTHORIZED) and roles without the permission (FORBIDDEN), and every input
 * field that names a resource by id (`id`, `…Id`) is checked against the caller's scope by a
 * guard middleware. 0 unguarded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasPermission, PERMISSIONS, ROLES, type Permission } from "@mkt/core";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { GUARDED_FIELD } from "../src/resources";
import { createCallerFactory, procedure, router } from "../src/trpc";
import { outcome, procedures, type AnyProcedure } from "./call";
import { buildBank, contextFor, type Bank } from "./fixtures";

const SCOPES = ["org", "self", "global", "none"];

function idFields(proc: AnyProcedure): string[] {
  return proc._def.inputs.flatMap((schema) => {
    const shape = (schema as { shape?: Record<string, unknown> }).shape ?? {};
    return Object.keys(shape).filter((k) => k === "id" || /[a-z]Id$/.test(k));
  });
}

function guardedFields(proc: AnyProcedure): string[] {
  return proc._def.middlewares.flatMap((m) => {
    const field = (m as Record<symbol, unknown>)[GUARDED_FIELD];
    return typeof field === "string" ? [field] : [];
  });
}

let t: TestDb;
let bank: Bank;

beforeAll(async () => {
  t = await createTestDb();
  bank = await buildBank(t.db);
});
afterAll(() => t.drop());

describe("router walk", () => {
  const all = procedures();

  it("finds the procedures", () => {
    expect(all.length).toBeGreaterThanOrEqual(16);
  });

  it.each(all)("%s declares a known permission and scope", (_path, proc) => {
    const meta = proc._def.meta as { permission?: string; scope?: string } | undefined;
    expect(meta?.permission).toBeDefined();
    expect([...PERMISSIONS, "public"]).toContain(meta!.permission);
    expect(SCOPES).toContain(meta!.scope);
    expect(meta!.permission === "public").toBe(meta!.scope === "none");
  });

  it.each(all)("%s guards every id it takes", (_path, proc) => {
    expect(guardedFields(proc).sort()).toEqual(expect.arrayContaining(idFields(proc)));
  });

  it.each(all)("%s refuses a caller without a session", async (path, proc) => {
    if ((proc._def.meta as { permission: string }).permission === "public") return;
    expect(await outcome(await contextFor(t.db, null), path, {})).toBe("UNAUTHORIZED");
  });

  it.each(all)("%s refuses every role without its permission", async (path, proc) => {
    const permission = (proc._def.meta as { permission: Permission | "public" }).permission;
    if (permission === "public") return;
    for (const role of ROLES) {
      const user = Object.values(bank.users).find((u) => u.role === role);
      if (!user) continue;
      const result = await outcome(await contextFor(t.db, user.id), path, {});
      if (hasPermission(role, permission)) expect(result, `${role} on ${path}`).not.toMatch(/UNAUTHORIZED|FORBIDDEN/);
      else expect(result, `${role} on ${path}`).toBe("FORBIDDEN");
    }
  });

  it("fails closed on a procedure without meta", async () => {
    // The guard itself, not the walk: an undeclared procedure is refused at call time.
    const bare = router({ leak: procedure.query(() => "data") });
    const caller = createCallerFactory(bare)(await contextFor(t.db, bank.users.hoAdmin!.id));
    await expect(caller.leak()).rejects.toMatchObject({ code: "INTERNAL_SERVER_ERROR" });
  });

  it("sees the id fields the guards must cover", () => {
    const byPath = Object.fromEntries(all);
    expect(idFields(byPath["customer.get360"]!)).toEqual(["customerId"]);
    expect(idFields(byPath["user.update"]!).sort()).toEqual(["orgUnitId", "userId"]);
    expect(guardedFields(byPath["user.update"]!).sort()).toEqual(["orgUnitId", "userId"]);
    expect(guardedFields(byPath["customer.search"]!)).toEqual([]);
  });
});
