/**
 * 客户360 视图: everything an RM or marketer needs about one customer, in one call. The caller
 * has already been scope-checked (the API's customer guard); this use case only reads and shapes.
 * Every personal field is masked here, in the DTO mapping, for every role.
 */
import { z } from "zod";
import { ConsentPurpose, Channel, type ContactKind, type Db } from "@mkt/db";
import { mask, type PiiKind } from "../auth/masking";

const RISK_LEVELS = ["C1", "C2", "C3", "C4", "C5"] as const;
const money = z.number();

const productRef = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  category: z.string(),
  /** 1..5 = R1..R5 */
  riskLevel: z.number(),
});

export const customer360Output = z.object({
  profile: z.object({
    id: z.number(),
    customerNo: z.string(),
    type: z.string(),
    name: z.string(),
    gender: z.string(),
    age: z.number().nullable(),
    certType: z.string(),
    certNo: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    province: z.string().nullable(),
    city: z.string().nullable(),
    occupation: z.string().nullable(),
    status: z.string(),
    openedAt: z.date(),
  }),
  orgUnit: z.object({ id: z.string(), code: z.string(), name: z.string(), nameEn: z.string(), path: z.string() }),
  rm: z.object({ id: z.string(), name: z.string(), employeeNo: z.string().nullable() }).nullable(),
  risk: z
    .object({ level: z.enum(RISK_LEVELS), assessedAt: z.date(), expiresAt: z.date(), expired: z.boolean(), channel: z.string() })
    .nullable(),
  /** Every purpose × channel; `granted` null = never recorded (treated as not granted). */
  consents: z.array(
    z.object({ purpose: z.string(), channel: z.string(), granted: z.boolean().nullable(), source: z.string().nullable(), updatedAt: z.date().nullable() }),
  ),
  restrictions: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      channel: z.string().nullable(),
      reason: z.string().nullable(),
      validFrom: z.date(),
      validTo: z.date().nullable(),
      active: z.boolean(),
    }),
  ),
  documents: z.array(
    z.object({ id: z.string(), docType: z.string(), docNo: z.string(), expiresAt: z.date().nullable(), primary: z.boolean() }),
  ),
  contactPoints: z.array(
    z.object({ id: z.string(), kind: z.string(), value: z.string(), verified: z.boolean(), primary: z.boolean(), source: z.string().nullable() }),
  ),
  accounts: z.array(
    z.object({
      id: z.string(),
      accountNo: z.string(),
      kind: z.string(),
      product: productRef.nullable(),
      currency: z.string(),
      balance: money,
      openedAt: z.date(),
      maturityDate: z.date().nullable(),
      status: z.string(),
      sourceSystem: z.string(),
    }),
  ),
  holdings: z.array(
    z.object({
      id: z.string(),
      holdingNo: z.string(),
      product: productRef,
      amount: money,
      openedAt: z.date(),
      maturityDate: z.date().nullable(),
      daysToMaturity: z.number().nullable(),
      status: z.string(),
      sourceSystem: z.string(),
    }),
  ),
  /** Oldest first, at most 12 month-ends. */
  aumTrend: z.array(z.object({ month: z.string(), aum: money, deposit: money, wealth: money, loan: money })),
  transactions: z.array(
    z.object({
      id: z.string(),
      txnTime: z.date(),
      type: z.string(),
      channel: z.string(),
      amount: money,
      accountNo: z.string().nullable(),
      product: productRef.nullable(),
      mcc: z.string().nullable(),
    }),
  ),
  events: z.array(z.object({ id: z.string(), eventTime: z.date(), eventType: z.string(), product: productRef.nullable() })),
  sourceRecords: z.array(z.object({ sourceSystem: z.string(), sourceKey: z.string(), matchRule: z.string(), loadedAt: z.date() })),
});
export type Customer360 = z.infer<typeof customer360Output>;
type ProductRef = z.infer<typeof productRef>;

const CONTACT_MASK: Record<ContactKind, PiiKind> = {
  MOBILE: "phone",
  EMAIL: "email",
  WECHAT_OPENID: "opaque",
  ADDRESS: "address",
};

const DAY_MS = 86_400_000;

function ageAt(birthDate: Date | null, now: Date): number | null {
  if (!birthDate) return null;
  let age = now.getUTCFullYear() - birthDate.getUTCFullYear();
  const m = now.getUTCMonth() - birthDate.getUTCMonth();
  if (m < 0 || (m === 0 && now.getUTCDate() < birthDate.getUTCDate())) age -= 1;
  return age;
}

const monthKey = (d: Date) => d.toISOString().slice(0, 7);

export async function getCustomer360(db: Db, customerId: number, now = new Date()): Promise<Customer360> {
  const c = await db.customer.findUniqueOrThrow({
    where: { id: customerId },
    include: {
      orgUnit: { select: { id: true, code: true, name: true, nameEn: true, path: true } },
      rm: { select: { id: true, name: true, employeeNo: true } },
    },
  });
  const by = { where: { customerId } };
  const [risk, consents, restrictions, documents, contactPoints, accounts, holdings, balances, transactions, events, sources] =
    await Promise.all([
      db.riskAssessment.findFirst({ ...by, orderBy: { assessedAt: "desc" } }),
      db.consent.findMany(by),
      db.contactRestriction.findMany({ ...by, orderBy: { validFrom: "desc" } }),
      db.identityDocument.findMany({ ...by, orderBy: [{ primary: "desc" }, { docType: "asc" }] }),
      db.contactPoint.findMany({ ...by, orderBy: [{ kind: "asc" }, { primary: "desc" }] }),
      db.account.findMany({ ...by, orderBy: { openedAt: "desc" } }),
      db.holding.findMany({ ...by, orderBy: [{ status: "asc" }, { maturityDate: "asc" }] }),
      db.monthlyBalance.findMany({ ...by, orderBy: { month: "desc" }, take: 12 }),
      db.transaction.findMany({ ...by, orderBy: { txnTime: "desc" }, take: 20 }),
      db.appEvent.findMany({ ...by, orderBy: { eventTime: "desc" }, take: 20 }),
      db.sourceRecord.findMany({ ...by, orderBy: { loadedAt: "asc" }, select: { sourceSystem: true, sourceKey: true, matchRule: true, loadedAt: true } }),
    ]);

  const productIds = new Set<number>();
  for (const r of [...accounts, ...holdings, ...transactions, ...events]) if (r.productId != null) productIds.add(r.productId);
  const products = new Map<number, ProductRef>(
    (
      await db.product.findMany({
        where: { id: { in: [...productIds] } },
        select: { id: true, code: true, name: true, nameEn: true, category: true, riskLevel: true },
      })
    ).map((p) => [p.id, p]),
  );
  const product = (id: number | null) => (id == null ? null : (products.get(id) ?? null));

  const consentOf = new Map(consents.map((k) => [`${k.purpose}:${k.channel}`, k]));
  return {
    profile: {
      id: c.id,
      customerNo: c.customerNo,
      type: c.type,
      name: mask("name", c.name) ?? "",
      gender: c.gender,
      age: ageAt(c.birthDate, now),
      certType: c.certType,
      certNo: mask("certNo", c.certNo),
      phone: mask("phone", c.phone),
      email: mask("email", c.email),
      province: c.province,
      city: c.city,
      occupation: c.occupation,
      status: c.status,
      openedAt: c.openedAt,
    },
    orgUnit: c.orgUnit,
    rm: c.rm,
    risk: risk && {
      level: risk.level,
      assessedAt: risk.assessedAt,
      expiresAt: risk.expiresAt,
      expired: risk.expiresAt <= now,
      channel: risk.channel,
    },
    consents: Object.values(ConsentPurpose).flatMap((purpose) =>
      Object.values(Channel).map((channel) => {
        const k = consentOf.get(`${purpose}:${channel}`);
        return { purpose, channel, granted: k?.granted ?? null, source: k?.source ?? null, updatedAt: k?.updatedAt ?? null };
      }),
    ),
    restrictions: restrictions.map((r) => ({
      id: r.id,
      kind: r.kind,
      channel: r.channel,
      reason: r.reason,
      validFrom: r.validFrom,
      validTo: r.validTo,
      active: r.validFrom <= now && (r.validTo == null || r.validTo > now),
    })),
    documents: documents.map((d) => ({
      id: d.id,
      docType: d.docType,
      docNo: mask("certNo", d.docNo) ?? "",
      expiresAt: d.expiresAt,
      primary: d.primary,
    })),
    contactPoints: contactPoints.map((p) => ({
      id: p.id,
      kind: p.kind,
      value: mask(CONTACT_MASK[p.kind], p.value) ?? "",
      verified: p.verified,
      primary: p.primary,
      source: p.source,
    })),
    accounts: accounts.map((a) => ({
      id: a.id.toString(),
      accountNo: mask("accountNo", a.accountNo) ?? "",
      kind: a.kind,
      product: product(a.productId),
      currency: a.currency,
      balance: a.balance.toNumber(),
      openedAt: a.openedAt,
      maturityDate: a.maturityDate,
      status: a.status,
      sourceSystem: a.sourceSystem,
    })),
    holdings: holdings.map((h) => ({
      id: h.id.toString(),
      holdingNo: h.holdingNo,
      product: product(h.productId)!,
      amount: h.amount.toNumber(),
      openedAt: h.openedAt,
      maturityDate: h.maturityDate,
      daysToMaturity: h.maturityDate ? Math.ceil((h.maturityDate.getTime() - now.getTime()) / DAY_MS) : null,
      status: h.status,
      sourceSystem: h.sourceSystem,
    })),
    aumTrend: balances.reverse().map((b) => ({
      month: monthKey(b.month),
      aum: b.aum.toNumber(),
      deposit: b.deposit.toNumber(),
      wealth: b.wealth.toNumber(),
      loan: b.loan.toNumber(),
    })),
    transactions: transactions.map((t) => ({
      id: t.id.toString(),
      txnTime: t.txnTime,
      type: t.type,
      channel: t.channel,
      amount: t.amount.toNumber(),
      accountNo: mask("accountNo", t.accountNo),
      product: product(t.productId),
      mcc: t.mcc,
    })),
    events: events.map((e) => ({ id: e.id.toString(), eventTime: e.eventTime, eventType: e.eventType, product: product(e.productId) })),
    sourceRecords: sources,
  };
}
