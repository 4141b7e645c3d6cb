/**
 * Segment exports (客群导出): request a CSV/XLSX file of a visible segment's snapshot, follow its
 * progress, approve others' unmasked exports above the threshold, and the admin's settings.
 * The file itself is downloaded from GET /api/exports/{id} (apps/web), never through tRPC.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { canSeeOrgUnit, hasPermission } from "@mkt/core";
import { DEFAULT_COLUMNS, PII_COLUMNS, STANDARD_COLUMNS, standardColumnLabel } from "@mkt/core/exports/columns";
import { exportEnv } from "@mkt/core/exports/env";
import { exportListOutput, exportOutput, getExport, listExports, requestExport, requestExportInput, reviewExport, reviewExportInput } from "@mkt/core/exports/requests";
import { exportSettingsSchema, getExportSettings, setExportSettings } from "@mkt/core/exports/settings";
import { canSeeSegment } from "@mkt/core/segments/access";
import { enqueueSegmentExport } from "@mkt/jobs";
import { GUARDED_FIELD, resourceProcedure } from "../resources";
import { procedure, router } from "../trpc";

const id = z.string().min(1).max(64);

/** `segmentId`: the segment must be visible to the caller (as in the segment router). */
const segmentProcedure = resourceProcedure("segment", {
  idField: "segmentId",
  id,
  load: async (db, segmentId: string) => {
    const s = await db.segment.findUnique({ where: { id: segmentId }, select: { id: true, ownerId: true, orgUnit: { select: { path: true } } } });
    return s && { id: s.id, ownerId: s.ownerId, orgPath: s.orgUnit.path };
  },
  visible: canSeeSegment,
});

/** An optional `snapshotId` must be a snapshot of the (already guarded) segment. */
const snapshotProcedure = (() => {
  const builder = segmentProcedure.use(async ({ ctx, getRawInput, next }) => {
    const raw = (await getRawInput()) as { segmentId?: unknown; snapshotId?: unknown } | undefined;
    if (raw?.snapshotId !== undefined) {
      const snapshotId = id.safeParse(raw.snapshotId);
      if (!snapshotId.success) throw new TRPCError({ code: "BAD_REQUEST", message: "invalid snapshotId" });
      const s = await ctx.db.segmentSnapshot.findUnique({ where: { id: snapshotId.data }, select: { segmentId: true } });
      if (!s || s.segmentId !== raw.segmentId) throw new TRPCError({ code: "NOT_FOUND", message: "未找到 / not found" });
    }
    return next();
  });
  const last = builder._def.middlewares[builder._def.middlewares.length - 1] as unknown as Record<symbol, unknown>;
  last[GUARDED_FIELD] = "snapshotId";
  return builder;
})();

/** `exportId`: requested from a unit in the caller's subtree (an RM: own requests). */
const exportProcedure = resourceProcedure("segmentExport", {
  idField: "exportId",
  id,
  load: async (db, exportId: string) => {
    const e = await db.segmentExport.findUnique({ where: { id: exportId }, select: { id: true, requestedById: true, orgUnit: { select: { path: true } } } });
    return e && { id: e.id, requestedById: e.requestedById, orgPath: e.orgUnit.path };
  },
  visible: (scope, e) => canSeeOrgUnit(scope, e.orgPath) && (scope.kind === "subtree" || e.requestedById === scope.rmId),
});

const deps = () => ({
  enqueue: async (exportId: string) => {
    await enqueueSegmentExport({ exportId }, { jobId: exportId });
  },
  linkSecret: exportEnv().linkSecret,
});

const columnsOutput = z.object({
  standard: z.array(z.object({ key: z.string(), label: z.string(), personal: z.boolean(), default: z.boolean() })),
  tags: z.array(z.object({ key: z.string(), label: z.string(), category: z.string() })),
  canUnmask: z.boolean(),
  approvalThreshold: z.number(),
});

export const segmentExportRouter = router({
  /** What the export dialog offers the caller. */
  columns: procedure
    .meta({ permission: "export:write", scope: "org" })
    .output(columnsOutput)
    .query(async ({ ctx }) => {
      const locale = ctx.user.locale === "en" ? "en" : "zh-CN";
      const tags = await ctx.db.tag.findMany({
        where: { status: "PUBLISHED" },
        select: { code: true, name: true, nameEn: true, category: { select: { name: true, nameEn: true } } },
        orderBy: { code: "asc" },
      });
      return {
        standard: STANDARD_COLUMNS.map((c) => ({ key: c, label: standardColumnLabel(c, locale), personal: PII_COLUMNS.includes(c), default: DEFAULT_COLUMNS.includes(c) })),
        tags: tags.map((t) => ({ key: `tag:${t.code}`, label: locale === "en" ? t.nameEn : t.name, category: locale === "en" ? t.category.nameEn : t.category.name })),
        canUnmask: hasPermission(ctx.user.role, "export:unmasked"),
        approvalThreshold: (await getExportSettings(ctx.db)).approvalThreshold,
      };
    }),

  request: snapshotProcedure
    .meta({ permission: "export:write", scope: "org" })
    .input(requestExportInput)
    .output(exportOutput)
    .mutation(({ ctx, input }) => {
      if (!input.masked && !hasPermission(ctx.user.role, "export:unmasked")) {
        throw new TRPCError({ code: "FORBIDDEN", message: "权限不足 / missing permission export:unmasked" });
      }
      return requestExport(ctx.db, ctx.user, input, deps());
    }),

  get: exportProcedure
    .meta({ permission: "export:read", scope: "org" })
    .input(z.strictObject({ exportId: id }))
    .output(exportOutput)
    .query(({ ctx, input }) => getExport(ctx.db, ctx.user, input.exportId, exportEnv().linkSecret)),

  list: procedure
    .meta({ permission: "export:read", scope: "org" })
    .input(z.strictObject({ view: z.enum(["mine", "approvals"]).default("mine"), limit: z.number().int().min(1).max(100).default(20), cursor: id.optional() }).optional())
    .output(exportListOutput)
    .query(({ ctx, input }) => listExports(ctx.db, ctx.user, ctx.scope, input ?? {}, exportEnv().linkSecret)),

  approve: exportProcedure
    .meta({ permission: "export:approve", scope: "org" })
    .input(reviewExportInput)
    .output(exportOutput)
    .mutation(({ ctx, input }) => reviewExport(ctx.db, ctx.user, input.exportId, "APPROVE", input.note, deps())),

  reject: exportProcedure
    .meta({ permission: "export:approve", scope: "org" })
    .input(reviewExportInput)
    .output(exportOutput)
    .mutation(({ ctx, input }) => reviewExport(ctx.db, ctx.user, input.exportId, "REJECT", input.note, deps())),

  settings: procedure
    .meta({ permission: "export:read", scope: "org" })
    .output(exportSettingsSchema)
    .query(({ ctx }) => getExportSettings(ctx.db)),

  updateSettings: procedure
    .meta({ permission: "settings:manage", scope: "global" })
    .input(exportSettingsSchema)
    .output(exportSettingsSchema)
    .mutation(({ ctx, input }) => setExportSettings(ctx.db, ctx.user, input)),
});
