/**
 * Opt-out by SMS reply (回复TD退订): a mobile-originated message whose text is an unsubscribe word
 * withdraws marketing consent on SMS for every customer with that mobile number (their `phone`, or
 * a MOBILE contact point). The guardrails read consent at the moment of sending, so the next
 * send step already leaves them out. Idempotent: a second "TD" changes nothing but the time.
 */
import type { Db } from "@mkt/db";

/** TD, T, N, R, 退订, 取消, 0000 (case and spaces ignored); anything else is a normal reply. */
const OPT_OUT_WORDS = /^(td|t|n|r|退订|取消订阅|取消|0000)$/i;

export function isOptOutReply(text: string): boolean {
  return OPT_OUT_WORDS.test(text.replace(/[\s。.!！]/g, ""));
}

/** National 11-digit form of a Chinese mobile number as the SMSC reports it (+86 / 0086 / 86 prefixes dropped). */
export function nationalMobile(msisdn: string): string {
  const digits = msisdn.replace(/\D/g, "");
  return digits.replace(/^(0086|86)(?=1\d{10}$)/, "");
}

/** Withdraws SMS marketing consent for the number's customers; returns how many customers. */
export async function recordSmsOptOut(db: Pick<Db, "$queryRaw">, msisdn: string, at: Date): Promise<number> {
  const phone = nationalMobile(msisdn);
  if (!/^\d{5,20}$/.test(phone)) return 0;
  const rows = await db.$queryRaw<{ customer_id: number }[]>`
    WITH who AS (
      SELECT id AS customer_id FROM customer WHERE phone = ${phone}
      UNION
      SELECT customer_id FROM contact_point WHERE kind = 'MOBILE' AND value = ${phone}
    )
    INSERT INTO consent (id, customer_id, purpose, channel, granted, source, updated_at)
    SELECT 'co' || replace(gen_random_uuid()::text, '-', ''), customer_id, 'MARKETING', 'SMS', false, 'SMS_REPLY', ${at}
    FROM who
    ON CONFLICT (customer_id, purpose, channel) DO UPDATE SET granted = false, source = 'SMS_REPLY', updated_at = EXCLUDED.updated_at
    RETURNING customer_id`;
  return rows.length;
}
