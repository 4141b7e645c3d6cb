/** POST /api/v1/callbacks/{channel} — signed delivery callbacks of the app-push and WeChat gateways (see @mkt/api/routers/channel-callback-rest). */
import { redisReplayGuard } from "@mkt/api/http/replay-guard";
import { postChannelCallback } from "@mkt/api/routers/channel-callback-rest";
import { getDb } from "@mkt/api/server";
import { channelEnv } from "@mkt/core/campaigns/channels/env";
import { webhookSecret } from "@mkt/core/campaigns/channels/index";
import { getJobsClient } from "@mkt/jobs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Access declaration read by the route-guard test: the gateway's HMAC signature (shared secret per channel); contacts are addressed by id only. */
export const access = { permission: "signature", scope: "none" } as const;

export async function POST(request: Request, { params }: { params: Promise<{ channel: string }> }): Promise<Response> {
  const env = channelEnv();
  const jobs = getJobsClient();
  await jobs.ready();
  return postChannelCallback(request, (await params).channel, {
    db: getDb(),
    secretFor: (channel) => webhookSecret(channel, env),
    replay: redisReplayGuard(jobs.redis, jobs.prefix),
    windowSeconds: env.CALLBACK_REPLAY_WINDOW_SECONDS,
  });
}
