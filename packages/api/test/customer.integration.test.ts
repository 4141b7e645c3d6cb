/**
 * Customer search, the 360° view and unmasking: every personal value leaves the API masked for
 * every role; unmasking needs the permission, an in-scope customer and a reason, and leaves an
 * UNMASK audit row naming the fields (never the values).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasPermission, ROLES } from "@mkt/core";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { callPath, outcome } from "./call";
import { buildBank, contextFor, type Bank, type FixtureCustomer } from "./fixtures";

let t: TestDb;
let bank: Bank;

beforeAll(async () => {
  t = await createTestDb();
  bank = await buildBank(t.db);
});
afterAll(() => t.drop());

/** Every clear personal value of a customer that must never appear in masked output. */
async function clearValues(c: FixtureCustomer): Promise<string[]> {
  const points = await t.db.contactPoint.findMany({ where: { customerId: c.id } });
  return [c.name, c.phone, c.certNo, c.email, c.accountNo, ...points.map((p) => p.value)];
}

function leaked(output: unknown, secrets: string[]): string[] {
  const text = JSON.stringify(output, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  return secrets.filter((s) => text.includes(s));
}

describe("masking by role", () => {
  it("search rows and the 360° view carry no clear personal value, whatever the role", async () => {
    const leaks: string[] = [];
    let checked = 0;
    for (const role of ROLES) {
      if (!hasPermission(role, "customer:read")) continue;
      const user = Object.values(bank.users).find((u) => u.role === role)!;
      const ctx = await contextFor(t.db, user.id);
      const search = (await callPath(ctx, "customer.search", { limit: 100 })) as { items: { id: number }[] };
      for (const row of search.items) {
        const c = Object.values(bank.customers).find((x) => x.id === row.id)!;
        const secrets = await clearValues(c);
        leaks.push(...leaked(row, secrets).map((s) => `${role} search ${c.key}: ${s}`));
        const view = await callPath(ctx, "customer.get360", { customerId: c.id });
        leaks.push(...leaked(view, secrets).map((s) => `${role} 360 ${c.key}: ${s}`));
        checked += 1;
      }
    }
    expect(leaks).toEqual([]);
    expect(checked).toBeGreaterThan(20);
  });

  it("masks by the banking rules (surname, 3+4 phone digits, 6+4 certificate, last 4 of accounts)", async () => {
    const c = bank.customers.cS01a!;
    const view = (await callPath(await contextFor(t.db, bank.users.hoAnalyst!.id), "customer.get360", { customerId: c.id })) as {
      profile: { name: string; phone: string; certNo: string; email: string };
      accounts: { accountNo: string }[];
    };
    expect(view.profile.name).toBe(`${[...c.name][0]}${"*".repeat([...c.name].length - 1)}`);
    expect(view.profile.phone).toBe(`${c.phone.slice(0, 3)}****${c.phone.slice(-4)}`);
    expect(view.profile.certNo).toBe(`${c.certNo.slice(0, 6)}********${c.certNo.slice(-4)}`);
    expect(view.profile.email).toMatch(/^c\*+@mail\.example$/);
    expect(view.accounts[0]!.accountNo).toBe(`${"*".repeat(c.accountNo.length - 4)}${c.accountNo.slice(-4)}`);
  });
});

describe("customer.search", () => {
  const search = async (userKey: string, input: object) =>
    ((await callPath(await contextFor(t.db, bank.users[userKey]!.id), "customer.search", input)) as { items: { id: number; aum: number | null; aumBand: string | null; riskLevel: string | null; riskExpired: boolean | null; rm: { name: string } | null }[]; nextCursor: number | null });

  it("finds by phone tail, customer number and the start of a name", async () => {
    const c = bank.customers.cS02!;
    const row = await t.db.customer.findUniqueOrThrow({ where: { id: c.id } });
    expect((await search("hoAnalyst", { phoneTail: c.phone.slice(-4) })).items.map((i) => i.id)).toEqual([c.id]);
    expect((await search("hoAnalyst", { q: c.phone.slice(-4) })).items.map((i) => i.id)).toContain(c.id);
    expect((await search("hoAnalyst", { customerNo: row.customerNo })).items.map((i) => i.id)).toEqual([c.id]);
    expect((await search("hoAnalyst", { q: row.customerNo })).items.map((i) => i.id)).toEqual([c.id]);
    expect((await search("hoAnalyst", { name: c.name })).items.map((i) => i.id)).toEqual([c.id]);
    expect((await search("hoAnalyst", { q: [...c.name].slice(0, 4).join("") })).items.map((i) => i.id)).toEqual([c.id]);
    expect((await search("hoAnalyst", { name: "cS02" })).items).toEqual([]);
  });

  it("does not find an out-of-scope customer even by exact number", async () => {
    const row = await t.db.customer.findUniqueOrThrow({ where: { id: bank.customers.cBR010!.id } });
    expect((await search("br01Manager", { customerNo: row.customerNo })).items).toEqual([]);
    expect((await search("rmS01a", { phoneTail: bank.customers.cS01b!.phone.slice(-4) })).items).toEqual([]);
  });

  it("pages by cursor without overlap", async () => {
    const first = await search("hoAnalyst", { limit: 3 });
    expect(first.items).toHaveLength(3);
    const second = await search("hoAnalyst", { limit: 3, cursor: first.nextCursor });
    const third = await search("hoAnalyst", { limit: 3, cursor: second.nextCursor });
    const ids = [...first.items, ...second.items, ...third.items].map((i) => i.id);
    expect(new Set(ids).size).toBe(8);
    expect(third.nextCursor).toBeNull();
  });

  it("returns the latest AUM, its band, the RM and the risk level with its expiry", async () => {
    const row = (await search("hoAnalyst", { name: bank.customers.cS01a!.name })).items[0]!;
    expect(row.aum).toBe(230000);
    expect(row.aumBand).toBe("GOLD");
    expect(row.rm?.name).toBe("员工rmS01a");
    expect(row.riskLevel).toBe("C3");
    expect(row.riskExpired).toBe(true);
  });

  it("treats LIKE wildcards in the text literally", async () => {
    expect((await search("hoAnalyst", { name: "%" })).items).toEqual([]);
    expect((await search("hoAnalyst", { q: "_" })).items).toEqual([]);
  });

  it("rejects a malformed phone tail", async () => {
    expect(await outcome(await contextFor(t.db, bank.users.hoAnalyst!.id), "customer.search", { phoneTail: "12a4" })).toBe("BAD_REQUEST");
  });
});

describe("customer.get360", () => {
  it("assembles profile, risk, consents, restrictions, products, trend, recent activity and sources", async () => {
    const c = bank.customers.cS01a!;
    const v = (await callPath(await contextFor(t.db, bank.users.rmS01a!.id), "customer.get360", { customerId: c.id })) as {
      profile: { age: number };
      orgUnit: { code: string };
      rm: { id: string };
      risk: { level: string; expired: boolean };
      consents: { purpose: string; channel: string; granted: boolean | null }[];
      restrictions: { kind: string; active: boolean }[];
      holdings: { product: { riskLevel: number; name: string }; daysToMaturity: number }[];
      accounts: { product: { name: string }; balance: number }[];
      aumTrend: { month: string }[];
      transactions: unknown[];
      events: unknown[];
      sourceRecords: { sourceSystem: string; matchRule: string }[];
    };
    expect(v.orgUnit.code).toBe(bank.units.BR01S01!.code);
    expect(v.rm.id).toBe(bank.users.rmS01a!.id);
    expect(v.profile.age).toBeGreaterThanOrEqual(18);
    expect(v.risk).toMatchObject({ level: "C3", expired: true });
    expect(v.consents).toHaveLength(12);
    expect(v.consents.find((k) => k.purpose === "MARKETING" && k.channel === "SMS")!.granted).toBe(true);
    expect(v.consents.find((k) => k.purpose === "MARKETING" && k.channel === "CALL")!.granted).toBe(false);
    expect(v.consents.find((k) => k.purpose === "SERVICE" && k.channel === "EMAIL")!.granted).toBeNull();
    expect(v.restrictions).toEqual([expect.objectContaining({ kind: "DO_NOT_DISTURB", active: true })]);
    expect(v.holdings[0]!.product).toMatchObject({ name: "成长基金", riskLevel: 4 });
    expect(v.holdings[0]!.daysToMaturity).toBeGreaterThan(55);
    expect(v.accounts[0]).toMatchObject({ product: { name: "三年定期" }, balance: 150000 });
    expect(v.aumTrend).toHaveLength(12);
    expect(v.aumTrend.map((p) => p.month)).toEqual([...v.aumTrend.map((p) => p.month)].sort());
    expect(v.transactions).toHaveLength(20);
    expect(v.events).toHaveLength(20);
    expect(v.sourceRecords.map((s) => `${s.sourceSystem}:${s.matchRule}`)).toEqual(["CORE:NEW", "WEALTH:CERT_NO"]);
  });
});

describe("customer.unmask", () => {
  const c = () => bank.customers.cS01a!;

  it("reveals the chosen fields to the customer's RM and audits fields and reason, not values", async () => {
    const rm = bank.users.rmS01a!;
    const ctx = await contextFor(t.db, rm.id);
    const out = (await callPath(ctx, "customer.unmask", {
      customerId: c().id,
      fields: ["name", "phone", "accountNo"],
      reason: "客户来电核实身份",
    })) as { name: string; phone: string; accounts: { accountNo: string }[]; certNo?: string };
    expect(out.name).toBe(c().name);
    expect(out.phone).toBe(c().phone);
    expect(out.accounts.map((a) => a.accountNo)).toEqual([c().accountNo]);
    expect(out.certNo).toBeUndefined();

    const audit = await t.db.auditLog.findFirstOrThrow({ where: { action: "UNMASK", actorId: rm.id }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ targetType: "customer", targetId: String(c().id), reason: "客户来电核实身份", ip: "10.0.0.1", actorRole: "RM" });
    expect(audit.details).toEqual({ fields: ["name", "phone", "accountNo"] });
    expect(leaked(audit, await clearValues(c()))).toEqual([]);
  });

  it("needs a reason of at least 4 characters and at least one field", async () => {
    const ctx = await contextFor(t.db, bank.users.br01Manager!.id);
    const before = await t.db.auditLog.count({ where: { action: "UNMASK" } });
    expect(await outcome(ctx, "customer.unmask", { customerId: c().id, fields: ["phone"], reason: "ok" })).toBe("BAD_REQUEST");
    expect(await outcome(ctx, "customer.unmask", { customerId: c().id, fields: ["phone"] })).toBe("BAD_REQUEST");
    expect(await outcome(ctx, "customer.unmask", { customerId: c().id, fields: [], reason: "核实身份" })).toBe("BAD_REQUEST");
    expect(await t.db.auditLog.count({ where: { action: "UNMASK" } })).toBe(before);
  });

  it("is refused to roles without customer:unmask, and to another RM's customer", async () => {
    const input = { customerId: c().id, fields: ["phone"], reason: "核实客户身份" };
    expect(await outcome(await contextFor(t.db, bank.users.hoAnalyst!.id), "customer.unmask", input)).toBe("FORBIDDEN");
    expect(await outcome(await contextFor(t.db, bank.users.hoMarketing!.id), "customer.unmask", input)).toBe("FORBIDDEN");
    expect(await outcome(await contextFor(t.db, bank.users.rmS01b!.id), "customer.unmask", input)).toBe("NOT_FOUND");
    expect(await outcome(await contextFor(t.db, bank.users.br010Manager!.id), "customer.unmask", input)).toBe("NOT_FOUND");
  });
});
