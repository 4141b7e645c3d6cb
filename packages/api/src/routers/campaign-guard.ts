import { canSeeOrgUnit } from "@mkt/core";
import { z } from "zod";
import { resourceProcedure } from "../resources";

/**
 * A campaign named by `campaignId`, visible when its org unit lies in the caller's subtree
 * (otherwise NOT_FOUND, as for an id that does not exist). The row is `ctx.campaign`.
 */
export const campaignProcedure = resourceProcedure("campaign", {
  idField: "campaignId",
  id: z.string().min(1).max(64),
  load: async (db, id: string) => {
    const c = await db.campaign.findUnique({ where: { id }, select: { id: true, orgUnit: { select: { path: true } } } });
    return c && { id: c.id, orgPath: c.orgUnit.path };
  },
  visible: (scope, c) => canSeeOrgUnit(scope, c.orgPath),
});
