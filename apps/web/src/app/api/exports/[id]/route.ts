/** GET /api/exports/{id} — a finished segment export's file (see @mkt/api/routers/segment-export-download). */
import { getExportDownload } from "@mkt/api/routers/segment-export-download";
import { exportEnv } from "@mkt/core/exports/env";
import { getDb, getSessionUser } from "@mkt/api/server";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Access declaration read by the route-guard test: a session with export:read, the requester's own export only. */
export const access = { permission: "export:read", scope: "self" } as const;

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return getExportDownload(request, (await params).id, {
    db: getDb(),
    sessionUser: (req) => getSessionUser(req.headers),
    linkSecret: exportEnv().linkSecret,
  });
}
