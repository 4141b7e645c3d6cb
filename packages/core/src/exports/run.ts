/**
 * The export job's body: writes the file of one `SegmentExport` row. The file is written to
 * `<dir>/<id>.<ext>.part` and renamed into place when complete, so a reader never sees half a
 * file and a retried attempt overwrites its own partial file — one export, one file, however
 * often the job runs. Masking is decided again here from the requester's current role.
 */
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { finished } from "node:stream/promises";
import type pg from "pg";
import { withPgClient } from "@mkt/db/tags/storage";
import type { Db } from "@mkt/db";
import { hasPermission } from "../auth/permissions";
import { DomainError } from "../domain-error";
import { bitmapFromBytes } from "../segments/bitmap";
import type { ExportColumn } from "./columns";
import { planExport } from "./columns";
import { HashedFileStream } from "./hashed-file";
import { getExportSettings } from "./settings";
import { streamExport } from "./stream-export";

export interface RunExportDeps {
  db: Db;
  databaseUrl: string;
  dir: string;
  signal?: AbortSignal;
  /** 0–100 */
  onProgress?: (percent: number) => Promise<void> | void;
  /** False while BullMQ will retry a failure: the row then stays QUEUED with the error. */
  finalAttempt?: boolean;
}

export interface RunExportResult {
  status: "SUCCEEDED" | "SKIPPED";
  rows?: number;
  /** Rows whose cells came from the export cell store (the rest were read row by row). */
  storeRows?: number;
  checksum?: string;
}

export const exportFileName = (id: string, format: "CSV" | "XLSX") => `${id}.${format.toLowerCase()}`;

export async function runSegmentExport(deps: RunExportDeps, exportId: string): Promise<RunExportResult> {
  const { db } = deps;
  const row = await db.segmentExport.findUnique({
    where: { id: exportId },
    include: { snapshot: { select: { members: true } }, requestedBy: { select: { role: true, active: true } }, orgUnit: { select: { path: true } } },
  });
  if (!row) throw new DomainError("NOT_FOUND", `export ${exportId} not found`);
  if (row.status === "SUCCEEDED" || row.status === "EXPIRED") return { status: "SKIPPED" };
  if (row.status === "PENDING_APPROVAL" || row.status === "REJECTED") throw new DomainError("PRECONDITION_FAILED", `export ${exportId} is ${row.status}`);
  if (!row.requestedBy.active) throw new DomainError("PRECONDITION_FAILED", "the requester's account is disabled");

  await db.segmentExport.update({ where: { id: exportId }, data: { status: "RUNNING", startedAt: new Date(), attempts: { increment: 1 }, progress: 0, error: null } });
  const masked = row.masked || !hasPermission(row.requestedBy.role, "export:unmasked");
  const file = path.join(deps.dir, exportFileName(row.id, row.format));
  const part = `${file}.part`;
  let out: HashedFileStream | undefined;
  try {
    await mkdir(deps.dir, { recursive: true });
    const plan = await planExport(db, row.columns as ExportColumn[], row.locale === "en" ? "en" : "zh-CN");
    const members = bitmapFromBytes(row.snapshot.members);
    const output = (out = new HashedFileStream(part));
    let lastPercent = -1;
    const stream = (client: pg.Client, aheadClient?: pg.Client) =>
      streamExport({
        client,
        aheadClient,
        members,
        plan,
        masked,
        format: row.format,
        out: output,
        scopePath: row.orgUnit.path,
        signal: deps.signal,
        sheetName: "Export",
        onProgress: async (done, total) => {
          const percent = total ? Math.min(99, Math.floor((done / total) * 100)) : 99;
          if (percent === lastPercent) return;
          lastPercent = percent;
          await db.segmentExport.update({ where: { id: exportId }, data: { progress: percent } });
          await deps.onProgress?.(percent);
        },
      });
    // the rows' connection reads into one reused buffer; with tag columns, a second connection
    // reads the next window of tag values while the rows stream
    const { rows, storeRows } = await withPgClient(
      deps.databaseUrl,
      (client) => (plan.tags.length ? withPgClient(deps.databaseUrl, (ahead) => stream(client, ahead)) : stream(client)),
      { copyReads: true },
    );
    output.end();
    await finished(output);
    await rename(part, file);
    const { checksum, bytes } = output.digest();
    const size = (await stat(file)).size;
    if (size !== bytes) throw new Error(`file size ${size} differs from bytes written ${bytes}`);
    const { linkHours } = await getExportSettings(db);
    const now = new Date();
    await db.segmentExport.update({
      where: { id: exportId },
      data: { status: "SUCCEEDED", progress: 100, rowsWritten: rows, filePath: file, fileSize: BigInt(size), checksum, finishedAt: now, expiresAt: new Date(now.getTime() + linkHours * 3_600_000), masked },
    });
    await deps.onProgress?.(100);
    return { status: "SUCCEEDED", rows, storeRows, checksum };
  } catch (err) {
    out?.destroy();
    await rm(part, { force: true });
    const message = err instanceof Error ? err.message.slice(0, 500) : String(err);
    await db.segmentExport.update({ where: { id: exportId }, data: { status: deps.finalAttempt === false ? "QUEUED" : "FAILED", error: message } });
    throw err;
  }
}

/** Removes the files of exports whose link has expired; returns how many. */
export async function expireExports(db: Db, now = new Date()): Promise<number> {
  const due = await db.segmentExport.findMany({ where: { status: "SUCCEEDED", expiresAt: { lte: now } }, select: { id: true, filePath: true } });
  for (const e of due) {
    if (e.filePath) await rm(e.filePath, { force: true });
    await db.segmentExport.update({ where: { id: e.id }, data: { status: "EXPIRED", filePath: null } });
  }
  return due.length;
}
