/**
 * Where a provider's asynchronous receipts go. A provider first `remember`s which of its message
 * ids belong to which contact (`provider_message`), then reports receipts by message id; the sink
 * finds the contact (in the provider's own memory first, then in the table, so a receipt that
 * arrives after a restart still lands) and records the event through `recordContactEvent`. An id
 * the gateway reuses (after its counter wraps) maps to the newest message.
 */
import type { Db } from "@mkt/db";
import type { ContactEventInput } from "./events";
import type { Channel } from "./provider";
import { recordContactEvent } from "./record-event";

export interface ProviderReceipt {
  messageId: string;
  /** Known when the provider still remembers the message itself. */
  contactId?: string;
  type: "DELIVERED" | "DELIVERY_FAILED";
  occurredAt: Date;
  detail?: ContactEventInput["detail"];
}

export interface ReceiptSink {
  remember(rows: { messageId: string; contactId: string }[]): Promise<void>;
  /** Contacts with a remembered message (contact id → its first message id). */
  find?(contactIds: string[]): Promise<Map<string, string>>;
  /** Resolves once the receipt is recorded; throws when it could not be (the sender should retry). */
  receipt(receipt: ProviderReceipt): Promise<void>;
}

export class UnknownProviderMessageError extends Error {
  constructor(channel: Channel) {
    super(`no contact for this ${channel} provider message id`);
    this.name = "UnknownProviderMessageError";
  }
}

export function dbReceiptSink(db: Db, channel: Channel, source: string): ReceiptSink {
  return {
    async remember(rows) {
      if (rows.length === 0) return;
      await db.$executeRaw`
        INSERT INTO provider_message (channel, message_id, contact_id)
        SELECT ${channel}::"Channel", m, c FROM unnest(${rows.map((r) => r.messageId)}::text[], ${rows.map((r) => BigInt(r.contactId))}::bigint[]) AS t(m, c)
        ON CONFLICT (channel, message_id) DO UPDATE SET contact_id = EXCLUDED.contact_id, created_at = now()`;
    },
    async find(contactIds) {
      const rows = await db.$queryRaw<{ contact_id: string; message_id: string }[]>`
        SELECT DISTINCT ON (contact_id) contact_id::text, message_id FROM provider_message
        WHERE channel = ${channel}::"Channel" AND contact_id = ANY(${contactIds.map((id) => BigInt(id))}::bigint[])
        ORDER BY contact_id, created_at, message_id`;
      return new Map(rows.map((r) => [r.contact_id, r.message_id]));
    },
    async receipt(r) {
      let contactId = r.contactId;
      if (!contactId) {
        const row = await db.providerMessage.findUnique({ where: { channel_messageId: { channel, messageId: r.messageId } }, select: { contactId: true } });
        if (!row) throw new UnknownProviderMessageError(channel);
        contactId = String(row.contactId);
      }
      await recordContactEvent(db, { contactId, type: r.type, occurredAt: r.occurredAt, source, ...(r.detail ? { detail: r.detail } : {}) });
    },
  };
}
