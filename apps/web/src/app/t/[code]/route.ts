/** GET /t/{code} — a personalised short link: records the click, redirects to the landing page (see @mkt/api/routers/short-link-rest). */
import { followShortLinkRoute } from "@mkt/api/routers/short-link-rest";
import { getDb } from "@mkt/api/server";
import { channelEnv, trackingKey } from "@mkt/core/campaigns/channels/env";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Access declaration read by the route-guard test: public — the unguessable code is the credential; no personal data in the response. */
export const access = { permission: "public", scope: "none" } as const;

type Params = { params: Promise<{ code: string }> };

export async function GET(request: Request, { params }: Params): Promise<Response> {
  return followShortLinkRoute(request, (await params).code, { db: getDb(), key: trackingKey(channelEnv()) });
}

export async function HEAD(request: Request, { params }: Params): Promise<Response> {
  return followShortLinkRoute(request, (await params).code, { db: getDb(), key: trackingKey(channelEnv()) });
}
