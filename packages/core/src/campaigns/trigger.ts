/**
 * The event trigger of an event-triggered campaign: a condition on a real-time tag's new value,
 * e.g. "large deposit arrived" = `{ tag: "rt_large_deposit", op: "gte", value: 1 }`. It is matched
 * against the "tag changed" signals of the Redis stream `<prefix>:tags:changes`
 * (@mkt/jobs tags.ts); the dispatcher consumes them (dispatch/trigger-waves.ts).
 */
import { z } from "zod";

export const TRIGGER_OPS = ["eq", "neq", "gt", "gte", "lt", "lte"] as const;

export const campaignTriggerSchema = z.strictObject({
  tag: z.string().min(1).max(80),
  op: z.enum(TRIGGER_OPS),
  value: z.number().finite(),
});
export type CampaignTrigger = z.infer<typeof campaignTriggerSchema>;

export function triggerMatches(trigger: CampaignTrigger, signal: { tag: string; value: number }): boolean {
  if (signal.tag !== trigger.tag) return false;
  return compare(signal.value, trigger.op, trigger.value);
}

export function compare(a: number, op: (typeof TRIGGER_OPS)[number], b: number): boolean {
  switch (op) {
    case "eq":
      return a === b;
    case "neq":
      return a !== b;
    case "gt":
      return a > b;
    case "gte":
      return a >= b;
    case "lt":
      return a < b;
    case "lte":
      return a <= b;
  }
}
