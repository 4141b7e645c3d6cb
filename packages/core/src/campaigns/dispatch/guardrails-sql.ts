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
import { intArrayLiteral } from "@mkt/db/sql-tx";
import type { Channel } from "../channels/provider";
import { parseHm } from "../guardrails/quiet-hours";
import { LOCK_BLOCK_BITS } from "./chunks";
import type { ChannelPolicy } from "./context";

export interface GuardrailParams {
  channel: Channel;
  productRisk: number | null;
  policy: ChannelPolicy;
  quietHoursPolicy: "DEFER" | "DROP";
  at: Date;
  /** Event-triggered waves: after this instant the message is no longer relevant. */
  expiresAt?: Date | null;
  /** The channel whose marketing consent counts, when not `channel` (an RM lead: the RM calls). */
  consentChannel?: Channel;
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

/** The facts a decision needs, as SQL expressions over `cu` (and whatever the FROM clause joins). */
export interface GuardrailFacts {
  consented: Prisma.Sql;
  complaint: Prisma.Sql;
  doNotDisturb: Prisma.Sql;
  assessmentExpiresAt: Prisma.Sql;
  assessmentLevel: Prisma.Sql;
  sentToday: Prisma.Sql;
  sentThisWeek: Prisma.Sql;
}

const windows = (p: GuardrailParams) => {
  const at = Prisma.sql`${p.at}::timestamptz`;
  return {
    at,
    ch: Prisma.sql`${p.channel}::"Channel"`,
    dayStart: Prisma.sql`(date_trunc('day', ${at} AT TIME ZONE cu.time_zone) AT TIME ZONE cu.time_zone)`,
    weekStart: Prisma.sql`(${at} - interval '7 days' + interval '1 microsecond')`,
  };
};

/** Facts as correlated subqueries over `customer cu`: any FROM clause (a whole audience, `estimateAudience`). */
function correlatedFacts(p: GuardrailParams): GuardrailFacts {
  const { at, ch, dayStart, weekStart } = windows(p);
  const restriction = (kind: string) => Prisma.sql`EXISTS (SELECT 1 FROM contact_restriction r WHERE r.customer_id = cu.id AND r.kind = ${kind}::"RestrictionKind"
      AND (r.channel IS NULL OR r.channel = ${ch}) AND r.valid_from <= ${at} AND (r.valid_to IS NULL OR r.valid_to > ${at}))`;
  const assessment = (col: string) =>
    Prisma.sql`(SELECT ${Prisma.raw(col)} FROM risk_assessment ra WHERE ra.customer_id = cu.id ORDER BY ra.assessed_at DESC LIMIT 1)`;
  const sentSince = (since: Prisma.Sql) =>
    Prisma.sql`(SELECT count(*) FROM contact x WHERE x.customer_id = cu.id AND x.channel = ${ch} AND x.sent_at >= ${since} AND x.sent_at <= ${at})`;
  return {
    consented: Prisma.sql`EXISTS (SELECT 1 FROM consent k WHERE k.customer_id = cu.id AND k.purpose = 'MARKETING' AND k.channel = ${p.consentChannel ?? p.channel}::"Channel" AND k.granted)`,
    complaint: restriction("COMPLAINT"),
    doNotDisturb: restriction("DO_NOT_DISTURB"),
    assessmentExpiresAt: assessment("ra.expires_at"),
    assessmentLevel: assessment("ra.level::text"),
    sentToday: sentSince(dayStart),
    sentThisWeek: sentSince(weekStart),
  };
}

/** Ascending customer ids spread over more than four times their count (trigger waves, thin segments). */
export function isSparse(ids: ArrayLike<number>): boolean {
  if (!ids.length) return false;
  return ids[ids.length - 1]! - ids[0]! + 1 > 4 * ids.length;
}

/** `col` among the ascending `ids`: a range when they are dense, else `= ANY(ids)`. */
export function idsMatchSql(ids: number[]): (col: Prisma.Sql) => Prisma.Sql {
  const lo = ids[0] ?? 0;
  const hi = ids.at(-1) ?? 0;
  return !isSparse(ids) ? (col) => Prisma.sql`${col} BETWEEN ${lo} AND ${hi}` : (col) => Prisma.sql`${col} = ANY(${intArrayLiteral(ids)}::int[])`;
}

/**
 * The FROM clause for a chunk of customers (`m(cid, ord)`: the ids in position order, joined to
 * `customer cu`) with every fact joined set-based over just those customers — one index scan per
 * fact table for the chunk instead of one probe per customer and fact, and no plan that hashes a
 * whole table. Gives the same facts as `correlatedFacts` (the integration test checks both).
 */
export function chunkFactsSql(p: GuardrailParams, customerIds: number[]): { from: Prisma.Sql; facts: GuardrailFacts } {
  const { at, ch, weekStart } = windows(p);
  const ids = Prisma.sql`${intArrayLiteral(customerIds)}::int[]`;
  // Ascending ids. A dense chunk (a segment's run of ids) reads every fact table by one range scan
  // of its customer_id index — a range, not `= ANY(ids)` as well: the product of both estimates is
  // far too low and the plan turns into nested loops re-aggregating per customer. A sparse chunk
  // (trigger waves, thin segments: the range would span most of the table) looks its ids up.
  const matching = idsMatchSql(customerIds);
  const inRange = (col: string) => matching(Prisma.raw(col));
  const capped = p.policy.dailyCap !== null || p.policy.weeklyCap !== null;
  const from = Prisma.sql`unnest(${ids}) WITH ORDINALITY AS m(cid, ord)
    JOIN customer cu ON cu.id = m.cid AND ${inRange("cu.id")}
    LEFT JOIN (SELECT k.customer_id, k.granted FROM consent k WHERE ${inRange("k.customer_id")} AND k.purpose = 'MARKETING' AND k.channel = ${p.consentChannel ?? p.channel}::"Channel") k ON k.customer_id = m.cid
    LEFT JOIN (SELECT r.customer_id, bool_or(r.kind = 'COMPLAINT') AS complaint, bool_or(r.kind = 'DO_NOT_DISTURB') AS dnd
               FROM contact_restriction r WHERE ${inRange("r.customer_id")} AND (r.channel IS NULL OR r.channel = ${ch})
                 AND r.valid_from <= ${at} AND (r.valid_to IS NULL OR r.valid_to > ${at})
               GROUP BY r.customer_id) rs ON rs.customer_id = m.cid
    ${p.productRisk === null ? Prisma.empty : Prisma.sql`LEFT JOIN (SELECT DISTINCT ON (ra.customer_id) ra.customer_id, ra.level::text AS level, ra.expires_at
               FROM risk_assessment ra WHERE ${inRange("ra.customer_id")} ORDER BY ra.customer_id, ra.assessed_at DESC) ra ON ra.customer_id = m.cid`}
    ${!capped ? Prisma.empty : Prisma.sql`LEFT JOIN (SELECT x.customer_id, array_agg(x.sent_at) AS sends
               FROM contact x WHERE ${inRange("x.customer_id")} AND x.channel = ${ch} AND x.sent_at >= ${weekStart} AND x.sent_at <= ${at}
               GROUP BY x.customer_id) sx ON sx.customer_id = m.cid`}`;
  // The local day starts less than 7 days before `at`, so the week's sends hold the day's.
  return {
    from,
    facts: {
      consented: Prisma.sql`coalesce(k.granted, false)`,
      complaint: Prisma.sql`coalesce(rs.complaint, false)`,
      doNotDisturb: Prisma.sql`coalesce(rs.dnd, false)`,
      assessmentExpiresAt: Prisma.sql`ra.expires_at`,
      assessmentLevel: Prisma.sql`ra.level`,
      sentToday: capped ? Prisma.sql`(SELECT count(*) FROM unnest(sx.sends) AS t(s) WHERE t.s >= ${windows(p).dayStart})` : Prisma.sql`0`,
      sentThisWeek: capped ? Prisma.sql`coalesce(cardinality(sx.sends), 0)` : Prisma.sql`0`,
    },
  };
}

/** CASE … END: the reason a customer gets no message now (text), 'DEFER', or NULL. */
export function reasonSql(p: GuardrailParams, facts: GuardrailFacts = correlatedFacts(p)): Prisma.Sql {
  const { at } = windows(p);
  const { quiet } = quietSql(p);
  const risk = p.productRisk;
  return Prisma.sql`CASE
    WHEN ${p.expiresAt ?? null}::timestamptz IS NOT NULL AND ${at} > ${p.expiresAt ?? null}::timestamptz THEN 'TRIGGER_EXPIRED'
    WHEN NOT ${facts.consented} THEN 'NO_CONSENT'
    WHEN ${facts.complaint} THEN 'COMPLAINT'
    WHEN ${facts.doNotDisturb} THEN 'DO_NOT_DISTURB'
    ${risk === null ? Prisma.empty : Prisma.sql`WHEN coalesce(${facts.assessmentExpiresAt} <= ${at}, true) THEN 'ASSESSMENT_EXPIRED'
    WHEN substr(${facts.assessmentLevel}, 2)::int < ${risk} THEN 'UNSUITABLE'`}
    ${p.policy.dailyCap === null ? Prisma.empty : Prisma.sql`WHEN ${facts.sentToday} >= ${p.policy.dailyCap} THEN 'FREQUENCY_CAP_DAY'`}
    ${p.policy.weeklyCap === null ? Prisma.empty : Prisma.sql`WHEN ${facts.sentThisWeek} >= ${p.policy.weeklyCap} THEN 'FREQUENCY_CAP_WEEK'`}
    WHEN ${quiet} THEN ${p.quietHoursPolicy === "DEFER" ? "DEFER" : "QUIET_HOURS"}
    WHEN ${addressSql(p.channel)} IS NULL THEN 'NO_ADDRESS'
  END`;
}

/**
 * When a deferred message may go: the end of the customer's quiet hours. Only a deferring campaign
 * defers, so for the others it is NULL (two time-zone conversions, a timestamp sent and parsed per
 * recipient saved).
 */
export function nextAllowedSql(p: GuardrailParams): Prisma.Sql {
  return p.quietHoursPolicy === "DEFER" ? quietSql(p).nextAllowed : Prisma.sql`NULL::timestamptz`;
}

/**
 * Serialises sends that may compete for the same customers' caps (and, for write-once chunks, the
 * same step's dedupe): one lock per channel and block of 2^LOCK_BLOCK_BITS customer ids, taken in
 * order. A wave's chunks are cut along these blocks (chunks.ts), so they do not wait for each other.
 *
 * `fine`: a small chunk (an event-triggered wave: a few hundred customers scattered over the
 * whole bank) would take hundreds of blocks exclusively and make every other such chunk wait. It
 * takes the blocks in shared mode instead, then one exclusive lock per customer — intention
 * locking: two fine chunks wait for each other only over a customer they share, and a chunk that
 * holds a block exclusively still excludes both. Everything is taken in one order (blocks
 * ascending, then customers ascending), so no two chunks deadlock. Fine chunks are kept to
 * `FINE_LOCK_MAX` customers: at most ~512 locks each, so even 12 chunks at once (six worker
 * processes at the default 2 each) take ≤ ~6,000 of the shared lock table's default 6,400 slots
 * (max_locks_per_transaction 64 × max_connections 100); more need a larger
 * max_locks_per_transaction.
 */
export function capLockSql(channel: Channel, customerIds: Prisma.Sql, fine = false): Prisma.Sql {
  const code = channelCode(channel);
  const blocks = Prisma.sql`(SELECT DISTINCT (cid >> ${LOCK_BLOCK_BITS})::int AS b FROM (${customerIds}) ids(cid) ORDER BY 1) blocks`;
  if (!fine) return Prisma.sql`SELECT count(pg_advisory_xact_lock(${CAP_LOCK_CLASS}, (${code} << 22) | b)) AS n FROM ${blocks}`;
  return Prisma.sql`SELECT n + (SELECT count(pg_advisory_xact_lock(${CUSTOMER_LOCK_CLASS + code}, cid)) FROM (SELECT DISTINCT cid::int AS cid FROM (${customerIds}) ids(cid) ORDER BY 1) c) AS n
    FROM (SELECT count(pg_advisory_xact_lock_shared(${CAP_LOCK_CLASS}, (${code} << 22) | b)) AS n FROM ${blocks}) shared`;
}

/**
 * A chunk of at most this many customers takes per-customer cap locks (`capLockSql` fine): every
 * chunk of an event-triggered wave, small or sparse. (Were a one-customer trigger chunk to take its
 * block exclusively, the fine chunks asking for that block after it would queue behind it.)
 */
export const FINE_LOCK_MAX = 256;

export const useFineLocks = (ids: ArrayLike<number>): boolean => ids.length <= FINE_LOCK_MAX;

const CAP_LOCK_CLASS = 90_001;
/** Per-customer locks: (class + channel, customer id), apart from the blocks' (CAP_LOCK_CLASS, channel and block). */
const CUSTOMER_LOCK_CLASS = 90_010;

function channelCode(channel: Channel): number {
  return ["SMS", "CALL", "APP_PUSH", "WECHAT", "EMAIL", "RM_TASK"].indexOf(channel) + 1;
}
