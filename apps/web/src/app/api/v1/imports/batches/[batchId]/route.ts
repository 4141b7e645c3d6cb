/** GET /api/v1/imports/batches/{batchId} — a batch's status, progress and issues (see @mkt/api/routers/import-rest). */
import { getImportBatch } from "@mkt/api/routers/import-rest";
import { importRouteDeps } from "../../deps";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Access declaration read by the route-guard test: API key or session with import:read, batches of the org subtree. */
export const access = { permission: "import:read", scope: "org" } as const;

export async function GET(request: Request, { params }: { params: Promise<{ batchId: string }> }): Promise<Response> {
  return getImportBatch(request, (await params).batchId, importRouteDeps());
}
