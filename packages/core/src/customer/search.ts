/**
 * 客户搜索: by name fragment, phone tail (last 4 digits) or customer number, inside the caller's
 * scope only, keyset-paginated by id. Rows leave here masked whatever the caller's role: who may
 * see a clear value goes through `unmaskCustomer`, which is audited.
 */
import { z } from "zod";
import type { Db, Prisma } from "@mkt/db";
import { mask } from "../auth/masking";
import type { OrgScope } from "../auth/scope";
import { customerScopeWhere } from "../auth/scope-query";
import { AUM_BANDS, aumBand } from "./aum-band";
import { latestAum, latestRisk, type LatestAum, type LatestRisk } from "./facts";

export const customerSearchInput = z.object({
  /** Free text: 4 digits = phone tail; otherwise a customer-number prefix or a name fragment. */
  q: z.string().trim().min(1).max(50).optional(),
  name: z.string().trim().min(1).max(50).optional(),
  phoneTail: z.string().regex(/^\d{4}$/, "4 digits").optional(),
  customerNo: z.string().trim().min(1).max(40).optional(),
  /** The last id of the previous page (tRPC infinite queries fill it in). */
  cursor: z.number().int().positive().nullish(),
  limit: z.number().int().min(1).max(100).default(20),
});
export type CustomerSearchInput = z.infer<typeof customerSearchInput>;

const orgUnitRef = z.object({ id: z.string(), code: z.string(), name: z.string(), nameEn: z.string() });

export const customerSearchRow = z.object({
  id: z.number(),
  customerNo: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  status: z.enum(["ACTIVE", "DORMANT", "CLOSED"]),
  orgUnit: orgUnitRef,
  rm: z.object({ id: z.string(), name: z.string() }).nullable(),
  aum: z.number().nullable(),
  aumBand: z.enum(AUM_BANDS).nullable(),
  riskLevel: z.enum(["C1", "C2", "C3", "C4", "C5"]).nullable(),
  riskExpired: z.boolean().nullable(),
});
export type CustomerSearchRow = z.infer<typeof customerSearchRow>;

export const customerSearchOutput = z.object({
  items: z.array(customerSearchRow),
  nextCursor: z.number().nullable(),
});
export type CustomerSearchOutput = z.infer<typeof customerSearchOutput>;

function conditions(input: CustomerSearchInput): Prisma.CustomerWhereInput[] {
  const out: Prisma.CustomerWhereInput[] = [];
  if (input.name) out.push({ name: { contains: input.name, mode: "insensitive" } });
  if (input.phoneTail) out.push({ phone: { endsWith: input.phoneTail } });
  if (input.customerNo) out.push({ customerNo: { startsWith: input.customerNo, mode: "insensitive" } });
  if (input.q) {
    out.push(
      /^\d{4}$/.test(input.q)
        ? { OR: [{ phone: { endsWith: input.q } }, { customerNo: { endsWith: input.q } }] }
        : { OR: [{ customerNo: { startsWith: input.q, mode: "insensitive" } }, { name: { contains: input.q, mode: "insensitive" } }] },
    );
  }
  return out;
}

const rowSelect = {
  id: true,
  customerNo: true,
  name: true,
  phone: true,
  status: true,
  orgUnit: { select: { id: true, code: true, name: true, nameEn: true } },
  rm: { select: { id: true, name: true } },
} satisfies Prisma.CustomerSelect;
type RowRecord = Prisma.CustomerGetPayload<{ select: typeof rowSelect }>;

/** The search row DTO: the only place a search result is shaped, and masked. */
export function toCustomerSearchRow(c: RowRecord, aum: LatestAum | undefined, risk: LatestRisk | undefined, now: Date): CustomerSearchRow {
  return {
    id: c.id,
    customerNo: c.customerNo,
    name: mask("name", c.name) ?? "",
    phone: mask("phone", c.phone),
    status: c.status,
    orgUnit: c.orgUnit,
    rm: c.rm,
    aum: aum?.aum ?? null,
    aumBand: aum ? aumBand(aum.aum) : null,
    riskLevel: risk?.level ?? null,
    riskExpired: risk ? risk.expiresAt <= now : null,
  };
}

export async function searchCustomers(db: Db, scope: OrgScope, input: CustomerSearchInput, now = new Date()): Promise<CustomerSearchOutput> {
  const where: Prisma.CustomerWhereInput = {
    AND: [customerScopeWhere(scope), ...conditions(input), ...(input.cursor ? [{ id: { gt: input.cursor } }] : [])],
  };
  const rows = await db.customer.findMany({ where, orderBy: { id: "asc" }, take: input.limit + 1, select: rowSelect });
  const page = rows.slice(0, input.limit);
  const ids = page.map((c) => c.id);
  const [aum, risk] = await Promise.all([latestAum(db, ids), latestRisk(db, ids)]);
  return {
    items: page.map((c) => toCustomerSearchRow(c, aum.get(c.id), risk.get(c.id), now)),
    nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null,
  };
}
