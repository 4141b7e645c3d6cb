/** The org tree: read within the caller's subtree; created and renamed by admins (audited). */
import { createOrgUnit, listOrgTree, orgCreateInput, orgUnitOutput, orgUpdateInput, updateOrgUnit } from "@mkt/core/admin/org-units";
import { z } from "zod";
import { orgUnitProcedure, parentOrgUnitProcedure } from "../resources";
import { procedure, router } from "../trpc";

export const orgRouter = router({
  tree: procedure
    .meta({ permission: "org:read", scope: "org" })
    .output(z.array(orgUnitOutput))
    .query(({ ctx }) => listOrgTree(ctx.db, ctx.scope)),

  create: parentOrgUnitProcedure
    .meta({ permission: "org:manage", scope: "global" })
    .input(orgCreateInput)
    .mutation(({ ctx, input }) => createOrgUnit(ctx.db, ctx.user, ctx.parentOrgUnit, input, ctx.ip)),

  update: orgUnitProcedure
    .meta({ permission: "org:manage", scope: "global" })
    .input(orgUpdateInput)
    .mutation(({ ctx, input }) => updateOrgUnit(ctx.db, ctx.user, input, ctx.ip)),
});
