/** Identity resolution (统一编码): the merge log, and an admin's reversal of a merge. */
import { z } from "zod";
import { canSeeCustomer } from "@mkt/core";
import { listMerges, mergeCustomer, mergeListInput, mergeListOutput } from "@mkt/core/identity/merges";
import { splitInput, splitMerge, splitOutput } from "@mkt/core/identity/split";
import { resourceProcedure } from "../resources";
import { procedure, router } from "../trpc";

/** Procedures taking `mergeId`: the merged-into customer must be visible to the caller. */
const mergeProcedure = resourceProcedure("merge", {
  idField: "mergeId",
  id: z.string().min(1),
  load: (db, id: string) => mergeCustomer(db, id),
  visible: canSeeCustomer,
});

export const identityRouter = router({
  merges: procedure
    .meta({ permission: "import:read", scope: "org" })
    .input(mergeListInput)
    .output(mergeListOutput)
    .query(({ ctx, input }) => listMerges(ctx.db, ctx.scope, input)),

  split: mergeProcedure
    .meta({ permission: "identity:manage", scope: "org" })
    .input(splitInput)
    .output(splitOutput)
    .mutation(({ ctx, input }) => splitMerge(ctx.db, ctx.user, input, ctx.ip)),
});
