/** POST /api/v1/events — real-time events from the channel systems (see @mkt/api/routers/tag-events-rest). */
import { postTagEvents } from "@mkt/api/routers/tag-events-rest";
import { getDb } from "@mkt/api/server";
import { getJobsClient } from "@mkt/jobs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Access declaration read by the route-guard test: an API key with event:write, customers inside its org subtree. */
export const access = { permission: "event:write", scope: "org" } as const;

export async function POST(request: Request): Promise<Response> {
  return postTagEvents(request, { db: getDb(), jobs: getJobsClient() });
}
