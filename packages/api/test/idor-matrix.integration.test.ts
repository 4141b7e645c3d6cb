/**
 * The IDOR matrix: every user of the fixture bank against every resource, across every procedure
 * that takes an id. The expected answer is computed independently of the code under test — by
 * walking the fixture tree's parent links, not by comparing paths — so the BR01 / BR010 prefix
 * trap would show up as a leak. Out of scope must answer NOT_FOUND (existence is not revealed),
 * missing permission FORBIDDEN, in scope must work.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasPermission, type Permission } from "@mkt/core";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { callPath, outcome } from "./call";
import { buildBank, contextFor, inSubtree, type Bank, type FixtureCustomer, type FixtureUser } from "./fixtures";

let t: TestDb;
let bank: Bank;

beforeAll(async () => {
  t = await createTestDb();
  bank = await buildBank(t.db);
});
afterAll(() => t.drop());

const seesCustomer = (u: FixtureUser, c: FixtureCustomer) =>
  inSubtree(bank, c.unitKey, u.unitKey) && (u.role !== "RM" || c.rmKey === u.key);
const seesUnit = (u: FixtureUser, unitKey: string) => inSubtree(bank, unitKey, u.unitKey);
const seesUser = (u: FixtureUser, target: FixtureUser) => (u.role === "RM" ? u.id === target.id : inSubtree(bank, target.unitKey, u.unitKey));

function expected(u: FixtureUser, permission: Permission, visible: boolean, okCode = "OK"): string {
  if (!hasPermission(u.role, permission)) return "FORBIDDEN";
  return visible ? okCode : "NOT_FOUND";
}

/** Runs the matrix and returns every cell that differs from expectation (should be none). */
async function matrix<R>(
  resources: R[],
  label: (r: R) => string,
  path: string,
  input: (r: R, u: FixtureUser) => unknown,
  expect_: (u: FixtureUser, r: R) => string,
): Promise<{ cells: number; wrong: string[]; answers: string[] }> {
  const wrong: string[] = [];
  const answers = new Set<string>();
  let cells = 0;
  for (const u of Object.values(bank.users)) {
    const ctx = await contextFor(t.db, u.id);
    for (const r of resources) {
      cells += 1;
      const want = expect_(u, r);
      const got = await outcome(ctx, path, input(r, u));
      answers.add(got);
      if (got !== want) wrong.push(`${u.key} → ${label(r)}: expected ${want}, got ${got}`);
    }
  }
  return { cells, wrong, answers: [...answers].sort() };
}

describe("IDOR matrix", () => {
  const customers = () => Object.values(bank.customers);
  const units = () => Object.keys(bank.units);
  const users = () => Object.values(bank.users);

  it("customer.get360: exactly the scope's customers", async () => {
    const r = await matrix(customers(), (c) => c.key, "customer.get360", (c) => ({ customerId: c.id }), (u, c) =>
      expected(u, "customer:read", seesCustomer(u, c)),
    );
    expect(r.wrong).toEqual([]);
    expect(r.cells).toBe(88);
    expect(r.answers).toEqual(["NOT_FOUND", "OK"]);
  });

  it("customer.get360: an id that does not exist looks the same as one out of scope", async () => {
    const ctx = await contextFor(t.db, bank.users.br01Manager!.id);
    expect(await outcome(ctx, "customer.get360", { customerId: 999_999 })).toBe("NOT_FOUND");
  });

  it("customer.unmask: only in scope (an RM: own customers only)", async () => {
    const r = await matrix(
      customers(),
      (c) => c.key,
      "customer.unmask",
      (c) => ({ customerId: c.id, fields: ["phone"], reason: "核实客户身份" }),
      (u, c) => expected(u, "customer:unmask", seesCustomer(u, c)),
    );
    expect(r.wrong).toEqual([]);
    expect(r.answers).toEqual(["FORBIDDEN", "NOT_FOUND", "OK"]);
  });

  it("customer.search never returns a row out of scope, and finds every row in scope", async () => {
    const wrong: string[] = [];
    for (const u of users()) {
      if (!hasPermission(u.role, "customer:read")) continue;
      const out = (await callPath(await contextFor(t.db, u.id), "customer.search", { limit: 100 })) as { items: { id: number }[] };
      const got = out.items.map((i) => i.id).sort();
      const want = customers().filter((c) => seesCustomer(u, c)).map((c) => c.id).sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${u.key}: got ${got.join(",")} want ${want.join(",")}`);
    }
    expect(wrong).toEqual([]);
  });

  it("org.tree lists only the caller's subtree", async () => {
    for (const u of users()) {
      if (!hasPermission(u.role, "org:read")) continue;
      const tree = (await callPath(await contextFor(t.db, u.id), "org.tree", undefined)) as { code: string }[];
      const want = units().filter((k) => seesUnit(u, k)).map((k) => bank.units[k]!.code).sort();
      expect(tree.map((x) => x.code).sort(), u.key).toEqual(want);
    }
  });

  it("org.update: only units in the caller's subtree", async () => {
    const r = await matrix(units(), (k) => k, "org.update", (k) => ({ orgUnitId: bank.units[k]!.id, region: "华北" }), (u, k) =>
      expected(u, "org:manage", seesUnit(u, k)),
    );
    expect(r.wrong).toEqual([]);
    expect(r.answers).toEqual(["FORBIDDEN", "NOT_FOUND", "OK"]);
  });

  it("org.create: only under a parent in the caller's subtree", async () => {
    let n = 0;
    const r = await matrix(
      units(),
      (k) => k,
      "org.create",
      (k) => ({ parentId: bank.units[k]!.id, code: `NEW${(n += 1)}`, name: "新机构", nameEn: "New unit" }),
      // A sub-branch cannot have children: in scope it is a BAD_REQUEST, out of scope still NOT_FOUND.
      (u, k) => expected(u, "org:manage", seesUnit(u, k), k.includes("S0") ? "BAD_REQUEST" : "OK"),
    );
    expect(r.wrong).toEqual([]);
  });

  it("user.update / user.setActive: only users in the caller's subtree", async () => {
    for (const path of ["user.update", "user.setActive"]) {
      const r = await matrix(
        users(),
        (x) => x.key,
        path,
        (x) => (path === "user.update" ? { userId: x.id, employeeNo: `E-${x.key}` } : { userId: x.id, active: true }),
        (u, x) => expected(u, "user:manage", seesUser(u, x)),
      );
      expect(r.wrong, path).toEqual([]);
      expect(r.answers, path).toEqual(["FORBIDDEN", "NOT_FOUND", "OK"]);
    }
  });

  it("user.update: a user cannot be moved into a unit out of the caller's scope", async () => {
    const ctx = await contextFor(t.db, bank.users.br01Admin!.id);
    const target = bank.users.rmS01a!;
    expect(await outcome(ctx, "user.update", { userId: target.id, orgUnitId: bank.units.BR010S01!.id })).toBe("NOT_FOUND");
    expect(await outcome(ctx, "user.update", { userId: target.id, orgUnitId: bank.units.BR01S02!.id })).toBe("OK");
    const moved = await t.db.user.findUniqueOrThrow({ where: { id: target.id } });
    expect(moved.orgUnitId).toBe(bank.units.BR01S02!.id);
    await t.db.user.update({ where: { id: target.id }, data: { orgUnitId: bank.units.BR01S01!.id } });
  });

  it("user.list: filter units only in scope; rows only in scope", async () => {
    const r = await matrix(units(), (k) => k, "user.list", (k) => ({ orgUnitId: bank.units[k]!.id }), (u, k) =>
      expected(u, "user:read", seesUnit(u, k)),
    );
    expect(r.wrong).toEqual([]);
    for (const u of users()) {
      if (!hasPermission(u.role, "user:read")) continue;
      const out = (await callPath(await contextFor(t.db, u.id), "user.list", { limit: 100 })) as { items: { id: string }[] };
      const want = users().filter((x) => seesUser(u, x)).map((x) => x.id).sort();
      expect(out.items.map((x) => x.id).sort(), u.key).toEqual(want);
    }
  });

  it("user.create: only into a unit in the caller's subtree", async () => {
    let n = 0;
    const r = await matrix(
      units(),
      (k) => k,
      "user.create",
      (k) => {
        n += 1;
        return { username: `new_${n}`, name: "新员工", email: `new${n}@test.bank`, role: "RM", orgUnitId: bank.units[k]!.id, password: "Str0ng-passw0rd" };
      },
      (u, k) => expected(u, "user:manage", seesUnit(u, k)),
    );
    expect(r.wrong).toEqual([]);
  });

  it("campaign.get / funnel / review / saveFlow / list: only campaigns of units in the caller's subtree", async () => {
    const author = bank.users.hoMarketing!.id;
    const flow = { version: 1, nodes: [{ id: "entry", type: "entry" }, { id: "exit", type: "exit" }], edges: [{ source: "entry", target: "exit" }] };
    const campaigns = await Promise.all(
      units().map((k) =>
        t.db.campaign.create({
          data: { code: `IDOR-${k}-${Date.now()}`, name: `活动 ${k}`, audienceKind: "SEGMENT", scheduleKind: "NOW", flow, createdById: author, orgUnitId: bank.units[k]!.id },
        }).then((c) => ({ id: c.id, unitKey: k })),
      ),
    );
    for (const path of ["campaign.get", "campaign.funnel", "campaign.review"]) {
      const r = await matrix(campaigns, (c) => c.unitKey, path, (c) => ({ campaignId: c.id }), (u, c) => expected(u, "campaign:read", seesUnit(u, c.unitKey)));
      expect(r.wrong, path).toEqual([]);
      expect(r.answers, path).toEqual(["FORBIDDEN", "NOT_FOUND", "OK"]);
    }
    const save = await matrix(campaigns, (c) => c.unitKey, "campaign.saveFlow", (c) => ({ campaignId: c.id, flow }), (u, c) => expected(u, "campaign:write", seesUnit(u, c.unitKey)));
    expect(save.wrong).toEqual([]);
    expect(save.answers).toEqual(["FORBIDDEN", "NOT_FOUND", "OK"]);
    for (const u of users()) {
      if (!hasPermission(u.role, "campaign:read")) continue;
      const out = (await callPath(await contextFor(t.db, u.id), "campaign.list", { pageSize: 100 })) as { items: { id: string }[] };
      const want = campaigns.filter((c) => seesUnit(u, c.unitKey)).map((c) => c.id).sort();
      expect(out.items.map((c) => c.id).sort(), u.key).toEqual(want);
    }
  });

  it("apiKey.create / apiKey.revoke: only for units in the caller's subtree", async () => {
    let n = 0;
    const create = await matrix(
      units(),
      (k) => k,
      "apiKey.create",
      (k) => ({ name: `key ${(n += 1)}`, orgUnitId: bank.units[k]!.id, scopes: ["import:write"] }),
      (u, k) => expected(u, "apikey:manage", seesUnit(u, k)),
    );
    expect(create.wrong).toEqual([]);

    const keys = await t.db.apiKey.findMany({ include: { orgUnit: true } });
    const unitKeyOf = (orgUnitId: string) => Object.values(bank.units).find((x) => x.id === orgUnitId)!.key;
    const revoke = await matrix(keys, (k) => k.orgUnit.code, "apiKey.revoke", (k) => ({ apiKeyId: k.id }), (u, k) =>
      expected(u, "apikey:manage", seesUnit(u, unitKeyOf(k.orgUnitId))),
    );
    expect(revoke.wrong).toEqual([]);

    for (const u of users()) {
      if (!hasPermission(u.role, "apikey:manage")) continue;
      const list = (await callPath(await contextFor(t.db, u.id), "apiKey.list", undefined)) as { orgUnit: { id: string } }[];
      expect(list.every((k) => seesUnit(u, unitKeyOf(k.orgUnit.id))), u.key).toBe(true);
    }
  });
});
