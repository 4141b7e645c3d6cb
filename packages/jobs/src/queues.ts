/** The queues shared by producers (web, API) and the worker. One queue per domain. */
export const QUEUES = {
  maintenance: "maintenance",
  import: "import",
  tags: "tags",
  segments: "segments",
  exports: "exports",
  /** Campaign flow progression (waves), launches and schedules. */
  campaigns: "campaigns",
  /** Campaign send chunks: many, short, rate-limited per channel. */
  campaignSends: "campaign-sends",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const QUEUE_NAMES = Object.values(QUEUES) as QueueName[];

/** BullMQ's key prefix under a deployment prefix: `<prefix>:q:<queue>:…`. */
export function queuePrefix(prefix: string): string {
  return `${prefix}:q`;
}
