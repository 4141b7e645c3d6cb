/**
 * Creating a batch, with file-level idempotency. A batch's content hash (per kind and source
 * system) and the caller's batch key can be "live" (queued, running or applied) only once — a
 * partial unique index in the database enforces it, so two concurrent uploads of one file cannot
 * both get through. The second becomes a DUPLICATE batch pointing at the first and is never run.
 */
import { createHash } from "node:crypto";
import { Prisma, type Db, type ImportBatch, type ImportStatus } from "@mkt/db";
import type { ImportKind } from "./dictionary";

const LIVE: ImportStatus[] = ["PENDING", "VALIDATING", "APPLYING", "APPLIED"];

/** A batch that started this long ago and is still running was abandoned by a crashed process. */
const RUNNING_STALE_MS = 2 * 3600_000;
/** A batch without a stored file is run inline at once; still PENDING after this, its request died. */
const INLINE_PENDING_STALE_MS = 15 * 60_000;

export function contentHash(content: Uint8Array | string): string {
  return createHash("sha256").update(content).digest("hex");
}

/** Who submits a batch: a signed-in user or an API key, acting for an org unit. */
export interface BatchPrincipal {
  orgUnitId: string;
  userId?: string;
  apiKeyId?: string;
}

export interface NewBatch {
  kind: ImportKind;
  sourceSystem: string;
  contentHash: string;
  fileName?: string | null;
  batchKey?: string | null;
  /** The uploaded file, kept for the worker until the batch is done. */
  file?: Uint8Array<ArrayBuffer>;
  fileSize?: number;
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}

function isStale(b: ImportBatch & { hasFile: boolean }, now: number): boolean {
  if (b.status === "APPLIED") return false;
  if (b.status === "PENDING") return !b.hasFile && now - b.createdAt.getTime() > INLINE_PENDING_STALE_MS;
  return now - (b.startedAt ?? b.createdAt).getTime() > RUNNING_STALE_MS;
}

/** Creates the batch (PENDING), or a DUPLICATE of the live batch with the same content or key. */
export async function createBatch(db: Db, principal: BatchPrincipal, input: NewBatch): Promise<ImportBatch> {
  const base = {
    kind: input.kind,
    sourceSystem: input.sourceSystem,
    contentHash: input.contentHash,
    fileName: input.fileName ?? null,
    batchKey: input.batchKey ?? null,
    fileSize: input.fileSize ?? input.file?.byteLength ?? null,
    orgUnitId: principal.orgUnitId,
    createdById: principal.userId ?? null,
    apiKeyId: principal.apiKeyId ?? null,
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await db.importBatch.create({
        data: { ...base, status: "PENDING", ...(input.file && { file: { create: { content: input.file } } }) },
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    const live = await db.importBatch.findFirst({
      where: {
        kind: input.kind,
        sourceSystem: input.sourceSystem,
        status: { in: LIVE },
        OR: [{ contentHash: input.contentHash }, ...(input.batchKey ? [{ batchKey: input.batchKey }] : [])],
      },
      include: { file: { select: { batchId: true } } },
      orderBy: { createdAt: "asc" },
    });
    if (!live) continue; // it left the live set (rejected) in between: try again
    const { file, ...row } = live;
    if (isStale({ ...row, hasFile: file !== null }, Date.now())) {
      await db.importBatch.updateMany({ where: { id: live.id, status: live.status }, data: { status: "FAILED", finishedAt: new Date() } });
      continue;
    }
    return db.importBatch.create({
      data: { ...base, status: "DUPLICATE", duplicateOfId: live.id, progress: 100, finishedAt: new Date() },
    });
  }
  throw new Error("import batch could not be created (its duplicate kept changing state)");
}
