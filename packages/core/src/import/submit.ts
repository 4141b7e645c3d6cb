/**
 * The ways a batch arrives. A JSON batch (system-to-system API, bounded in size) runs at once in
 * the request. An uploaded CSV file is stored with its batch; a small file runs at once, a large
 * one is handed to the import worker (`enqueue`, supplied by the caller so the domain does not
 * depend on the queue) and the console follows its progress on the batch row.
 */
import type { Db } from "@mkt/db";
import { DomainError } from "../domain-error";
import { contentHash, createBatch, type BatchPrincipal } from "./batch";
import { readCsvRows } from "./csv";
import type { ImportKind } from "./dictionary";
import { FINAL_STATUSES, outcomeOf, runBatch, type BatchOutcome, type RunOptions } from "./run";
import { jsonRows } from "./source";

/** Files up to this size are validated and applied inside the upload request. */
export const INLINE_FILE_BYTES = 1024 * 1024;

export interface JsonBatchInput {
  kind: ImportKind;
  sourceSystem: string;
  batchKey?: string;
  rows: Record<string, unknown>[];
}

export async function submitJsonBatch(db: Db, principal: BatchPrincipal, input: JsonBatchInput): Promise<BatchOutcome> {
  const batch = await createBatch(db, principal, {
    kind: input.kind,
    sourceSystem: input.sourceSystem,
    batchKey: input.batchKey ?? null,
    contentHash: contentHash(JSON.stringify(input.rows)),
  });
  if (batch.status === "DUPLICATE") return outcomeOf(batch);
  return runBatch(db, batch.id, () => jsonRows(input.rows));
}

export interface FileBatchInput {
  kind: ImportKind;
  sourceSystem: string;
  fileName: string | null;
  content: Uint8Array<ArrayBuffer>;
}

export async function submitFileBatch(
  db: Db,
  principal: BatchPrincipal,
  input: FileBatchInput,
  enqueue: (batchId: string) => Promise<void>,
): Promise<BatchOutcome> {
  const batch = await createBatch(db, principal, {
    kind: input.kind,
    sourceSystem: input.sourceSystem,
    fileName: input.fileName,
    contentHash: contentHash(input.content),
    file: input.content,
  });
  if (batch.status === "DUPLICATE") return outcomeOf(batch);
  if (input.content.byteLength <= INLINE_FILE_BYTES) return runStoredBatch(db, batch.id);
  await enqueue(batch.id);
  return outcomeOf(batch);
}

/** Runs a batch from its stored file (the worker's entry point). A finished batch is returned as is. */
export async function runStoredBatch(db: Db, batchId: string, opts: RunOptions = {}): Promise<BatchOutcome> {
  const batch = await db.importBatch.findUnique({ where: { id: batchId }, include: { file: true } });
  if (!batch) throw new DomainError("NOT_FOUND", `import batch ${batchId} not found`);
  const { file, ...row } = batch;
  if (FINAL_STATUSES.includes(row.status)) return outcomeOf(row);
  if (!file) throw new DomainError("PRECONDITION_FAILED", `import batch ${batchId} has no stored file`);
  return runBatch(db, batchId, (hooks) => readCsvRows(row.kind, file.content, hooks), opts);
}
