/**
 * SMPP 3.4 delivery receipts (deliver_sm with esm_class bit 0x04, Appendix B of the spec):
 *   "id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:…"
 * The TLVs receipted_message_id / message_state win over the text when the SMSC sends them.
 * Final states become DELIVERED or DELIVERY_FAILED; intermediate ones (ENROUTE, ACCEPTD, UNKNOWN) nothing.
 */
export type ReceiptOutcome = "DELIVERED" | "DELIVERY_FAILED";

export interface SmppReceipt {
  messageId: string;
  stat: string;
  err: string | null;
  outcome: ReceiptOutcome | null;
}

const STAT_OUTCOME: Record<string, ReceiptOutcome | null> = {
  DELIVRD: "DELIVERED",
  EXPIRED: "DELIVERY_FAILED",
  DELETED: "DELIVERY_FAILED",
  UNDELIV: "DELIVERY_FAILED",
  REJECTD: "DELIVERY_FAILED",
  ACCEPTD: null,
  ENROUTE: null,
  UNKNOWN: null,
};

/** message_state TLV values (SMPP 3.4 §5.2.28) as receipt stat words. */
const STATE_STAT: Record<number, string> = { 1: "ENROUTE", 2: "DELIVRD", 3: "EXPIRED", 4: "DELETED", 5: "UNDELIV", 6: "ACCEPTD", 7: "UNKNOWN", 8: "REJECTD" };

export const ESM_CLASS_RECEIPT = 0x04;

export function isDeliveryReceipt(esmClass: number): boolean {
  return (esmClass & 0x3c) === ESM_CLASS_RECEIPT;
}

export function parseReceipt(text: string, tlv: { receiptedMessageId?: string; messageState?: number } = {}): SmppReceipt | null {
  const field = (name: string) => new RegExp(`(?:^|\\s)${name}:(\\S*)`, "i").exec(text)?.[1] ?? null;
  const messageId = tlv.receiptedMessageId || field("id");
  const stat = (tlv.messageState !== undefined ? STATE_STAT[tlv.messageState] : undefined) ?? field("stat")?.toUpperCase();
  if (!messageId || !stat) return null;
  return { messageId, stat, err: field("err"), outcome: STAT_OUTCOME[stat] ?? null };
}

/** The receipt text an SMSC sends (used by the local SMSC of the tests). */
export function formatReceipt(r: { messageId: string; stat: string; err?: string; at: Date }): string {
  const d = r.at.toISOString();
  const stamp = `${d.slice(2, 4)}${d.slice(5, 7)}${d.slice(8, 10)}${d.slice(11, 13)}${d.slice(14, 16)}`;
  const dlvrd = r.stat === "DELIVRD" ? "001" : "000";
  return `id:${r.messageId} sub:001 dlvrd:${dlvrd} submit date:${stamp} done date:${stamp} stat:${r.stat} err:${r.err ?? "000"} text:`;
}
