/**
 * Features at their boundaries, on hand-made facts: a window [at - N days, at) includes its start
 * and excludes its end; "within N days" counts today and day N; month-end balances, the latest
 * risk assessment and ages follow the business date (the day before a midnight run). The one-pass
 * extraction and the per-feature baseline SQL must both give the expected values.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCustomer, createOrgTree } from "../seed/index";
import { createTestDb, type TestDb } from "../testing/index";
import { asOf, DAY_MS } from "./as-of";
import { valueAt } from "./columns";
import { featureKey, type FeatureSpec } from "./feature-spec";
import { extractFeatures, maxCustomerId, withSharedSnapshot } from "./features";
import { featureSubquerySql } from "./features-sql";
import { connectPg, withPgClient } from "./storage";

const AT = new Date("2026-07-01T00:00:00+08:00"); // describes 2026-06-30
const at = asOf(AT);
const ms = (offset: number) => new Date(AT.getTime() + offset);

let t: TestDb;
const id: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestDb();
  const org = await createOrgTree(t.db);
  const make = async (name: string, birth: string | null, openedAt = "2020-01-01") => {
    const c = await createCustomer(t.db, { orgUnit: org.subBranch, openedAt: new Date(`${openedAt}T00:00:00Z`) });
    await t.db.customer.update({ where: { id: c.id }, data: { birthDate: birth ? new Date(`${birth}T00:00:00Z`) : null } });
    id[name] = c.id;
  };
  await make("edges", "1990-06-30");
  await make("empty", "1990-07-01", "2026-06-01");
  await make("partial", null);

  const txn = (customerId: number, time: Date, type: "CARD_SPEND" | "PAYROLL", amount: string, n: number) =>
    ({ txnNo: `B${customerId}-${n}`, customerId, txnTime: time, type, channel: "POS" as const, amount });
  await t.db.transaction.createMany({
    data: [
      txn(id.edges!, ms(-30 * DAY_MS), "CARD_SPEND", "1.00", 1), // first instant of the 30-day window: in
      txn(id.edges!, ms(-30 * DAY_MS - 1), "CARD_SPEND", "10.00", 2), // just before: out
      txn(id.edges!, ms(0), "CARD_SPEND", "100.00", 3), // the run's own instant: out
      txn(id.edges!, ms(-1), "CARD_SPEND", "1000.00", 4), // last instant before: in
      txn(id.edges!, ms(-2 * DAY_MS), "PAYROLL", "8000.55", 5),
    ],
  });
  await t.db.appEvent.createMany({
    data: [
      { customerId: id.edges!, eventTime: ms(-1), eventType: "LOGIN" },
      { customerId: id.edges!, eventTime: ms(-7 * DAY_MS), eventType: "LOGIN" },
      { customerId: id.partial!, eventTime: ms(-3 * DAY_MS - 1), eventType: "LOGIN" },
    ],
  });
  const product = await t.db.product.create({
    data: { code: `TD${id.edges}`, name: "定期", nameEn: "TD", category: "TIME_DEPOSIT", riskLevel: 1, launchedAt: new Date("2020-01-01") },
  });
  const hold = (n: number, maturity: string, amount = "100.00") => ({
    holdingNo: `H${id.edges}-${n}`, customerId: id.edges!, productId: product.id, amount, openedAt: new Date("2026-01-01"), maturityDate: new Date(`${maturity}T00:00:00Z`),
  });
  await t.db.holding.createMany({ data: [hold(1, "2026-06-30"), hold(2, "2026-07-30"), hold(3, "2026-07-31"), hold(4, "2026-06-29", "0.01")] });
  const month = (customerId: number, m: string, aum: string) => ({ customerId, month: new Date(`${m}T00:00:00Z`), aum, deposit: aum, wealth: "0", loan: "0" });
  await t.db.monthlyBalance.createMany({
    data: [
      month(id.edges!, "2026-04-01", "100.00"), month(id.edges!, "2026-05-01", "200.00"), month(id.edges!, "2026-06-01", "300.01"), month(id.edges!, "2026-07-01", "999.00"),
      month(id.partial!, "2026-04-01", "100.00"), month(id.partial!, "2026-05-01", "200.00"),
    ],
  });
  await t.db.riskAssessment.createMany({
    data: [
      { customerId: id.edges!, level: "C2", assessedAt: new Date("2025-01-01T00:00:00Z"), expiresAt: new Date("2026-01-01T00:00:00Z") },
      { customerId: id.edges!, level: "C4", assessedAt: ms(-DAY_MS), expiresAt: AT }, // the latest; expires exactly at the run
      { customerId: id.partial!, level: "C5", assessedAt: ms(1), expiresAt: new Date("2027-07-01T00:00:00Z") }, // after the run: unseen
    ],
  });
}, 120_000);
afterAll(async () => t?.drop());

const txn = (agg: "sum" | "count" | "max" | "avg", days: number, types: ("CARD_SPEND" | "PAYROLL")[] = ["CARD_SPEND"]): FeatureSpec => ({ kind: "txnAgg", agg, types, days });
const CASES: [string, FeatureSpec, Record<string, unknown>][] = [
  ["sum, 30 days: start in, end out", txn("sum", 30), { edges: 1001, empty: 0, partial: 0 }],
  ["count, 30 days", txn("count", 30), { edges: 2, empty: 0, partial: 0 }],
  ["max, 30 days (missing without facts)", txn("max", 30), { edges: 1000, empty: null, partial: null }],
  ["avg, 30 days", txn("avg", 30), { edges: 500.5, empty: null, partial: null }],
  ["sum, 1 day", txn("sum", 1), { edges: 1000, empty: 0, partial: 0 }],
  ["payroll sum keeps cents exact", txn("sum", 30, ["PAYROLL"]), { edges: 8000.55, empty: 0, partial: 0 }],
  ["days since last transaction", { kind: "txnRecency", days: 30 }, { edges: 0, empty: null, partial: null }],
  ["logins, 7 days (start in)", { kind: "eventCount", types: ["LOGIN"], days: 7 }, { edges: 2, empty: 0, partial: 1 }],
  ["days since last login", { kind: "eventRecency", types: ["LOGIN"], days: 30 }, { edges: 0, empty: null, partial: 3 }],
  ["maturing within 30 days: today and day 30 in", { kind: "holding", measure: "maturing", categories: ["TIME_DEPOSIT"], days: 30 }, { edges: 2, empty: 0, partial: 0 }],
  ["maturing within 0 days: today only", { kind: "holding", measure: "maturing", categories: ["TIME_DEPOSIT"], days: 0 }, { edges: 1, empty: 0, partial: 0 }],
  ["next maturity: today", { kind: "holding", measure: "nextMaturity", categories: ["TIME_DEPOSIT"] }, { edges: 20634, empty: null, partial: null }],
  ["holding amount", { kind: "holding", measure: "amount", categories: ["TIME_DEPOSIT"] }, { edges: 300.01, empty: 0, partial: 0 }],
  ["latest month-end AUM: the business month, not a later one", { kind: "balance", measure: "aum", stat: "latest", months: 1 }, { edges: 300.01, empty: null, partial: null }],
  ["latest within 3 months falls back to an earlier month", { kind: "balance", measure: "aum", stat: "latest", months: 3 }, { edges: 300.01, empty: null, partial: 200 }],
  ["3-month average", { kind: "balance", measure: "aum", stat: "avg", months: 3 }, { edges: 200.00333333333333, empty: null, partial: 150 }],
  ["12-month min", { kind: "balance", measure: "aum", stat: "min", months: 12 }, { edges: 100, empty: null, partial: 100 }],
  ["risk level of the latest assessment before the run", { kind: "risk", field: "level" }, { edges: "C4", empty: null, partial: null }],
  ["expired exactly at the run", { kind: "risk", field: "expired" }, { edges: true, empty: null, partial: null }],
  ["age on the business date (birthday that day)", { kind: "customer", field: "age" }, { edges: 36, empty: 35, partial: null }],
  ["birthday this month", { kind: "customer", field: "birthdayThisMonth" }, { edges: true, empty: false, partial: null }],
  ["tenure in days", { kind: "customer", field: "tenureDays" }, { edges: 2372, empty: 29, partial: 2372 }],
];

describe("features at their boundaries", () => {
  it.each([
    ["raw rows aggregated in Node", "auto"],
    ["one-pass SQL", "sql"],
  ] as const)("extraction (%s) gives the expected values", async (_name, mode) => {
    const url = t.url;
    const result = await withSharedSnapshot(() => connectPg(url), 2, async (clients) => {
      const maxId = await maxCustomerId(clients[0]!);
      return extractFeatures(clients, CASES.map(([, f]) => f), at, { maxId, mode });
    });
    expect(result.passes.filter((p) => p.mode === "rows").length).toBe(mode === "sql" ? 0 : 4);
    for (const [name, f, want] of CASES) {
      const col = result.columns.get(featureKey(f))!;
      const got = Object.fromEntries(Object.keys(want).map((k) => [k, valueAt(col, id[k]!)]));
      expect(got, name).toEqual(want);
    }
  });

  it("the per-feature baseline SQL agrees", async () => {
    await withPgClient(t.url, async (client) => {
      const maxId = await maxCustomerId(client);
      for (const [name, f, want] of CASES) {
        const { rows } = await client.query<{ customer_id: number; v: unknown }>(featureSubquerySql(f, at, maxId));
        const byId = new Map(rows.map((r) => [r.customer_id, r.v]));
        for (const [who, value] of Object.entries(want)) {
          const v = byId.get(id[who]!) ?? null;
          // Counts and sums over no rows are 0 in the platform; the baseline COALESCEs them the same way.
          const zeroDefault = value === 0 && v === null;
          expect(zeroDefault ? 0 : v, `${name} / ${who}`).toEqual(value);
        }
      }
    });
  });
});
