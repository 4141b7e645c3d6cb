/**
 * POST /api/v1/callbacks/<channel> — delivery callbacks of the app-push and WeChat gateways
 * (channel `app-push` | `wechat`). Authenticated by signature, not by key: HMAC-SHA256 over
 * `<X-Mkt-Timestamp>.<raw body>` with the channel's shared secret (core/campaigns/channels/signature.ts).
 *
 *   body  { events: [{ requestId, status: DELIVERED | FAILED, occurredAt, messageId?, reason? }] }
 *         1–1000 events, ≤ 1 MB; `requestId` is the contact id we sent as the message's requestId
 *   200   { recorded, repeated, unknown } — idempotent by (contact, event type); events naming a
 *         contact of another channel count as unknown
 *   401   missing, wrong or stale signature, or a replay of one already accepted (nothing recorded)
 *   404   unknown channel, or one that is not live
 *   400   malformed JSON or fields (each issue names its path)
 */
import { recordContactEvent } from "@mkt/core/campaigns/channels/record-event";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature, type ReplayGuard } from "@mkt/core/campaigns/channels/signature";
import type { Db } from "@mkt/db";
import { z } from "zod";
import { errorResponse, HttpError } from "../http/errors";

export const CALLBACK_BODY_LIMIT = 1024 * 1024;

const CHANNELS = { "app-push": "APP_PUSH", wechat: "WECHAT" } as const;
type CallbackChannel = (typeof CHANNELS)[keyof typeof CHANNELS];

export const channelCallbackSchema = z.strictObject({
  events: z
    .array(
      z.strictObject({
        requestId: z.string().regex(/^\d{1,18}$/, "requestId is the numeric id sent with the message"),
        status: z.enum(["DELIVERED", "FAILED"]),
        occurredAt: z.iso.datetime({ offset: true }),
        messageId: z.string().max(200).optional(),
        reason: z.string().max(200).optional(),
      }),
    )
    .min(1)
    .max(1000),
});

export interface ChannelCallbackDeps {
  db: Db;
  /** The channel's shared secret; null when the channel is not live. */
  secretFor(channel: CallbackChannel): string | null;
  replay: ReplayGuard;
  windowSeconds: number;
  now?: () => Date;
}

export async function postChannelCallback(request: Request, slug: string, deps: ChannelCallbackDeps): Promise<Response> {
  try {
    const channel = CHANNELS[slug as keyof typeof CHANNELS];
    const secret = channel ? deps.secretFor(channel) : null;
    if (!channel || !secret) throw new HttpError(404, `no callbacks for channel ${slug}`);
    if (Number(request.headers.get("content-length") ?? 0) > CALLBACK_BODY_LIMIT) throw new HttpError(413, `request body larger than ${CALLBACK_BODY_LIMIT} bytes`);
    const raw = await request.text();
    if (Buffer.byteLength(raw) > CALLBACK_BODY_LIMIT) throw new HttpError(413, `request body larger than ${CALLBACK_BODY_LIMIT} bytes`);

    const check = verifySignature({
      secret,
      timestamp: request.headers.get(TIMESTAMP_HEADER),
      signature: request.headers.get(SIGNATURE_HEADER),
      body: raw,
      windowSeconds: deps.windowSeconds,
      ...(deps.now ? { now: deps.now() } : {}),
    });
    if (!check.ok) throw new HttpError(401, `invalid signature (${check.reason})`);
    const replayKey = `${channel}:${check.signature}`;
    if (!(await deps.replay.firstSeen(replayKey, deps.windowSeconds * 2))) throw new HttpError(401, "replayed callback");

    try {
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch (e) {
        throw new HttpError(400, `malformed JSON: ${e instanceof Error ? e.message : "parse error"}`);
      }
      const { events } = channelCallbackSchema.parse(json);
      const ids = [...new Set(events.map((e) => BigInt(e.requestId)))];
      const ofChannel = await deps.db.contact.findMany({ where: { id: { in: ids }, channel }, select: { id: true } });
      const mine = new Set(ofChannel.map((c) => String(c.id)));
      const recorded = await recordContactEvent(
        deps.db,
        events
          .filter((e) => mine.has(e.requestId))
          .map((e) => ({
            contactId: e.requestId,
            type: e.status === "DELIVERED" ? ("DELIVERED" as const) : ("DELIVERY_FAILED" as const),
            occurredAt: new Date(e.occurredAt),
            source: `callback:${channel}`,
            ...(e.reason || e.messageId ? { detail: { ...(e.messageId ? { messageId: e.messageId } : {}), ...(e.reason ? { reason: e.reason } : {}) } } : {}),
          })),
      );
      return Response.json({ ...recorded, unknown: recorded.unknown + events.filter((e) => !mine.has(e.requestId)).length });
    } catch (error) {
      await deps.replay.forget(replayKey); // not recorded: the gateway may send the same request again
      throw error;
    }
  } catch (error) {
    return errorResponse(error);
  }
}
