/**
 * The org scope as query filters (customerScopeWhere for Prisma, customerScopeSql for raw SQL):
 * for every user of the fixture bank both return exactly the customers canSeeCustomer allows —
 * BR01 staff never get BR010's customers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canSeeCustomer, scopeFor } from "@mkt/core";
import { customerScopeSql, customerScopeWhere, orgUnitScopeWhere, userScopeWhere } from "@mkt/core/auth/scope-query";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { buildBank, type Bank } from "./fixtures";

let t: TestDb;
let bank: Bank;

beforeAll(async () => {
  t = await createTestDb();
  bank = await buildBank(t.db);
});
afterAll(() => t.drop());

describe("scope query filters", () => {
  it("select the same customers as the scope rule, in Prisma and in SQL", async () => {
    const all = await t.db.customer.findMany({ select: { id: true, orgPath: true, rmId: true } });
    for (const u of Object.values(bank.users)) {
      const scope = scopeFor({ id: u.id, role: u.role, orgPath: bank.units[u.unitKey]!.path });
      const want = all.filter((c) => canSeeCustomer(scope, c)).map((c) => c.id).sort();
      const viaPrisma = (await t.db.customer.findMany({ where: customerScopeWhere(scope), select: { id: true } })).map((c) => c.id).sort();
      const viaSql = (await t.db.$queryRaw<{ id: number }[]>`SELECT c.id FROM customer c WHERE ${customerScopeSql(scope, "c")}`).map((c) => c.id).sort();
      expect(viaPrisma, u.key).toEqual(want);
      expect(viaSql, u.key).toEqual(want);
    }
  });

  it("keep BR01 and BR010 apart for org units and users", async () => {
    const scope = scopeFor({ id: bank.users.br01Manager!.id, role: "BRANCH_MANAGER", orgPath: bank.units.BR01!.path });
    const units = await t.db.orgUnit.findMany({ where: orgUnitScopeWhere(scope), select: { id: true } });
    expect(units.map((u) => u.id).sort()).toEqual(["BR01", "BR01S01", "BR01S02"].map((k) => bank.units[k]!.id).sort());
    const users = await t.db.user.findMany({ where: userScopeWhere(scope), select: { id: true } });
    expect(users.map((u) => u.id).sort()).toEqual(
      Object.values(bank.users).filter((u) => u.unitKey.startsWith("BR01") && !u.unitKey.startsWith("BR010")).map((u) => u.id).sort(),
    );
  });
});
