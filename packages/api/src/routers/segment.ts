/**
 * Segments (客群): the builder's live count and masked preview, saved segments, snapshots,
 * profile, overlap and set operations, and static lists imported from a file. Everything runs
 * over the caller's scope: a draft counts only the caller's customers; a saved segment is visible
 * to its unit's subtree (an RM: own segments) and guarded by id — another branch's segment
 * answers NOT_FOUND, like one that does not exist.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { canSeeOrgUnit } from "@mkt/core";
import { canSeeSegment } from "@mkt/core/segments/access";
import { getSegmentImport, importReportInput, importReportOutput, segmentImportFields, segmentImportOutput, segmentImportReport, submitSegmentImport } from "@mkt/core/segments/import";
import { MAX_LIST_BYTES } from "@mkt/core/segments/list-file";
import { createSetOpSegment, overlapOutput, overlapSegments, segmentIdsSchema, setOpInput } from "@mkt/core/segments/overlap";
import { PREVIEW_ROWS, previewOutput, previewRows } from "@mkt/core/segments/preview";
import { profileInput, profileOutput, profileSegment } from "@mkt/core/segments/profile";
import { countDraft, currentMembers, sampleDraft } from "@mkt/core/segments/resolve";
import { sampleOf } from "@mkt/core/segments/engine";
import { saveNewRuleSegment, saveSegmentChanges } from "@mkt/core/segments/save";
import {
  archiveSegment,
  checkSegmentRule,
  createRuleSegmentInput,
  getSegment,
  listSegments,
  requireSegment,
  segmentDetail,
  segmentListInput,
  segmentListOutput,
  updateSegmentInput,
} from "@mkt/core/segments/segments";
import { builderOptions, builderOptionsOutput } from "@mkt/core/segments/builder-options";
import { takeSnapshot } from "@mkt/core/segments/snapshot";
import type { Db } from "@mkt/db";
import { enqueueSegmentImport } from "@mkt/jobs";
import { GUARDED_FIELD, resourceProcedure } from "../resources";
import { procedure, router } from "../trpc";

const segmentId = z.string().min(1).max(64);

async function loadScoped(db: Db, id: string) {
  const s = await db.segment.findUnique({ where: { id }, select: { id: true, ownerId: true, orgUnit: { select: { path: true } } } });
  return s && { id: s.id, ownerId: s.ownerId, orgPath: s.orgUnit.path };
}

/** Procedures taking `segmentId`: the segment must be visible to the caller. */
const segmentProcedure = resourceProcedure("segment", { idField: "segmentId", id: segmentId, load: loadScoped, visible: canSeeSegment });

/** Procedures taking `segmentIds` (overlap, set operations): every one must be visible. */
const segmentsProcedure = (() => {
  const builder = procedure.use(async ({ ctx, getRawInput, next }) => {
    const raw = await getRawInput();
    const ids = segmentIdsSchema.safeParse(raw && typeof raw === "object" ? (raw as Record<string, unknown>).segmentIds : undefined);
    if (!ids.success) throw new TRPCError({ code: "BAD_REQUEST", message: `segmentIds: ${ids.error.issues[0]?.message ?? "invalid"}` });
    for (const id of ids.data) {
      const s = await loadScoped(ctx.db, id);
      if (!s || !canSeeSegment(ctx.scope, s)) throw new TRPCError({ code: "NOT_FOUND", message: "未找到 / not found" });
    }
    return next();
  });
  const last = builder._def.middlewares[builder._def.middlewares.length - 1] as unknown as Record<symbol, unknown>;
  last[GUARDED_FIELD] = "segmentIds";
  return builder;
})();

/** Procedures taking `importId`: the import's unit in the caller's subtree (an RM: own imports). */
const importProcedure = resourceProcedure("segmentImport", {
  idField: "importId",
  id: z.string().min(1).max(64),
  load: async (db, id: string) => {
    const i = await db.segmentImport.findUnique({ where: { id }, select: { id: true, createdById: true, orgUnitId: true } });
    if (!i) return null;
    const unit = await db.orgUnit.findUniqueOrThrow({ where: { id: i.orgUnitId }, select: { path: true } });
    return { id: i.id, createdById: i.createdById, orgPath: unit.path };
  },
  visible: (scope, i) => canSeeOrgUnit(scope, i.orgPath) && (scope.kind === "subtree" || i.createdById === scope.rmId),
});

const draftInput = z.strictObject({ rule: z.unknown() });

export const segmentRouter = router({
  /** The builder's live number: a draft rule counted over the caller's scope. */
  count: procedure
    .meta({ permission: "segment:read", scope: "org" })
    .input(draftInput)
    .output(z.object({ count: z.number() }))
    .mutation(async ({ ctx, input }) => ({ count: await countDraft(ctx.db, ctx.scope, await checkSegmentRule(ctx.db, ctx.scope, input.rule)) })),

  /** Up to 50 matching customers of a draft, masked like search rows. */
  preview: procedure
    .meta({ permission: "segment:read", scope: "org" })
    .input(draftInput)
    .output(previewOutput)
    .mutation(async ({ ctx, input }) => previewRows(ctx.db, await sampleDraft(ctx.db, ctx.scope, await checkSegmentRule(ctx.db, ctx.scope, input.rule), PREVIEW_ROWS))),

  /** Products and event types the builder offers in holding and behaviour conditions. */
  builderOptions: procedure
    .meta({ permission: "segment:read", scope: "global" })
    .output(builderOptionsOutput)
    .query(({ ctx }) => builderOptions(ctx.db)),

  list: procedure
    .meta({ permission: "segment:read", scope: "org" })
    .input(segmentListInput)
    .output(segmentListOutput)
    .query(({ ctx, input }) => listSegments(ctx.db, ctx.scope, input)),

  get: segmentProcedure
    .meta({ permission: "segment:read", scope: "org" })
    .input(z.strictObject({ segmentId }))
    .output(segmentDetail)
    .query(({ ctx, input }) => getSegment(ctx.db, input.segmentId)),

  /** A page of a saved segment's current members, masked. */
  members: segmentProcedure
    .meta({ permission: "segment:read", scope: "org" })
    .input(z.strictObject({ segmentId }))
    .output(previewOutput)
    .query(async ({ ctx, input }) => previewRows(ctx.db, sampleOf(await currentMembers(ctx.db, await requireSegment(ctx.db, input.segmentId)), PREVIEW_ROWS))),

  create: procedure
    .meta({ permission: "segment:write", scope: "org" })
    .input(createRuleSegmentInput)
    .output(z.object({ id: z.string(), count: z.number().nullable() }))
    .mutation(({ ctx, input }) => saveNewRuleSegment(ctx.db, ctx.user, ctx.scope, input)),

  update: segmentProcedure
    .meta({ permission: "segment:write", scope: "org" })
    .input(updateSegmentInput)
    .output(z.object({ id: z.string(), count: z.number().nullable() }))
    .mutation(async ({ ctx, input }) => saveSegmentChanges(ctx.db, ctx.user, ctx.scope, await requireSegment(ctx.db, input.segmentId), input)),

  archive: segmentProcedure
    .meta({ permission: "segment:write", scope: "org" })
    .input(z.strictObject({ segmentId }))
    .mutation(async ({ ctx, input }) => {
      await archiveSegment(ctx.db, await requireSegment(ctx.db, input.segmentId));
      return { ok: true };
    }),

  /** Evaluates the segment now and keeps it as an ON_DEMAND snapshot. */
  snapshot: segmentProcedure
    .meta({ permission: "segment:write", scope: "org" })
    .input(z.strictObject({ segmentId }))
    .output(z.object({ id: z.string(), count: z.number(), takenAt: z.date() }))
    .mutation(async ({ ctx, input }) => takeSnapshot(ctx.db, input.segmentId, { trigger: "ON_DEMAND", takenById: ctx.user.id })),

  profile: segmentProcedure
    .meta({ permission: "segment:read", scope: "org" })
    .input(profileInput)
    .output(profileOutput)
    .query(async ({ ctx, input }) => profileSegment(ctx.db, await requireSegment(ctx.db, input.segmentId), input.tagCodes)),

  overlap: segmentsProcedure
    .meta({ permission: "segment:read", scope: "org" })
    .input(z.strictObject({ segmentIds: segmentIdsSchema }))
    .output(overlapOutput)
    .query(({ ctx, input }) => overlapSegments(ctx.db, input.segmentIds)),

  /** Union / intersection / difference of 2–3 segments, kept as a new static segment. */
  setOp: segmentsProcedure
    .meta({ permission: "segment:write", scope: "org" })
    .input(setOpInput)
    .output(z.object({ id: z.string(), count: z.number() }))
    .mutation(({ ctx, input }) => createSetOpSegment(ctx.db, ctx.user, input)),

  /** A list of customer numbers, phones or certificate numbers (CSV or XLSX) → a static segment. */
  import: procedure
    .meta({ permission: "segment:write", scope: "org" })
    .input(segmentImportFields.extend({ contentBase64: z.base64().max(Math.ceil(MAX_LIST_BYTES / 3) * 4, "the file is too large") }).strict())
    .output(segmentImportOutput)
    .mutation(async ({ ctx, input: { contentBase64, ...fields } }) =>
      submitSegmentImport(ctx.db, ctx.user, { ...fields, content: new Uint8Array(Buffer.from(contentBase64, "base64")) }, async (importId) => {
        await enqueueSegmentImport({ importId }, { jobId: importId });
      }),
    ),

  importGet: importProcedure
    .meta({ permission: "segment:read", scope: "org" })
    .input(z.strictObject({ importId: z.string().min(1) }))
    .output(segmentImportOutput)
    .query(({ ctx, input }) => getSegmentImport(ctx.db, input.importId)),

  importReport: importProcedure
    .meta({ permission: "segment:read", scope: "org" })
    .input(importReportInput)
    .output(importReportOutput)
    .query(({ ctx, input }) => segmentImportReport(ctx.db, input)),
});
