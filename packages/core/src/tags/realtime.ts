/**
 * Real-time tags. A REALTIME tag's rule is the batch rule of an event window — "a transaction of
 * these types (of at least this amount) within the last N days" — so the daily batch computes it
 * from the facts and events keep it current in between: an event that matches sets the value to
 * true until `occurredAt + N days`, stored in realtime_tag_value and overlaid on the batch value
 * (customer_tag_value view) while it is newer than the current run and not expired.
 *
 * Events are idempotent by event id (tag_event's primary key). Every matching event — new or
 * resent — yields a tag-change signal, so a caller retrying after a lost answer re-publishes what
 * the first attempt may not have: signals are at least once, keyed by (eventId, tag).
 */
import type { Db } from "@mkt/db";
import { TxnChannel, TxnType } from "@mkt/db";
import { DAY_MS } from "@mkt/db/tags/as-of";
import { z } from "zod";
import { loadPublishedTags } from "./definitions";
import type { Expr } from "./rule";

export interface RealtimeTrigger {
  types: string[];
  minAmount: number;
  windowMs: number;
}

/**
 * The event window of a REALTIME tag's rule, or null when the rule has another shape: `count of
 * txnAgg(types, days, minAmount?) > 0` (or `>= 1`), or `max of txnAgg(types, days) >= A`.
 */
export function realtimeTrigger(rule: Expr): RealtimeTrigger | null {
  if (!("op" in rule) || (rule.op !== "gt" && rule.op !== "gte")) return null;
  const { left, right } = rule;
  if (!("feature" in left) || left.feature.kind !== "txnAgg" || !("const" in right) || typeof right.const !== "number") return null;
  const f = left.feature;
  const windowMs = f.days * DAY_MS;
  if (f.channels) return null;
  if (f.agg === "count" && ((rule.op === "gt" && right.const === 0) || (rule.op === "gte" && right.const === 1))) {
    return { types: f.types, minAmount: f.minAmount ?? 0, windowMs };
  }
  if (f.agg === "max" && rule.op === "gte" && f.minAmount === undefined) return { types: f.types, minAmount: right.const, windowMs };
  return null;
}

export const EVENT_BATCH_MAX = 500;

export const tagEventSchema = z.strictObject({
  /** The sender's unique id of the event: a resent event with the same id is applied once. */
  eventId: z.string().regex(/^[\w.:-]{1,100}$/, "eventId: 1–100 letters, digits or _ . : -"),
  customerId: z.number().int().positive(),
  type: z.enum(TxnType),
  occurredAt: z.iso.datetime({ offset: true }),
  amount: z.number().finite().min(0).max(1e13).optional(),
  channel: z.enum(TxnChannel).optional(),
  attributes: z.record(z.string().max(40), z.union([z.string().max(200), z.number(), z.boolean()])).optional(),
});
export type TagEvent = z.infer<typeof tagEventSchema>;

export const tagEventBatchSchema = z.strictObject({ events: z.array(tagEventSchema).min(1).max(EVENT_BATCH_MAX) });

export interface TagChange {
  tagCode: string;
  customerId: number;
  value: number;
  eventId: string;
  expiresAt: string;
}

export interface AppliedEvents {
  accepted: number;
  duplicates: number;
  changes: TagChange[];
}

export class UnknownCustomersError extends Error {
  constructor(readonly customerIds: number[]) {
    super(`unknown customers: ${customerIds.slice(0, 20).join(", ")}${customerIds.length > 20 ? " …" : ""}`);
    this.name = "UnknownCustomersError";
  }
}

/**
 * Stores a batch of events and updates the real-time tags they trigger, in one transaction.
 * `orgPath` limits the customers the sender may report on (its API key's org subtree): an id
 * outside it is refused like an unknown one, and nothing of the batch is applied.
 */
export async function applyTagEvents(db: Db, events: TagEvent[], opts: { orgPath: string; apiKeyId: string | null; now?: Date }): Promise<AppliedEvents> {
  const now = opts.now ?? new Date();
  const triggers = (await loadPublishedTags(db)).flatMap((t) => {
    const trigger = t.sourceKind === "REALTIME" && t.rule ? realtimeTrigger(t.rule) : null;
    return trigger ? [{ tag: t, trigger }] : [];
  });
  const ids = [...new Set(events.map((e) => e.customerId))];
  return db.$transaction(async (tx) => {
    const known = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM customer WHERE id = ANY(${ids}::int[]) AND org_path LIKE ${`${opts.orgPath}%`}`;
    const knownIds = new Set(known.map((r) => r.id));
    const unknown = ids.filter((id) => !knownIds.has(id));
    if (unknown.length) throw new UnknownCustomersError(unknown);

    const inserted = await tx.$queryRaw<{ event_id: string }[]>`
      INSERT INTO tag_event (event_id, api_key_id, customer_id, type, occurred_at, amount, attributes, received_at)
      SELECT e.event_id, ${opts.apiKeyId}, e.customer_id, e.type, e.occurred_at, e.amount, e.attributes, ${now}
      FROM unnest(${events.map((e) => e.eventId)}::text[], ${events.map((e) => e.customerId)}::int[], ${events.map((e) => e.type)}::text[],
                  ${events.map((e) => e.occurredAt)}::timestamptz[], ${events.map((e) => e.amount ?? null)}::numeric[],
                  ${events.map((e) => (e.attributes ? JSON.stringify(e.attributes) : null))}::jsonb[])
        AS e(event_id, customer_id, type, occurred_at, amount, attributes)
      ON CONFLICT (event_id) DO NOTHING
      RETURNING event_id`;
    const fresh = new Set(inserted.map((r) => r.event_id));

    const changes: TagChange[] = [];
    const upserts: { tagId: number; customerId: number; expiresAt: Date; eventId: string }[] = [];
    for (const e of events) {
      const occurred = Date.parse(e.occurredAt);
      for (const { tag, trigger } of triggers) {
        const expiresAt = new Date(occurred + trigger.windowMs);
        if (!trigger.types.includes(e.type) || (e.amount ?? 0) < trigger.minAmount || expiresAt <= now) continue;
        changes.push({ tagCode: tag.code, customerId: e.customerId, value: 1, eventId: e.eventId, expiresAt: expiresAt.toISOString() });
        if (fresh.has(e.eventId)) upserts.push({ tagId: tag.id, customerId: e.customerId, expiresAt, eventId: e.eventId });
      }
    }
    if (upserts.length) {
      // One row per tag and customer: the latest expiry wins (two events in a batch fold into one).
      await tx.$executeRaw`
        INSERT INTO realtime_tag_value (tag_id, customer_id, value_num, updated_at, expires_at, event_id)
        SELECT u.tag_id, u.customer_id, 1, ${now}, max(u.expires_at), (array_agg(u.event_id ORDER BY u.expires_at DESC))[1]
        FROM unnest(${upserts.map((u) => u.tagId)}::int[], ${upserts.map((u) => u.customerId)}::int[], ${upserts.map((u) => u.expiresAt.toISOString())}::timestamptz[], ${upserts.map((u) => u.eventId)}::text[])
          AS u(tag_id, customer_id, expires_at, event_id)
        GROUP BY u.tag_id, u.customer_id
        ON CONFLICT (tag_id, customer_id) DO UPDATE SET
          value_num = 1, updated_at = EXCLUDED.updated_at,
          expires_at = GREATEST(realtime_tag_value.expires_at, EXCLUDED.expires_at),
          event_id = CASE WHEN EXCLUDED.expires_at >= realtime_tag_value.expires_at THEN EXCLUDED.event_id ELSE realtime_tag_value.event_id END`;
    }
    return { accepted: fresh.size, duplicates: events.length - fresh.size, changes };
  });
}
