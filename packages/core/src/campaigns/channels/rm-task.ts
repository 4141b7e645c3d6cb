/**
 * RM task: hands the customer to the assigned RM as a `Lead` (one per contact: a resend finds the
 * lead already there). Priority and due date come from the flow's lead node the contact belongs to
 * (`priority`, `dueInDays`; MEDIUM and 3 days when the step is not a lead node); the rendered
 * message becomes the lead's note. A customer without an RM gets an unassigned lead of their org
 * unit, for the branch to assign. The handover counts as DELIVERED.
 */
import type { Db } from "@mkt/db";
import type { ChannelProvider, OutboundMessage, SendResult } from "./provider";
import { accepted, permanentFailure } from "./provider";
import { recordContactEvent } from "./record-event";

export class RmTaskProvider implements ChannelProvider {
  readonly channel = "RM_TASK" as const;
  constructor(private readonly db: Db) {}

  async sendBatch(messages: OutboundMessage[]): Promise<SendResult[]> {
    if (messages.length === 0) return [];
    const rows = await this.db.$queryRaw<{ contact_id: bigint; lead_id: string }[]>`
      WITH input AS (
        SELECT * FROM unnest(${messages.map((m) => BigInt(m.contactId))}::bigint[], ${messages.map((m) => m.body)}::text[]) AS t(contact_id, note)
      ), source AS (
        SELECT DISTINCT ON (c.id) c.id AS contact_id, c.customer_id, c.campaign_id, cu.rm_id, cu.org_unit_id, i.note,
               coalesce(n.node->>'priority', 'MEDIUM') AS priority, coalesce((n.node->>'dueInDays')::int, 3) AS due_days
        FROM input i JOIN contact c ON c.id = i.contact_id JOIN customer cu ON cu.id = c.customer_id
        JOIN campaign_run r ON r.id = c.run_id
        LEFT JOIN LATERAL (SELECT node FROM jsonb_array_elements(CASE WHEN jsonb_typeof(r.flow->'nodes') = 'array' THEN r.flow->'nodes' ELSE '[]'::jsonb END) node
                           WHERE node->>'id' = c.step_id AND node->>'type' = 'lead' LIMIT 1) n ON true
        ORDER BY c.id
      ), inserted AS (
        INSERT INTO lead (id, customer_id, rm_id, org_unit_id, campaign_id, contact_id, priority, due_at, note, updated_at)
        SELECT 'ld' || replace(gen_random_uuid()::text, '-', ''), s.customer_id, s.rm_id, s.org_unit_id, s.campaign_id, s.contact_id,
               s.priority::"LeadPriority", now() + make_interval(days => s.due_days), left(s.note, 2000), now()
        FROM source s
        ON CONFLICT (contact_id) DO NOTHING
        RETURNING contact_id, id
      )
      SELECT s.contact_id, coalesce(ins.id, l.id) AS lead_id
      FROM source s LEFT JOIN inserted ins ON ins.contact_id = s.contact_id LEFT JOIN lead l ON l.contact_id = s.contact_id`;
    const leads = new Map(rows.map((r) => [String(r.contact_id), r.lead_id]));
    const now = new Date();
    await recordContactEvent(
      this.db,
      [...leads.keys()].map((contactId) => ({ contactId, type: "DELIVERED" as const, occurredAt: now, source: "rm-task" })),
    );
    return messages.map((m) => (leads.has(m.contactId) ? accepted(m.contactId, leads.get(m.contactId)) : permanentFailure(m.contactId, "unknown-contact")));
  }

  async close(): Promise<void> {}

  async findAccepted(contactIds: string[]): Promise<Map<string, string | undefined>> {
    const rows = await this.db.lead.findMany({ where: { contactId: { in: contactIds.map((id) => BigInt(id)) } }, select: { id: true, contactId: true } });
    return new Map(rows.map((r) => [String(r.contactId), r.id]));
  }
}
