/** Reading the audit log (审计日志): newest first, filtered by action, actor and time. */
import { z } from "zod";
import type { Db, Prisma } from "@mkt/db";

export const auditListInput = z.object({
  action: z.string().trim().min(1).max(40).optional(),
  /** An actor's user id, or a fragment of their name. */
  actor: z.string().trim().min(1).max(60).optional(),
  from: z.date().optional(),
  to: z.date().optional(),
  /** The id (a decimal string) of the last row of the previous page. */
  cursor: z.string().regex(/^\d+$/).nullish(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type AuditListInput = z.infer<typeof auditListInput>;

export const auditRow = z.object({
  id: z.string(),
  at: z.date(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  actorRole: z.string().nullable(),
  orgUnitId: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  reason: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.unknown(),
});
export const auditListOutput = z.object({ items: z.array(auditRow), nextCursor: z.string().nullable() });

export async function listAuditLog(db: Db, input: AuditListInput): Promise<z.infer<typeof auditListOutput>> {
  const where: Prisma.AuditLogWhereInput = {
    AND: [
      input.action ? { action: input.action } : {},
      input.actor ? { OR: [{ actorId: input.actor }, { actorName: { contains: input.actor, mode: "insensitive" } }] } : {},
      input.from ? { at: { gte: input.from } } : {},
      input.to ? { at: { lt: input.to } } : {},
      input.cursor ? { id: { lt: BigInt(input.cursor) } } : {},
    ],
  };
  const rows = await db.auditLog.findMany({ where, orderBy: { id: "desc" }, take: input.limit + 1 });
  const items = rows.slice(0, input.limit).map((r) => ({ ...r, id: r.id.toString() }));
  return { items, nextCursor: rows.length > input.limit ? items[items.length - 1]!.id : null };
}
