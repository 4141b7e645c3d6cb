/**
 * 导入建群: a STATIC segment from an uploaded list of customer numbers, mobile phones or
 * certificate numbers, matched through identity resolution — every spelling is normalised as
 * the identity module does (half-width, +86 dropped, upper-case X) and looked up both on the
 * golden customer and on the source records merged into it (`source_record.*_norm`), so a phone
 * known only to the card system still finds its customer. Only customers in the uploader's scope
 * match: another branch's customer is reported "unmatched", like one that does not exist.
 *
 * The report lists every row that did not become a member, with its line and a masked value:
 * INVALID (not a well-formed identifier), DUPLICATE (the same identifier earlier in the file),
 * UNMATCHED (no customer in scope), AMBIGUOUS (several customers share it — e.g. a family phone;
 * none is added). A malformed file (ListFileError) is REJECTED and nothing is created; so is a
 * list of which nothing matched. The segment, its snapshot, the report and the import's status
 * are written in one transaction; the same file uploaded again by the same user for the same
 * name returns the earlier import.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { type Prisma, writeAudit, type Db, type SegmentImportMatch } from "@mkt/db";
import { mask } from "../auth/masking";
import type { Actor } from "../auth/actor";
import type { OrgScope } from "../auth/scope";
import { customerScopeSql } from "../auth/scope-query";
import { DomainError } from "../domain-error";
import { isValidMobile, normalizeCertNo, normalizePhone, residentIdProblem, toHalfWidth } from "../identity/normalize";
import { segmentEvaluationScope } from "./access";
import { bitmapToBytes, RoaringBitmap32 } from "./bitmap";
import { LIST_MATCH_KINDS, ListFileError, readListFile, type ListValue } from "./list-file";
import { writeSnapshot } from "./snapshot";
import { segmentDescriptionSchema, segmentNameSchema } from "./segments";

/** Files up to this size are matched inside the upload request; larger ones by the worker. */
export const INLINE_LIST_BYTES = 2 * 1024 * 1024;
/** Report rows kept per import (the counts stay complete beyond it). */
export const MAX_REPORT_ROWS = 10_000;
const CHUNK = 5_000;

export const ROW_CODES = ["INVALID", "DUPLICATE", "UNMATCHED", "AMBIGUOUS"] as const;
export type RowCode = (typeof ROW_CODES)[number];

export const segmentImportFields = z.object({
  name: segmentNameSchema,
  description: segmentDescriptionSchema,
  matchBy: z.enum(LIST_MATCH_KINDS),
  fileName: z.string().trim().max(200).nullish(),
});
export type SegmentImportFields = z.infer<typeof segmentImportFields>;

export interface ImportActor extends Actor {
  orgPath: string;
}

/** Normalises one cell as identity resolution does; null when it is not a valid identifier. */
export function normalizeListValue(kind: SegmentImportMatch, raw: string): string | null {
  const v = raw.trim();
  if (!v) return null;
  switch (kind) {
    case "CUSTOMER_NO": {
      const n = toHalfWidth(v).replace(/\s+/g, "").toUpperCase();
      return /^[A-Z0-9_-]{1,40}$/.test(n) ? n : null;
    }
    case "PHONE": {
      const n = normalizePhone(v);
      return isValidMobile(n) ? n : null;
    }
    case "CERT_NO": {
      const n = normalizeCertNo(v);
      if (/^\d{17}[\dX]$/.test(n)) return residentIdProblem(n) ? null : n;
      // Other certificates (passports, Hong Kong and Macao permits …): letters and digits.
      return /^[A-Z0-9]{5,30}$/.test(n) && !/^\d{15,17}$/.test(n) ? n : null;
    }
  }
}

function maskedValue(kind: SegmentImportMatch, raw: string): string | null {
  const v = raw.trim().slice(0, 64);
  if (!v) return null;
  return kind === "PHONE" ? mask("phone", v) : kind === "CERT_NO" ? mask("certNo", v) : v;
}

/** Customer ids for normalised identifiers, in scope only. Several ids for one key = ambiguous. */
async function lookup(db: Db, kind: SegmentImportMatch, keys: string[], scope: OrgScope): Promise<Map<string, number[]>> {
  const inScope = customerScopeSql(scope, "c");
  const rows =
    kind === "CUSTOMER_NO"
      ? await db.$queryRaw<{ key: string; id: number }[]>`
          SELECT c.customer_no AS key, c.id FROM customer c WHERE c.customer_no = ANY(${keys}::text[]) AND ${inScope}`
      : kind === "PHONE"
        ? await db.$queryRaw<{ key: string; id: number }[]>`
          SELECT DISTINCT x.key, c.id FROM (
            SELECT s.phone_norm AS key, s.customer_id AS id FROM source_record s WHERE s.phone_norm = ANY(${keys}::text[])
            UNION SELECT c0.phone, c0.id FROM customer c0 WHERE c0.phone = ANY(${keys}::text[])
          ) x JOIN customer c ON c.id = x.id WHERE ${inScope}`
        : await db.$queryRaw<{ key: string; id: number }[]>`
          SELECT DISTINCT x.key, c.id FROM (
            SELECT s.cert_no_norm AS key, s.customer_id AS id FROM source_record s WHERE s.cert_no_norm = ANY(${keys}::text[])
            UNION SELECT c0.cert_no, c0.id FROM customer c0 WHERE c0.cert_no = ANY(${keys}::text[])
          ) x JOIN customer c ON c.id = x.id WHERE ${inScope}`;
  const out = new Map<string, number[]>();
  for (const r of rows) out.set(r.key, [...(out.get(r.key) ?? []), r.id]);
  return out;
}

export interface MatchReport {
  members: RoaringBitmap32;
  total: number;
  counts: Record<RowCode, number>;
  rows: { line: number; code: RowCode; valueMasked: string | null }[];
}

/** Matches list values to customers of the scope and collects the report. */
export async function matchList(db: Db, kind: SegmentImportMatch, values: ListValue[], scope: OrgScope, onProgress?: (fraction: number) => Promise<void>): Promise<MatchReport> {
  const report: MatchReport = { members: new RoaringBitmap32(), total: values.length, counts: { INVALID: 0, DUPLICATE: 0, UNMATCHED: 0, AMBIGUOUS: 0 }, rows: [] };
  const note = (v: ListValue, code: RowCode) => {
    report.counts[code] += 1;
    if (report.rows.length < MAX_REPORT_ROWS) report.rows.push({ line: v.line, code, valueMasked: maskedValue(kind, v.value) });
  };
  const seen = new Set<string>();
  const pending: { v: ListValue; key: string }[] = [];
  for (const v of values) {
    const key = normalizeListValue(kind, v.value);
    if (key === null) note(v, "INVALID");
    else if (seen.has(key)) note(v, "DUPLICATE");
    else {
      seen.add(key);
      pending.push({ v, key });
    }
  }
  for (let i = 0; i < pending.length; i += CHUNK) {
    const chunk = pending.slice(i, i + CHUNK);
    const found = await lookup(db, kind, chunk.map((p) => p.key), scope);
    for (const { v, key } of chunk) {
      const ids = found.get(key) ?? [];
      if (ids.length === 1) report.members.add(ids[0]!);
      else note(v, ids.length === 0 ? "UNMATCHED" : "AMBIGUOUS");
    }
    await onProgress?.(Math.min(1, (i + chunk.length) / pending.length));
  }
  report.rows.sort((a, b) => a.line - b.line);
  return report;
}

export interface SubmitListInput extends SegmentImportFields {
  content: Uint8Array<ArrayBuffer>;
}

export const segmentImportOutput = z.object({
  id: z.string(),
  status: z.enum(["PENDING", "MATCHING", "APPLIED", "REJECTED", "FAILED"]),
  segmentId: z.string().nullable(),
  name: z.string(),
  matchBy: z.enum(LIST_MATCH_KINDS),
  fileName: z.string().nullable(),
  progress: z.number(),
  totalRows: z.number(),
  matchedRows: z.number(),
  unmatchedRows: z.number(),
  invalidRows: z.number(),
  duplicateRows: z.number(),
  error: z.object({ code: z.string(), message: z.string(), line: z.number().nullable() }).nullable(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});
export type SegmentImportOutput = z.infer<typeof segmentImportOutput>;

const importSelect = {
  id: true,
  status: true,
  segmentId: true,
  name: true,
  matchBy: true,
  fileName: true,
  progress: true,
  totalRows: true,
  matchedRows: true,
  unmatchedRows: true,
  invalidRows: true,
  duplicateRows: true,
  error: true,
  createdAt: true,
  finishedAt: true,
} satisfies Prisma.SegmentImportSelect;

function toOutput(row: Prisma.SegmentImportGetPayload<{ select: typeof importSelect }>): SegmentImportOutput {
  return { ...row, error: (row.error as SegmentImportOutput["error"]) ?? null };
}

/** Stores the upload and matches it at once (small files) or hands it to the worker. */
export async function submitSegmentImport(db: Db, actor: ImportActor, input: SubmitListInput, enqueue: (importId: string) => Promise<void>): Promise<SegmentImportOutput> {
  const contentHash = createHash("sha256").update(input.content).digest("hex");
  const earlier = await db.segmentImport.findFirst({
    where: { createdById: actor.id, contentHash, matchBy: input.matchBy, name: input.name, status: { in: ["PENDING", "MATCHING", "APPLIED"] } },
    select: importSelect,
    orderBy: { createdAt: "desc" },
  });
  if (earlier) return toOutput(earlier);
  const row = await db.segmentImport.create({
    data: {
      name: input.name,
      description: input.description ?? null,
      matchBy: input.matchBy,
      fileName: input.fileName ?? null,
      contentHash,
      content: input.content,
      createdById: actor.id,
      orgUnitId: actor.orgUnitId,
    },
    select: { id: true },
  });
  if (input.content.byteLength <= INLINE_LIST_BYTES) return runSegmentImport(db, row.id);
  await enqueue(row.id);
  return getSegmentImport(db, row.id);
}

export async function getSegmentImport(db: Db, id: string): Promise<SegmentImportOutput> {
  const row = await db.segmentImport.findUnique({ where: { id }, select: importSelect });
  if (!row) throw new DomainError("NOT_FOUND", `segment import ${id} not found`);
  return toOutput(row);
}

async function refuse(db: Db, id: string, error: { code: string; message: string; line: number | null }, report?: MatchReport): Promise<SegmentImportOutput> {
  await db.$transaction([
    ...(report ? [db.segmentImportRow.createMany({ data: report.rows.map((r) => ({ importId: id, ...r })) })] : []),
    db.segmentImport.update({
      where: { id },
      data: {
        status: "REJECTED",
        error,
        content: null,
        progress: 100,
        finishedAt: new Date(),
        ...(report && {
          totalRows: report.total,
          matchedRows: 0,
          unmatchedRows: report.counts.UNMATCHED + report.counts.AMBIGUOUS,
          invalidRows: report.counts.INVALID,
          duplicateRows: report.counts.DUPLICATE,
        }),
      },
    }),
  ]);
  return getSegmentImport(db, id);
}

/** Matches a stored upload and, if anything matched, creates its STATIC segment. Re-runnable. */
export async function runSegmentImport(db: Db, id: string): Promise<SegmentImportOutput> {
  const imp = await db.segmentImport.findUnique({ where: { id }, include: { rows: { take: 1, select: { id: true } } } });
  if (!imp) throw new DomainError("NOT_FOUND", `segment import ${id} not found`);
  if (imp.status === "APPLIED" || imp.status === "REJECTED" || imp.status === "FAILED") return getSegmentImport(db, id);
  if (!imp.content) throw new DomainError("PRECONDITION_FAILED", `segment import ${id} has no stored file`);
  // A retried job starts the report again.
  if (imp.rows.length) await db.segmentImportRow.deleteMany({ where: { importId: id } });
  await db.segmentImport.update({ where: { id }, data: { status: "MATCHING", progress: 0 } });

  const creator = await db.user.findUniqueOrThrow({ where: { id: imp.createdById }, select: { id: true, name: true, role: true, orgUnitId: true, orgUnit: { select: { path: true } } } });
  const scope = segmentEvaluationScope({ ownerId: creator.id, ownerRole: creator.role, orgPath: creator.orgUnit.path });

  let values: ListValue[];
  try {
    values = await readListFile(imp.content, imp.matchBy);
  } catch (err) {
    if (err instanceof ListFileError) return refuse(db, id, { code: err.code, message: err.message, line: err.line ?? null });
    throw err;
  }
  const report = await matchList(db, imp.matchBy, values, scope, async (f) => {
    await db.segmentImport.update({ where: { id }, data: { progress: Math.min(99, Math.round(f * 100)) } });
  });
  if (report.members.size === 0) return refuse(db, id, { code: "NO_MATCH", message: "no row matched a customer in your scope; no segment was created", line: null }, report);

  await db.$transaction(async (tx) => {
    const segment = await tx.segment.create({
      data: {
        name: imp.name,
        description: imp.description,
        kind: "STATIC",
        members: bitmapToBytes(report.members),
        origin: { import: id, matchBy: imp.matchBy, fileName: imp.fileName } as Prisma.InputJsonValue,
        ownerId: creator.id,
        orgUnitId: creator.orgUnitId,
      },
      select: { id: true, kind: true, ruleVersion: true },
    });
    await writeSnapshot(tx, segment, report.members, { trigger: "STATIC", takenById: creator.id });
    await tx.segmentImportRow.createMany({ data: report.rows.map((r) => ({ importId: id, ...r })) });
    await tx.segmentImport.update({
      where: { id },
      data: {
        status: "APPLIED",
        segmentId: segment.id,
        content: null,
        progress: 100,
        totalRows: report.total,
        matchedRows: report.members.size,
        unmatchedRows: report.counts.UNMATCHED + report.counts.AMBIGUOUS,
        invalidRows: report.counts.INVALID,
        duplicateRows: report.counts.DUPLICATE,
        finishedAt: new Date(),
      },
    });
    await writeAudit(tx, {
      action: "IMPORT",
      actor: { id: creator.id, name: creator.name, role: creator.role, orgUnitId: creator.orgUnitId },
      targetType: "segment",
      targetId: segment.id,
      details: { segmentImportId: id, matchBy: imp.matchBy, rows: report.total, matched: report.members.size, ...report.counts },
    });
  });
  return getSegmentImport(db, id);
}

export const importReportInput = z.strictObject({
  importId: z.string().min(1),
  code: z.enum(ROW_CODES).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(500).default(100),
});
export const importReportOutput = z.object({
  items: z.array(z.object({ line: z.number(), code: z.enum(ROW_CODES), valueMasked: z.string().nullable() })),
  total: z.number(),
});

export async function segmentImportReport(db: Db, input: z.infer<typeof importReportInput>): Promise<z.infer<typeof importReportOutput>> {
  const where = { importId: input.importId, ...(input.code && { code: input.code }) };
  const [items, total] = await Promise.all([
    db.segmentImportRow.findMany({ where, orderBy: [{ line: "asc" }, { id: "asc" }], skip: (input.page - 1) * input.pageSize, take: input.pageSize, select: { line: true, code: true, valueMasked: true } }),
    db.segmentImportRow.count({ where }),
  ]);
  return { items: items.map((r) => ({ ...r, code: r.code as RowCode })), total };
}
