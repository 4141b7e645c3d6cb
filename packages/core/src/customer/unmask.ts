/**
 * 脱敏还原: reveal chosen personal fields of one customer. The caller holds customer:unmask and
 * has been scope-checked; the reason is mandatory and the audit row (fields and reason, never
 * the values) is written before anything is revealed, so no reveal happens unaudited.
 */
import { z } from "zod";
import { writeAudit, type Db } from "@mkt/db";
import type { Actor } from "../auth/actor";

export const UNMASKABLE_FIELDS = ["name", "phone", "certNo", "email", "accountNo"] as const;
export type UnmaskableField = (typeof UNMASKABLE_FIELDS)[number];

export const unmaskInput = z.object({
  fields: z.array(z.enum(UNMASKABLE_FIELDS)).min(1).max(UNMASKABLE_FIELDS.length),
  reason: z.string().trim().min(4, "a reason of at least 4 characters").max(500),
});
export type UnmaskInput = z.infer<typeof unmaskInput>;

export const unmaskOutput = z.object({
  name: z.string().optional(),
  phone: z.string().nullable().optional(),
  certNo: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  accounts: z.array(z.object({ id: z.string(), accountNo: z.string() })).optional(),
});
export type UnmaskOutput = z.infer<typeof unmaskOutput>;

export async function unmaskCustomer(
  db: Db,
  actor: Actor,
  customerId: number,
  input: UnmaskInput,
  ip: string | null,
): Promise<UnmaskOutput> {
  const fields = [...new Set(input.fields)];
  const c = await db.customer.findUniqueOrThrow({
    where: { id: customerId },
    select: { name: true, phone: true, certNo: true, email: true },
  });
  const accounts = fields.includes("accountNo")
    ? await db.account.findMany({ where: { customerId }, orderBy: { openedAt: "desc" }, select: { id: true, accountNo: true } })
    : [];
  await writeAudit(db, {
    action: "UNMASK",
    actor,
    targetType: "customer",
    targetId: String(customerId),
    reason: input.reason,
    ip,
    details: { fields },
  });
  const out: UnmaskOutput = {};
  for (const f of fields) {
    if (f === "accountNo") out.accounts = accounts.map((a) => ({ id: a.id.toString(), accountNo: a.accountNo }));
    else if (f === "name") out.name = c.name;
    else out[f] = c[f];
  }
  return out;
}
