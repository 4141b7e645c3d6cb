/** POST /api/v1/imports/{kind} — a JSON batch from a source system (see @mkt/api/routers/import-rest). */
import { postJsonImport } from "@mkt/api/routers/import-rest";
import { importRouteDeps } from "../deps";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Access declaration read by the route-guard test: an API key with import:write, rows inside its org subtree. */
export const access = { permission: "import:write", scope: "org" } as const;

export async function POST(request: Request, { params }: { params: Promise<{ kind: string }> }): Promise<Response> {
  return postJsonImport(request, (await params).kind, importRouteDeps());
}
