/**
 * A small bank for the API's integration tests, on the seed factories: the org tree HO → BR01
 * (S01, S02) and BR010 (S01) — the two branches' codes share a prefix on purpose — staff of every
 * scope, and customers with a full 360° record (PII in every field that must come out masked).
 * Keys ("BR01", "rmS01a", "cS02") name the fixtures; the real codes are random.
 */
import { randomBytes } from "node:crypto";
import type { Db, Role } from "@mkt/db";
import { createCustomer, createOrgTree, createUser, type OrgTree } from "@mkt/db/seed/factories";
import { loadSessionUser } from "../src/auth/session";
import type { Context } from "../src/context";

export interface FixtureUnit {
  key: string;
  id: string;
  code: string;
  path: string;
  parentKey: string | null;
}
export interface FixtureUser {
  key: string;
  id: string;
  username: string;
  role: Role;
  unitKey: string;
}
export interface FixtureCustomer {
  key: string;
  id: number;
  unitKey: string;
  rmKey: string | null;
  name: string;
  phone: string;
  certNo: string;
  email: string;
  accountNo: string;
}
export interface Bank {
  units: Record<string, FixtureUnit>;
  users: Record<string, FixtureUser>;
  customers: Record<string, FixtureCustomer>;
}

/** Fixture keys of the factory's org tree (its codes are random; BR010's starts with BR01's). */
const UNITS: [key: string, treeKey: keyof OrgTree, parent: string | null][] = [
  ["HO", "headOffice", null],
  ["BR01", "branch", "HO"],
  ["BR01S01", "subBranch", "BR01"],
  ["BR01S02", "subBranch2", "BR01"],
  ["BR010", "prefixBranch", "HO"],
  ["BR010S01", "prefixSubBranch", "BR010"],
];

const USERS: [key: string, role: Role, unit: string][] = [
  ["hoAdmin", "ADMIN", "HO"],
  ["hoAnalyst", "ANALYST", "HO"],
  ["hoApprover", "APPROVER", "HO"],
  ["hoMarketing", "MARKETING_MANAGER", "HO"],
  ["br01Admin", "ADMIN", "BR01"],
  ["br01Manager", "BRANCH_MANAGER", "BR01"],
  ["br010Manager", "BRANCH_MANAGER", "BR010"],
  ["rmS01a", "RM", "BR01S01"],
  ["rmS01b", "RM", "BR01S01"],
  ["rmS02", "RM", "BR01S02"],
  ["rmBr010", "RM", "BR010S01"],
];

const CUSTOMERS: [key: string, unit: string, rm: string | null][] = [
  ["cHO", "HO", null],
  ["cBR01", "BR01", null],
  ["cS01a", "BR01S01", "rmS01a"],
  ["cS01b", "BR01S01", "rmS01b"],
  ["cS01none", "BR01S01", null],
  ["cS02", "BR01S02", "rmS02"],
  ["cBR010", "BR010", null],
  ["cBR010S01", "BR010S01", "rmBr010"],
];

const SURNAMES = ["张", "王", "李", "赵", "陈", "刘", "杨", "黄"];

/** The fixture bank; with `password`, every user can sign in with it. */
export async function buildBank(db: Db, opts: { password?: string } = {}): Promise<Bank> {
  const tag = randomBytes(3).toString("hex");
  const tree = await createOrgTree(db);
  const units: Record<string, FixtureUnit> = {};
  for (const [key, treeKey, parentKey] of UNITS) {
    const { id, code, path } = tree[treeKey];
    units[key] = { key, id, code, path, parentKey };
  }

  const users: Record<string, FixtureUser> = {};
  for (const [key, role, unitKey] of USERS) {
    const username = `${key.toLowerCase()}_${tag}`;
    const row = await createUser(db, { role, orgUnit: units[unitKey]!.id, username, name: `员工${key}`, password: opts.password });
    users[key] = { key, id: row.id, username, role, unitKey };
  }

  const [lowRisk, highRisk] = await Promise.all([
    db.product.create({
      data: { code: `TD-${tag}`, name: "三年定期", nameEn: "3Y time deposit", category: "TIME_DEPOSIT", riskLevel: 1, launchedAt: new Date("2020-01-01") },
    }),
    db.product.create({
      data: { code: `FD-${tag}`, name: "成长基金", nameEn: "Growth fund", category: "FUND", riskLevel: 4, launchedAt: new Date("2021-01-01") },
    }),
  ]);

  const customers: Record<string, FixtureCustomer> = {};
  let n = 0;
  for (const [key, unitKey, rmKey] of CUSTOMERS) {
    n += 1;
    const treeKey = UNITS.find(([k]) => k === unitKey)![1];
    const name = `${SURNAMES[n % SURNAMES.length]}小${key}`;
    // Distinct last four digits, so a phone-tail search has exactly one answer.
    const phone = `1380013${String(1000 + n).slice(-4)}`;
    const email = `${key.toLowerCase()}@mail.example`;
    const accountNo = `6222020000${tag}${String(n).padStart(2, "0")}`.replace(/[a-f]/g, "7");
    const c = await createCustomer(db, {
      orgUnit: tree[treeKey],
      rm: rmKey ? await db.user.findUniqueOrThrow({ where: { id: users[rmKey]!.id } }) : null,
      name,
      phone,
      email,
    });
    const certNo = c.certNo!;
    await fillCustomer(db, c.id, { tag: `${tag}${n}`, phone, certNo, email, accountNo, productIds: [lowRisk.id, highRisk.id] });
    customers[key] = { key, id: c.id, unitKey, rmKey, name, phone, certNo, email, accountNo };
  }
  return { units, users, customers };
}

async function fillCustomer(
  db: Db,
  customerId: number,
  f: { tag: string; phone: string; certNo: string; email: string; accountNo: string; productIds: [number, number] },
) {
  const now = Date.now();
  const day = 86_400_000;
  await db.identityDocument.create({ data: { customerId, docType: "ID_CARD", docNo: f.certNo, primary: true } });
  await db.contactPoint.createMany({
    data: [
      { customerId, kind: "MOBILE", value: f.phone, primary: true, verified: true },
      { customerId, kind: "EMAIL", value: f.email },
      { customerId, kind: "ADDRESS", value: "北京市朝阳区建国路88号院3号楼1201" },
      { customerId, kind: "WECHAT_OPENID", value: `oWx_${f.tag}_abcdefghijkl` },
    ],
  });
  await db.riskAssessment.create({
    data: { customerId, level: "C3", assessedAt: new Date(now - 400 * day), expiresAt: new Date(now - 35 * day) },
  });
  await db.consent.createMany({
    data: [
      { customerId, purpose: "MARKETING", channel: "SMS", granted: true, updatedAt: new Date(now - 10 * day) },
      { customerId, purpose: "MARKETING", channel: "CALL", granted: false, updatedAt: new Date(now - 10 * day) },
    ],
  });
  await db.contactRestriction.create({ data: { customerId, kind: "DO_NOT_DISTURB", channel: "CALL", validFrom: new Date(now - day) } });
  await db.account.create({
    data: { accountNo: f.accountNo, customerId, productId: f.productIds[0], kind: "TIME_DEPOSIT", balance: "150000.00", openedAt: new Date("2023-01-01"), maturityDate: new Date(now + 30 * day) },
  });
  await db.holding.create({
    data: { holdingNo: `H${f.tag}`, customerId, productId: f.productIds[1], amount: "80000.50", openedAt: new Date("2024-01-01"), maturityDate: new Date(now + 60 * day) },
  });
  const months = Array.from({ length: 14 }, (_, i) => {
    const d = new Date();
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1));
  });
  await db.monthlyBalance.createMany({
    data: months.map((month, i) => ({ customerId, month, aum: String(230000 + i * 1000), deposit: "150000", wealth: String(80000 + i * 1000), loan: "0" })),
  });
  await db.transaction.createMany({
    data: Array.from({ length: 25 }, (_, i) => ({
      txnNo: `T${f.tag}-${i}`,
      customerId,
      accountNo: f.accountNo,
      txnTime: new Date(now - i * day),
      type: "CARD_SPEND" as const,
      channel: "POS" as const,
      amount: "88.00",
    })),
  });
  await db.appEvent.createMany({
    data: Array.from({ length: 22 }, (_, i) => ({ customerId, eventTime: new Date(now - i * 3_600_000), eventType: "view_product", productId: f.productIds[1] })),
  });
  await db.sourceRecord.createMany({
    data: [
      { sourceSystem: "CORE", sourceKey: `K${f.tag}`, customerId, matchRule: "NEW", name: "x", certNo: f.certNo, phone: f.phone },
      { sourceSystem: "WEALTH", sourceKey: `W${f.tag}`, customerId, matchRule: "CERT_NO", certNo: f.certNo },
    ],
  });
}

/** A tRPC context signed in as a fixture user (or anonymous). */
export async function contextFor(db: Db, userId: string | null): Promise<Context> {
  const user = userId ? await loadSessionUser(db, userId) : null;
  if (userId && !user) throw new Error(`fixture user ${userId} cannot sign in`);
  return { db, user, ip: "10.0.0.1", headers: new Headers() };
}

/** Whether `unitKey` lies in the subtree of `ancestorKey`, walking parent links (not paths). */
export function inSubtree(bank: Bank, unitKey: string, ancestorKey: string): boolean {
  for (let k: string | null = unitKey; k; k = bank.units[k]!.parentKey) if (k === ancestorKey) return true;
  return false;
}
