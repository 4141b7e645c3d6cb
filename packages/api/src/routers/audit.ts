/** The audit log, for compliance and admins. */
import { auditListInput, auditListOutput, listAuditLog } from "@mkt/core/admin/audit-log";
import { procedure, router } from "../trpc";

export const auditRouter = router({
  list: procedure
    .meta({ permission: "audit:read", scope: "global" })
    .input(auditListInput)
    .output(auditListOutput)
    .query(({ ctx, input }) => listAuditLog(ctx.db, input)),
});
