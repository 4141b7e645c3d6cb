/**
 * Outbound calls (外呼): the "provider" is the call centre's task list. A send inserts one
 * `CallTask` per contact (idempotent: a resend finds the task already there). The call centre
 * fetches its tasks (`listCallTasks`, API or CSV) and posts results back (`recordCallResults`),
 * which become contact events:
 *   INTERESTED, CALL_BACK → DELIVERED + RESPONDED;  NOT_INTERESTED → DELIVERED;
 *   NO_ANSWER, BUSY, WRONG_NUMBER, REFUSED → DELIVERY_FAILED.
 */
import type { Db } from "@mkt/db";
import { z } from "zod";
import { DomainError } from "../../domain-error";
import type { ContactEventInput } from "./events";
import type { ChannelProvider, OutboundMessage, SendResult } from "./provider";
import { accepted, permanentFailure } from "./provider";
import { recordContactEvent } from "./record-event";
import { normalizeMsisdn } from "./smpp";

export class CallCentreProvider implements ChannelProvider {
  readonly channel = "CALL" as const;
  constructor(private readonly db: Db) {}

  async sendBatch(messages: OutboundMessage[]): Promise<SendResult[]> {
    const valid = messages.filter((m) => normalizeMsisdn(m.to));
    const found = new Set<string>();
    if (valid.length > 0) {
      const rows = await this.db.$queryRaw<{ contact_id: bigint }[]>`
        WITH input AS (
          SELECT * FROM unnest(${valid.map((m) => BigInt(m.contactId))}::bigint[], ${valid.map((m) => normalizeMsisdn(m.to)!)}::text[], ${valid.map((m) => m.body)}::text[])
            AS t(contact_id, phone, script)
        ), inserted AS (
          INSERT INTO call_task (contact_id, campaign_id, customer_id, phone, script)
          SELECT c.id, c.campaign_id, c.customer_id, i.phone, i.script FROM input i JOIN contact c ON c.id = i.contact_id
          ON CONFLICT (contact_id) DO NOTHING
        )
        SELECT c.id AS contact_id FROM input i JOIN contact c ON c.id = i.contact_id`;
      for (const r of rows) found.add(String(r.contact_id));
    }
    return messages.map((m) => {
      if (!normalizeMsisdn(m.to)) return permanentFailure(m.contactId, "invalid-number");
      return found.has(m.contactId) ? accepted(m.contactId, `call-${m.contactId}`) : permanentFailure(m.contactId, "unknown-contact");
    });
  }

  async close(): Promise<void> {}

  async findAccepted(contactIds: string[]): Promise<Map<string, string | undefined>> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`SELECT contact_id::text AS id FROM call_task WHERE contact_id = ANY(${contactIds.map((id) => BigInt(id))}::bigint[])`;
    return new Map(rows.map((r) => [r.id, `call-${r.id}`]));
  }
}

export interface CallTaskRow {
  taskId: string;
  campaignCode: string;
  campaignName: string;
  customerNo: string;
  /** How the agent addresses the customer: surname + 先生/女士 (never the full name). */
  salutation: string;
  phone: string;
  script: string;
  status: string;
  createdAt: string;
}

/**
 * Tasks of customers inside `orgPath`, oldest first. Fetching PENDING tasks marks them FETCHED
 * (ask for FETCHED to download them again).
 */
export async function listCallTasks(db: Db, opts: { orgPath: string; status: "PENDING" | "FETCHED" | "DONE"; limit: number }): Promise<CallTaskRow[]> {
  const rows = await db.$queryRaw<{ contact_id: bigint; code: string; cname: string; customer_no: string; name: string; gender: string; phone: string; script: string; status: string; created_at: Date }[]>`
    WITH picked AS (
      SELECT t.contact_id FROM call_task t JOIN customer cu ON cu.id = t.customer_id
      WHERE t.status = ${opts.status}::"CallTaskStatus" AND cu.org_path LIKE ${`${opts.orgPath}%`}
      ORDER BY t.created_at, t.contact_id LIMIT ${opts.limit}
      FOR UPDATE OF t SKIP LOCKED
    ), marked AS (
      UPDATE call_task t SET status = 'FETCHED', fetched_at = now()
      FROM picked p WHERE t.contact_id = p.contact_id AND t.status = 'PENDING'
    )
    SELECT t.contact_id, ca.code, ca.name AS cname, cu.customer_no, cu.name, cu.gender::text, t.phone, t.script,
           CASE WHEN t.status = 'PENDING' THEN 'FETCHED' ELSE t.status::text END AS status, t.created_at
    FROM picked p JOIN call_task t ON t.contact_id = p.contact_id
    JOIN customer cu ON cu.id = t.customer_id JOIN campaign ca ON ca.id = t.campaign_id
    ORDER BY t.created_at, t.contact_id`;
  return rows.map((r) => ({
    taskId: String(r.contact_id),
    campaignCode: r.code,
    campaignName: r.cname,
    customerNo: r.customer_no,
    salutation: `${[...r.name][0] ?? ""}${r.gender === "M" ? "先生" : r.gender === "F" ? "女士" : "先生/女士"}`,
    phone: r.phone,
    script: r.script,
    status: r.status,
    createdAt: r.created_at.toISOString(),
  }));
}

const CSV_COLUMNS: (keyof CallTaskRow)[] = ["taskId", "campaignCode", "campaignName", "customerNo", "salutation", "phone", "script", "status", "createdAt"];

export function callTasksCsv(rows: CallTaskRow[]): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `\uFEFF${[CSV_COLUMNS.join(","), ...rows.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(","))].join("\r\n")}\r\n`;
}

export const CALL_RESULTS = ["INTERESTED", "NOT_INTERESTED", "CALL_BACK", "NO_ANSWER", "BUSY", "WRONG_NUMBER", "REFUSED"] as const;

export const callResultBatchSchema = z.strictObject({
  results: z
    .array(
      z.strictObject({
        taskId: z.string().regex(/^\d{1,18}$/, "taskId is the numeric task id from the task list"),
        result: z.enum(CALL_RESULTS),
        calledAt: z.iso.datetime({ offset: true }),
        note: z.string().max(500).optional(),
      }),
    )
    .min(1)
    .max(1000),
});
export type CallResultBatch = z.infer<typeof callResultBatchSchema>;

const EVENTS: Record<(typeof CALL_RESULTS)[number], ContactEventInput["type"][]> = {
  INTERESTED: ["DELIVERED", "RESPONDED"],
  CALL_BACK: ["DELIVERED", "RESPONDED"],
  NOT_INTERESTED: ["DELIVERED"],
  NO_ANSWER: ["DELIVERY_FAILED"],
  BUSY: ["DELIVERY_FAILED"],
  WRONG_NUMBER: ["DELIVERY_FAILED"],
  REFUSED: ["DELIVERY_FAILED"],
};

/**
 * Records call results for tasks inside `orgPath`. All or nothing: an unknown or out-of-scope
 * task refuses the batch. A task keeps its first result; a resent result changes nothing.
 */
export async function recordCallResults(db: Db, batch: CallResultBatch, opts: { orgPath: string }): Promise<{ recorded: number; repeated: number }> {
  const ids = [...new Set(batch.results.map((r) => r.taskId))];
  const known = await db.$queryRaw<{ contact_id: bigint }[]>`
    SELECT t.contact_id FROM call_task t JOIN customer cu ON cu.id = t.customer_id
    WHERE t.contact_id = ANY(${ids.map((id) => BigInt(id))}::bigint[]) AND cu.org_path LIKE ${`${opts.orgPath}%`}`;
  const knownIds = new Set(known.map((k) => String(k.contact_id)));
  const missing = ids.filter((id) => !knownIds.has(id));
  if (missing.length > 0) throw new DomainError("NOT_FOUND", `unknown call tasks: ${missing.slice(0, 20).join(", ")}`);
  return db.$transaction(async (tx) => {
    const updated = await tx.$queryRaw<{ contact_id: bigint }[]>`
      UPDATE call_task t SET status = 'DONE', result = r.result::"CallResult", called_at = r.called_at, note = r.note
      FROM (SELECT DISTINCT ON (id) * FROM unnest(${batch.results.map((r) => BigInt(r.taskId))}::bigint[], ${batch.results.map((r) => r.result)}::text[],
                   ${batch.results.map((r) => r.calledAt)}::timestamptz[], ${batch.results.map((r) => r.note ?? null)}::text[]) AS x(id, result, called_at, note)
            ORDER BY id, called_at) r
      WHERE t.contact_id = r.id AND t.result IS NULL
      RETURNING t.contact_id`;
    const events = batch.results.flatMap((r) =>
      EVENTS[r.result].map((type) => ({ contactId: r.taskId, type, occurredAt: new Date(r.calledAt), source: "call-centre", detail: { result: r.result } })),
    );
    await recordContactEvent(tx, events);
    return { recorded: updated.length, repeated: ids.length - updated.length };
  });
}
