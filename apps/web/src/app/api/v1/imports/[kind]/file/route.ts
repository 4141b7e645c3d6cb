/** POST /api/v1/imports/{kind}/file — a CSV file as the raw body (see @mkt/api/routers/import-rest). */
import { postFileImport } from "@mkt/api/routers/import-rest";
import { importRouteDeps } from "../../deps";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Access declaration read by the route-guard test: API key or session with import:write, inside the org subtree. */
export const access = { permission: "import:write", scope: "org" } as const;

export async function POST(request: Request, { params }: { params: Promise<{ kind: string }> }): Promise<Response> {
  return postFileImport(request, (await params).kind, importRouteDeps());
}
