/**
 * GET /api/exports/{id}?exp=…&sig=… — the file of a finished segment export, transport-agnostic
 * (Request in, Response out). A console session with export:read; only the requester's own
 * export (anything else is 404), a valid signature (403), not expired (410), finished (409).
 */
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { hasPermission } from "@mkt/core";
import { authorizeDownload } from "@mkt/core/exports/download";
import type { Db } from "@mkt/db";
import type { SessionUser } from "../context";
import { clientIp } from "../http/client-ip";
import { jsonError } from "../http/errors";

export interface ExportDownloadDeps {
  db: Db;
  sessionUser(request: Request): Promise<SessionUser | null>;
  linkSecret: string | null;
}

export async function getExportDownload(request: Request, exportId: string, deps: ExportDownloadDeps): Promise<Response> {
  const user = await deps.sessionUser(request);
  if (!user) return jsonError(401, { error: "sign-in required" });
  if (!hasPermission(user.role, "export:read")) return jsonError(403, { error: "missing permission export:read" });
  if (!/^[\w-]{1,64}$/.test(exportId)) return jsonError(404, { error: "export not found" });
  const url = new URL(request.url);
  const result = await authorizeDownload(deps.db, user, exportId, {
    exp: url.searchParams.get("exp"),
    sig: url.searchParams.get("sig"),
    secret: deps.linkSecret,
    ip: clientIp(request.headers),
  });
  if ("status" in result) return jsonError(result.status, { error: result.message });
  const body = Readable.toWeb(createReadStream(result.path)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      "content-type": result.contentType,
      "content-length": String(result.size),
      "content-disposition": `attachment; filename="export.${result.fileName.split(".").pop()}"; filename*=UTF-8''${encodeURIComponent(result.fileName)}`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
