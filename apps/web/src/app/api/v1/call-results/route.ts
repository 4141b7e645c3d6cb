/** POST /api/v1/call-results — call results from the call centre (see @mkt/api/routers/call-centre-rest). */
import { postCallResults } from "@mkt/api/routers/call-centre-rest";
import { getDb } from "@mkt/api/server";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Access declaration read by the route-guard test: an API key with call:write, tasks of customers inside its org subtree. */
export const access = { permission: "call:write", scope: "org" } as const;

export async function POST(request: Request): Promise<Response> {
  return postCallResults(request, { db: getDb() });
}
