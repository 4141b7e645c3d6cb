/**
 * The channel layer's entry: `createChannelProvider(channel, { db })` builds the provider the
 * environment asks for (env.ts) — the sandbox, or the live protocol client.
 */
import type { Db } from "@mkt/db";
import { CallCentreProvider } from "./call-centre";
import { channelEnv, type ChannelEnv } from "./env";
import type { Channel, ChannelProvider } from "./provider";
import { dbReceiptSink } from "./receipts";
import { isOptOutReply, recordSmsOptOut } from "./opt-out";
import { recordContactEvent } from "./record-event";
import { RmTaskProvider } from "./rm-task";
import { DbLedger, MemoryLedger, SandboxProvider } from "./sandbox";
import { type Log, SmppProvider } from "./smpp";
import { SmtpProvider } from "./smtp";
import { WebhookProvider } from "./webhook";

export * from "./provider";
export type { ContactEventInput, ContactEventType } from "./events";
export { recordContactEvent } from "./record-event";

const MODE_KEY = {
  SMS: "SMS_CHANNEL_MODE",
  EMAIL: "EMAIL_CHANNEL_MODE",
  APP_PUSH: "APP_PUSH_CHANNEL_MODE",
  WECHAT: "WECHAT_CHANNEL_MODE",
  CALL: "CALL_CHANNEL_MODE",
  RM_TASK: "RM_TASK_CHANNEL_MODE",
} as const satisfies Record<Channel, keyof ChannelEnv>;

export function channelMode(channel: Channel, env: ChannelEnv = channelEnv()): "sandbox" | "live" {
  return env[MODE_KEY[channel]];
}

export function createChannelProvider(channel: Channel, deps: { db: Db; env?: ChannelEnv; log?: Log }): ChannelProvider {
  const env = deps.env ?? channelEnv();
  const { db } = deps;
  if (channelMode(channel, env) === "sandbox") {
    return new SandboxProvider(channel, {
      seed: env.SANDBOX_SEED,
      rates: { delivered: env.SANDBOX_DELIVERED_RATE, clicked: env.SANDBOX_CLICK_RATE, converted: env.SANDBOX_CONVERSION_RATE },
      ledger: env.SANDBOX_LEDGER === "db" ? new DbLedger(db) : new MemoryLedger(),
      record: (events) => recordContactEvent(db, events),
    });
  }
  switch (channel) {
    case "SMS":
      return new SmppProvider(
        { host: env.SMPP_HOST!, port: env.SMPP_PORT, systemId: env.SMPP_SYSTEM_ID!, password: env.SMPP_PASSWORD!, systemType: env.SMPP_SYSTEM_TYPE, sourceAddr: env.SMPP_SOURCE_ADDR!, windowSize: env.SMPP_WINDOW, enquireLinkMs: env.SMPP_ENQUIRE_LINK_MS },
        dbReceiptSink(db, "SMS", "smpp"),
        deps.log,
        async (reply) => {
          if (isOptOutReply(reply.text)) await recordSmsOptOut(db, reply.from, reply.receivedAt);
        },
      );
    case "EMAIL":
      return new SmtpProvider({ url: env.SMTP_URL!, from: env.SMTP_FROM! }, (events) => recordContactEvent(db, events));
    case "APP_PUSH":
      return new WebhookProvider("APP_PUSH", { url: env.APP_PUSH_WEBHOOK_URL!, secret: env.APP_PUSH_WEBHOOK_SECRET! });
    case "WECHAT":
      return new WebhookProvider("WECHAT", { url: env.WECHAT_WEBHOOK_URL!, secret: env.WECHAT_WEBHOOK_SECRET! });
    case "CALL":
      return new CallCentreProvider(db);
    case "RM_TASK":
      return new RmTaskProvider(db);
  }
}

/** The shared secret of a webhook channel (its callbacks are verified with it); null when not live. */
export function webhookSecret(channel: "APP_PUSH" | "WECHAT", env: ChannelEnv = channelEnv()): string | null {
  if (channelMode(channel, env) !== "live") return null;
  return (channel === "APP_PUSH" ? env.APP_PUSH_WEBHOOK_SECRET : env.WECHAT_WEBHOOK_SECRET) ?? null;
}
