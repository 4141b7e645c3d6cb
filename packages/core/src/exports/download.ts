/**
 * Handing out a finished export file: only to the person who requested it, through a signed link
 * that has not expired, while the file is there. Each download is audited and counted.
 */
import { writeAudit, type Db } from "@mkt/db";
import { checkDownloadLink } from "./link";
import type { ExportActor } from "./requests";

export type DownloadRefusal = { status: 403 | 404 | 409 | 410; message: string };
export interface DownloadFile {
  path: string;
  fileName: string;
  size: number;
  contentType: string;
}

const CONTENT_TYPE = { CSV: "text/csv; charset=utf-8", XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" } as const;

/** A file name people recognise: `<segment>_<yyyy-mm-dd>.<ext>`, without path characters. */
function fileNameOf(segmentName: string, takenAt: Date, format: "CSV" | "XLSX"): string {
  // eslint-disable-next-line no-control-regex -- control characters are stripped from file names
  const safe = segmentName.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "_").slice(0, 80) || "segment";
  return `${safe}_${takenAt.toISOString().slice(0, 10)}.${format.toLowerCase()}`;
}

export async function authorizeDownload(
  db: Db,
  actor: ExportActor,
  exportId: string,
  link: { exp: string | null; sig: string | null; secret: string | null; ip?: string | null },
  now = new Date(),
): Promise<DownloadFile | DownloadRefusal> {
  const row = await db.segmentExport.findUnique({
    where: { id: exportId },
    include: { snapshot: { select: { takenAt: true, segment: { select: { name: true } } } } },
  });
  // Someone else's export, or none at all: the same answer.
  if (!row || row.requestedById !== actor.id) return { status: 404, message: "export not found" };
  if (!link.secret) return { status: 403, message: "download links are not configured (EXPORT_LINK_SECRET)" };
  const check = checkDownloadLink(link.secret, exportId, link.exp, link.sig, now);
  if (check === "bad-signature") return { status: 403, message: "invalid download link" };
  if (check === "expired" || row.status === "EXPIRED" || (row.expiresAt !== null && row.expiresAt <= now)) {
    return { status: 410, message: "the download link has expired: request the export again" };
  }
  if (row.status !== "SUCCEEDED" || !row.filePath || row.fileSize === null) return { status: 409, message: `export is ${row.status.toLowerCase()}` };
  await db.$transaction(async (tx) => {
    await tx.segmentExport.update({ where: { id: exportId }, data: { downloads: { increment: 1 } } });
    await writeAudit(tx, {
      action: "EXPORT",
      actor,
      targetType: "SegmentExport",
      targetId: exportId,
      ip: link.ip ?? null,
      details: { step: "download", masked: row.masked, rows: row.rowsWritten, format: row.format, checksum: row.checksum },
    });
  });
  return { path: row.filePath, fileName: fileNameOf(row.snapshot.segment.name, row.snapshot.takenAt, row.format), size: Number(row.fileSize), contentType: CONTENT_TYPE[row.format] };
}
