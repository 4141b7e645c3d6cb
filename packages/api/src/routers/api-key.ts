/** API keys for source systems: listed, issued (the key is shown once) and revoked by admins. */
import { apiKeyCreateInput, apiKeyCreateOutput, apiKeyRow, createApiKey, listApiKeys, revokeApiKey } from "@mkt/core/admin/api-keys";
import { z } from "zod";
import { apiKeyProcedure, orgUnitProcedure } from "../resources";
import { procedure, router } from "../trpc";

export const apiKeyRouter = router({
  list: procedure
    .meta({ permission: "apikey:manage", scope: "global" })
    .output(z.array(apiKeyRow))
    .query(({ ctx }) => listApiKeys(ctx.db, ctx.scope)),

  create: orgUnitProcedure
    .meta({ permission: "apikey:manage", scope: "global" })
    .input(apiKeyCreateInput)
    .output(apiKeyCreateOutput)
    .mutation(({ ctx, input }) => createApiKey(ctx.db, ctx.user, input, ctx.ip)),

  revoke: apiKeyProcedure
    .meta({ permission: "apikey:manage", scope: "global" })
    .input(z.object({ apiKeyId: z.string().min(1) }))
    .mutation(({ ctx }) => revokeApiKey(ctx.db, ctx.user, ctx.apiKey.id, ctx.ip)),
});
