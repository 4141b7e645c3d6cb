import { describe, expect, it } from "vitest";
import { channelMode, createChannelProvider } from "./index";
import { parseChannelEnv, trackingBaseUrl, trackingKey } from "./env";
import { SandboxProvider } from "./sandbox";
import type { Db } from "@mkt/db";

describe("channel environment", () => {
  it("defaults to the sandbox for messaging channels and live task lists", () => {
    const env = parseChannelEnv({});
    expect(channelMode("SMS", env)).toBe("sandbox");
    expect(channelMode("CALL", env)).toBe("live");
    expect(createChannelProvider("WECHAT", { db: {} as Db, env })).toBeInstanceOf(SandboxProvider);
  });

  it("names the missing settings of a live channel", () => {
    expect(() => parseChannelEnv({ SMS_CHANNEL_MODE: "live", SMPP_HOST: "10.0.0.1" })).toThrow(/SMPP_SYSTEM_ID is required when SMS_CHANNEL_MODE is live/);
    expect(() => parseChannelEnv({ APP_PUSH_CHANNEL_MODE: "live", APP_PUSH_WEBHOOK_URL: "https://push.example", APP_PUSH_WEBHOOK_SECRET: "short" })).toThrow(/at least 32/);
    expect(() => parseChannelEnv({ SMPP_PASSWORD: "toolongpassword" })).toThrow(/at most 8/);
  });

  it("derives the short-link key and origin", () => {
    const env = parseChannelEnv({ BETTER_AUTH_SECRET: "a".repeat(40), BETTER_AUTH_URL: "https://mkt.bank.example/" });
    expect(trackingKey(env)).toHaveLength(32);
    expect(trackingKey(env).equals(Buffer.from("a".repeat(40)))).toBe(false);
    expect(trackingBaseUrl(env)).toBe("https://mkt.bank.example");
    expect(() => trackingKey(parseChannelEnv({}))).toThrow(/TRACKING_LINK_SECRET/);
  });
});
