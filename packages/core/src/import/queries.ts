/**
 * Reading import batches: the list (newest first, inside the caller's org subtree — a batch
 * belongs to the org unit of whoever submitted it) and one batch with its issues by line.
 */
import { z } from "zod";
import type { Db, Prisma } from "@mkt/db";
import type { OrgScope } from "../auth/scope";
import { IMPORT_KINDS } from "./dictionary";
import { isIssueCode, issueText, type IssueParams } from "./issues";

const STATUSES = ["PENDING", "VALIDATING", "APPLYING", "APPLIED", "REJECTED", "FAILED", "DUPLICATE"] as const;

export const importListInput = z.object({
  kind: z.enum(IMPORT_KINDS).optional(),
  status: z.enum(STATUSES).optional(),
  sourceSystem: z.string().trim().max(32).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});
export type ImportListInput = z.input<typeof importListInput>;

const text = z.object({ zh: z.string(), en: z.string() });

const statsSchema = z
  .object({
    inserted: z.number(),
    updated: z.number(),
    unchanged: z.number(),
    newCustomers: z.number().optional(),
    merged: z.object({ CERT_NO: z.number(), PHONE: z.number() }).optional(),
  })
  .nullable();

export const importBatchRow = z.object({
  id: z.string(),
  kind: z.enum(IMPORT_KINDS),
  sourceSystem: z.string(),
  fileName: z.string().nullable(),
  status: z.enum(STATUSES),
  totalRows: z.number(),
  appliedRows: z.number(),
  errorRows: z.number(),
  progress: z.number(),
  duplicateOfId: z.string().nullable(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
  orgUnit: z.object({ code: z.string(), name: z.string(), nameEn: z.string() }).nullable(),
  /** A staff user's name, or the API key's name for system batches. */
  submittedBy: z.object({ kind: z.enum(["user", "apiKey"]), name: z.string() }).nullable(),
  stats: statsSchema,
});
export type ImportBatchRow = z.infer<typeof importBatchRow>;

export const importListOutput = z.object({ total: z.number(), items: z.array(importBatchRow) });

type BatchRecord = Prisma.ImportBatchGetPayload<object>;

async function toRows(db: Db, batches: BatchRecord[]): Promise<ImportBatchRow[]> {
  const ids = (pick: (b: BatchRecord) => string | null) => [...new Set(batches.map(pick).filter((x): x is string => x !== null))];
  const [units, users, keys] = await Promise.all([
    db.orgUnit.findMany({ where: { id: { in: ids((b) => b.orgUnitId) } }, select: { id: true, code: true, name: true, nameEn: true } }),
    db.user.findMany({ where: { id: { in: ids((b) => b.createdById) } }, select: { id: true, name: true } }),
    db.apiKey.findMany({ where: { id: { in: ids((b) => b.apiKeyId) } }, select: { id: true, name: true } }),
  ]);
  const unit = new Map(units.map(({ id, ...u }) => [id, u]));
  const user = new Map(users.map((u) => [u.id, u.name]));
  const key = new Map(keys.map((k) => [k.id, k.name]));
  return batches.map((b) => {
    const userName = b.createdById ? user.get(b.createdById) : undefined;
    const keyName = b.apiKeyId ? key.get(b.apiKeyId) : undefined;
    return {
      id: b.id,
      kind: b.kind,
      sourceSystem: b.sourceSystem,
      fileName: b.fileName,
      status: b.status,
      totalRows: b.totalRows,
      appliedRows: b.appliedRows,
      errorRows: b.errorRows,
      progress: b.progress,
      duplicateOfId: b.duplicateOfId,
      createdAt: b.createdAt,
      finishedAt: b.finishedAt,
      orgUnit: unit.get(b.orgUnitId) ?? null,
      submittedBy: userName ? { kind: "user", name: userName } : keyName ? { kind: "apiKey", name: keyName } : null,
      stats: statsSchema.catch(null).parse(b.stats),
    };
  });
}

/** Org units of the caller's subtree: batches are filed under the submitter's unit. */
async function unitsInScope(db: Db, scope: OrgScope): Promise<string[]> {
  const units = await db.orgUnit.findMany({ where: { path: { startsWith: scope.orgPath } }, select: { id: true } });
  return units.map((u) => u.id);
}

export async function listImports(db: Db, scope: OrgScope, input: ImportListInput): Promise<z.infer<typeof importListOutput>> {
  const { kind, status, sourceSystem, page, pageSize } = importListInput.parse(input);
  const where: Prisma.ImportBatchWhereInput = {
    orgUnitId: { in: await unitsInScope(db, scope) },
    ...(kind && { kind }),
    ...(status && { status }),
    ...(sourceSystem && { sourceSystem: sourceSystem.toUpperCase() }),
  };
  const [total, batches] = await Promise.all([
    db.importBatch.count({ where }),
    db.importBatch.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (page - 1) * pageSize, take: pageSize }),
  ]);
  return { total, items: await toRows(db, batches) };
}

export const importGetInput = z.object({
  batchId: z.string().min(1),
  errorsPage: z.number().int().min(1).default(1),
  errorsPageSize: z.number().int().min(1).max(500).default(50),
});
export type ImportGetInput = z.input<typeof importGetInput>;

export const importIssueRow = z.object({
  line: z.number(),
  field: z.string().nullable(),
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).nullable(),
  message: text,
});

export const importGetOutput = importBatchRow.extend({
  /** Issue counts of a rejected batch: { issues, byCode, byField, truncated }. */
  errorSummary: z
    .object({ issues: z.number(), byCode: z.record(z.string(), z.number()), byField: z.record(z.string(), z.number()), truncated: z.boolean() })
    .nullable(),
  errors: z.object({ total: z.number(), items: z.array(importIssueRow) }),
});

/** The issues of a batch by line, with their text in both languages. */
export async function batchIssues(db: Db, batchId: string, page: number, pageSize: number) {
  const [total, rows] = await Promise.all([
    db.importRowError.count({ where: { batchId } }),
    db.importRowError.findMany({ where: { batchId }, orderBy: [{ line: "asc" }, { id: "asc" }], skip: (page - 1) * pageSize, take: pageSize }),
  ]);
  return {
    total,
    items: rows.map((r) => {
      const params = (r.params as IssueParams | null) ?? null;
      return {
        line: r.line,
        field: r.field,
        code: r.code,
        params,
        message: isIssueCode(r.code) ? issueText(r.code, params ?? undefined) : { zh: r.code, en: r.code },
      };
    }),
  };
}

/** One batch (already checked to be in the caller's scope) with a page of its issues. */
export async function getImport(db: Db, input: ImportGetInput): Promise<z.infer<typeof importGetOutput>> {
  const { batchId, errorsPage, errorsPageSize } = importGetInput.parse(input);
  const batch = await db.importBatch.findUniqueOrThrow({ where: { id: batchId } });
  const [row] = await toRows(db, [batch]);
  const summary = importGetOutput.shape.errorSummary.catch(null).parse(batch.errors);
  return { ...row!, errorSummary: summary, errors: await batchIssues(db, batchId, errorsPage, errorsPageSize) };
}

/** The org path a batch belongs to (for the scope guard of procedures that take a batch id). */
export async function batchOrgPath(db: Db, batchId: string): Promise<{ id: string; orgPath: string } | null> {
  const batch = await db.importBatch.findUnique({ where: { id: batchId }, select: { id: true, orgUnitId: true } });
  if (!batch) return null;
  const unit = await db.orgUnit.findUnique({ where: { id: batch.orgUnitId }, select: { path: true } });
  return unit && { id: batch.id, orgPath: unit.path };
}
