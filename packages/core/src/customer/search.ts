/**
 * 客户搜索: by name (from its start), phone tail (last 4 digits) or customer number, inside the caller's
 * scope only, keyset-paginated by id. Rows leave here masked whatever the caller's role: who may
 * see a clear value goes through `unmaskCustomer`, which is audited.
 */
import { z } from "zod";
import { Prisma, type Db } from "@mkt/db";
import { mask } from "../auth/masking";
import type { OrgScope } from "../auth/scope";
import { customerScopeSql } from "../auth/scope-query";
import { AUM_BANDS, aumBand } from "./aum-band";
import { latestAum, latestRisk, type LatestAum, type LatestRisk } from "./facts";

export const customerSearchInput = z.object({
  /** Free text: 4 digits = phone tail (or customer number); otherwise a customer number or the start of a name. */
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

/** A LIKE prefix pattern for user text: its own % _ \\ match literally. */
const prefixPattern = (text: string) => `${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

interface Filter {
  sql: Prisma.Sql;
  /** Matches few rows: worth starting from its index rather than walking ids. */
  selective: boolean;
}

function conditions(input: CustomerSearchInput): Filter[] {
  // One character of a name is a surname: a large share of all customers (张 or 王 alone are
  // about a tenth), found fastest by walking ids.
  const byName = (text: string): Filter => ({ sql: Prisma.sql`c.name LIKE ${prefixPattern(text)}`, selective: [...text].length > 1 });
  const out: Filter[] = [];
  if (input.name) out.push(byName(input.name));
  if (input.phoneTail) out.push({ sql: Prisma.sql`right(c.phone, 4) = ${input.phoneTail}`, selective: true });
  if (input.customerNo) out.push({ sql: Prisma.sql`c.customer_no = ${input.customerNo}`, selective: true });
  if (input.q) {
    const q = input.q;
    out.push(
      /^\d{4}$/.test(q)
        ? { sql: Prisma.sql`(right(c.phone, 4) = ${q} OR c.customer_no = ${q})`, selective: true }
        : { sql: Prisma.sql`(c.customer_no = ${q} OR ${byName(q).sql})`, selective: byName(q).selective },
    );
  }
  return out;
}

interface RowRecord {
  id: number;
  customer_no: string;
  name: string;
  phone: string | null;
  status: CustomerSearchRow["status"];
  org_id: string;
  org_code: string;
  org_name: string;
  org_name_en: string;
  rm_id: string | null;
  rm_name: string | null;
}

/** The search row DTO: the only place a search result is shaped, and masked. */
export function toCustomerSearchRow(c: RowRecord, aum: LatestAum | undefined, risk: LatestRisk | undefined, now: Date): CustomerSearchRow {
  return {
    id: c.id,
    customerNo: c.customer_no,
    name: mask("name", c.name) ?? "",
    phone: mask("phone", c.phone),
    status: c.status,
    orgUnit: { id: c.org_id, code: c.org_code, name: c.org_name, nameEn: c.org_name_en },
    rm: c.rm_id ? { id: c.rm_id, name: c.rm_name ?? "" } : null,
    aum: aum?.aum ?? null,
    aumBand: aum ? aumBand(aum.aum) : null,
    riskLevel: risk?.level ?? null,
    riskExpired: risk ? risk.expiresAt <= now : null,
  };
}

/**
 * Names match from their start (surname first, as they are asked for at a counter) and phones by
 * their last four digits, each through its own index (prisma/sql/040_customer_search_indexes.sql);
 * a contains-search over millions of names could use none. With a selective filter, rows are
 * ordered by `id + 0` so the planner starts from that filter's index rather than walking the
 * primary key hoping to meet 21 matches (a rare name would scan the table: 0.7 s at 1M
 * customers, 2 ms this way); browsing, or a bare surname, walks the primary key.
 */
export async function searchCustomers(db: Db, scope: OrgScope, input: CustomerSearchInput, now = new Date()): Promise<CustomerSearchOutput> {
  const filters = conditions(input);
  const where = Prisma.join(
    [customerScopeSql(scope, "c"), ...filters.map((f) => f.sql), ...(input.cursor ? [Prisma.sql`c.id > ${input.cursor}`] : [])],
    " AND ",
  );
  const order = filters.some((f) => f.selective) ? Prisma.sql`c.id + 0` : Prisma.sql`c.id`;
  const rows = await db.$queryRaw<RowRecord[]>`
    SELECT c.id, c.customer_no, c.name, c.phone, c.status::text AS status,
           o.id AS org_id, o.code AS org_code, o.name AS org_name, o.name_en AS org_name_en,
           u.id AS rm_id, u.name AS rm_name
    FROM customer c
    JOIN org_unit o ON o.id = c.org_unit_id
    LEFT JOIN staff_user u ON u.id = c.rm_id
    WHERE ${where}
    ORDER BY ${order}
    LIMIT ${input.limit + 1}`;
  const page = rows.slice(0, input.limit);
  const ids = page.map((c) => c.id);
  const [aum, risk] = await Promise.all([latestAum(db, ids), latestRisk(db, ids)]);
  return {
    items: page.map((c) => toCustomerSearchRow(c, aum.get(c.id), risk.get(c.id), now)),
    nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null,
  };
}
