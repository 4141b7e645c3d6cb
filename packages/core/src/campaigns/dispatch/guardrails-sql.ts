/**
 * The guardrails of guardrails/evaluate.ts as one set-based SQL expression, evaluated for a whole
 * chunk at claim time (and for a whole audience by `estimateAudience`). Over `customer cu`, it
 * yields the first suppression reason, 'DEFER' (quiet hours with a deferring campaign) or NULL
 * (send). The order is the order of `SUPPRESSION_REASONS`; the integration test checks it gives
 * the same decision as `decide()` for every customer of a seeded bank.
 *
 * Caps count every message claimed for sending (`sent_at` is set at claim) on the channel, from
 * any campaign, so the claim must hold the cap lock (`capLockSql`) while it evaluates.
 */
import { Prisma } from "@mkt/db";
import type { Channel } from "../channels/provider";
import { parseHm } from "../guardrails/quiet-hours";
import type { ChannelPolicy } from "./context";

export interface GuardrailParams {
  channel: Channel;
  productRisk: number | null;
  policy: ChannelPolicy;
  quietHoursPolicy: "DEFER" | "DROP";
  at: Date;
  /** Event-triggered waves: after this instant the message is no longer relevant. */
  expiresAt?: Date | null;
}

export function addressSql(channel: Channel): Prisma.Sql {
  switch (channel) {
    case "SMS":
    case "CALL":
      return Prisma.sql`nullif(cu.phone, '')`;
    case "EMAIL":
      return Prisma.sql`nullif(cu.email, '')`;
    case "WECHAT":
      return Prisma.sql`(SELECT cp.value FROM contact_point cp WHERE cp.customer_id = cu.id AND cp.kind = 'WECHAT_OPENID' ORDER BY cp."primary" DESC LIMIT 1)`;
    default:
      return Prisma.sql`cu.customer_no`;
  }
}

/** Local wall-clock minute of the day and the next allowed instant, for quiet hours. */
function quietSql(p: GuardrailParams): { quiet: Prisma.Sql; nextAllowed: Prisma.Sql } {
  const s = parseHm(p.policy.quiet.start);
  const e = parseHm(p.policy.quiet.end);
  const local = Prisma.sql`(${p.at}::timestamptz AT TIME ZONE cu.time_zone)`;
  const minute = Prisma.sql`(extract(hour FROM ${local})::int * 60 + extract(minute FROM ${local})::int)`;
  const quiet =
    s === e ? Prisma.sql`false` : s < e ? Prisma.sql`(${minute} >= ${s} AND ${minute} < ${e})` : Prisma.sql`(${minute} >= ${s} OR ${minute} < ${e})`;
  const nextAllowed = Prisma.sql`((date_trunc('day', ${local}) + (CASE WHEN ${minute} < ${e} THEN 0 ELSE 1 END) * interval '1 day' + ${e} * interval '1 minute') AT TIME ZONE cu.time_zone)`;
  return { quiet, nextAllowed };
}

/** CASE … END: the reason a customer gets no message now (text), 'DEFER', or NULL. */
export function reasonSql(p: GuardrailParams): Prisma.Sql {
  const at = Prisma.sql`${p.at}::timestamptz`;
  const ch = Prisma.sql`${p.channel}::"Channel"`;
  const { quiet } = quietSql(p);
  const restriction = (kind: string) => Prisma.sql`EXISTS (SELECT 1 FROM contact_restriction r WHERE r.customer_id = cu.id AND r.kind = ${kind}::"RestrictionKind"
      AND (r.channel IS NULL OR r.channel = ${ch}) AND r.valid_from <= ${at} AND (r.valid_to IS NULL OR r.valid_to > ${at}))`;
  const assessment = (col: string) =>
    Prisma.sql`(SELECT ${Prisma.raw(col)} FROM risk_assessment ra WHERE ra.customer_id = cu.id ORDER BY ra.assessed_at DESC LIMIT 1)`;
  const sentSince = (since: Prisma.Sql) =>
    Prisma.sql`(SELECT count(*) FROM contact x WHERE x.customer_id = cu.id AND x.channel = ${ch} AND x.sent_at >= ${since} AND x.sent_at <= ${at})`;
  const dayStart = Prisma.sql`(date_trunc('day', ${at} AT TIME ZONE cu.time_zone) AT TIME ZONE cu.time_zone)`;
  const weekStart = Prisma.sql`(${at} - interval '7 days' + interval '1 microsecond')`;
  const risk = p.productRisk;
  return Prisma.sql`CASE
    WHEN ${p.expiresAt ?? null}::timestamptz IS NOT NULL AND ${at} > ${p.expiresAt ?? null}::timestamptz THEN 'TRIGGER_EXPIRED'
    WHEN NOT EXISTS (SELECT 1 FROM consent k WHERE k.customer_id = cu.id AND k.purpose = 'MARKETING' AND k.channel = ${ch} AND k.granted) THEN 'NO_CONSENT'
    WHEN ${restriction("COMPLAINT")} THEN 'COMPLAINT'
    WHEN ${restriction("DO_NOT_DISTURB")} THEN 'DO_NOT_DISTURB'
    ${risk === null ? Prisma.empty : Prisma.sql`WHEN coalesce(${assessment("ra.expires_at")} <= ${at}, true) THEN 'ASSESSMENT_EXPIRED'
    WHEN substr(${assessment("ra.level::text")}, 2)::int < ${risk} THEN 'UNSUITABLE'`}
    ${p.policy.dailyCap === null ? Prisma.empty : Prisma.sql`WHEN ${sentSince(dayStart)} >= ${p.policy.dailyCap} THEN 'FREQUENCY_CAP_DAY'`}
    ${p.policy.weeklyCap === null ? Prisma.empty : Prisma.sql`WHEN ${sentSince(weekStart)} >= ${p.policy.weeklyCap} THEN 'FREQUENCY_CAP_WEEK'`}
    WHEN ${quiet} THEN ${p.quietHoursPolicy === "DEFER" ? "DEFER" : "QUIET_HOURS"}
    WHEN ${addressSql(p.channel)} IS NULL THEN 'NO_ADDRESS'
  END`;
}

export function nextAllowedSql(p: GuardrailParams): Prisma.Sql {
  return quietSql(p).nextAllowed;
}

/** Serialises claims that may compete for the same customers' caps: one lock per channel and block of 4,096 customer ids. */
export function capLockSql(channel: Channel, customerIds: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`SELECT count(pg_advisory_xact_lock(${CAP_LOCK_CLASS}, (${channelCode(channel)} << 20) | b)) AS n
    FROM (SELECT DISTINCT (cid >> 12)::int AS b FROM (${customerIds}) ids(cid) ORDER BY 1) blocks`;
}

const CAP_LOCK_CLASS = 90_001;

function channelCode(channel: Channel): number {
  return ["SMS", "CALL", "APP_PUSH", "WECHAT", "EMAIL", "RM_TASK"].indexOf(channel) + 1;
}
