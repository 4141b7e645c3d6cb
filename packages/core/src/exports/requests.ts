/**
 * Segment export requests (导出申请): asking for a file, the second-person approval of unmasked
 * exports above the admin's threshold, and reading them back. Every request, approval and
 * rejection writes an audit row. The caller (API) has already checked the permission and that the
 * segment is visible; these use cases decide the rest.
 */
import { z } from "zod";
import { writeAudit, type Db, type Prisma } from "@mkt/db";
import { hasPermission, type Role } from "../auth/permissions";
import type { OrgScope } from "../auth/scope";
import { DomainError } from "../domain-error";
import { exportColumnsSchema, planExport } from "./columns";
import { downloadUrl } from "./link";
import { getExportSettings } from "./settings";
import { XLSX_MAX_ROWS } from "./sink";

export interface ExportActor {
  id: string;
  name: string;
  role: Role;
  orgUnitId: string;
  orgPath: string;
  locale?: string;
}

export const EXPORT_FORMATS = ["CSV", "XLSX"] as const;

export const requestExportInput = z
  .strictObject({
    segmentId: z.string().min(1).max(64),
    /** Default: the segment's newest snapshot. */
    snapshotId: z.string().min(1).max(64).optional(),
    columns: exportColumnsSchema,
    format: z.enum(EXPORT_FORMATS),
    masked: z.boolean().default(true),
    reason: z.string().trim().max(500).optional(),
  })
  .refine((v) => v.masked || (v.reason?.length ?? 0) >= 4, { path: ["reason"], message: "an unmasked export needs a reason (at least 4 characters)" });
export type RequestExportInput = z.input<typeof requestExportInput>;

export const reviewExportInput = z.strictObject({
  exportId: z.string().min(1).max(64),
  note: z.string().trim().max(500).optional(),
});

export const listExportsInput = z.strictObject({
  view: z.enum(["mine", "approvals"]).default("mine"),
  limit: z.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(64).optional(),
});

export const EXPORT_STATUSES = ["PENDING_APPROVAL", "QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "REJECTED", "EXPIRED"] as const;

export const exportOutput = z.object({
  id: z.string(),
  segmentId: z.string(),
  segmentName: z.string(),
  snapshotId: z.string(),
  snapshotTakenAt: z.date(),
  format: z.enum(EXPORT_FORMATS),
  masked: z.boolean(),
  columns: z.array(z.string()),
  reason: z.string().nullable(),
  status: z.enum(EXPORT_STATUSES),
  progress: z.number(),
  rowCount: z.number(),
  rowsWritten: z.number().nullable(),
  fileSize: z.number().nullable(),
  checksum: z.string().nullable(),
  error: z.string().nullable(),
  approvalRequired: z.boolean(),
  requestedBy: z.object({ id: z.string(), name: z.string() }),
  reviewedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  reviewedAt: z.date().nullable(),
  reviewNote: z.string().nullable(),
  expiresAt: z.date().nullable(),
  downloads: z.number(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
  /** Only for the requester, while the file is there. */
  downloadUrl: z.string().nullable(),
});
export type ExportDto = z.infer<typeof exportOutput>;

export const exportListOutput = z.object({ items: z.array(exportOutput), nextCursor: z.string().nullable() });

const INCLUDE = {
  snapshot: { select: { takenAt: true, segment: { select: { name: true } } } },
  requestedBy: { select: { id: true, name: true } },
  reviewedBy: { select: { id: true, name: true } },
} satisfies Prisma.SegmentExportInclude;
type ExportRow = Prisma.SegmentExportGetPayload<{ include: typeof INCLUDE }>;

function toDto(row: ExportRow, viewerId: string, linkSecret: string | null, now = new Date()): ExportDto {
  const downloadable = row.status === "SUCCEEDED" && row.expiresAt !== null && row.expiresAt > now && row.requestedById === viewerId && linkSecret !== null;
  return {
    id: row.id,
    segmentId: row.segmentId,
    segmentName: row.snapshot.segment.name,
    snapshotId: row.snapshotId,
    snapshotTakenAt: row.snapshot.takenAt,
    format: row.format,
    masked: row.masked,
    columns: row.columns as string[],
    reason: row.reason,
    status: row.status,
    progress: row.progress,
    rowCount: row.rowCount,
    rowsWritten: row.rowsWritten,
    fileSize: row.fileSize === null ? null : Number(row.fileSize),
    checksum: row.checksum,
    error: row.error,
    approvalRequired: row.approvalRequired,
    requestedBy: row.requestedBy,
    reviewedBy: row.reviewedBy,
    reviewedAt: row.reviewedAt,
    reviewNote: row.reviewNote,
    expiresAt: row.expiresAt,
    downloads: row.downloads,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    downloadUrl: downloadable ? downloadUrl(linkSecret, row.id, row.expiresAt!) : null,
  };
}

export interface RequestDeps {
  /** Queues the file's job (jobId = export id). */
  enqueue(exportId: string): Promise<void>;
  linkSecret: string | null;
}

/** Creates an export request; queues it at once unless it waits for approval. */
export async function requestExport(db: Db, actor: ExportActor, raw: RequestExportInput, deps: RequestDeps): Promise<ExportDto> {
  const input = requestExportInput.parse(raw);
  if (!input.masked && !hasPermission(actor.role, "export:unmasked")) {
    throw new DomainError("BAD_REQUEST", "an unmasked export needs the permission export:unmasked");
  }
  const snapshot = input.snapshotId
    ? await db.segmentSnapshot.findFirst({ where: { id: input.snapshotId, segmentId: input.segmentId }, select: { id: true, count: true } })
    : await db.segmentSnapshot.findFirst({ where: { segmentId: input.segmentId }, orderBy: { takenAt: "desc" }, select: { id: true, count: true } });
  if (!snapshot) {
    if (input.snapshotId) throw new DomainError("NOT_FOUND", "snapshot not found for this segment");
    throw new DomainError("PRECONDITION_FAILED", "the segment has no snapshot yet: take one first");
  }
  if (input.format === "XLSX" && snapshot.count > XLSX_MAX_ROWS - 1) {
    throw new DomainError("BAD_REQUEST", `XLSX holds at most ${XLSX_MAX_ROWS - 1} rows; this segment has ${snapshot.count}: choose CSV`);
  }
  await planExport(db, input.columns, "zh-CN"); // unknown tags are refused now, not in the job
  const { approvalThreshold } = await getExportSettings(db);
  const approvalRequired = !input.masked && snapshot.count > approvalThreshold;
  const row = await db.$transaction(async (tx) => {
    const created = await tx.segmentExport.create({
      data: {
        snapshotId: snapshot.id,
        segmentId: input.segmentId,
        requestedById: actor.id,
        orgUnitId: actor.orgUnitId,
        columns: input.columns,
        format: input.format,
        masked: input.masked,
        reason: input.reason || null,
        locale: actor.locale === "en" ? "en" : "zh-CN",
        status: approvalRequired ? "PENDING_APPROVAL" : "QUEUED",
        rowCount: snapshot.count,
        approvalRequired,
      },
      include: INCLUDE,
    });
    await writeAudit(tx, {
      action: "EXPORT",
      actor,
      targetType: "SegmentExport",
      targetId: created.id,
      reason: input.reason || undefined,
      details: { step: "request", segmentId: input.segmentId, snapshotId: snapshot.id, format: input.format, masked: input.masked, rows: snapshot.count, columns: input.columns, approvalRequired },
    });
    return created;
  });
  if (!approvalRequired) await deps.enqueue(row.id);
  return toDto(row, actor.id, deps.linkSecret);
}

/** Approves or rejects a pending unmasked export: a different user with export:approve, in scope. */
export async function reviewExport(
  db: Db,
  actor: ExportActor,
  exportId: string,
  decision: "APPROVE" | "REJECT",
  note: string | undefined,
  deps: RequestDeps,
): Promise<ExportDto> {
  const row = await db.segmentExport.findUniqueOrThrow({ where: { id: exportId } });
  if (row.requestedById === actor.id) throw new DomainError("PRECONDITION_FAILED", "an export cannot be approved or rejected by the person who requested it");
  const now = new Date();
  const updated = await db.$transaction(async (tx) => {
    const { count } = await tx.segmentExport.updateMany({
      where: { id: exportId, status: "PENDING_APPROVAL" },
      data: { status: decision === "APPROVE" ? "QUEUED" : "REJECTED", reviewedById: actor.id, reviewedAt: now, reviewNote: note || null },
    });
    if (count !== 1) throw new DomainError("CONFLICT", `export is ${row.status.toLowerCase()}, not waiting for approval`);
    await writeAudit(tx, {
      action: decision,
      actor,
      targetType: "SegmentExport",
      targetId: exportId,
      reason: note || undefined,
      details: { step: "review", requestedById: row.requestedById, rows: row.rowCount, masked: row.masked },
    });
    return tx.segmentExport.findUniqueOrThrow({ where: { id: exportId }, include: INCLUDE });
  });
  if (decision === "APPROVE") await deps.enqueue(exportId);
  return toDto(updated, actor.id, deps.linkSecret);
}

/** Whether the actor may see this export at all: the requester, or an approver (scope checked by the guard). */
export function canViewExport(actor: ExportActor, row: { requestedById: string }): boolean {
  return row.requestedById === actor.id || hasPermission(actor.role, "export:approve");
}

export async function getExport(db: Db, actor: ExportActor, exportId: string, linkSecret: string | null): Promise<ExportDto> {
  const row = await db.segmentExport.findUnique({ where: { id: exportId }, include: INCLUDE });
  if (!row || !canViewExport(actor, row)) throw new DomainError("NOT_FOUND", "export not found");
  return toDto(row, actor.id, linkSecret);
}

/** "mine": the actor's own exports; "approvals": others' requests waiting, in the actor's scope. */
export async function listExports(
  db: Db,
  actor: ExportActor,
  scope: OrgScope,
  input: z.input<typeof listExportsInput>,
  linkSecret: string | null,
): Promise<z.infer<typeof exportListOutput>> {
  const { view, limit, cursor } = listExportsInput.parse(input);
  if (view === "approvals" && !hasPermission(actor.role, "export:approve")) return { items: [], nextCursor: null };
  const where: Prisma.SegmentExportWhereInput =
    view === "mine"
      ? { requestedById: actor.id }
      : { status: "PENDING_APPROVAL", requestedById: { not: actor.id }, orgUnit: { path: { startsWith: scope.orgPath } } };
  const rows = await db.segmentExport.findMany({
    where,
    include: INCLUDE,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, limit);
  return { items: page.map((r) => toDto(r, actor.id, linkSecret)), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
}
