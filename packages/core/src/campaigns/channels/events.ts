/**
 * What happens to a contact after the provider accepted it. Every channel's receipts, the
 * short-link clicks and the conversion attribution all arrive here as `ContactEventInput`s and are
 * written by `recordContactEvent` (record-event.ts) — one event per (contact, type); a repeat only
 * bumps the repeat count.
 */
export const CONTACT_EVENT_TYPES = [
  "DELIVERED",
  "DELIVERY_FAILED",
  "CLICKED",
  "CONVERTED",
  "RESPONDED",
] as const;
export type ContactEventType = (typeof CONTACT_EVENT_TYPES)[number];

export interface ContactEventInput {
  contactId: string;
  type: ContactEventType;
  occurredAt: Date;
  /** Where it came from: `sandbox`, `smpp`, `smtp`, `callback:APP_PUSH`, `call-centre`, `link`, `attribution`. */
  source: string;
  /** Small non-personal detail (receipt status code, call result, transaction id). */
  detail?: Record<string, string | number | boolean | null>;
}
