/**
 * Every guardrail for one recipient of one send step, in the order of `SUPPRESSION_REASONS`:
 * control group, consent, complaint / do-not-disturb lists, product suitability, frequency caps,
 * quiet hours (defer to the next allowed instant, or drop — per campaign), a known address.
 * This is the reference the dispatcher's set-based SQL (dispatch/guardrails-sql.ts) is tested
 * against; the naive baseline of the dispatch benchmark calls it per message.
 */
import { hasConsent, type ConsentFact } from "./consent";
import { inControlGroup } from "./control-group";
import { frequencyCap, type FrequencyCaps } from "./frequency";
import { nextAllowedInstant, type QuietWindow } from "./quiet-hours";
import type { SuppressionReason } from "./reasons";
import { activeRestriction, type RestrictionFact } from "./restrictions";
import { suitability, type AssessmentFact } from "./suitability";

export interface RecipientFacts {
  customerId: number;
  timeZone: string;
  consents: readonly ConsentFact[];
  restrictions: readonly RestrictionFact[];
  /** The latest assessment, or null. */
  assessment: AssessmentFact | null;
  /** Earlier messages to this customer on this channel, from any campaign. */
  sentAt: readonly Date[];
  hasAddress: boolean;
}

export interface SendContext {
  campaignId: string;
  channel: string;
  /** The riskiest promoted product's level (1..5), or null. */
  productRisk: number | null;
  /** Basis points held back; checked only where the control group is drawn (the first send step). */
  controlShareBp: number;
  quietHoursPolicy: "DEFER" | "DROP";
  quietWindow: QuietWindow;
  caps: FrequencyCaps;
  at: Date;
}

export type Decision = { kind: "send" } | { kind: "defer"; until: Date } | { kind: "suppress"; reason: SuppressionReason };

export function decide(r: RecipientFacts, c: SendContext): Decision {
  const suppress = (reason: SuppressionReason): Decision => ({ kind: "suppress", reason });
  if (inControlGroup(c.campaignId, r.customerId, c.controlShareBp)) return suppress("CONTROL_GROUP");
  if (!hasConsent(r.consents, "MARKETING", c.channel)) return suppress("NO_CONSENT");
  const restriction = activeRestriction(r.restrictions, c.channel, c.at);
  if (restriction) return suppress(restriction);
  const unsuitable = suitability(r.assessment, c.productRisk, c.at);
  if (unsuitable) return suppress(unsuitable);
  const capped = frequencyCap(r.sentAt, c.caps, c.at, r.timeZone);
  if (capped) return suppress(capped);
  const allowedAt = nextAllowedInstant(c.at, r.timeZone, c.quietWindow);
  if (allowedAt.getTime() !== c.at.getTime()) return c.quietHoursPolicy === "DEFER" ? { kind: "defer", until: allowedAt } : suppress("QUIET_HOURS");
  if (!r.hasAddress) return suppress("NO_ADDRESS");
  return { kind: "send" };
}

/** One message per customer per step and channel: the first wins, the rest are counted. */
export function dedupe<T extends { customerId: number; stepId: string; channel: string }>(items: readonly T[]): { unique: T[]; duplicates: number } {
  const seen = new Set<string>();
  const unique: T[] = [];
  for (const it of items) {
    const key = `${it.customerId}|${it.stepId}|${it.channel}`;
    if (!seen.has(key)) {
      seen.add(key);
      unique.push(it);
    }
  }
  return { unique, duplicates: items.length - unique.length };
}
