/** The app-push / WeChat webhook provider against a local gateway on loopback. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestWebhookGateway } from "./testing-webhook";
import { WebhookProvider } from "./webhook";
import type { OutboundMessage } from "./provider";

const secret = "push-gateway-shared-secret-0123456789";
let gateway: TestWebhookGateway;
let url: string;
beforeAll(async () => {
  gateway = new TestWebhookGateway(secret);
  url = await gateway.listen();
});
afterAll(async () => {
  await gateway.close();
});

const push = (contactId: string, to: string): OutboundMessage => ({ contactId, channel: "APP_PUSH", to, subject: "稳享理财", body: "今日开放认购", link: "https://t.bank.example/t/abc" });

describe("webhook provider", () => {
  it("posts signed messages, keyed for idempotency, and maps the gateway's answers", async () => {
    const p = new WebhookProvider("APP_PUSH", { url, secret, concurrency: 2 });
    const results = await p.sendBatch([push("11", "device-a"), push("12", "invalid-token"), push("13", "busy-x"), push("14", "slow-y"), push("11", "device-a")]);
    expect(results.map((r) => [r.contactId, r.outcome, r.error])).toEqual([
      ["11", "ACCEPTED", undefined],
      ["12", "PERMANENT_FAILURE", "webhook-400"],
      ["13", "TRANSIENT_FAILURE", "webhook-503"],
      ["14", "TRANSIENT_FAILURE", "webhook-429"],
      ["11", "ACCEPTED", undefined],
    ]);
    expect(results[0]!.providerMessageId).toMatch(/^GW-11-/);
    expect(gateway.messages.get("11")).toEqual({ requestId: "11", channel: "APP_PUSH", to: "device-a", title: "稳享理财", body: "今日开放认购", link: "https://t.bank.example/t/abc" });
    expect(gateway.messages.size).toBe(1); // the resend of 11 was dropped by its idempotency key
    expect(gateway.unauthorized).toBe(0);
  });

  it("is refused by the gateway with the wrong secret, and fails transiently when it is down", async () => {
    const wrong = new WebhookProvider("WECHAT", { url, secret: "another-secret-of-enough-length-000" });
    expect((await wrong.sendBatch([push("21", "openid-1")]))[0]).toMatchObject({ outcome: "PERMANENT_FAILURE", error: "webhook-401" });
    expect(gateway.unauthorized).toBe(1);
    const down = new WebhookProvider("WECHAT", { url: "http://127.0.0.1:1/send", secret });
    expect((await down.sendBatch([push("22", "openid-2")]))[0]).toMatchObject({ outcome: "TRANSIENT_FAILURE", error: "webhook-unreachable" });
  });
});
