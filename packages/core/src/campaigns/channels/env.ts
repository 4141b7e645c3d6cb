/**
 * Channel configuration (zod-validated, parsed on first use). Every channel runs in `sandbox`
 * (the demo default: SandboxProvider) or `live` (the real protocol). Endpoints and secrets come
 * only from here; a live channel without its settings fails at start with the variable named.
 * CALL and RM_TASK are live by default: their "provider" is our own task list / lead table.
 */
import { hkdfSync } from "node:crypto";
import { z } from "zod";

const mode = z.enum(["sandbox", "live"]);
const rate = z.coerce.number().min(0).max(1);
const secret = z.string().min(32, "must be at least 32 characters");

const schema = z
  .object({
    SMS_CHANNEL_MODE: mode.default("sandbox"),
    SMPP_HOST: z.string().optional(),
    SMPP_PORT: z.coerce.number().int().min(1).max(65535).default(2775),
    SMPP_SYSTEM_ID: z.string().max(15).optional(),
    SMPP_PASSWORD: z.string().max(8, "SMPP 3.4 passwords are at most 8 characters").optional(),
    SMPP_SYSTEM_TYPE: z.string().max(12).default(""),
    SMPP_SOURCE_ADDR: z.string().max(20).optional(),
    SMPP_WINDOW: z.coerce.number().int().min(1).max(100).default(10),
    SMPP_ENQUIRE_LINK_MS: z.coerce.number().int().min(1000).default(30_000),

    EMAIL_CHANNEL_MODE: mode.default("sandbox"),
    SMTP_URL: z.string().regex(/^smtps?:\/\//, "SMTP_URL must be an smtp:// or smtps:// URL").optional(),
    SMTP_FROM: z.string().optional(),

    APP_PUSH_CHANNEL_MODE: mode.default("sandbox"),
    APP_PUSH_WEBHOOK_URL: z.url().optional(),
    APP_PUSH_WEBHOOK_SECRET: secret.optional(),
    WECHAT_CHANNEL_MODE: mode.default("sandbox"),
    WECHAT_WEBHOOK_URL: z.url().optional(),
    WECHAT_WEBHOOK_SECRET: secret.optional(),
    /** How old a signed callback may be, and how long its signature is remembered against replay. */
    CALLBACK_REPLAY_WINDOW_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),

    CALL_CHANNEL_MODE: mode.default("live"),
    RM_TASK_CHANNEL_MODE: mode.default("live"),

    SANDBOX_SEED: z.coerce.number().int().default(1),
    /** `db`: count accepted messages in PostgreSQL (reliability tests across worker processes). */
    SANDBOX_LEDGER: z.enum(["memory", "db"]).default("memory"),
    SANDBOX_DELIVERED_RATE: rate.default(0.95),
    SANDBOX_CLICK_RATE: rate.default(0.2),
    SANDBOX_CONVERSION_RATE: rate.default(0.25),

    /** Key of the short-link codes; unset: derived from BETTER_AUTH_SECRET (HKDF). */
    TRACKING_LINK_SECRET: secret.optional(),
    BETTER_AUTH_SECRET: z.string().optional(),
    /** Public origin of the short links (`<origin>/t/<code>`); unset: BETTER_AUTH_URL. */
    TRACKING_BASE_URL: z.url().optional(),
    BETTER_AUTH_URL: z.url().optional(),
  })
  .superRefine((env, ctx) => {
    const need = (when: boolean, keys: (keyof typeof env)[], channel: string) => {
      if (!when) return;
      for (const key of keys) if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: `${key} is required when ${channel} is live` });
    };
    need(env.SMS_CHANNEL_MODE === "live", ["SMPP_HOST", "SMPP_SYSTEM_ID", "SMPP_PASSWORD", "SMPP_SOURCE_ADDR"], "SMS_CHANNEL_MODE");
    need(env.EMAIL_CHANNEL_MODE === "live", ["SMTP_URL", "SMTP_FROM"], "EMAIL_CHANNEL_MODE");
    need(env.APP_PUSH_CHANNEL_MODE === "live", ["APP_PUSH_WEBHOOK_URL", "APP_PUSH_WEBHOOK_SECRET"], "APP_PUSH_CHANNEL_MODE");
    need(env.WECHAT_CHANNEL_MODE === "live", ["WECHAT_WEBHOOK_URL", "WECHAT_WEBHOOK_SECRET"], "WECHAT_CHANNEL_MODE");
  });

export type ChannelEnv = z.infer<typeof schema>;

let parsed: ChannelEnv | undefined;

export function channelEnv(): ChannelEnv {
  parsed ??= parseChannelEnv(process.env);
  return parsed;
}

export function parseChannelEnv(source: Record<string, string | undefined>): ChannelEnv {
  return schema.parse(source);
}

/** The short-link key: TRACKING_LINK_SECRET, else derived from the deployment's auth secret. */
export function trackingKey(env: ChannelEnv): Buffer {
  if (env.TRACKING_LINK_SECRET) return Buffer.from(env.TRACKING_LINK_SECRET);
  if (!env.BETTER_AUTH_SECRET) throw new Error("TRACKING_LINK_SECRET (or BETTER_AUTH_SECRET) is required for short links");
  return Buffer.from(hkdfSync("sha256", env.BETTER_AUTH_SECRET, "mkt", "tracking-link", 32));
}

export function trackingBaseUrl(env: ChannelEnv): string {
  const url = env.TRACKING_BASE_URL ?? env.BETTER_AUTH_URL;
  if (!url) throw new Error("TRACKING_BASE_URL (or BETTER_AUTH_URL) is required for short links");
  return url.replace(/\/+$/, "");
}
