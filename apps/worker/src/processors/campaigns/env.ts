/** Campaign dispatch settings of the worker, validated once. */
import { hostname } from "node:os";
import { z } from "zod";

const channel = z.enum(["SMS", "CALL", "APP_PUSH", "WECHAT", "EMAIL", "RM_TASK"]);

const schema = z.object({
  DATABASE_URL: z.string().startsWith("postgres"),
  WORKER_ID: z.string().default(`${hostname()}-${process.pid}`),
  /** No progress for this long while work is pending: the run's jobs are re-enqueued (Redis lost them, a worker died). */
  CAMPAIGN_STALL_MS: z.coerce.number().int().min(100).default(30_000),
  /** Recovery sweep period. */
  CAMPAIGN_SWEEP_MS: z.coerce.number().int().min(100).default(5_000),
  /** Messages per second per channel, e.g. {"SMS":500,"CALL":20}; a channel not listed is not limited. */
  CAMPAIGN_RATE_LIMITS: z
    .string()
    .default("{}")
    .transform((s, ctx) => {
      try {
        return z.partialRecord(channel, z.number().positive()).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: "custom", message: 'CAMPAIGN_RATE_LIMITS must be JSON like {"SMS":500}' });
        return z.NEVER;
      }
    }),
  /** The sandbox reports simulated receipts, clicks and conversions (off in the dispatch benchmark, which measures sending). */
  CAMPAIGN_SANDBOX_EVENTS: z.enum(["on", "off"]).default("on"),
  /** Consume the tag-change stream for event-triggered campaigns. */
  CAMPAIGN_TRIGGERS: z.enum(["on", "off"]).default("on"),
  /** Batches of trigger signals one worker processes at once (read while earlier ones are processed). */
  CAMPAIGN_TRIGGER_BATCHES: z.coerce.number().int().min(1).max(64).default(1),
});

export type CampaignWorkerEnv = z.infer<typeof schema>;

let parsed: CampaignWorkerEnv | undefined;

export function campaignWorkerEnv(): CampaignWorkerEnv {
  parsed ??= schema.parse(process.env);
  return parsed;
}
