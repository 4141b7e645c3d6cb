/**
 * Every operator on hand-made tag values, behaviour windows at their day boundaries, holdings,
 * org scope (BR01 vs BR010) and the real-time overlay — each case checked twice: the resident
 * index and the SQL baseline must both give exactly the expected customers.
 *
 * Customers 1–6 belong to branch B1 (4–6 in its sub-branch), 7–8 to branch B10, whose code and
 * path start with B1's. Values (– = no value):
 *
 *   id           1      2      3      4      5      6      7      8
 *   HAS_LOAN     true   false  –      true   false  –      true   false
 *   GENDER       e0     e1     –      e0     e2     –      e1     e0      (e = enum values)
 *   AGE          10.x   20     –      30     0      -5     –      20      (10.x = 10.693883333333334)
 *   NEXT_MAT.    T-10   T      –      T+5    T+31   T-31   T      –       (T = today)
 */
import { createCustomer, createOrgTree, createUser } from "@mkt/db/seed/index";
import { copyRunColumns, swapCurrentRun, withPgClient, type StoredColumn } from "@mkt/db/tags/storage";
import { createTestDb, type TestDb } from "@mkt/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrgScope } from "../../auth/scope";
import { installTagLibrary } from "../../tags/install-library";
import { createTagRun } from "../../tags/run";
import { segmentMembers } from "../engine";
import { SegmentRuleError, type SegmentRule } from "../rule";
import { segmentMembersSql } from "../sql";
import { bankDay } from "./days";
import { ResidentSegmentIndex } from "./resident";

const NOW = new Date("2026-06-30T15:00:00+08:00");
/** 17 significant digits: the SQL side must receive it exactly. */
const PRECISE = 10.693883333333334;
const T = bankDay(NOW);
const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

let t: TestDb;
let resident: ResidentSegmentIndex;
let hoScope: OrgScope;
let b1: OrgScope;
let b10: OrgScope;
let rmScope: OrgScope;
let ids: number[]; // ids[k] = customer k (1-based), ids[0] unused
let gender: string[];
const resolveSegment = async () => {
  throw new Error("no segments here");
};

/** Both engines, as 1-based customer numbers of this test. */
async function both(rule: SegmentRule, scope: OrgScope = hoScope): Promise<{ index: number[]; sql: number[] }> {
  const index = await resident.get();
  const toK = (xs: number[]) => xs.map((id) => ids.indexOf(id)).sort((a, b) => a - b);
  const got = (await segmentMembers(t.db, rule, scope, { resolveSegment, now: NOW, index: resident })).toArray();
  const want = await segmentMembersSql(t.db, rule, scope, { tags: index.catalogue, now: NOW, resolveSegment });
  return { index: toK(got), sql: toK(want) };
}

async function expectMembers(rule: SegmentRule, expected: number[], scope: OrgScope = hoScope): Promise<void> {
  const r = await both(rule, scope);
  expect({ rule, ...r }).toEqual({ rule, index: expected, sql: expected });
}

const tag = (code: string, rest: Record<string, unknown>): SegmentRule => ({ kind: "tag", tag: code, ...rest }) as SegmentRule;
const not = (child: SegmentRule): SegmentRule => ({ kind: "group", op: "and", not: true, children: [child] });

beforeAll(async () => {
  t = await createTestDb();
  await installTagLibrary(t.db);
  const org = await createOrgTree(t.db);
  const rm = await createUser(t.db, { role: "RM", orgUnit: org.subBranch });
  const units = [org.branch, org.branch, org.branch, org.subBranch, org.subBranch, org.subBranch, org.prefixBranch, org.prefixSubBranch];
  ids = [0];
  for (let k = 1; k <= 8; k++) ids.push((await createCustomer(t.db, { orgUnit: units[k - 1]!, rm: k === 4 || k === 5 ? rm : null })).id);
  hoScope = { kind: "subtree", orgPath: org.headOffice.path };
  b1 = { kind: "subtree", orgPath: org.branch.path };
  b10 = { kind: "subtree", orgPath: org.prefixBranch.path };
  rmScope = { kind: "rm", orgPath: org.subBranch.path, rmId: rm.id };

  const tags = new Map((await t.db.tag.findMany({ select: { id: true, code: true, enumValues: true } })).map((x) => [x.code, x]));
  gender = (tags.get("GENDER")!.enumValues as { value: string }[]).map((v) => v.value);
  const size = Math.max(...ids) + 1;
  const at = (vals: (number | null)[], fill: number, Arr: Float64ArrayConstructor | Int16ArrayConstructor | Uint8ArrayConstructor) => {
    const a = new Arr(size).fill(fill);
    vals.forEach((v, k) => {
      if (v !== null) a[ids[k + 1]!] = v;
    });
    return a;
  };
  const columns: StoredColumn[] = [
    { tagId: tags.get("HAS_LOAN")!.id, version: 1, valueType: "BOOLEAN", column: { type: "bool", data: at([1, 0, null, 1, 0, null, 1, 0], 255, Uint8Array) as Uint8Array } },
    { tagId: tags.get("GENDER")!.id, version: 1, valueType: "ENUM", column: { type: "label", data: at([0, 1, null, 0, 2, null, 1, 0], -1, Int16Array) as Int16Array, dict: gender } },
    { tagId: tags.get("AGE")!.id, version: 1, valueType: "NUMBER", column: { type: "num", data: at([PRECISE, 20, null, 30, 0, -5, null, 20], NaN, Float64Array) as Float64Array } },
    { tagId: tags.get("NEXT_MATURITY_DATE")!.id, version: 1, valueType: "DATE", column: { type: "date", data: at([T - 10, T, null, T + 5, T + 31, T - 31, T, null], NaN, Float64Array) as Float64Array } },
    { tagId: tags.get("LARGE_FUND_MOVEMENT_24H")!.id, version: 1, valueType: "BOOLEAN", column: { type: "bool", data: at([0, 0, 1, 0, 0, 0, 0, 0], 255, Uint8Array) as Uint8Array } },
  ];
  const run = await createTagRun(t.db, { trigger: "MANUAL", asOf: new Date("2026-06-30T00:00:00+08:00") });
  await withPgClient(t.url, async (c) => {
    await c.query("BEGIN");
    await copyRunColumns(c, run.id, columns);
    await swapCurrentRun(c, run.id);
    await c.query("COMMIT");
  });

  // Real-time overlay (newer than the run): 2 set true (unexpired), 3 set NULL (hides its batch
  // true), 4 set true but expired (the batch false stands).
  const rt = tags.get("LARGE_FUND_MOVEMENT_24H")!.id;
  const future = new Date(Date.now() + 3_600_000);
  await t.db.realtimeTagValue.createMany({
    data: [
      { tagId: rt, customerId: ids[2]!, valueNum: 1, updatedAt: new Date(), expiresAt: future, eventId: "e2" },
      { tagId: rt, customerId: ids[3]!, valueNum: null, updatedAt: new Date(), expiresAt: future, eventId: "e3" },
      { tagId: rt, customerId: ids[4]!, valueNum: 1, updatedAt: new Date(), expiresAt: new Date(Date.now() - 1000), eventId: "e4" },
    ],
  });

  // Behaviour: the 7-day window starts at 00:00 bank time of T-6.
  const startOf = (day: number) => new Date(day * 86_400_000 - 8 * 3_600_000);
  const txn = (k: number, at: Date, n: number) => ({ txnNo: `X${k}-${n}-${at.getTime()}`, customerId: ids[k]!, txnTime: at, type: "PAYROLL" as const, channel: "BRANCH" as const, amount: 100 });
  await t.db.transaction.createMany({
    data: [
      txn(1, startOf(T - 6), 1), // first instant of the window
      txn(2, new Date(startOf(T - 6).getTime() - 1), 1), // last millisecond before it
      txn(3, startOf(T), 1),
      txn(3, startOf(T - 1), 2), // two in the last 2 days, one today
      txn(4, new Date(startOf(T + 1).getTime() - 1), 1), // last millisecond of today
    ],
  });
  await t.db.appEvent.createMany({
    data: [
      { customerId: ids[5]!, eventTime: startOf(T - 29), eventType: "LOGIN" },
      { customerId: ids[6]!, eventTime: new Date(startOf(T - 29).getTime() - 1), eventType: "LOGIN" },
    ],
  });

  // Holdings: 1 holds WEALTH 30k + 30k; 2 holds WEALTH 40k; 3 has a time deposit account; 4 a closed one.
  const wealth = await t.db.product.create({ data: { code: "WMT01", name: "理财", nameEn: "Wealth", category: "WEALTH", riskLevel: 2, launchedAt: new Date("2025-01-01") } });
  const td = await t.db.product.create({ data: { code: "TDT01", name: "定期", nameEn: "TD", category: "TIME_DEPOSIT", riskLevel: 1, launchedAt: new Date("2025-01-01") } });
  const holding = (k: number, n: number, amount: number) => ({ holdingNo: `H${k}-${n}`, customerId: ids[k]!, productId: wealth.id, amount, openedAt: new Date("2026-01-01") });
  await t.db.holding.createMany({ data: [holding(1, 1, 30_000), holding(1, 2, 30_000), holding(2, 1, 40_000)] });
  await t.db.account.createMany({
    data: [
      { accountNo: "A3", customerId: ids[3]!, productId: td.id, kind: "TIME_DEPOSIT", balance: 5000, openedAt: new Date("2026-01-01") },
      { accountNo: "A4", customerId: ids[4]!, productId: td.id, kind: "TIME_DEPOSIT", balance: 5000, openedAt: new Date("2026-01-01"), status: "CLOSED" },
    ],
  });

  resident = new ResidentSegmentIndex(t.db, { databaseUrl: t.url, clock: () => NOW });
  await resident.rebuild();
}, 180_000);
afterAll(async () => {
  resident?.close();
  await t?.drop();
});

describe("tag operators and missing values", () => {
  it("BOOLEAN: eq, ne, isEmpty, isNotEmpty; a missing value is neither = nor ≠", async () => {
    await expectMembers(tag("HAS_LOAN", { op: "eq", value: true }), [1, 4, 7]);
    await expectMembers(tag("HAS_LOAN", { op: "eq", value: false }), [2, 5, 8]);
    await expectMembers(tag("HAS_LOAN", { op: "ne", value: true }), [2, 5, 8]);
    await expectMembers(tag("HAS_LOAN", { op: "isEmpty" }), [3, 6]);
    await expectMembers(tag("HAS_LOAN", { op: "isNotEmpty" }), [1, 2, 4, 5, 7, 8]);
  });

  it("NOT of a condition includes the customers without a value", async () => {
    await expectMembers(not(tag("HAS_LOAN", { op: "eq", value: true })), [2, 3, 5, 6, 8]);
    await expectMembers(not(tag("AGE", { op: "gt", value: 15 })), [1, 3, 5, 6, 7]);
    await expectMembers(not(tag("GENDER", { op: "ne", value: gender[0] })), [1, 3, 4, 6, 8]);
  });

  it("ENUM: eq, ne, in, notIn, contains", async () => {
    await expectMembers(tag("GENDER", { op: "eq", value: gender[0] }), [1, 4, 8]);
    await expectMembers(tag("GENDER", { op: "ne", value: gender[0] }), [2, 5, 7]);
    await expectMembers(tag("GENDER", { op: "in", values: [gender[1], gender[2]] }), [2, 5, 7]);
    await expectMembers(tag("GENDER", { op: "notIn", values: [gender[1]] }), [1, 4, 5, 8]);
    await expectMembers(tag("GENDER", { op: "contains", value: gender[2]! }), [5]);
  });

  it("NUMBER: eq, ne, in, notIn, gt, gte, lt, lte, between (inclusive)", async () => {
    await expectMembers(tag("AGE", { op: "eq", value: 20 }), [2, 8]);
    await expectMembers(tag("AGE", { op: "eq", value: PRECISE }), [1]);
    await expectMembers(tag("AGE", { op: "in", values: [PRECISE] }), [1]);
    await expectMembers(tag("AGE", { op: "ne", value: 20 }), [1, 4, 5, 6]);
    await expectMembers(tag("AGE", { op: "in", values: [0, 30] }), [4, 5]);
    await expectMembers(tag("AGE", { op: "notIn", values: [0, 30] }), [1, 2, 6, 8]);
    await expectMembers(tag("AGE", { op: "gt", value: 20 }), [4]);
    await expectMembers(tag("AGE", { op: "gte", value: 20 }), [2, 4, 8]);
    await expectMembers(tag("AGE", { op: "gt", value: PRECISE }), [2, 4, 8]);
    await expectMembers(tag("AGE", { op: "lt", value: 10 }), [5, 6]);
    await expectMembers(tag("AGE", { op: "lte", value: 0 }), [5, 6]);
    await expectMembers(tag("AGE", { op: "between", min: 10, max: 20 }), [1, 2, 8]);
  });

  it("DATE: comparisons, between, within N days past and next (inclusive of today and day N)", async () => {
    await expectMembers(tag("NEXT_MATURITY_DATE", { op: "eq", value: iso(T) }), [2, 7]);
    await expectMembers(tag("NEXT_MATURITY_DATE", { op: "lt", value: iso(T) }), [1, 6]);
    await expectMembers(tag("NEXT_MATURITY_DATE", { op: "between", min: iso(T - 10), max: iso(T + 5) }), [1, 2, 4, 7]);
    await expectMembers(tag("NEXT_MATURITY_DATE", { op: "withinDays", days: 10, direction: "past" }), [1, 2, 7]);
    await expectMembers(tag("NEXT_MATURITY_DATE", { op: "withinDays", days: 30, direction: "next" }), [2, 4, 7]);
    await expectMembers(tag("NEXT_MATURITY_DATE", { op: "withinDays", days: 31, direction: "next" }), [2, 4, 5, 7]);
  });

  it("real-time overlay: newer unexpired values replace the batch value; NULL hides it; expired ones do not count", async () => {
    await expectMembers(tag("LARGE_FUND_MOVEMENT_24H", { op: "eq", value: true }), [2]);
    await expectMembers(tag("LARGE_FUND_MOVEMENT_24H", { op: "isEmpty" }), [3]);
    await expectMembers(tag("LARGE_FUND_MOVEMENT_24H", { op: "eq", value: false }), [1, 4, 5, 6, 7, 8]);
  });

  it("refuses an operator that does not suit the tag, naming the path", async () => {
    const rule: SegmentRule = { kind: "group", op: "and", children: [tag("HAS_LOAN", { op: "gt", value: 1 })] };
    await expect(segmentMembers(t.db, rule, hoScope, { resolveSegment, now: NOW, index: resident })).rejects.toThrow(SegmentRuleError);
    await expect(segmentMembers(t.db, rule, hoScope, { resolveSegment, now: NOW, index: resident })).rejects.toThrow(/children\.0\.op: operator gt does not apply to a BOOLEAN tag/);
    const enumRule = tag("GENDER", { op: "eq", value: "NOPE" });
    await expect(segmentMembers(t.db, enumRule, hoScope, { resolveSegment, now: NOW, index: resident })).rejects.toThrow(/not a value of this tag/);
  });
});

describe("behaviour windows at the day boundary", () => {
  const payroll = (lastDays: number, atLeast = 1, did = true): SegmentRule => ({ kind: "behavior", source: "txn", eventType: "PAYROLL", did, atLeast, lastDays });
  it("the last D days start at 00:00 bank time of today − (D − 1) and include all of today", async () => {
    await expectMembers(payroll(7), [1, 3, 4]);
    await expectMembers(payroll(8), [1, 2, 3, 4]);
    await expectMembers(payroll(1), [3, 4]);
  });
  it("at least N counts events in the window; did not = fewer (none included)", async () => {
    await expectMembers(payroll(2, 2), [3]);
    await expectMembers(payroll(1, 2), []);
    await expectMembers(payroll(7, 1, false), [2, 5, 6, 7, 8]);
  });
  it("app events by event type", async () => {
    await expectMembers({ kind: "behavior", source: "app", eventType: "LOGIN", did: true, atLeast: 1, lastDays: 30 }, [5]);
    await expectMembers({ kind: "behavior", source: "app", eventType: "LOGIN", did: true, atLeast: 1, lastDays: 31 }, [5, 6]);
  });
});

describe("holdings", () => {
  it("held by category or product, with a minimum total; closed accounts do not count", async () => {
    await expectMembers({ kind: "holding", category: "WEALTH", held: true }, [1, 2]);
    await expectMembers({ kind: "holding", category: "WEALTH", held: true, minAmount: 50_000 }, [1]);
    await expectMembers({ kind: "holding", productCode: "WMT01", held: false, minAmount: 50_000 }, [2, 3, 4, 5, 6, 7, 8]);
    await expectMembers({ kind: "holding", category: "TIME_DEPOSIT", held: true }, [3]);
    await expectMembers({ kind: "holding", productCode: "TDT01", held: true }, [3]);
  });
});

describe("org scope", () => {
  it("a branch counts only its subtree: BR01 and BR010 are not confused", async () => {
    const everyone: SegmentRule = { kind: "group", op: "and", children: [] };
    await expectMembers(everyone, [1, 2, 3, 4, 5, 6, 7, 8]);
    await expectMembers(everyone, [1, 2, 3, 4, 5, 6], b1);
    await expectMembers(everyone, [7, 8], b10);
    await expectMembers(not(tag("HAS_LOAN", { op: "eq", value: true })), [8], b10);
  });
  it("an RM counts only their own customers; NOT stays inside the scope", async () => {
    await expectMembers({ kind: "group", op: "or", children: [] }, [], rmScope);
    await expectMembers(not(tag("AGE", { op: "eq", value: 30 })), [5], rmScope);
  });
});
