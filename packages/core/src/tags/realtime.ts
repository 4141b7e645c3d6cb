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
import { Prisma, TxnChannel, TxnType } from "@mkt/db";
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
interface TriggerSet {
  /** The published REALTIME tags as `id:code:version,…` — a published version never changes. */
  key: string;
  triggers: Triggers;
}
const triggerCache = new WeakMap<Db, TriggerSet>();

/** The fingerprint of the published REALTIME tags, in SQL (also checked inside the group statement). */
const FINGERPRINT_SQL = `SELECT coalesce(string_agg(id || ':' || code || ':' || current_version, ',' ORDER BY id), '') AS k FROM tag
  WHERE status = 'PUBLISHED' AND source_kind = 'REALTIME' AND current_version IS NOT NULL`;

/** Reads the REALTIME tags' event windows (parsing their rules) and caches them for the client. */
async function loadTriggers(db: Db): Promise<TriggerSet> {
  const [row] = await db.$queryRawUnsafe<{ k: string }[]>(FINGERPRINT_SQL);
  const triggers = (await loadPublishedTags(db)).flatMap((t) => {
    const trigger = t.sourceKind === "REALTIME" && t.rule ? realtimeTrigger(t.rule) : null;
    return trigger ? [{ tag: { id: t.id, code: t.code }, trigger }] : [];
  });
  const set = { key: row?.k ?? "", triggers };
  triggerCache.set(db, set);
  return set;
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
 * Group commit: the requests of several senders applied together in **one SQL statement** (one
 * round trip, one transaction). The statement checks every customer against its request's org
 * subtree, inserts the first occurrence of each event id of the requests that passed
 * (`ON CONFLICT (event_id) DO NOTHING`) and upserts the real-time values of exactly the events
 * it inserted. The REALTIME tags' windows are matched here from a per-client cache whose
 * fingerprint the statement checks: when the published REALTIME tags changed, it applies nothing
 * and returns the new fingerprint, and the group is matched again and re-run.
 *
 * Per request the answer is as if it had been applied alone, in order: a request with a
 * customer unknown to its key's subtree is refused alone (nothing of it applied); an event id
 * already stored, or sent earlier in the group, counts as a duplicate (the first occurrence is
 * the one stored and applied); every matching event — new or resent — yields its tag-change
 * signal.
 */
export async function applyTagEventRequests(db: Db, requests: TagEventRequest[], opts: { now?: Date } = {}): Promise<TagEventOutcome[]> {
  const now = opts.now ?? new Date();
  let set = triggerCache.get(db) ?? (await loadTriggers(db));
  for (let attempt = 0; ; attempt++) {
    const done = await applyWith(db, requests, now, set);
    if (done.outcomes) return done.outcomes;
    if (attempt >= 2) throw new Error("the published real-time tags keep changing; try again");
    set = await loadTriggers(db);
  }
}

async function applyWith(db: Db, requests: TagEventRequest[], now: Date, set: TriggerSet): Promise<{ outcomes?: TagEventOutcome[] }> {
  // Every occurrence goes to the statement with its request (r) and place in the group (n); the
  // value upserts of every matching occurrence too — the statement keeps those of the stored ones.
  const rows: object[] = [];
  const upserts: object[] = [];
  let n = 0;
  requests.forEach((r, ri) => {
    for (const e of r.events) {
      rows.push({ i: e.eventId, k: r.apiKeyId, c: e.customerId, t: e.type, o: e.occurredAt, a: e.amount ?? null, x: e.attributes ?? null, r: ri, p: r.orgPath, n });
      for (const { tag, trigger } of set.triggers) {
        const expiresAt = matchExpiry(trigger, e, now);
        if (expiresAt) upserts.push({ g: tag.id, c: e.customerId, e: expiresAt, i: e.eventId, n });
      }
      n++;
    }
  });
  const result = await db.$queryRaw<{ kind: "i" | "b" | "f"; id: string | null; r: number | null; c: number | null }[]>`
    WITH fp AS (${Prisma.raw(FINGERPRINT_SQL)}),
    ev AS (
      SELECT * FROM json_to_recordset(${JSON.stringify(rows)}::json)
        AS e(i text, k text, c int, t text, o timestamptz, a numeric, x jsonb, r int, p text, n int)
    ), bad AS (
      SELECT DISTINCT e.r, e.c FROM ev e LEFT JOIN customer cu ON cu.id = e.c
      WHERE cu.id IS NULL OR NOT starts_with(cu.org_path, e.p)
    ), win AS (
      SELECT DISTINCT ON (e.i) e.* FROM ev e
      WHERE e.r NOT IN (SELECT r FROM bad) AND (SELECT k FROM fp) = ${set.key}
      ORDER BY e.i, e.n
    ), ins AS (
      -- Rows in key order (tag_event, then realtime_tag_value): concurrent statements lock alike.
      INSERT INTO tag_event (event_id, api_key_id, customer_id, type, occurred_at, amount, attributes, received_at)
      SELECT w.i, w.k, w.c, w.t, w.o, w.a, w.x, ${now} FROM win w ORDER BY w.i
      ON CONFLICT (event_id) DO NOTHING
      RETURNING event_id
    ), up AS (
      -- One row per tag and customer: the latest expiry wins (two events fold into one).
      INSERT INTO realtime_tag_value (tag_id, customer_id, value_num, updated_at, expires_at, event_id)
      SELECT u.g, u.c, 1, ${now}, max(u.e), (array_agg(u.i ORDER BY u.e DESC))[1]
      FROM json_to_recordset(${JSON.stringify(upserts)}::json) AS u(g int, c int, e timestamptz, i text, n int)
      WHERE u.i IN (SELECT event_id FROM ins) AND (u.i, u.n) IN (SELECT i, n FROM win)
      GROUP BY u.g, u.c
      ORDER BY u.g, u.c
      ON CONFLICT (tag_id, customer_id) DO UPDATE SET
        value_num = 1, updated_at = EXCLUDED.updated_at,
        expires_at = GREATEST(realtime_tag_value.expires_at, EXCLUDED.expires_at),
        event_id = CASE WHEN EXCLUDED.expires_at >= realtime_tag_value.expires_at THEN EXCLUDED.event_id ELSE realtime_tag_value.event_id END
    )
    SELECT 'i' AS kind, event_id AS id, NULL::int AS r, NULL::int AS c FROM ins
    UNION ALL SELECT 'b', NULL, r, c FROM bad
    UNION ALL SELECT 'f', k, NULL, NULL FROM fp`;

  if (result.find((x) => x.kind === "f")?.id !== set.key) return {};
  const fresh = new Set<string>();
  const unknown = new Map<number, number[]>();
  for (const x of result) {
    if (x.kind === "i") fresh.add(x.id!);
    else if (x.kind === "b") unknown.set(x.r!, [...(unknown.get(x.r!) ?? []), x.c!]);
  }
  // The same choice of first occurrences as the statement's (requests in order, refused skipped).
  const owner = new Map<string, number>();
  requests.forEach((r, ri) => {
    if (unknown.has(ri)) return;
    for (const e of r.events) if (!owner.has(e.eventId)) owner.set(e.eventId, ri);
  });
  return {
    outcomes: requests.map((r, ri): TagEventOutcome => {
      const refused = unknown.get(ri);
      if (refused) return { ok: false, error: new UnknownCustomersError(refused.sort((a, b) => a - b)) };
      const changes: TagChange[] = [];
      for (const e of r.events) {
        for (const { tag, trigger } of set.triggers) {
          const expiresAt = matchExpiry(trigger, e, now);
          if (expiresAt) changes.push({ tagCode: tag.code, customerId: e.customerId, value: 1, eventId: e.eventId, expiresAt });
        }
      }
      const accepted = new Set(r.events.filter((e) => owner.get(e.eventId) === ri && fresh.has(e.eventId)).map((e) => e.eventId)).size;
      return { ok: true, applied: { accepted, duplicates: r.events.length - accepted, changes } };
    }),
  };
}

/** When the value an event sets expires (ISO), or null when it does not match or already expired. */
function matchExpiry(trigger: RealtimeTrigger, e: TagEvent, now: Date): string | null {
  if (!trigger.types.includes(e.type) || (e.amount ?? 0) < trigger.minAmount) return null;
  const expiresAt = Date.parse(e.occurredAt) + trigger.windowMs;
  return expiresAt > now.getTime() ? new Date(expiresAt).toISOString() : null;
}
