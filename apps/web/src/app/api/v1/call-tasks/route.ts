/** GET /api/v1/call-tasks — the call centre's task list, JSON or CSV (see @mkt/api/routers/call-centre-rest). */
import { getCallTasks } from "@mkt/api/routers/call-centre-rest";
import { getDb } from "@mkt/api/server";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Access declaration read by the route-guard test: an API key with call:read, tasks of customers inside its org subtree. */
export const access = { permission: "call:read", scope: "org" } as const;

export async function GET(request: Request): Promise<Response> {
  return getCallTasks(request, { db: getDb() });
}
