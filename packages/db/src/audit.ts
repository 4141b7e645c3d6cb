/**
 * The audit log writer: every sensitive action (sign-in, unmasking, export, approval, launch,
 * permission change, API key issue) goes through here. Rows are append-only in the database.
 * `details` must not carry personal data in the clear (ids and counts, not names or phones).
 */
import { Prisma, type PrismaClient } from "./generated/prisma/client";
import type { SqlTx } from "./sql-tx";

export type AuditAction =
  | "SIGN_IN"
  | "SIGN_IN_FAILED"
  | "SIGN_OUT"
  | "UNMASK"
  | "EXPORT"
  | "APPROVE"
  | "REJECT"
  | "LAUNCH"
  | "PERMISSION_CHANGE"
  | "USER_CREATE"
  | "USER_UPDATE"
  | "API_KEY_CREATE"
  | "API_KEY_REVOKE"
  | "IMPORT"
  | "IDENTITY_SPLIT"
  | "ORG_CHANGE"
  | "SETTINGS_CHANGE";

export interface AuditEntry {
  action: AuditAction;
  actor?: { id: string; name: string; role: string; orgUnitId?: string } | null;
  targetType?: string;
  targetId?: string;
  reason?: string;
  ip?: string | null;
  details?: Prisma.InputJsonValue;
}

type Writer = Pick<PrismaClient, "auditLog"> | Prisma.TransactionClient;

export async function writeAudit(db: Writer, e: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      action: e.action,
      actorId: e.actor?.id ?? null,
      actorName: e.actor?.name ?? null,
      actorRole: e.actor?.role ?? null,
      orgUnitId: e.actor?.orgUnitId ?? null,
      targetType: e.targetType ?? null,
      targetId: e.targetId ?? null,
      reason: e.reason ?? null,
      ip: e.ip ?? null,
      details: e.details,
    },
  });
}

/** `writeAudit` inside a plain-connection transaction (sql-tx.ts): the same row. */
export async function writeAuditSql(tx: Pick<SqlTx, "run">, e: AuditEntry): Promise<void> {
  await tx.run(Prisma.sql`
    INSERT INTO audit_log (action, actor_id, actor_name, actor_role, org_unit_id, target_type, target_id, reason, ip, details)
    VALUES (${e.action}, ${e.actor?.id ?? null}, ${e.actor?.name ?? null}, ${e.actor?.role ?? null}, ${e.actor?.orgUnitId ?? null},
            ${e.targetType ?? null}, ${e.targetId ?? null}, ${e.reason ?? null}, ${e.ip ?? null}, ${e.details === undefined ? null : JSON.stringify(e.details)}::jsonb)`);
}
