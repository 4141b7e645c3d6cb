/**
 * Source-data imports (数据接入): the data dictionary, the batches of the caller's org subtree and
 * one batch with its issues by line. Uploads arrive over REST (import-rest.ts): a file is bytes,
 * not JSON.
 */
import { z } from "zod";
import { canSeeOrgUnit } from "@mkt/core";
import { dictionaryOutput, dictionaryView } from "@mkt/core/import/dictionary-view";
import { batchOrgPath, getImport, importGetInput, importGetOutput, importListInput, importListOutput, listImports } from "@mkt/core/import/queries";
import { resourceProcedure } from "../resources";
import { procedure, router } from "../trpc";

/** Procedures taking `batchId`: the batch must belong to an org unit of the caller's subtree. */
const batchProcedure = resourceProcedure("importBatch", {
  idField: "batchId",
  id: z.string().min(1),
  load: (db, id: string) => batchOrgPath(db, id),
  visible: (scope, batch) => canSeeOrgUnit(scope, batch.orgPath),
});

export const importRouter = router({
  // The dictionary is the same for every unit: the permission alone decides.
  dictionary: procedure
    .meta({ permission: "import:read", scope: "global" })
    .output(dictionaryOutput)
    .query(() => dictionaryView()),

  list: procedure
    .meta({ permission: "import:read", scope: "org" })
    .input(importListInput)
    .output(importListOutput)
    .query(({ ctx, input }) => listImports(ctx.db, ctx.scope, input)),

  get: batchProcedure
    .meta({ permission: "import:read", scope: "org" })
    .input(importGetInput)
    .output(importGetOutput)
    .query(({ ctx, input }) => getImport(ctx.db, input)),
});
