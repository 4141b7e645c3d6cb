/**
 * Running a batch: all or nothing.
 *   1. Inside one transaction, every row is read, validated against the dictionary and staged
 *      (valid rows only); then the natural keys repeated within the file and the references
 *      (org units, customers, products, accounts) are checked with set-based SQL.
 *   2. Any issue at all: the transaction rolls back (nothing was applied) and the batch becomes
 *      REJECTED with every issue stored, by line.
 *   3. Otherwise the kind's set-based apply runs and the batch becomes APPLIED in the same
 *      transaction — so a crash leaves either everything or nothing, and a retried run finds the
 *      batch APPLIED and does nothing (idempotent by status; natural keys make the SQL idempotent too).
 * Progress (0–100) is written to the batch row from outside the transaction so the console sees it.
 */
import { writeAudit, type Db, type ImportBatch, type ImportStatus, type Prisma } from "@mkt/db";
import { DomainError } from "../domain-error";
import type { ImportKind } from "./dictionary";
import type { RowIssue } from "./issues";
import { KIND_HANDLERS, type ApplyStats, type BatchContext, type KindHandler } from "./kinds";
import { validateRow, type RowByKind } from "./row-schema";
import type { SourceRow } from "./source";
import { createStage, duplicateKeyIssues, finishStage, insertStageChunk, STAGE_CHUNK, type StagedRow, type Tx } from "./stage";

/** Statuses after which running the batch again changes nothing. */
export const FINAL_STATUSES: readonly ImportStatus[] = ["APPLIED", "REJECTED", "DUPLICATE"];

/** Issues kept per batch; `errorRows` still counts every bad line. */
export const MAX_STORED_ISSUES = 50_000;

/** A large batch may wait for another customer import and then take minutes. */
const TX_TIMEOUT_MS = 60 * 60_000;

export interface RowHooks {
  onIssue(issue: RowIssue): void;
  /** Fraction of the input read, 0..1. */
  onProgress(fraction: number): void;
}

/** Produces the batch's raw rows (a CSV file, a JSON array); structural problems go to onIssue. */
export type RowReader = (hooks: RowHooks) => AsyncIterable<SourceRow>;

export interface RunOptions {
  /** Also told every progress step (the worker forwards it to BullMQ). */
  onProgress?(percent: number): void;
}

export interface BatchOutcome {
  id: string;
  kind: ImportKind;
  sourceSystem: string;
  status: ImportStatus;
  totalRows: number;
  appliedRows: number;
  errorRows: number;
  stats: ApplyStats | null;
  duplicateOfId: string | null;
}

export function outcomeOf(b: ImportBatch): BatchOutcome {
  return {
    id: b.id,
    kind: b.kind,
    sourceSystem: b.sourceSystem,
    status: b.status,
    totalRows: b.totalRows,
    appliedRows: b.appliedRows,
    errorRows: b.errorRows,
    stats: (b.stats as ApplyStats | null) ?? null,
    duplicateOfId: b.duplicateOfId,
  };
}

class Rejected extends Error {
  constructor(readonly totalRows: number) {
    super("batch rejected");
  }
}

/** Writes progress to the batch row at most every 500 ms, in order, never after the batch finished. */
function progressWriter(db: Db, batchId: string, onProgress?: (p: number) => void) {
  let last = -1;
  let lastAt = 0;
  let chain: Promise<unknown> = Promise.resolve();
  return {
    report(percent: number) {
      const p = Math.min(99, Math.floor(percent));
      if (p <= last || Date.now() - lastAt < 500) return;
      last = p;
      lastAt = Date.now();
      onProgress?.(p);
      chain = chain.then(() =>
        db.importBatch
          .updateMany({ where: { id: batchId, status: { in: ["PENDING", "VALIDATING", "APPLYING"] } }, data: { progress: p } })
          .catch(() => undefined),
      );
    },
    flush: () => chain,
  };
}

async function auditActor(db: Db, batch: ImportBatch) {
  if (batch.createdById) {
    const u = await db.user.findUnique({ where: { id: batch.createdById }, select: { id: true, name: true, role: true, orgUnitId: true } });
    if (u) return u;
  }
  if (batch.apiKeyId) {
    const k = await db.apiKey.findUnique({ where: { id: batch.apiKeyId }, select: { id: true, name: true, orgUnitId: true } });
    if (k) return { id: k.id, name: `api-key:${k.name}`, role: "API_KEY", orgUnitId: k.orgUnitId };
  }
  return null;
}

/**
 * Customer imports are serialised bank-wide (two concurrent batches must not both create the
 * same new person); fact imports only against a second run of the same batch.
 */
function lockKey(batch: ImportBatch): string {
  return batch.kind === "CUSTOMERS" ? "mkt:import:customers" : `mkt:import:${batch.id}`;
}

async function stageRows<K extends ImportKind>(
  tx: Tx,
  kind: K,
  handler: KindHandler<RowByKind[K]>,
  read: RowReader,
  issues: RowIssue[],
  progress: (percent: number) => void,
): Promise<number> {
  let total = 0;
  let chunk: StagedRow<RowByKind[K]>[] = [];
  const hooks: RowHooks = {
    onIssue: (issue) => {
      issues.push(issue);
      if (issue.line > 1) total++; // a malformed record is a row of the file all the same
    },
    onProgress: (fraction) => progress(fraction * 60),
  };
  for await (const src of read(hooks)) {
    total++;
    const v = validateRow(kind, src.values, src.line);
    if (!v.ok) {
      issues.push(...v.issues);
      continue;
    }
    chunk.push({ line: src.line, row: v.row, raw: src.values });
    if (chunk.length >= STAGE_CHUNK) {
      await insertStageChunk(tx, handler.columns, chunk);
      chunk = [];
    }
  }
  await insertStageChunk(tx, handler.columns, chunk);
  return total;
}

/** Validates and applies one batch (see the file comment). Safe to call again for the same batch. */
export async function runBatch(db: Db, batchId: string, read: RowReader, opts: RunOptions = {}): Promise<BatchOutcome> {
  const batch = await db.importBatch.findUnique({ where: { id: batchId } });
  if (!batch) throw new DomainError("NOT_FOUND", `import batch ${batchId} not found`);
  if (FINAL_STATUSES.includes(batch.status)) return outcomeOf(batch);
  const org = await db.orgUnit.findUniqueOrThrow({ where: { id: batch.orgUnitId }, select: { path: true } });
  const ctx: BatchContext = { batchId, sourceSystem: batch.sourceSystem, scopePath: org.path };
  const kind = batch.kind;
  const handler = KIND_HANDLERS[kind] as KindHandler<RowByKind[typeof kind]>;
  const progress = progressWriter(db, batchId, opts.onProgress);
  const actor = await auditActor(db, batch);

  await db.importBatch.update({ where: { id: batchId }, data: { status: "VALIDATING", startedAt: new Date(), progress: 0 } });
  const issues: RowIssue[] = [];
  try {
    await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${lockKey(batch)}))`;
        const current = await tx.importBatch.findUniqueOrThrow({ where: { id: batchId }, select: { status: true } });
        if (FINAL_STATUSES.includes(current.status)) return; // another run finished it while we waited

        await createStage(tx, handler.columns, handler.workColumns);
        const total = await stageRows(tx, kind, handler, read, issues, progress.report);
        await finishStage(tx, handler.indexColumns);
        progress.report(65);
        issues.push(...(await duplicateKeyIssues(tx, handler.keyColumn)));
        issues.push(...(await handler.check(tx, ctx)));
        if (issues.length > 0) throw new Rejected(total);

        await progress.flush();
        await db.importBatch.updateMany({ where: { id: batchId, status: "VALIDATING" }, data: { status: "APPLYING", progress: 70 } });
        const stats = await handler.apply(tx, ctx);
        await progress.flush();
        await tx.importBatch.update({
          where: { id: batchId },
          data: {
            status: "APPLIED",
            totalRows: total,
            appliedRows: stats.inserted + stats.updated,
            errorRows: 0,
            progress: 100,
            stats: stats as unknown as Prisma.InputJsonValue,
            finishedAt: new Date(),
          },
        });
        await tx.importFile.deleteMany({ where: { batchId } });
        await writeAudit(tx, {
          action: "IMPORT",
          actor,
          targetType: "ImportBatch",
          targetId: batchId,
          details: { kind, sourceSystem: batch.sourceSystem, status: "APPLIED", totalRows: total, ...stats },
        });
      },
      { timeout: TX_TIMEOUT_MS, maxWait: 30_000 },
    );
  } catch (err) {
    if (!(err instanceof Rejected)) throw err;
    await progress.flush();
    await recordRejection(db, batch, err.totalRows, issues, actor);
  }
  return outcomeOf(await db.importBatch.findUniqueOrThrow({ where: { id: batchId } }));
}

function issueSummary(issues: RowIssue[]) {
  const byCode: Record<string, number> = {};
  const byField: Record<string, number> = {};
  for (const i of issues) {
    byCode[i.code] = (byCode[i.code] ?? 0) + 1;
    if (i.field) byField[i.field] = (byField[i.field] ?? 0) + 1;
  }
  return { issues: issues.length, byCode, byField, truncated: issues.length > MAX_STORED_ISSUES };
}

/** Stores the issues (first MAX_STORED_ISSUES by line) and marks the batch REJECTED. */
async function recordRejection(db: Db, batch: ImportBatch, totalRows: number, issues: RowIssue[], actor: Awaited<ReturnType<typeof auditActor>>) {
  issues.sort((a, b) => a.line - b.line || (a.field ?? "").localeCompare(b.field ?? ""));
  const stored = issues.slice(0, MAX_STORED_ISSUES);
  const errorRows = new Set(issues.map((i) => i.line)).size;
  await db.$transaction(
    async (tx) => {
      await tx.importRowError.deleteMany({ where: { batchId: batch.id } });
      for (let i = 0; i < stored.length; i += STAGE_CHUNK) {
        const chunk = stored.slice(i, i + STAGE_CHUNK);
        await tx.$executeRaw`
          INSERT INTO import_row_error (batch_id, line, field, code, params)
          SELECT ${batch.id}, u.line, u.field, u.code, u.params::jsonb
          FROM unnest(${chunk.map((c) => c.line)}::int[], ${chunk.map((c) => c.field)}::text[], ${chunk.map((c) => c.code)}::text[],
                      ${chunk.map((c) => (c.params ? JSON.stringify(c.params) : null))}::text[]) AS u(line, field, code, params)`;
      }
      await tx.importBatch.update({
        where: { id: batch.id },
        data: {
          status: "REJECTED",
          totalRows,
          appliedRows: 0,
          errorRows,
          progress: 100,
          errors: issueSummary(issues),
          finishedAt: new Date(),
        },
      });
      await tx.importFile.deleteMany({ where: { batchId: batch.id } });
      await writeAudit(tx, {
        action: "IMPORT",
        actor,
        targetType: "ImportBatch",
        targetId: batch.id,
        details: { kind: batch.kind, sourceSystem: batch.sourceSystem, status: "REJECTED", totalRows, errorRows },
      });
    },
    { timeout: 5 * 60_000 },
  );
}
