/**
 * Why a recipient got no message. Mirrors the `SuppressionReason` enum of the schema; the order is
 * the order the guardrails are checked in, so every suppression is counted once, with its first
 * reason.
 */
export const SUPPRESSION_REASONS = [
  "CONTROL_GROUP",
  "NO_CONSENT",
  "COMPLAINT",
  "DO_NOT_DISTURB",
  "UNSUITABLE",
  "ASSESSMENT_EXPIRED",
  "FREQUENCY_CAP_DAY",
  "FREQUENCY_CAP_WEEK",
  "QUIET_HOURS",
  "NO_ADDRESS",
  "DUPLICATE",
  "TRIGGER_EXPIRED",
  "BUDGET_EXHAUSTED",
] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** Channels a marketing message goes out on (a lead for the RM is not a message to the customer). */
export const MESSAGE_CHANNELS = ["SMS", "CALL", "APP_PUSH", "WECHAT", "EMAIL"] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];
