/**
 * Consent per purpose and channel. Marketing is opt-in: no consent row, or a withdrawn one, means
 * no message. Service notices have their own consent and are not decided here.
 */
export interface ConsentFact {
  purpose: "MARKETING" | "SERVICE";
  channel: string;
  granted: boolean;
}

export function hasConsent(consents: readonly ConsentFact[], purpose: ConsentFact["purpose"], channel: string): boolean {
  return consents.some((c) => c.purpose === purpose && c.channel === channel && c.granted);
}
