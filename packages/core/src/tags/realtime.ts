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

/** One sender's request: its events, the org subtree of its API key, the key. */
export interface TagEventRequest {
  events: TagEvent[];
  orgPath: string;
  apiKeyId: string | null;
}

export type TagEventOutcome = { ok: true; applied: AppliedEvents } | { ok: false; error: UnknownCustomersError };

type Triggers = { tag: { id: number; code: string }; trigger: RealtimeTrigger }[];
const triggerCache = new WeakMap<Db, { key: string; triggers: Triggers }>();

/**
 * The REALTIME tags' event windows. A published version never changes, so the parsed triggers are
 * kept per client and reused while the published REALTIME tags (id, code, version) are the same:
 * one small query per group instead of parsing the whole library.
 */
async function realtimeTriggers(db: Db): Promise<Triggers> {
  const rows = await db.$queryRaw<{ k: string }[]>`
    SELECT id || ':' || code || ':' || current_version AS k FROM tag
    WHERE status = 'PUBLISHED' AND source_kind = 'REALTIME' AND current_version IS NOT NULL ORDER BY id`;
  const key = rows.map((r) => r.k).join(",");
  const cached = triggerCache.get(db);
  if (cached?.key === key) return cached.triggers;
  const triggers = (await loadPublishedTags(db)).flatMap((t) => {
    const trigger = t.sourceKind === "REALTIME" && t.rule ? realtimeTrigger(t.rule) : null;
    return trigger ? [{ tag: { id: t.id, code: t.code }, trigger }] : [];
  });
  triggerCache.set(db, { key, triggers });
  return triggers;
}

/**
 * Stores a batch of events and updates the real-time tags they trigger, in one transaction.
 * `orgPath` limits the customers the sender may report on (its API key's org subtree): an id
 * outside it is refused like an unknown one, and nothing of the batch is applied.
 */
export async function applyTagEvents(db: Db, events: TagEvent[], opts: { orgPath: string; apiKeyId: string | null; now?: Date }): Promise<AppliedEvents> {
  const [outcome] = await applyTagEventRequests(db, [{ events, orgPath: opts.orgPath, apiKeyId: opts.apiKeyId }], { now: opts.now });
  if (!outcome!.ok) throw outcome!.error;
  return outcome!.applied;
}

/**
 * Group commit: the requests of several senders applied together — one read of the customers,
 * then one SQL statement (so one transaction) that inserts every new event (`ON CONFLICT
 * (event_id) DO NOTHING`) and upserts the real-time values of exactly the events it inserted.
 * A request with a customer unknown to its key's subtree is refused alone (nothing of it
 * applied); the others go ahead. Per request the answer is as if it had been applied alone, in
 * order: an event id already stored, or sent earlier in the group, counts as a duplicate (the
 * first occurrence is the one stored and applied), and every matching event — new or resent —
 * yields its tag-change signal.
 */
export async function applyTagEventRequests(db: Db, requests: TagEventRequest[], opts: { now?: Date } = {}): Promise<TagEventOutcome[]> {
  const now = opts.now ?? new Date();
  const ids = [...new Set(requests.flatMap((r) => r.events.map((e) => e.customerId)))];
  const [triggers, known] = await Promise.all([
    realtimeTriggers(db),
    db.$queryRaw<{ id: number; org_path: string }[]>`SELECT id, org_path FROM customer WHERE id = ANY(${ids}::int[])`,
  ]);
  const pathOf = new Map(known.map((r) => [r.id, r.org_path]));
  const outcomes: (TagEventOutcome | null)[] = requests.map((r) => {
    const unknown = [...new Set(r.events.map((e) => e.customerId))].filter((id) => !pathOf.get(id)?.startsWith(r.orgPath));
    return unknown.length ? { ok: false, error: new UnknownCustomersError(unknown) } : null;
  });

  // The first occurrence of each event id among the accepted requests is the one stored.
  const owner = new Map<string, number>();
  const rows: { e: TagEvent; apiKeyId: string | null }[] = [];
  const upserts: { tagId: number; customerId: number; expiresAt: string; eventId: string }[] = [];
  const changes: TagChange[][] = requests.map(() => []);
  requests.forEach((r, i) => {
    if (outcomes[i]) return;
    for (const e of r.events) {
      const first = !owner.has(e.eventId);
      if (first) {
        owner.set(e.eventId, i);
        rows.push({ e, apiKeyId: r.apiKeyId });
      }
      const occurred = Date.parse(e.occurredAt);
      for (const { tag, trigger } of triggers) {
        const expiresAt = new Date(occurred + trigger.windowMs);
        if (!trigger.types.includes(e.type) || (e.amount ?? 0) < trigger.minAmount || expiresAt <= now) continue;
        changes[i]!.push({ tagCode: tag.code, customerId: e.customerId, value: 1, eventId: e.eventId, expiresAt: expiresAt.toISOString() });
        if (first) upserts.push({ tagId: tag.id, customerId: e.customerId, expiresAt: expiresAt.toISOString(), eventId: e.eventId });
      }
    }
  });

  let fresh = new Set<string>();
  if (rows.length) {
    // Rows in key order (tag_event, then realtime_tag_value): concurrent statements lock alike.
    rows.sort((a, b) => (a.e.eventId < b.e.eventId ? -1 : a.e.eventId > b.e.eventId ? 1 : 0));
    // The rows travel as one JSON parameter each (json_to_recordset): far less work per event
    // for the client than an array parameter per column.
    const eventsJson = JSON.stringify(
      rows.map(({ e, apiKeyId }) => ({ i: e.eventId, k: apiKeyId, c: e.customerId, t: e.type, o: e.occurredAt, a: e.amount ?? null, x: e.attributes ?? null })),
    );
    const upsertsJson = JSON.stringify(upserts.map((u) => ({ g: u.tagId, c: u.customerId, e: u.expiresAt, i: u.eventId })));
    const inserted = await db.$queryRaw<{ event_id: string }[]>`
      WITH ins AS (
        INSERT INTO tag_event (event_id, api_key_id, customer_id, type, occurred_at, amount, attributes, received_at)
        SELECT e.i, e.k, e.c, e.t, e.o, e.a, e.x, ${now}
        FROM json_to_recordset(${eventsJson}::json) AS e(i text, k text, c int, t text, o timestamptz, a numeric, x jsonb)
        ON CONFLICT (event_id) DO NOTHING
        RETURNING event_id
      ), up AS (
        -- One row per tag and customer: the latest expiry wins (two events fold into one).
        INSERT INTO realtime_tag_value (tag_id, customer_id, value_num, updated_at, expires_at, event_id)
        SELECT u.g, u.c, 1, ${now}, max(u.e), (array_agg(u.i ORDER BY u.e DESC))[1]
        FROM json_to_recordset(${upsertsJson}::json) AS u(g int, c int, e timestamptz, i text)
        WHERE u.i IN (SELECT event_id FROM ins)
        GROUP BY u.g, u.c
        ORDER BY u.g, u.c
        ON CONFLICT (tag_id, customer_id) DO UPDATE SET
          value_num = 1, updated_at = EXCLUDED.updated_at,
          expires_at = GREATEST(realtime_tag_value.expires_at, EXCLUDED.expires_at),
          event_id = CASE WHEN EXCLUDED.expires_at >= realtime_tag_value.expires_at THEN EXCLUDED.event_id ELSE realtime_tag_value.event_id END
      )
      SELECT event_id FROM ins`;
    fresh = new Set(inserted.map((r) => r.event_id));
  }

  return requests.map((r, i) => {
    const refused = outcomes[i];
    if (refused) return refused;
    const accepted = new Set(r.events.filter((e) => owner.get(e.eventId) === i && fresh.has(e.eventId)).map((e) => e.eventId)).size;
    return { ok: true, applied: { accepted, duplicates: r.events.length - accepted, changes: changes[i]! } };
  });
}
