/**
 * The one way a contact event is written — delivery receipts of every channel, short-link clicks,
 * call results and conversions. Set-based: one statement per batch.
 *
 * Idempotent by (contact, type): the first occurrence inserts the `ContactEvent` and stamps the
 * contact (`deliveredAt`, `clickedAt`, … keep the first time; a SENT contact becomes DELIVERED or
 * FAILED); a repeat changes nothing, except that a repeated click bumps `repeats`. Events for
 * contacts that do not exist (a stale receipt after the campaign was deleted) are ignored and
 * counted as `unknown`.
 */
import type { Db } from "@mkt/db";
import type { ContactEventInput } from "./events";

export interface RecordedEvents {
  /** First occurrences written. */
  recorded: number;
  /** Events already on record (a resent receipt, a repeated click, a re-run of attribution). */
  repeated: number;
  /** Events naming a contact that does not exist. */
  unknown: number;
}

export async function recordContactEvent(db: Pick<Db, "$queryRaw">, input: ContactEventInput | ContactEventInput[]): Promise<RecordedEvents> {
  const events = Array.isArray(input) ? input : [input];
  if (events.length === 0) return { recorded: 0, repeated: 0, unknown: 0 };
  const ids = events.map((e) => BigInt(e.contactId));
  const rows = await db.$queryRaw<{ contact_id: bigint; type: string; inserted: boolean }[]>`
    WITH input AS (
      SELECT contact_id, type, min(occurred_at) AS occurred_at, min(source) AS source,
             (array_agg(detail ORDER BY occurred_at))[1] AS detail, count(*)::int AS n
      FROM unnest(${ids}::bigint[], ${events.map((e) => e.type)}::"ContactEventType"[],
                  ${events.map((e) => e.occurredAt.toISOString())}::timestamptz[], ${events.map((e) => e.source)}::text[],
                  ${events.map((e) => (e.detail ? JSON.stringify(e.detail) : null))}::jsonb[])
           AS t(contact_id, type, occurred_at, source, detail)
      GROUP BY contact_id, type
    ), written AS (
      INSERT INTO contact_event (contact_id, type, occurred_at, source, detail, repeats)
      SELECT i.contact_id, i.type, i.occurred_at, i.source, i.detail, CASE WHEN i.type = 'CLICKED' THEN i.n ELSE 1 END
      FROM input i JOIN contact c ON c.id = i.contact_id
      ON CONFLICT (contact_id, type) DO UPDATE
        SET repeats = contact_event.repeats + CASE WHEN EXCLUDED.type = 'CLICKED' THEN EXCLUDED.repeats ELSE 0 END
      RETURNING contact_id, type, occurred_at, (xmax = 0) AS inserted
    ), first AS (
      SELECT contact_id,
             min(occurred_at) FILTER (WHERE type = 'DELIVERED') AS delivered,
             min(occurred_at) FILTER (WHERE type = 'DELIVERY_FAILED') AS failed,
             min(occurred_at) FILTER (WHERE type = 'CLICKED') AS clicked,
             min(occurred_at) FILTER (WHERE type = 'RESPONDED') AS responded,
             min(occurred_at) FILTER (WHERE type = 'CONVERTED') AS converted
      FROM written WHERE inserted GROUP BY contact_id
    ), stamped AS (
      UPDATE contact c SET
        delivered_at = coalesce(c.delivered_at, f.delivered),
        failed_at    = coalesce(c.failed_at, f.failed),
        clicked_at   = coalesce(c.clicked_at, f.clicked),
        responded_at = coalesce(c.responded_at, f.responded),
        converted_at = coalesce(c.converted_at, f.converted),
        status = CASE
          WHEN c.status = 'SENT' AND f.delivered IS NOT NULL THEN 'DELIVERED'::"ContactStatus"
          WHEN c.status = 'SENT' AND f.failed IS NOT NULL THEN 'FAILED'::"ContactStatus"
          ELSE c.status END
      FROM first f WHERE c.id = f.contact_id
      RETURNING c.id
    )
    SELECT contact_id, type::text, inserted FROM written`;
  const known = new Set(rows.map((r) => `${r.contact_id}:${r.type}`));
  const recorded = rows.filter((r) => r.inserted).length;
  const unknown = events.filter((e) => !known.has(`${e.contactId}:${e.type}`)).length;
  return { recorded, repeated: events.length - recorded - unknown, unknown };
}
