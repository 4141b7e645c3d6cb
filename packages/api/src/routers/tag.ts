/**
 * The tag center (标签中心): catalogue, governance (maker-checker), preview, runs, and a
 * customer's tag values. The catalogue is bank-wide (permission alone decides: scope "global");
 * a customer's values follow the customer's org scope. Tags are named by code, versions by
 * (code, version); runs and categories by id, each guarded.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { approveTagVersion, createTag, createTagInput, rejectTagVersion, retireTag, saveTagVersion, submitTagVersion, tagVersionInput } from "@mkt/core/tags/catalogue";
import { importTagValues, tagValueFileInput } from "@mkt/core/tags/import-values";
import { ownerCandidates, ownerCandidatesOutput, setOwnersInput, setTagOwners } from "@mkt/core/tags/owners";
import { previewTagRule } from "@mkt/core/tags/preview";
import {
  approvalsOutput,
  categoryOutput,
  customerTagsOutput,
  customerTagValues,
  getRun,
  getTag,
  listApprovals,
  listCategories,
  listRuns,
  listTags,
  runGetOutput,
  runListInput,
  runListOutput,
  tagGetInput,
  tagGetOutput,
  tagListInput,
  tagListOutput,
} from "@mkt/core/tags/queries";
import { createTagRun } from "@mkt/core/tags/run";
import { enqueueTagBatchRun } from "@mkt/jobs";
import { apiEnv } from "../env";
import { customerProcedure, optionalUsersProcedure, resourceProcedure } from "../resources";
import { procedure, router } from "../trpc";

/** The catalogue is bank-wide: a run or category exists for everyone who may read tags. */
const runProcedure = resourceProcedure("tagRun", {
  idField: "runId",
  id: z.number().int().positive(),
  load: (db, id: number) => db.tagRun.findUnique({ where: { id }, select: { id: true } }),
  visible: () => true,
});
const categoryProcedure = resourceProcedure("tagCategory", {
  idField: "categoryId",
  id: z.number().int().positive(),
  load: (db, id: number) => db.tagCategory.findUnique({ where: { id }, select: { id: true } }),
  visible: () => true,
});

const tagRef = z.strictObject({ code: z.string().max(64) });
const versionRef = tagRef.extend({ version: z.number().int().positive() });

async function tagIdOf(db: Parameters<typeof getTag>[0], code: string): Promise<number> {
  const t = await db.tag.findUnique({ where: { code }, select: { id: true } });
  if (!t) throw new TRPCError({ code: "NOT_FOUND", message: "tag not found" });
  return t.id;
}

export const tagRouter = router({
  categories: procedure.meta({ permission: "tag:read", scope: "global" }).output(categoryOutput).query(({ ctx }) => listCategories(ctx.db)),

  list: procedure
    .meta({ permission: "tag:read", scope: "global" })
    .input(tagListInput)
    .output(tagListOutput)
    .query(({ ctx, input }) => listTags(ctx.db, input)),

  get: procedure
    .meta({ permission: "tag:read", scope: "global" })
    .input(tagGetInput)
    .output(tagGetOutput)
    .query(async ({ ctx, input }) => {
      const tag = await getTag(ctx.db, input);
      if (!tag) throw new TRPCError({ code: "NOT_FOUND", message: "tag not found" });
      return tag;
    }),

  /** A new tag as version 1 (draft); its author is both owner until owners are reassigned. */
  create: categoryProcedure
    .meta({ permission: "tag:write", scope: "global" })
    .input(createTagInput.omit({ businessOwnerId: true, technicalOwnerId: true }))
    .output(z.object({ id: z.number(), version: z.number() }))
    .mutation(({ ctx, input }) => createTag(ctx.db, ctx.user, input)),

  saveVersion: procedure
    .meta({ permission: "tag:write", scope: "global" })
    .input(tagVersionInput.extend({ code: z.string().max(64) }))
    .output(z.object({ version: z.number() }))
    .mutation(async ({ ctx, input: { code, ...version } }) => saveTagVersion(ctx.db, ctx.user, await tagIdOf(ctx.db, code), version)),

  submit: procedure
    .meta({ permission: "tag:write", scope: "global" })
    .input(versionRef)
    .mutation(async ({ ctx, input }) => submitTagVersion(ctx.db, await tagIdOf(ctx.db, input.code), input.version)),

  approvals: procedure.meta({ permission: "tag:approve", scope: "global" }).output(approvalsOutput).query(({ ctx }) => listApprovals(ctx.db)),

  approve: procedure
    .meta({ permission: "tag:approve", scope: "global" })
    .input(versionRef.extend({ note: z.string().trim().max(500).optional() }))
    .mutation(async ({ ctx, input }) => approveTagVersion(ctx.db, ctx.user, await tagIdOf(ctx.db, input.code), input.version, input.note)),

  reject: procedure
    .meta({ permission: "tag:approve", scope: "global" })
    .input(versionRef.extend({ note: z.string().trim().min(1).max(500) }))
    .mutation(async ({ ctx, input }) => rejectTagVersion(ctx.db, ctx.user, await tagIdOf(ctx.db, input.code), input.version, input.note)),

  retire: procedure
    .meta({ permission: "tag:approve", scope: "global" })
    .input(tagRef)
    .output(z.union([z.object({ retired: z.literal(true) }), z.object({ retired: z.literal(false), usedBy: z.array(z.object({ kind: z.string(), refId: z.string(), name: z.string().nullable() })) })]))
    .mutation(async ({ ctx, input }) => retireTag(ctx.db, ctx.user, await tagIdOf(ctx.db, input.code))),

  /** Staff who may own tags, within the caller's org subtree. */
  ownerCandidates: procedure.meta({ permission: "tag:write", scope: "org" }).output(ownerCandidatesOutput).query(({ ctx }) => ownerCandidates(ctx.db, ctx.scope)),

  /** Reassigns a tag's business and/or technical owner (each id guarded by the caller's scope). */
  setOwners: optionalUsersProcedure("businessOwnerId", "technicalOwnerId")
    .meta({ permission: "tag:write", scope: "org" })
    .input(setOwnersInput)
    .mutation(async ({ ctx, input: { code, ...owners } }) => setTagOwners(ctx.db, ctx.user, await tagIdOf(ctx.db, code), owners)),

  /** Values of an IMPORTED tag from a CSV file (customer_no,value): every bad line reported, else all applied. */
  importValues: procedure
    .meta({ permission: "tag:write", scope: "org" })
    .input(tagValueFileInput.extend({ code: z.string().max(64) }))
    .mutation(async ({ ctx, input: { code, ...file } }) => importTagValues(ctx.db, ctx.user, ctx.scope, await tagIdOf(ctx.db, code), file)),

  preview: procedure
    .meta({ permission: "tag:write", scope: "global" })
    .input(
      z.strictObject({
        rule: z.unknown(),
        valueType: z.enum(["BOOLEAN", "ENUM", "NUMBER", "DATE"]),
        enumValues: z.array(z.string().max(64)).max(1000).optional(),
        sample: z.number().int().min(100).max(200_000).optional(),
      }),
    )
    .mutation(({ ctx, input }) => previewTagRule(ctx.db, apiEnv().DATABASE_URL, input)),

  runs: procedure
    .meta({ permission: "tag:read", scope: "global" })
    .input(runListInput)
    .output(runListOutput)
    .query(({ ctx, input }) => listRuns(ctx.db, input)),

  run: runProcedure
    .meta({ permission: "tag:read", scope: "global" })
    .input(z.strictObject({ runId: z.number().int().positive() }))
    .output(runGetOutput)
    .query(async ({ ctx, input }) => (await getRun(ctx.db, input.runId))!),

  /** Starts a full recompute now (`confirm: true`: it is heavy); the worker computes it (progress on `run`). */
  startRun: procedure
    .meta({ permission: "tag:run", scope: "global" })
    .input(z.strictObject({ confirm: z.literal(true) }))
    .output(z.object({ runId: z.number() }))
    .mutation(async ({ ctx }) => {
      const run = await createTagRun(ctx.db, { trigger: "MANUAL", requestedById: ctx.user.id });
      await enqueueTagBatchRun({ runId: run.id, trigger: "MANUAL" }, { jobId: `tag-run-${run.id}` });
      return { runId: run.id };
    }),

  /** A customer's current tag values (360° page), within the caller's org scope. */
  customerValues: customerProcedure
    .meta({ permission: "tag:read", scope: "org" })
    .input(z.strictObject({ customerId: z.number().int().positive() }))
    .output(customerTagsOutput)
    .query(({ ctx, input }) => customerTagValues(ctx.db, apiEnv().DATABASE_URL, input.customerId)),
});
