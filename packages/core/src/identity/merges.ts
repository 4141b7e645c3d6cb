/**
 * The merge log of identity resolution: which source record joined which golden customer, by
 * which rule and on which (masked) value — the explanation an admin reads before reversing one.
 * Scoped by the golden customer's org unit; names are masked.
 */
import { z } from "zod";
import { Prisma, type Db } from "@mkt/db";
import { maskCertNo, maskName, maskPhone } from "../auth/masking";
import { customerScopeSql } from "../auth/scope-query";
import type { OrgScope } from "../auth/scope";

export const mergeListInput = z.object({
  /** Only merges into (or split off) this customer number. */
  customerNo: z.string().trim().max(32).optional(),
  rule: z.enum(["CERT_NO", "PHONE"]).optional(),
  /** true: only reversed merges; false: only standing ones; absent: both. */
  reversed: z.boolean().optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});
export type MergeListInput = z.input<typeof mergeListInput>;

const customerRef = z.object({ id: z.number(), customerNo: z.string(), name: z.string() });

export const mergeRow = z.object({
  id: z.string(),
  rule: z.enum(["CERT_NO", "PHONE"]),
  matchedValue: z.string().nullable(),
  createdAt: z.date(),
  sourceSystem: z.string(),
  sourceKey: z.string(),
  customer: customerRef,
  reversedAt: z.date().nullable(),
  reversedBy: z.string().nullable(),
  splitCustomer: customerRef.nullable(),
});
export const mergeListOutput = z.object({ total: z.number(), items: z.array(mergeRow) });

interface MergeSqlRow {
  id: string;
  rule: "CERT_NO" | "PHONE";
  matched_value: string | null;
  created_at: Date;
  source_system: string;
  source_key: string;
  customer_id: number;
  customer_no: string;
  customer_name: string;
  reversed_at: Date | null;
  reversed_by: string | null;
  split_id: number | null;
  split_no: string | null;
  split_name: string | null;
  total: number;
}

/**
 * Imports store the matched value masked; a value written unmasked by another loader is masked
 * here, so the log never shows a full certificate or mobile number.
 */
function maskedMatch(rule: "CERT_NO" | "PHONE", value: string | null): string | null {
  if (value === null || value.includes("*")) return value;
  return rule === "CERT_NO" ? maskCertNo(value) : maskPhone(value);
}

export async function listMerges(db: Db, scope: OrgScope, input: MergeListInput): Promise<z.infer<typeof mergeListOutput>> {
  const { customerNo, rule, reversed, page, pageSize } = mergeListInput.parse(input);
  const filters = [
    customerScopeSql(scope, "c"),
    Prisma.sql`m.rule IN ('CERT_NO', 'PHONE')`,
    ...(customerNo ? [Prisma.sql`(c.customer_no = ${customerNo} OR sc.customer_no = ${customerNo})`] : []),
    ...(rule ? [Prisma.sql`m.rule = ${rule}::"MatchRule"`] : []),
    ...(reversed === true ? [Prisma.sql`m.reversed_at IS NOT NULL`] : reversed === false ? [Prisma.sql`m.reversed_at IS NULL`] : []),
  ];
  const rows = await db.$queryRaw<MergeSqlRow[]>`
    SELECT m.id, m.rule::text AS rule, m.matched_value, m.created_at, sr.source_system, sr.source_key,
           c.id AS customer_id, c.customer_no, c.name AS customer_name,
           m.reversed_at, u.name AS reversed_by, sc.id AS split_id, sc.customer_no AS split_no, sc.name AS split_name,
           count(*) OVER ()::int AS total
    FROM identity_merge m
    JOIN source_record sr ON sr.id = m.source_record_id
    JOIN customer c ON c.id = m.customer_id
    LEFT JOIN customer sc ON sc.id = m.split_customer_id
    LEFT JOIN staff_user u ON u.id = m.reversed_by_id
    WHERE ${Prisma.join(filters, " AND ")}
    ORDER BY m.created_at DESC, m.id
    LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`;
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map((r) => ({
      id: r.id,
      rule: r.rule,
      matchedValue: maskedMatch(r.rule, r.matched_value),
      createdAt: r.created_at,
      sourceSystem: r.source_system,
      sourceKey: r.source_key,
      customer: { id: r.customer_id, customerNo: r.customer_no, name: maskName(r.customer_name) },
      reversedAt: r.reversed_at,
      reversedBy: r.reversed_by,
      splitCustomer: r.split_id !== null ? { id: r.split_id, customerNo: r.split_no ?? "", name: maskName(r.split_name ?? "") } : null,
    })),
  };
}

/** The golden customer of a merge (for the scope guard of procedures that take a merge id). */
export async function mergeCustomer(db: Db, mergeId: string): Promise<{ id: number; orgPath: string; rmId: string | null } | null> {
  const merge = await db.identityMerge.findUnique({ where: { id: mergeId }, select: { customerId: true } });
  if (!merge) return null;
  return db.customer.findUnique({ where: { id: merge.customerId }, select: { id: true, orgPath: true, rmId: true } });
}
